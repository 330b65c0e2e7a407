/**
 * The six preprocessing modes of the seed's "Data Preprocessing", fitted on the training split
 * only (minus a validation split carved from its end, cs231n-style) and applied unchanged to
 * train, val and test while gathering minibatches from shared memory.
 *
 * Every mode is a per-feature affine map x' = x·scale[f] + shift[f] on the raw 0–255 bytes,
 * followed for `zca` by the whitening matrix W (x_white = W x', rows: X' W). No rescaling,
 * except in `zca`: pixels are divided by 255 first (rescale = 1/255), so ε is on the 0–1 scale
 * where the usual values (0.1, 0.01, 1e-5) make sense.
 */
import { gemm } from '../linalg/gemm'
import { DatasetError } from './errors'
import { affineSummary, recordMoments, type RecordMoments } from './moments'
import { histogramMoments } from './stats'
import { pixelCovariance, zcaFromCovariance } from '../linalg/zca'
import { IMAGE_BYTES, PLANE, type DatasetHandle, type SplitRange } from './types'

export type PreprocessMode =
  'none' | 'mean-image' | 'channel-mean' | 'standardize' | 'channel-standardize' | 'zca'

export const PREPROCESS_MODES: readonly PreprocessMode[] = [
  'none',
  'mean-image',
  'channel-mean',
  'standardize',
  'channel-standardize',
  'zca'
]

export type Split = 'train' | 'val' | 'test'

export interface PreprocessOptions {
  /** Training records carved from the END of the training split as validation (default 0). */
  val?: number
  /** zca: ε added to the eigenvalues, on the 0–1 scale (default 0.1). */
  epsilon?: number
  /** zca: records (evenly spaced over the fit range) for the covariance (default 10000). */
  zcaSamples?: number
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

export const ZCA_DEFAULT_EPSILON = 0.1
export const ZCA_DEFAULT_SAMPLES = 10_000
/** Records per split measured for the `after` statistics of zca (the others use all). */
export const ZCA_AFTER_SAMPLES = 1000

/** Plain data; post it to workers (the zca matrix lives in a SharedArrayBuffer). */
export interface FittedPreprocessing {
  mode: PreprocessMode
  val: number
  /** The records the statistics were fitted on (the training split minus val). */
  fitRange: SplitRange
  /** x' = x·scale[f] + shift[f] per feature (3072 each, float64). */
  scale: Float64Array
  shift: Float64Array
  /** zca only: 3072×3072 float64 whitening matrix, row-major, in a SharedArrayBuffer. */
  zcaMatrix: Float64Array | null
  /** What was fitted, as the CLI `preprocess` JSON's `fit`. */
  fit: Record<string, unknown>
  /**
   * The raw moments of the fit records the fit was computed from (Σx, Σx² — not for zca — and
   * the channel histograms), reused by the `preprocess` view; null for `none` (no pass made).
   */
  moments: RecordMoments | null
}

function round(x: number, digits = 6): number {
  return Number(x.toPrecision(digits))
}

/** The record range of a split, given the validation count. */
export function splitRange(handle: DatasetHandle, split: Split, val = 0): SplitRange {
  checkVal(handle, val)
  if (split === 'test') return { ...handle.test }
  if (split === 'val') return { offset: handle.train.offset + handle.train.count - val, count: val }
  return { offset: handle.train.offset, count: handle.train.count - val }
}

function checkVal(handle: DatasetHandle, val: number): void {
  if (!Number.isInteger(val) || val < 0 || val >= handle.train.count)
    throw new DatasetError(
      'bad-option',
      `--val ${val}: the validation split must be a whole number from 0 to ${
        handle.train.count - 1
      } (this copy has ${handle.train.count} training records).`,
      { field: 'val' }
    )
}

function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8))
}

/** Fits `mode` on the training split minus `val`. */
export function fitPreprocessing(
  handle: DatasetHandle,
  mode: PreprocessMode,
  opts: PreprocessOptions = {}
): FittedPreprocessing {
  if (!PREPROCESS_MODES.includes(mode))
    throw new DatasetError(
      'bad-option',
      `Unknown preprocessing mode '${String(mode)}'; use one of ${PREPROCESS_MODES.join(', ')}.`,
      { field: 'mode' }
    )
  const val = opts.val ?? 0
  const fitRange = splitRange(handle, 'train', val)
  const pixels = new Uint8Array(handle.pixels)
  const n = fitRange.count
  const scale = new Float64Array(IMAGE_BYTES).fill(1)
  const shift = new Float64Array(IMAGE_BYTES)
  if (mode === 'none')
    return { mode, val, fitRange, scale, shift, zcaMatrix: null, fit: { count: n }, moments: null }

  // Σx² too (except for zca, whose `after` goes through the matrix): the view's statistics of
  // the transformed training records follow from it, in the same pass.
  const moments = recordMoments(pixels, fitRange, { squares: mode !== 'zca', histogram: true })
  const base = { mode, val, fitRange, scale, shift, zcaMatrix: null, moments }
  const { sum, sumSq } = moments
  const histogram = moments.histogram!
  const mean = sum.map((s) => s / n)
  const ch = [0, 1, 2].map((c) => histogramMoments(histogram, c))
  const channelMean = ch.map((m) => m.mean)
  const channelStd = ch.map((m) => m.std)

  switch (mode) {
    case 'mean-image':
      for (let f = 0; f < IMAGE_BYTES; f++) shift[f] = -mean[f]!
      return { ...base, fit: { count: n, meanImage: Array.from(mean, (x) => round(x, 8)) } }
    case 'channel-mean':
    case 'channel-standardize':
      for (let c = 0; c < 3; c++) {
        const s = mode === 'channel-standardize' ? 1 / channelStd[c]! : 1
        for (let p = 0; p < PLANE; p++) {
          scale[c * PLANE + p] = s
          shift[c * PLANE + p] = -channelMean[c]! * s
        }
      }
      return { ...base, fit: { count: n, channelMean, channelStd } }
    case 'standardize': {
      const std = new Float64Array(IMAGE_BYTES)
      for (let f = 0; f < IMAGE_BYTES; f++) {
        const m = mean[f]!
        std[f] = Math.sqrt(Math.max(0, sumSq![f]! / n - m * m))
        // A constant feature cannot be scaled to unit variance: it is only centred.
        const s = std[f]! > 1e-8 ? 1 / std[f]! : 1
        scale[f] = s
        shift[f] = -m * s
      }
      return {
        ...base,
        fit: {
          count: n,
          mean: Array.from(mean, (x) => round(x, 8)),
          std: Array.from(std, (x) => round(x, 8))
        }
      }
    }
    case 'zca':
      return fitZca(handle, { ...base, mode }, mean, opts)
  }
}

function fitZca(
  handle: DatasetHandle,
  base: Omit<FittedPreprocessing, 'fit'>,
  mean: Float64Array,
  opts: PreprocessOptions
): FittedPreprocessing {
  const t0 = performance.now()
  const epsilon = opts.epsilon ?? ZCA_DEFAULT_EPSILON
  if (!(epsilon > 0))
    throw new DatasetError('bad-option', `--epsilon ${epsilon}: ZCA needs ε > 0.`, {
      field: 'epsilon'
    })
  const { scale, shift, fitRange } = base
  for (let f = 0; f < IMAGE_BYTES; f++) {
    scale[f] = 1 / 255
    shift[f] = -mean[f]! / 255
  }
  const m = Math.min(fitRange.count, Math.max(1, opts.zcaSamples ?? ZCA_DEFAULT_SAMPLES))
  const rows = Array.from({ length: m }, (_, i) =>
    m === 1 ? 0 : Math.round((i * (fitRange.count - 1)) / (m - 1))
  )
  const d = IMAGE_BYTES
  // Exact integer products of the raw pixels (float32 gemm), centred and scaled in float64.
  const offsets = rows.map((r) => (fitRange.offset + r) * d)
  const cov = pixelCovariance(new Uint8Array(handle.pixels), offsets, d, mean, 1 / 255, (f) => {
    opts.signal?.throwIfAborted()
    opts.onProgress?.(0.2 * f)
  })
  const covMs = performance.now() - t0
  const z = zcaFromCovariance(cov, d, epsilon, (f) => {
    opts.signal?.throwIfAborted()
    opts.onProgress?.(0.2 + 0.8 * f)
  })
  const zcaMatrix = sharedFloat64(d * d)
  zcaMatrix.set(z.matrix)
  return {
    ...base,
    zcaMatrix,
    fit: {
      count: fitRange.count,
      epsilon,
      rescale: 1 / 255,
      samples: m,
      eigenvalues: Array.from(z.eigenvalues, (x) => round(x, 8)),
      covarianceSeconds: round(covMs / 1000, 4),
      eigenSeconds: round(z.eigenMs / 1000, 4),
      seconds: round((performance.now() - t0) / 1000, 4)
    }
  }
}

type Labels = Int32Array | Uint8Array | Uint32Array | Float64Array | Float32Array

/** The affine part of gather over records range.offset + indices[i]. */
function gatherRange(
  handle: DatasetHandle,
  range: SplitRange,
  indices: ArrayLike<number>,
  fitted: FittedPreprocessing,
  outX: Float32Array | Float64Array,
  outY: Labels | null
): void {
  const pixels = new Uint8Array(handle.pixels)
  const labels = new Uint8Array(handle.labels)
  const { scale, shift } = fitted
  // A local, not the imported constant, in the loop (a getter call per use under CommonJS).
  const d = IMAGE_BYTES
  const B = indices.length
  if (outX.length < B * IMAGE_BYTES)
    throw new RangeError(`gatherBatch: outX holds ${outX.length}, needs ${B * IMAGE_BYTES}`)
  if (outY && outY.length < B)
    throw new RangeError(`gatherBatch: outY holds ${outY.length}, needs ${B}`)
  for (let b = 0; b < B; b++) {
    const i = indices[b]!
    if (!(i >= 0 && i < range.count && Number.isInteger(i)))
      throw new RangeError(`gatherBatch: index ${i} outside 0..${range.count - 1}`)
    const r = range.offset + i
    const src = r * d
    const dst = b * d
    for (let f = 0; f < d; f++) outX[dst + f] = pixels[src + f]! * scale[f]! + shift[f]!
    if (outY) outY[b] = labels[r]!
  }
}

/** Per-thread float32 copies and scratch for zca (keyed by the shared matrix). */
const f32Matrices = new WeakMap<Float64Array, Float32Array>()
let scratch32 = new Float32Array(0)
let scratch64 = new Float64Array(0)

/**
 * Gathers records `indices` (relative to `split`) of the shared dataset, preprocessed with
 * `fitted`, into outX (batch × 3072, row-major) and their labels into outY. Float32 for
 * training, Float64 for gradient checks.
 */
export function gatherBatch(
  handle: DatasetHandle,
  split: Split,
  indices: ArrayLike<number>,
  fitted: FittedPreprocessing,
  outX: Float32Array | Float64Array,
  outY: Labels | null
): void {
  const range = splitRange(handle, split, fitted.val)
  const W = fitted.zcaMatrix
  if (!W) return gatherRange(handle, range, indices, fitted, outX, outY)
  const B = indices.length
  const d = IMAGE_BYTES
  if (outX instanceof Float64Array) {
    if (scratch64.length < B * d) scratch64 = new Float64Array(B * d)
    const tmp = scratch64.subarray(0, B * d)
    gatherRange(handle, range, indices, fitted, tmp, outY)
    gemm(B, d, d, tmp, W, outX)
  } else {
    let W32 = f32Matrices.get(W)
    if (!W32) {
      W32 = Float32Array.from(W)
      f32Matrices.set(W, W32)
    }
    if (scratch32.length < B * d) scratch32 = new Float32Array(B * d)
    const tmp = scratch32.subarray(0, B * d)
    gatherRange(handle, range, indices, fitted, tmp, outY)
    gemm(B, d, d, tmp, W32, outX)
  }
}

export interface SplitSummary {
  /** Records measured. */
  count: number
  mean: number
  std: number
  channelMean: number[]
  channelStd: number[]
}

/** `m` evenly spaced record indices over 0..count-1 (all of them when m = count). */
function sampleIndices(count: number, m: number): number[] {
  return Array.from({ length: m }, (_, i) =>
    m === count || m === 1 ? i : Math.round((i * (count - 1)) / (m - 1))
  )
}

/**
 * Statistics of the preprocessed values of a split, over at most `maxRecords` evenly spaced
 * records. The affine modes follow exactly from the split's raw Σx and Σx² (see moments.ts
 * `affineSummary`; `fitMoments` of the fit records are reused for the training split); zca
 * gathers and whitens the records and accumulates in float64.
 */
export function measureSplit(
  handle: DatasetHandle,
  split: Split,
  fitted: FittedPreprocessing,
  maxRecords = Infinity,
  fitMoments: RecordMoments | null = fitted.moments
): SplitSummary {
  const range = splitRange(handle, split, fitted.val)
  const m = Math.min(range.count, maxRecords)
  const idx = sampleIndices(range.count, m)
  if (fitted.zcaMatrix) return summarizeValues(gatherSample(handle, split, fitted, idx), m)
  const whole = m === range.count
  const moments =
    whole && split === 'train' && fitMoments?.sumSq && fitMoments.count === m
      ? fitMoments
      : recordMoments(
          new Uint8Array(handle.pixels),
          whole ? range : idx.map((i) => range.offset + i),
          { squares: true, histogram: false }
        )
  return affineSummary(moments, fitted.scale, fitted.shift)
}

/** Records `idx` of `split`, preprocessed, as a float64 idx.length × 3072 matrix. */
function gatherSample(
  handle: DatasetHandle,
  split: Split,
  fitted: FittedPreprocessing,
  idx: number[]
): Float64Array {
  const BLOCK = 256
  const vals = new Float64Array(idx.length * IMAGE_BYTES)
  for (let i = 0; i < idx.length; i += BLOCK)
    gatherBatch(
      handle,
      split,
      idx.slice(i, i + BLOCK),
      fitted,
      vals.subarray(i * IMAGE_BYTES, Math.min(idx.length, i + BLOCK) * IMAGE_BYTES),
      null
    )
  return vals
}

/** Mean and std, overall and per channel, of m gathered records (float64 accumulation). */
function summarizeValues(vals: Float64Array, m: number): SplitSummary {
  const d = IMAGE_BYTES
  const plane = PLANE
  const s1 = [0, 0, 0]
  const s2 = [0, 0, 0]
  for (let b = 0; b < m; b++)
    for (let c = 0; c < 3; c++) {
      let a1 = 0
      let a2 = 0
      const o = b * d + c * plane
      for (let p = 0; p < plane; p++) {
        const v = vals[o + p]!
        a1 += v
        a2 += v * v
      }
      s1[c]! += a1
      s2[c]! += a2
    }
  const per = m * plane
  const channelMean = s1.map((s) => s / per)
  const channelStd = s2.map((s, c) => Math.sqrt(Math.max(0, s / per - channelMean[c]! ** 2)))
  const mean = (s1[0]! + s1[1]! + s1[2]!) / (3 * per)
  const std = Math.sqrt(Math.max(0, (s2[0]! + s2[1]! + s2[2]!) / (3 * per) - mean * mean))
  return { count: m, mean, std, channelMean, channelStd }
}

/** Exactly the JSON of `layerscope preprocess PATH --mode MODE --json` (../shared/CLI.md). */
export interface PreprocessReport {
  mode: PreprocessMode
  fit: Record<string, unknown>
  after: { train: SplitSummary; val?: SplitSummary; test: SplitSummary }
}

export function preprocessReport(
  handle: DatasetHandle,
  mode: PreprocessMode,
  opts: PreprocessOptions = {},
  fitted: FittedPreprocessing = fitPreprocessing(handle, mode, opts)
): PreprocessReport {
  return measurePreprocessing(handle, fitted, { histograms: false }).report
}

export interface Histograms {
  /** bins + 1 edges, shared by the three channels. */
  edges: number[]
  /** counts[c][bin], c = R, G, B. */
  counts: number[][]
}

/** Records measured for the `after` histogram (all of them when the fit range is smaller). */
function histogramRecords(fitted: FittedPreprocessing): number {
  return fitted.zcaMatrix ? ZCA_AFTER_SAMPLES : 5000
}

/**
 * Pixel histograms of the fit records before (raw bytes: 256 bins, edges 0..256) and after
 * preprocessing (`bins` bins over the observed range). At most `maxRecords` evenly spaced
 * records are measured after (all for `before`).
 */
export function pixelHistograms(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  bins = 256,
  maxRecords = histogramRecords(fitted)
): { before: Histograms; after: Histograms } {
  const histogram =
    fitted.moments?.histogram ??
    recordMoments(new Uint8Array(handle.pixels), fitted.fitRange, {
      squares: false,
      histogram: true
    }).histogram!
  const m = Math.min(fitted.fitRange.count, maxRecords)
  const idx = sampleIndices(fitted.fitRange.count, m)
  return {
    before: beforeHistograms(histogram),
    after: fitted.zcaMatrix
      ? valueHistograms(gatherSample(handle, 'train', fitted, idx), m, bins)
      : affineHistograms(handle, fitted, idx, bins)
  }
}

function beforeHistograms(histogram: Uint32Array): Histograms {
  return {
    edges: Array.from({ length: 257 }, (_, i) => i),
    counts: [0, 1, 2].map((c) => Array.from(histogram.subarray(c * 256, c * 256 + 256)))
  }
}

/** `bins` equal bins over [min, max] of the values; the maximum falls in the last bin. */
function valueHistograms(vals: Float64Array, m: number, bins: number): Histograms {
  const d = IMAGE_BYTES
  const plane = PLANE
  let lo = Infinity
  let hi = -Infinity
  for (let k = 0; k < m * d; k++) {
    const v = vals[k]!
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (!(hi > lo)) hi = lo + 1
  const width = (hi - lo) / bins
  const counts = [0, 1, 2].map(() => new Array<number>(bins).fill(0))
  for (let r = 0; r < m; r++)
    for (let c = 0; c < 3; c++) {
      const row = counts[c]!
      const o = r * d + c * plane
      for (let p = 0; p < plane; p++) {
        const b = Math.min(bins - 1, Math.floor((vals[o + p]! - lo) / width))
        row[b]!++
      }
    }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width)
  return { edges, counts }
}

/**
 * valueHistograms of the affine modes without gathering: a 256-bin histogram of the raw bytes
 * per feature, then each (feature, byte) that occurs is mapped once, by the same float64
 * arithmetic as gatherBatch — the same edges and counts.
 */
function affineHistograms(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  idx: number[],
  bins: number
): Histograms {
  const d = IMAGE_BYTES
  const plane = PLANE
  const pixels = new Uint8Array(handle.pixels)
  const { scale, shift } = fitted
  const perFeature = new Int32Array(d * 256)
  const offset = fitted.fitRange.offset
  for (const i of idx) {
    const base = (offset + i) * d
    for (let f = 0; f < d; f++) perFeature[(f << 8) | pixels[base + f]!]!++
  }
  let lo = Infinity
  let hi = -Infinity
  for (let f = 0; f < d; f++)
    for (let v = 0; v < 256; v++) {
      if (perFeature[(f << 8) | v] === 0) continue
      const x = v * scale[f]! + shift[f]!
      if (x < lo) lo = x
      if (x > hi) hi = x
    }
  if (!(hi > lo)) hi = lo + 1
  const width = (hi - lo) / bins
  const counts = [0, 1, 2].map(() => new Array<number>(bins).fill(0))
  for (let f = 0; f < d; f++) {
    const row = counts[(f / plane) | 0]!
    for (let v = 0; v < 256; v++) {
      const k = perFeature[(f << 8) | v]!
      if (k === 0) continue
      const x = v * scale[f]! + shift[f]!
      row[Math.min(bins - 1, Math.floor((x - lo) / width))]! += k
    }
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width)
  return { edges, counts }
}

/** What the Preprocessing view shows for a fitted mode. */
export interface PreprocessingMeasures {
  report: PreprocessReport
  /** null when only the report was asked for. */
  histograms: { before: Histograms; after: Histograms } | null
  /** Mean of the raw fit records per feature (3072, channel-major). */
  meanImage: Float64Array
}

/**
 * The `preprocess` report, the histograms of pixelHistograms (default bins and records) and
 * the raw mean image of the fit records, sharing passes: the fit's own moments serve the
 * training split, the before histogram and the mean image (one pass when the fit made none),
 * and for zca the whitened training sample of the report is the histogram's sample.
 */
export function measurePreprocessing(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  opts: { histograms?: boolean; bins?: number } = {}
): PreprocessingMeasures {
  const withHistograms = opts.histograms ?? true
  const bins = opts.bins ?? 256
  const zca = fitted.zcaMatrix !== null
  const fitMoments =
    fitted.moments?.histogram && (zca || fitted.moments.sumSq)
      ? fitted.moments
      : recordMoments(new Uint8Array(handle.pixels), fitted.fitRange, {
          squares: !zca,
          histogram: true
        })
  const max = zca ? ZCA_AFTER_SAMPLES : Infinity
  let train: SplitSummary
  let after: Histograms | null = null
  const trainRange = splitRange(handle, 'train', fitted.val)
  const m = Math.min(trainRange.count, max)
  if (zca && withHistograms && m === Math.min(fitted.fitRange.count, histogramRecords(fitted))) {
    const vals = gatherSample(handle, 'train', fitted, sampleIndices(trainRange.count, m))
    train = summarizeValues(vals, m)
    after = valueHistograms(vals, m, bins)
  } else train = measureSplit(handle, 'train', fitted, max, fitMoments)
  const report: PreprocessReport = {
    mode: fitted.mode,
    fit: fitted.fit,
    after: { train, test: measureSplit(handle, 'test', fitted, max) }
  }
  if (fitted.val > 0) report.after.val = measureSplit(handle, 'val', fitted, max)
  let histograms: PreprocessingMeasures['histograms'] = null
  if (withHistograms) {
    after ??= pixelHistograms(handle, { ...fitted, moments: fitMoments }, bins).after
    histograms = { before: beforeHistograms(fitMoments.histogram!), after }
  }
  const n = fitMoments.count
  return { report, histograms, meanImage: fitMoments.sum.map((s) => (n ? s / n : NaN)) }
}
