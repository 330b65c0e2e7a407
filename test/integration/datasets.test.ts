/**
 * Datasets through LabService with real workers: opening (all four forms of the real sample,
 * every bad input as a typed error with its where), the current dataset surviving failed and
 * cancelled opens, images as copies, preprocessing with its cache, and the CIFAR-10 forms of
 * the depth and sanity jobs. Pixels are checked against bytes read here from the .bin files.
 */
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetImages, DatasetSummary, PreprocessJobResult } from '../../src-shared/datasets'
import type { DepthResult, SanityResult } from '../../src-shared/results'
import type { JobFailedEvent } from '../../src-shared/contract'
import { fitPreprocessing, preprocessReport } from '../../src-workers/data/preprocess'
import { loadDataset } from '../../src-workers/data/load'
import { makeTempDir, removeDir } from '../helpers/data-writers'
import { preprocessing } from '../helpers/configs'
import { ZCA_DEFAULT_EPSILON } from '../../src-shared/experiments'
import { writeBadDatasets, type BadCase } from '../helpers/bad-datasets'
import { SAMPLE_FORMS, cifarSampleLocation, requireCifarSample } from '../helpers/fixtures'
import { makeTestService } from '../helpers/service'

const service = makeTestService(2)
let root: string
let bad: BadCase[]
beforeAll(async () => {
  root = await makeTempDir('layerscope-datasets-')
  bad = await writeBadDatasets(root)
})
afterAll(async () => {
  await service.close()
  await removeDir(root)
})

/** The records of an official binary batch, read directly. */
async function binRecords(file: string): Promise<{ labels: number[]; planes: Uint8Array[] }> {
  const buf = await readFile(file)
  const labels: number[] = []
  const planes: Uint8Array[] = []
  for (let at = 0; at < buf.length; at += 3073) {
    labels.push(buf[at]!)
    planes.push(new Uint8Array(buf.subarray(at + 1, at + 3073)))
  }
  return { labels, planes }
}

async function call<T>(name: string, args: unknown): Promise<T> {
  const r = await service.call(name, args)
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error)
  return r.value as T
}

async function runJob<T>(kind: string, config: unknown): Promise<T> {
  const { jobId } = await call<{ jobId: string }>('job:start', { kind, config })
  return (await service.waitForJob(jobId)).result as T
}

async function jobError(kind: string, config: unknown) {
  const failures: JobFailedEvent[] = []
  const off = service.on((name, payload) => {
    if (name === 'job:failed') failures.push(payload as JobFailedEvent)
  })
  try {
    const { jobId } = await call<{ jobId: string }>('job:start', { kind, config })
    const err = await service.waitForJob(jobId).then(
      () => null,
      (e: unknown) => e
    )
    return { err, event: failures.find((f) => f.jobId === jobId) }
  } finally {
    off()
  }
}

const open = (path: string) => runJob<DatasetSummary>('dataset', { path })

describe('before any dataset is open', () => {
  it('dataset:current is null, and every use of the dataset says no-dataset', async () => {
    const fresh = makeTestService(1)
    try {
      expect(await fresh.call('dataset:current', {})).toEqual({ ok: true, value: null })
      const images = await fresh.call('dataset:images', { split: 'train', offset: 0, count: 4 })
      expect(images).toMatchObject({ ok: false, error: { code: 'no-dataset' } })
      for (const [kind, config] of [
        ['depth', { input: 'cifar', samples: 10, width: 10, layers: 2 }],
        ['sanity', { data: { type: 'dataset' } }],
        ['preprocess', { mode: 'mean-image' }]
      ] as const) {
        const r = await fresh.call('job:start', { kind, config })
        if (!r.ok) throw new Error(r.error.message)
        await expect(fresh.waitForJob((r.value as { jobId: string }).jobId)).rejects.toMatchObject({
          code: 'no-dataset',
          message: expect.stringMatching(/open/)
        })
      }
    } finally {
      await fresh.close()
    }
  })

  it('refuses malformed dataset calls at the door, naming the field', async () => {
    const cases = [
      ['job:start', { kind: 'dataset', config: { path: '' } }, 'config.path'],
      ['job:start', { kind: 'dataset', config: { path: 'x'.repeat(5000) } }, 'config.path'],
      ['job:start', { kind: 'dataset', config: { path: 'a\0b' } }, 'config.path'],
      ['job:start', { kind: 'dataset', config: { path: 7 } }, 'config.path'],
      ['job:start', { kind: 'dataset', config: { path: '/x', extra: 1 } }, 'config'],
      ['job:start', { kind: 'preprocess', config: { mode: 'whiten' } }, 'config.mode'],
      ['job:start', { kind: 'preprocess', config: { mode: 'zca', epsilon: 0 } }, 'config.epsilon'],
      ['job:start', { kind: 'preprocess', config: { mode: 'none', val: -1 } }, 'config.val'],
      ['job:start', { kind: 'depth', config: { input: 'cifar', samples: 7000 } }, 'config.samples'],
      ['dataset:images', { split: 'train', offset: 0, count: 257 }, 'count'],
      ['dataset:images', { split: 'val', offset: 0, count: 1 }, 'split'],
      ['dataset:images', { split: 'test', offset: -1, count: 1 }, 'offset'],
      ['dataset:images', { split: 'test', offset: 0, count: 1, label: 10 }, 'label'],
      ['dataset:current', { x: 1 }, '(arguments)']
    ] as const
    const before = service.listJobs().length
    for (const [name, args, where] of cases) {
      const r = await service.call(name, args)
      expect(r.ok, `${name} ${JSON.stringify(args).slice(0, 60)}`).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-args')
        expect(r.error.message).toContain(where)
      }
    }
    expect(service.listJobs().length).toBe(before)
  })
})

describe('opening the real sample', () => {
  it('opens all four forms: same fingerprint, the README numbers, progress reported', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const fractions: number[] = []
    const off = service.on((name, p) => {
      if (name === 'job:progress') fractions.push((p as { fraction: number }).fraction)
    })
    const summaries: DatasetSummary[] = []
    for (const form of SAMPLE_FORMS) summaries.push(await open(join(dir, form)))
    off()
    expect(fractions.length).toBeGreaterThan(0)
    expect(new Set(summaries.map((s) => s.fingerprint)).size).toBe(1)
    expect(summaries.map((s) => s.description.format)).toEqual([
      'binary',
      'python',
      'binary',
      'python'
    ])
    for (const s of summaries) {
      const d = s.description
      expect(d.splits.train.count).toBe(600)
      expect(d.splits.test.count).toBe(600)
      expect(d.splits.train.labelCounts).toEqual([57, 77, 56, 52, 60, 47, 62, 62, 62, 65])
      expect(d.splits.test.labelCounts).toEqual([66, 46, 58, 56, 51, 62, 70, 57, 63, 71])
      const readme = { mean: [124.7653, 122.3856, 113.2925], std: [62.8491, 61.8182, 65.9042] }
      d.stats.channelMean.forEach((m, c) => expect(m).toBeCloseTo(readme.mean[c]!, 3))
      d.stats.channelStd.forEach((m, c) => expect(m).toBeCloseTo(readme.std[c]!, 3))
      expect(d.warnings.some((w) => /data_batch_2/.test(w))).toBe(true)
      expect(Buffer.from(s.meanImage, 'base64')).toHaveLength(3072)
    }
    // The last one opened is current, under the absolute path it was opened with.
    const current = await call<DatasetSummary>('dataset:current', {})
    expect(current).toEqual(summaries[3])
    expect(current.path).toBe(join(dir, SAMPLE_FORMS[3]))
    // Results are plain data: they survive JSON unchanged (no shared memory reaches a caller).
    expect(JSON.parse(JSON.stringify(current))).toEqual(current)
  })

  it('opens a path relative to the working folder', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const rel = relative(process.cwd(), join(dir, 'cifar-10-batches-bin'))
    expect(rel.startsWith('/')).toBe(false)
    const s = await open(rel)
    expect(s.path).toBe(join(dir, 'cifar-10-batches-bin'))
    expect(s.description.source).toBe(join(dir, 'cifar-10-batches-bin'))
  })

  it('the mean image is the per-pixel mean of the training records, as RGB', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const s = await open(join(dir, 'cifar-10-batches-bin'))
    const { planes } = await binRecords(join(dir, 'cifar-10-batches-bin', 'data_batch_1.bin'))
    const rgb = Buffer.from(s.meanImage, 'base64')
    for (const p of [0, 1, 517, 1023])
      for (let c = 0; c < 3; c++) {
        const mean = planes.reduce((a, img) => a + img[c * 1024 + p]!, 0) / planes.length
        expect(rgb[p * 3 + c]).toBe(Math.round(mean))
      }
  })
})

describe('dataset:images', () => {
  it('returns the pixels of the file, as RGB copies, with labels and indices', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-python.tar.gz'))
    const bin = join(dir, 'cifar-10-batches-bin')
    for (const [split, file] of [
      ['train', 'data_batch_1.bin'],
      ['test', 'test_batch.bin']
    ] as const) {
      const ref = await binRecords(join(bin, file))
      const page = await call<DatasetImages>('dataset:images', { split, offset: 595, count: 10 })
      expect(page).toMatchObject({ split, offset: 595, total: 600, label: null, width: 32 })
      expect(page.indices).toEqual([595, 596, 597, 598, 599])
      expect(page.labels).toEqual(ref.labels.slice(595))
      const px = Buffer.from(page.pixels, 'base64')
      expect(px).toHaveLength(5 * 3072)
      page.indices.forEach((i, k) => {
        const planes = ref.planes[i]!
        for (let p = 0; p < 1024; p++)
          for (let c = 0; c < 3; c++)
            if (px[k * 3072 + p * 3 + c] !== planes[c * 1024 + p])
              throw new Error(`${split} image ${i} pixel ${p} channel ${c} differs`)
      })
    }
    // The README's fact: test image 0, pixel (0, 0) = (158, 112, 49).
    const first = await call<DatasetImages>('dataset:images', {
      split: 'test',
      offset: 0,
      count: 1
    })
    expect([...Buffer.from(first.pixels, 'base64').subarray(0, 3)]).toEqual([158, 112, 49])
  })

  it('filters by class: offset counts within the class, total is the class size', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const ref = await binRecords(join(dir, 'cifar-10-batches-bin', 'data_batch_1.bin'))
    const cats = ref.labels.flatMap((l, i) => (l === 3 ? [i] : []))
    const page = await call<DatasetImages>('dataset:images', {
      split: 'train',
      offset: 2,
      count: 4,
      label: 3
    })
    expect(page.total).toBe(52)
    expect(page.indices).toEqual(cats.slice(2, 6))
    expect(page.labels).toEqual([3, 3, 3, 3])
    const px = Buffer.from(page.pixels, 'base64')
    expect(px[3072 + 5 * 3 + 1]).toBe(ref.planes[cats[3]!]![1024 + 5])
    const beyond = await call<DatasetImages>('dataset:images', {
      split: 'train',
      offset: 52,
      count: 4,
      label: 3
    })
    expect([beyond.total, beyond.indices.length, beyond.pixels]).toEqual([52, 0, ''])
  })
})

describe('bad input keeps what is open', () => {
  it('every bad copy fails as a typed error with its where; the open dataset stays', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const good = await open(join(dir, 'cifar-10-batches-bin'))
    for (const c of bad) {
      const { err, event } = await jobError('dataset', { path: c.path })
      expect(err, c.name).toMatchObject({ code: c.code, details: c.where })
      expect(event?.error, c.name).toMatchObject({ code: c.code, details: c.where })
      expect((err as Error).message, c.name).toContain(c.where.file)
    }
    expect(await call('dataset:current', {})).toEqual(good)
    const page = await call<DatasetImages>('dataset:images', {
      split: 'train',
      offset: 0,
      count: 2
    })
    expect(page.labels).toEqual([6, 9])
    const depth = await runJob<DepthResult>('depth', {
      input: 'cifar',
      samples: 20,
      layers: 1,
      width: 8
    })
    expect(depth.config.inputWidth).toBe(3072)
  })

  it('a cancelled open keeps the open dataset', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const good = await open(join(dir, 'cifar-10-batches-bin'))
    const { jobId } = await call<{ jobId: string }>('job:start', {
      kind: 'dataset',
      config: { path: join(dir, 'cifar-10-python.tar.gz') }
    })
    expect(service.cancelJob(jobId)).toBe(true)
    await expect(service.waitForJob(jobId)).rejects.toMatchObject({ code: 'cancelled' })
    expect(await call('dataset:current', {})).toEqual(good)
  })
})

describe('preprocessing', () => {
  it('reports a mode with its histograms, and fits once per (data, mode, val, ε)', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const ref = await binRecords(join(dir, 'cifar-10-batches-bin', 'data_batch_1.bin'))
    const fitsBefore = service.datasets.fitsRun
    const config = { mode: 'channel-mean', val: 100 }
    const first = await runJob<PreprocessJobResult>('preprocess', config)
    expect(first.cached).toBe(false)
    expect(service.datasets.fitsRun).toBe(fitsBefore + 1)

    // The fit: per-channel means over the first 500 records, computed here from the file.
    const fit = first.report.fit as { channelMean: number[]; count: number }
    expect(fit.count).toBe(500)
    for (let c = 0; c < 3; c++) {
      let s = 0
      for (const img of ref.planes.slice(0, 500))
        for (let p = 0; p < 1024; p++) s += img[c * 1024 + p]!
      expect(fit.channelMean[c]).toBeCloseTo(s / (500 * 1024), 9)
    }
    expect(first.report.after.train.channelMean.every((m) => Math.abs(m) < 1e-9)).toBe(true)
    expect(first.report.after.val?.count).toBe(100)
    // Histograms: raw bytes of the 500 fitted records, red channel, checked bin by bin.
    const red = new Array<number>(256).fill(0)
    for (const img of ref.planes.slice(0, 500)) for (let p = 0; p < 1024; p++) red[img[p]!]!++
    expect(first.histograms.before.counts[0]).toEqual(red)
    const after = first.histograms.after
    expect(after.counts[0]!.reduce((a, b) => a + b, 0)).toBe(500 * 1024)
    expect(after.edges[0]!).toBeLessThan(0)
    // The mean image of the fitted records, as RGB: from a pass over the data (channel-mean)
    // and from the fit itself (mean-image); both must match the file.
    const byFit = await runJob<PreprocessJobResult>('preprocess', { mode: 'mean-image', val: 100 })
    for (const r of [first, byFit]) {
      const rgb = Buffer.from(r.meanImage, 'base64')
      expect(rgb).toHaveLength(3072)
      for (const p of [0, 300, 1023])
        for (let c = 0; c < 3; c++) {
          let s = 0
          for (const img of ref.planes.slice(0, 500)) s += img[c * 1024 + p]!
          expect(rgb[p * 3 + c], `${r.report.mode} pixel ${p}`).toBe(Math.round(s / 500))
        }
    }

    const again = await runJob<PreprocessJobResult>('preprocess', config)
    expect(again.cached).toBe(true)
    expect(service.datasets.fitsRun).toBe(fitsBefore + 2)
    expect(again.report).toEqual(first.report)
    // ε and K apply to zca and pca only: given to another mode they are ignored (the same fit).
    const extra = { ...config, epsilon: 0.5, components: 7 }
    expect((await runJob<PreprocessJobResult>('preprocess', extra)).cached).toBe(true)
    expect(service.datasets.fitsRun).toBe(fitsBefore + 2)

    // Another val is another fit; the same data reopened in another form keeps its fits.
    const other = await runJob<PreprocessJobResult>('preprocess', { mode: 'channel-mean', val: 0 })
    expect(other.cached).toBe(false)
    await open(join(dir, 'cifar-10-binary.tar.gz'))
    expect((await runJob<PreprocessJobResult>('preprocess', config)).cached).toBe(true)
    expect(service.datasets.fitsRun).toBe(fitsBefore + 3)
  })

  it('pictures of a fit on the real sample, checked against the file', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const ref = await binRecords(join(dir, 'cifar-10-batches-bin', 'data_batch_1.bin'))
    const r = await runJob<PreprocessJobResult>('preprocess', { mode: 'channel-mean', val: 100 })
    const pic = r.pictures!
    // Mean image vs channel mean of the 500 fitted records, straight from the file.
    const mean = new Float64Array(3072)
    for (const img of ref.planes.slice(0, 500))
      for (let f = 0; f < 3072; f++) mean[f] = mean[f]! + img[f]!
    for (let f = 0; f < 3072; f++) mean[f] = mean[f]! / 500
    const ch = [0, 1, 2].map(
      (c) => mean.slice(c * 1024, (c + 1) * 1024).reduce((a, b) => a + b) / 1024
    )
    let max = 0
    for (let f = 0; f < 3072; f++) max = Math.max(max, Math.abs(mean[f]! - ch[(f / 1024) | 0]!))
    expect(pic.centring.maxAbs).toBeCloseTo(max, 9)
    pic.centring.channelMean.forEach((m, c) => expect(m).toBeCloseTo(ch[c]!, 9))
    // The same mean as the fit's own channel means.
    const fit = r.report.fit as { channelMean: number[] }
    fit.channelMean.forEach((m, c) => expect(m).toBeCloseTo(ch[c]!, 9))
    // The 8 images: the first training records, labels from the file, channel-mean applied.
    expect(pic.samples.indices).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(pic.samples.labels).toEqual(ref.labels.slice(0, 8))
    for (let i = 0; i < 8; i++) {
      const img = ref.planes[i]!
      let lo = Infinity
      let hi = -Infinity
      for (let f = 0; f < 3072; f++) {
        const v = img[f]! - fit.channelMean[(f / 1024) | 0]!
        lo = Math.min(lo, v)
        hi = Math.max(hi, v)
      }
      expect(pic.samples.ranges[i]!.lo).toBeCloseTo(lo, 9)
      expect(pic.samples.ranges[i]!.hi).toBeCloseTo(hi, 9)
    }
    expect(Buffer.from(pic.samples.images, 'base64')).toHaveLength(8 * 3072)
    // Scatter: 500 training points, whitened covariance I; 600 held-out test images.
    expect(pic.scatter.count).toBe(500)
    expect(pic.scatter.raw.x[0]).toBe(ref.planes[0]![pic.scatter.features[0]!.index])
    expect(pic.scatter.whitened.cov[0]).toBeCloseTo(1, 9)
    expect(pic.scatter.whitened.cov[1]).toBeCloseTo(0, 9)
    expect(pic.scatter.heldOut.count).toBe(600)
    expect(pic.eigenvectors).toBeNull()
  })

  it('pca on a team of the pool threads: orthonormal top eigenvectors as images', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const r = await runJob<PreprocessJobResult>('preprocess', {
      mode: 'pca',
      val: 100,
      components: 12
    })
    const fit = r.report.fit as { components: number; eigenvalues: number[]; count: number }
    expect(fit).toMatchObject({ components: 12, count: 500 })
    // 500 centred images span 499 dimensions.
    expect(fit.eigenvalues[498]!).toBeGreaterThan(1e-8 * fit.eigenvalues[0]!)
    expect(Math.abs(fit.eigenvalues[499]!)).toBeLessThan(1e-10 * fit.eigenvalues[0]!)
    // Training components: variance of each = its eigenvalue, so the overall std² is their mean.
    const top = fit.eigenvalues.slice(0, 12).reduce((a, b) => a + b, 0) / 12
    expect(r.report.after.train.std ** 2).toBeCloseTo(top, 5)
    expect(r.histograms.after.counts).toHaveLength(1)
    const ev = r.pictures!.eigenvectors!
    expect(ev.count).toBe(12)
    expect(Buffer.from(ev.images, 'base64')).toHaveLength(12 * 3072)
    expect(r.pictures!.samples.reconstructed).toBe(true)
    // ε does not apply to pca: the same fit, from the cache.
    const withEpsilon = { mode: 'pca', val: 100, components: 12, epsilon: 0.5 }
    expect((await runJob<PreprocessJobResult>('preprocess', withEpsilon)).cached).toBe(true)
    // The same fit on this thread alone: same eigenvalues, same projected statistics (bits).
    const bin = join(dir, 'cifar-10-batches-bin')
    const handle = await loadDataset(bin)
    const serial = fitPreprocessing(handle, preprocessing('pca', { components: 12 }), { val: 100 })
    expect(fit.eigenvalues).toEqual(serial.fit.eigenvalues)
    expect(r.report.after).toEqual(
      preprocessReport(handle, preprocessing('pca', { components: 12 }), {}, serial).after
    )
  }, 240_000)

  it('fits zca on a team of the pool threads: the numbers of a one-thread fit', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const bin = join(dir, 'cifar-10-batches-bin')
    await open(bin)
    const job = await runJob<PreprocessJobResult>('preprocess', { mode: 'zca', val: 100 })
    const fit = job.report.fit as { eigenvalues: number[]; samples: number; epsilon: number }
    expect(fit.epsilon).toBe(ZCA_DEFAULT_EPSILON)
    // The default ε written out is the same fit: the cache key holds the resolved ε.
    const fitsRun = service.datasets.fitsRun
    const explicit = { mode: 'zca', val: 100, epsilon: ZCA_DEFAULT_EPSILON }
    expect((await runJob<PreprocessJobResult>('preprocess', explicit)).cached).toBe(true)
    expect(service.datasets.fitsRun).toBe(fitsRun)
    // the same fit on this thread alone (no team): same covariance and eigensolver bits
    const serial = fitPreprocessing(await loadDataset(bin), preprocessing('zca'), { val: 100 })
    expect(fit.samples).toBe(serial.fit.samples)
    expect(fit.eigenvalues).toEqual(serial.fit.eigenvalues)
    expect(fit.eigenvalues[0]).toBeGreaterThan(fit.eigenvalues.at(-1)!)
  })

  it('a --val as large as the training split is a bad-option error naming val', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const { err } = await jobError('preprocess', { mode: 'mean-image', val: 600 })
    expect(err).toMatchObject({ code: 'bad-option', details: { field: 'val' } })
  })
})

describe('CIFAR-10 forms of depth and sanity', () => {
  it('depth takes the first `samples` training images, preprocessed (input checked here)', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const ref = await binRecords(join(dir, 'cifar-10-batches-bin', 'data_batch_1.bin'))
    const fitsBefore = service.datasets.fitsRun
    const r = await runJob<DepthResult>('depth', {
      input: 'cifar',
      preprocess: 'mean-image',
      samples: 200,
      layers: 3,
      width: 50,
      activation: 'tanh',
      init: 'xavier',
      dtype: 'float64'
    })
    expect(r.config.inputWidth).toBe(3072)
    expect(r.config.samples).toBe(200)
    expect(r.layers).toHaveLength(3)
    // X = first 200 images minus the mean image of all 600 training images, here in float64.
    const mean = new Float64Array(3072)
    for (const img of ref.planes) for (let f = 0; f < 3072; f++) mean[f]! += img[f]! / 600
    let s1 = 0
    let s2 = 0
    for (const img of ref.planes.slice(0, 200))
      for (let f = 0; f < 3072; f++) {
        const v = img[f]! - mean[f]!
        s1 += v
        s2 += v * v
      }
    const n = 200 * 3072
    expect(r.input.mean).toBeCloseTo(s1 / n, 6)
    expect(r.input.std).toBeCloseTo(Math.sqrt(s2 / n - (s1 / n) ** 2), 6)
    for (const l of r.layers) expect(Number.isFinite(l.std) && l.std > 0).toBe(true)
    // A second depth run with the same preprocessing reuses the fit.
    await runJob<DepthResult>('depth', { input: 'cifar', preprocess: 'mean-image', samples: 10 })
    expect(service.datasets.fitsRun).toBe(fitsBefore + 1)
  })

  it('depth asking for more images than the training split is bad-option on samples', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const { err } = await jobError('depth', { input: 'cifar', samples: 601, width: 10 })
    expect(err).toMatchObject({ code: 'bad-option', details: { field: 'samples' } })
    // The service names the setting, not a CLI flag (the GUI has none); the CLI adds the flag.
    expect((err as Error).message).toMatch(/^samples 601: this dataset has 600 training image/)
  })

  it('sanity checks run on preprocessed training images', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await open(join(dir, 'cifar-10-batches-bin'))
    const r = await runJob<SanityResult>('sanity', {
      data: { type: 'dataset' },
      preprocess: 'channel-standardize',
      hidden: 20
    })
    const initial = r.checks.find((c) => c.name === 'initial-loss')
    if (initial?.name !== 'initial-loss') throw new Error('no initial-loss check')
    expect(initial.value).toBeCloseTo(Math.log(10), 2)
    expect(r.checks[2]).toMatchObject({ name: 'overfit-small-subset', examples: 20 })
    expect(r.pass).toBe(true)
  })
})

if (!cifarSampleLocation().present)
  describe('sample-free checks still ran', () => {
    it('bad copies are typed errors even without the sample', async () => {
      for (const c of bad) {
        const { err } = await jobError('dataset', { path: c.path })
        expect(err, c.name).toMatchObject({ code: c.code, details: c.where })
      }
    })
  })
