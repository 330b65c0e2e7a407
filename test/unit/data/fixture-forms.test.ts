/** The real CIFAR-10 sample in all four official forms (read in place, never copied). */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadDataset } from '../../../src-workers/data/load'
import { describeDataset } from '../../../src-workers/data/stats'
import type { DatasetHandle } from '../../../src-workers/data/types'
import { SAMPLE_FORMS, requireCifarSample } from '../../helpers/fixtures'
import { metaPickleBytes, pickleBatchBytes } from '../../helpers/data-writers'

const used = (h: DatasetHandle) => ({
  pixels: new Uint8Array(h.pixels, 0, (h.train.count + h.test.count) * 3072),
  labels: new Uint8Array(h.labels, 0, h.train.count + h.test.count)
})

describe('CIFAR-10 sample fixtures', () => {
  it('all four forms load with identical pixels, labels and fingerprints', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const handles = await Promise.all(SAMPLE_FORMS.map((f) => loadDataset(join(dir, f))))
    const [first, ...rest] = handles.map(used)
    for (const h of handles) {
      expect(h.train).toEqual({ offset: 0, count: 600 })
      expect(h.test).toEqual({ offset: 600, count: 600 })
      expect(h.fingerprint).toBe(handles[0]!.fingerprint)
    }
    for (const r of rest) {
      expect(Buffer.compare(Buffer.from(r.pixels), Buffer.from(first!.pixels))).toBe(0)
      expect(Buffer.compare(Buffer.from(r.labels), Buffer.from(first!.labels))).toBe(0)
    }
    expect(handles.map((h) => h.format)).toEqual(['binary', 'python', 'binary', 'python'])
  })

  it('matches the published facts of the README', async (ctx) => {
    const dir = requireCifarSample(ctx)
    for (const form of ['cifar-10-batches-bin', 'cifar-10-python.tar.gz']) {
      const h = await loadDataset(join(dir, form))
      const { pixels, labels } = used(h)
      expect(Array.from(labels.subarray(0, 10))).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3])
      expect(Array.from(labels.subarray(600, 610))).toEqual([3, 8, 8, 0, 6, 6, 1, 6, 3, 1])
      const t0 = 600 * 3072
      expect([pixels[t0], pixels[t0 + 1024], pixels[t0 + 2048]]).toEqual([158, 112, 49])
      expect(pixels[6]).toBe(0x8b)
      // data[0] ends 140, 84, 72
      expect(Array.from(pixels.subarray(3069, 3072))).toEqual([140, 84, 72])
      const d = describeDataset(h)
      expect(d.classes).toEqual([
        'airplane',
        'automobile',
        'bird',
        'cat',
        'deer',
        'dog',
        'frog',
        'horse',
        'ship',
        'truck'
      ])
      expect(d.splits.train.labelCounts).toEqual([57, 77, 56, 52, 60, 47, 62, 62, 62, 65])
      expect(d.splits.test.labelCounts).toEqual([66, 46, 58, 56, 51, 62, 70, 57, 63, 71])
      const near = (a: number[], b: number[]) =>
        a.forEach((x, i) => expect(Math.abs(x - b[i]!)).toBeLessThan(0.00005))
      near(d.stats.channelMean, [124.7653, 122.3856, 113.2925])
      near(d.stats.channelStd, [62.8491, 61.8182, 65.9042])
      expect(d.warnings.some((w) => /Partial copy: data_batch_2.* missing/.test(w))).toBe(true)
    }
  })

  it('describeDataset gives the CLI dataset JSON shape', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const d = describeDataset(await loadDataset(join(dir, 'cifar-10-batches-py')))
    expect(Object.keys(d)).toEqual(['format', 'source', 'classes', 'splits', 'stats', 'warnings'])
    expect(d.splits.train.files).toEqual(['data_batch_1'])
    expect(d.splits.test.files).toEqual(['test_batch'])
    expect(d.source).toBe(join(dir, 'cifar-10-batches-py'))
  })

  it('our cPickle writer reproduces the fixture pickles byte for byte', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const h = used(await loadDataset(join(dir, 'cifar-10-batches-bin')))
    const real = await readFile(join(dir, 'cifar-10-batches-py', 'data_batch_1'))
    const ours = pickleBatchBytes({
      labels: h.labels.subarray(0, 600),
      pixels: h.pixels.subarray(0, 600 * 3072)
    })
    expect(Buffer.compare(Buffer.from(ours), real)).toBe(0)
    const meta = await readFile(join(dir, 'cifar-10-batches-py', 'batches.meta'))
    expect(Buffer.compare(Buffer.from(metaPickleBytes()), meta)).toBe(0)
  })
})
