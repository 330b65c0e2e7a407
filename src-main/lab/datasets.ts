/**
 * The service's datasets: the one open CIFAR-10 copy (its DatasetHandle of SharedArrayBuffers,
 * loaded by a worker and shared with every later task) and a cache of fitted preprocessing
 * (with the `preprocess` report measured for it, so a repeated job does no work at all).
 *
 * Opening is a job; only a successful open replaces the current dataset, so a failed or
 * cancelled one leaves what was open loaded and usable. Jobs that use the dataset take the one
 * current when they start and keep it to the end, even if another copy is opened meanwhile.
 * The renderer never sees the shared memory: `images` and the job results are copies.
 */
import { runDepth } from './jobs'
import { resolve } from 'node:path'
import type {
  DatasetImages,
  DatasetImagesArgs,
  DatasetSummary,
  PreprocessJobResult,
  PreprocessPicturesJson,
  ScatterStageJson
} from '../../src-shared/datasets'
import {
  resolvePreprocessing,
  type DatasetOpenConfig,
  type DepthConfig,
  type PreprocessConfig,
  type SanityConfig
} from '../../src-shared/experiments'
import { LabError } from '../../src-shared/errors'
import type { DatasetRef } from '../../src-shared/session'
import type { DepthResult, SanityResult } from '../../src-shared/results'
import type { DatasetHandle, FittedPreprocessing } from '../../src-workers/data'
import type { ZcaShare } from '../../src-workers/data/zca-team'
import type { PreprocessViewOutput } from '../../src-workers/tasks/data'
import type { LabPool, RunOptions } from './pool'

/** What a dataset runner needs of a job's context (a subset of JobContext). */
export interface DatasetJobContext {
  pool: LabPool
  signal: AbortSignal
  progress: (fraction: number, message?: string) => void
  /** Threads a depth probe may use (default: every thread of the pool). */
  workers?: number
}

interface OpenDataset {
  handle: DatasetHandle
  summary: DatasetSummary
  /** Order in which the open was started: a later open wins over an earlier, slower one. */
  seq: number
}

/** Fitted preprocessing kept; zca entries hold a 72 MB matrix, so fewer of those. */
const MAX_FITTED = 8
const MAX_FITTED_ZCA = 2

/**
 * What a fit depends on besides the data: the mode, the validation count, ε, K. ε (zca only)
 * and K (pca only) as the contract has them, optional: `fitted` resolves them once.
 */
export interface FitRequest {
  mode: PreprocessConfig['mode']
  val: number
  /** zca only. */
  epsilon?: number | undefined
  /** pca only. */
  components?: number | undefined
}

interface FitEntry {
  /** zca or pca: the entry holds a large matrix. */
  zca: boolean
  promise: Promise<FittedPreprocessing>
  /** The `preprocess` job's result for this fit, once one has been measured. */
  view?: Omit<PreprocessJobResult, 'cached'>
}

function runOptions(ctx: DatasetJobContext): RunOptions {
  return {
    signal: ctx.signal,
    onProgress: (p) => ctx.progress(p.fraction, p.message)
  }
}

/** Interleaved 32×32 RGB bytes of record `r` (the files store three 1024-byte planes). */
function planarToRgb(pixels: Uint8Array, r: number, out: Uint8Array, at: number): void {
  const base = r * 3072
  for (let p = 0; p < 1024; p++) {
    out[at + p * 3] = pixels[base + p]!
    out[at + p * 3 + 1] = pixels[base + 1024 + p]!
    out[at + p * 3 + 2] = pixels[base + 2048 + p]!
  }
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')
/** Plotted points keep 4 significant digits (the covariances are computed in full). */
const points = (v: Float64Array): number[] => Array.from(v, (x) => Number(x.toPrecision(4)))
const scatterStage = (s: PreprocessViewOutput['pictures']['scatter']['raw']): ScatterStageJson => ({
  x: points(s.x),
  y: points(s.y),
  cov: s.cov
})

/** The worker's pictures as the job result carries them (images as base64 RGB). */
function picturesJson(p: PreprocessViewOutput['pictures']): PreprocessPicturesJson {
  const { centring: c, samples, scatter: sc, eigenvectors: ev } = p
  return {
    centring: {
      meanImage: base64(c.meanRgb),
      channelImage: base64(c.channelRgb),
      differenceImage: base64(c.differenceRgb),
      channelMean: c.channelMean,
      maxAbs: c.maxAbs,
      at: c.at,
      gain: c.gain
    },
    samples: {
      indices: samples.indices,
      labels: samples.labels,
      images: base64(samples.rgb),
      ranges: samples.ranges,
      reconstructed: samples.reconstructed
    },
    scatter: {
      features: sc.features,
      count: sc.count,
      raw: scatterStage(sc.raw),
      centred: scatterStage(sc.centred),
      normalized: scatterStage(sc.normalized),
      decorrelated: scatterStage(sc.decorrelated),
      whitened: scatterStage(sc.whitened),
      eigenvalues: sc.eigenvalues,
      heldOut: sc.heldOut
    },
    eigenvectors: ev ? { images: base64(ev.rgb), count: ev.count, scales: ev.scales } : null
  }
}

export class DatasetStore {
  private current: OpenDataset | null = null
  private opens = 0
  private readonly fits = new Map<string, FitEntry>()
  /** Fits run in workers so far (a cache hit runs none); for tests and diagnostics. */
  fitsRun = 0

  /** The open dataset's summary, or null. */
  summary(): DatasetSummary | null {
    return this.current?.summary ?? null
  }

  /** The open dataset as a session records it (path, fingerprint, format), or null. */
  ref(): DatasetRef | null {
    const s = this.current?.summary
    return s ? { path: s.path, fingerprint: s.fingerprint, format: s.description.format } : null
  }

  /** The open dataset, or a `no-dataset` error saying what needed one. */
  require(what: string): OpenDataset {
    if (!this.current)
      throw new LabError(
        'no-dataset',
        `${what} needs an open dataset (open a CIFAR-10 folder or .tar.gz in Dataset first)`
      )
    return this.current
  }

  /** The `dataset` job: read the copy in a worker; on success it becomes the current one. */
  async open(config: DatasetOpenConfig, ctx: DatasetJobContext): Promise<DatasetSummary> {
    const seq = ++this.opens
    const path = resolve(config.path)
    const out = await ctx.pool.run('openDataset', { path }, runOptions(ctx))
    const summary: DatasetSummary = {
      path,
      fingerprint: out.handle.fingerprint,
      description: out.description,
      meanImage: Buffer.from(out.meanImageRgb).toString('base64'),
      seconds: out.seconds
    }
    // Cancelled as the worker finished: a cancelled open changes nothing.
    if (ctx.signal.aborted) throw new LabError('cancelled', `opening ${path} was cancelled`)
    if (!this.current || seq > this.current.seq) {
      this.current = { handle: out.handle, summary, seq }
      // Fits of other data are no use now; the same data reopened keeps its fits.
      for (const [key] of this.fits)
        if (!key.startsWith(`${summary.fingerprint}|`)) this.fits.delete(key)
    }
    return summary
  }

  /** A page of images of the open dataset, copied out of shared memory as RGB. */
  images(args: DatasetImagesArgs): DatasetImages {
    const { handle } = this.require('dataset:images')
    const range = args.split === 'train' ? handle.train : handle.test
    const labels = new Uint8Array(handle.labels)
    const pixels = new Uint8Array(handle.pixels)
    const label = args.label ?? null
    let total: number
    const indices: number[] = []
    if (label === null) {
      total = range.count
      for (let i = args.offset; i < Math.min(range.count, args.offset + args.count); i++)
        indices.push(i)
    } else {
      total = 0
      for (let i = 0; i < range.count; i++) {
        if (labels[range.offset + i] !== label) continue
        if (total >= args.offset && indices.length < args.count) indices.push(i)
        total++
      }
    }
    const rgb = new Uint8Array(indices.length * 3072)
    indices.forEach((i, k) => planarToRgb(pixels, range.offset + i, rgb, k * 3072))
    return {
      split: args.split,
      offset: args.offset,
      label,
      total,
      width: 32,
      height: 32,
      pixels: Buffer.from(rgb).toString('base64'),
      labels: indices.map((i) => labels[range.offset + i]!),
      indices
    }
  }

  /**
   * The fitted preprocessing of (dataset, mode, val, ε, K): from the cache, or fitted in a
   * worker and cached. Concurrent jobs asking for the same fit share one worker run.
   */
  async fitted(
    open: OpenDataset,
    request: FitRequest,
    ctx: DatasetJobContext
  ): Promise<{ fitted: FittedPreprocessing; cached: boolean; entry: FitEntry }> {
    const { val } = request
    // The one place a fit's ε and K get their defaults: the key and the worker use these.
    const preprocessing = resolvePreprocessing(request.mode, request)
    const { mode } = preprocessing
    const eps = preprocessing.mode === 'zca' ? preprocessing.epsilon : ''
    const k = preprocessing.mode === 'pca' ? preprocessing.components : ''
    const key = `${open.handle.fingerprint}|${mode}|${val}|${eps}|${k}`
    const hit = this.fits.get(key)
    if (hit) {
      try {
        const fitted = await hit.promise
        // Most recently used last.
        this.fits.delete(key)
        this.fits.set(key, hit)
        return { fitted, cached: true, entry: hit }
      } catch {
        // The job that started this fit failed or was cancelled: fit again under ours.
        if (ctx.signal.aborted) throw new LabError('cancelled', 'cancelled')
      }
    }
    this.fitsRun++
    const input = { dataset: open.handle, preprocessing, val }
    // zca and pca's covariance on every free thread: the fit leads a team and the pool lends
    // it zcaHelper tasks.
    const matrix = mode === 'zca' || mode === 'pca'
    const promise =
      matrix && ctx.pool.threads > 1
        ? ctx.pool.runTeam(
            'fitPreprocess',
            { ...input, team: true },
            {
              task: 'zcaHelper',
              input: (shared, index) => ({ ...(shared as ZcaShare), index })
            },
            runOptions(ctx)
          )
        : ctx.pool.run('fitPreprocess', input, runOptions(ctx))
    const entry: FitEntry = { zca: matrix, promise }
    this.fits.set(key, entry)
    this.evict()
    try {
      return { fitted: await promise, cached: false, entry }
    } catch (err) {
      if (this.fits.get(key) === entry) this.fits.delete(key)
      throw err
    }
  }

  private evict(): void {
    const keys = [...this.fits.keys()]
    const zca = keys.filter((k) => this.fits.get(k)!.zca)
    for (const k of zca.slice(0, Math.max(0, zca.length - MAX_FITTED_ZCA))) this.fits.delete(k)
    const left = [...this.fits.keys()]
    for (const k of left.slice(0, Math.max(0, left.length - MAX_FITTED))) this.fits.delete(k)
  }

  /** The `preprocess` job: the report, mean image and histograms of a mode on the open data. */
  async preprocess(config: PreprocessConfig, ctx: DatasetJobContext): Promise<PreprocessJobResult> {
    const open = this.require('preprocessing')
    const { fitted, cached, entry } = await this.fitted(open, config, ctx)
    // The report is as deterministic as the fit: measure it once per cached fit.
    if (entry.view) return { ...entry.view, cached }
    const out = await ctx.pool.run(
      'preprocessView',
      { dataset: open.handle, fitted },
      runOptions(ctx)
    )
    const view = {
      report: out.report,
      fingerprint: open.handle.fingerprint,
      meanImage: Buffer.from(out.meanImageRgb).toString('base64'),
      histograms: out.histograms,
      pictures: picturesJson(out.pictures)
    }
    entry.view = view
    return { ...view, cached }
  }

  /** The `depth` job with `input: 'cifar'`: a preprocessed batch of training images. */
  async depth(config: DepthConfig, ctx: DatasetJobContext): Promise<DepthResult> {
    const open = this.require('CIFAR-10 input')
    const { fitted } = await this.fitted(open, { mode: config.preprocess, val: 0 }, ctx)
    return runDepth(
      ctx.pool,
      'depthOnDataset',
      { config, dataset: open.handle, fitted },
      ctx.workers ?? ctx.pool.threads,
      runOptions(ctx)
    )
  }

  /** The `sanity` job on `{ type: 'dataset' }`: preprocessed training images. */
  async sanity(config: SanityConfig, ctx: DatasetJobContext): Promise<SanityResult> {
    const open = this.require('sanity checks on CIFAR-10')
    const { fitted } = await this.fitted(open, { mode: config.preprocess, val: 0 }, ctx)
    return ctx.pool.run(
      'sanityOnDataset',
      { config, dataset: open.handle, fitted },
      runOptions(ctx)
    )
  }
}
