/**
 * The fast statistics of the Preprocessing view (data/moments, measurePreprocessing) checked
 * against values gathered with gatherBatch and reduced here directly, in float64.
 */
import { describe, expect, it } from 'vitest'
import { recordMoments } from '../../../src-workers/data/moments'
import {
  fitPreprocessing,
  gatherBatch,
  measurePreprocessing,
  measureSplit,
  pixelHistograms,
  splitRange,
  type FittedPreprocessing,
  type Split
} from '../../../src-workers/data/preprocess'
import type { DatasetHandle } from '../../../src-workers/data/types'
import { memoryHandle, syntheticBatch } from '../../helpers/data-writers'
import { preprocessing } from '../../helpers/configs'

function handleOf(trainN: number, testN: number): DatasetHandle {
  const all = syntheticBatch(trainN + testN, 7, true)
  const split = (from: number, to: number) => ({
    labels: all.labels.slice(from, to),
    pixels: all.pixels.slice(from * 3072, to * 3072)
  })
  return memoryHandle(split(0, trainN), split(trainN, trainN + testN))
}

const h = handleOf(50, 12)
const px = new Uint8Array(h.pixels)
const VAL = 10

const close = (a: number, b: number, tol: number) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)))

/** Preprocessed values of records idx of a split, straight from gatherBatch. */
function gathered(fitted: FittedPreprocessing, split: Split, idx: number[]): Float64Array {
  const X = new Float64Array(idx.length * 3072)
  gatherBatch(h, split, idx, fitted, X, null)
  return X
}

/** Direct mean/std overall and per channel. */
function direct(X: Float64Array) {
  const m = X.length / 3072
  const s1 = [0, 0, 0]
  for (let k = 0; k < X.length; k++) s1[Math.floor((k % 3072) / 1024)]! += X[k]!
  const cm = s1.map((s) => s / (m * 1024))
  const mean = (s1[0]! + s1[1]! + s1[2]!) / (m * 3072)
  const v = [0, 0, 0]
  let all = 0
  for (let k = 0; k < X.length; k++) {
    const c = Math.floor((k % 3072) / 1024)
    v[c]! += (X[k]! - cm[c]!) ** 2
    all += (X[k]! - mean) ** 2
  }
  return {
    mean,
    std: Math.sqrt(all / (m * 3072)),
    channelMean: cm,
    channelStd: v.map((x) => Math.sqrt(x / (m * 1024)))
  }
}

/** Histogram of values as pixelHistograms documents it: bins over [min, max]. */
function directHistogram(X: Float64Array, bins: number) {
  let lo = Infinity
  let hi = -Infinity
  for (const v of X) {
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  const width = (hi - lo) / bins
  const counts = [0, 1, 2].map(() => new Array<number>(bins).fill(0))
  X.forEach((v, k) => {
    counts[Math.floor((k % 3072) / 1024)]![Math.min(bins - 1, Math.floor((v - lo) / width))]!++
  })
  return { lo, width, counts }
}

describe('recordMoments', () => {
  it('sums, squares and channel histograms of a range or a list match a direct count', () => {
    const rows = [3, 41, 0, 41, 17]
    // An unaligned view exercises the byte-by-byte path.
    const copy = new Uint8Array(px.length + 1)
    copy.set(px, 1)
    const unaligned = copy.subarray(1)
    for (const pixels of [px, unaligned])
      for (const records of [{ offset: 5, count: 20 }, rows]) {
        const list = Array.isArray(records)
          ? records
          : Array.from({ length: records.count }, (_, i) => records.offset + i)
        for (const want of [
          { squares: true, histogram: true },
          { squares: false, histogram: false }
        ]) {
          const m = recordMoments(pixels, records, want)
          expect(m.count).toBe(list.length)
          for (let f = 0; f < 3072; f += 13) {
            let s1 = 0
            let s2 = 0
            for (const r of list) {
              s1 += px[r * 3072 + f]!
              s2 += px[r * 3072 + f]! ** 2
            }
            expect(m.sum[f]).toBe(s1)
            if (want.squares) expect(m.sumSq![f]).toBe(s2)
          }
          if (want.histogram) {
            let green77 = 0
            for (const r of list)
              for (let p = 0; p < 1024; p++) green77 += px[r * 3072 + 1024 + p] === 77 ? 1 : 0
            expect(m.histogram![256 + 77]).toBe(green77)
            expect(m.histogram!.reduce((a, b) => a + b)).toBe(list.length * 3072)
          } else {
            expect(m.sumSq).toBeNull()
            expect(m.histogram).toBeNull()
          }
        }
      }
  })
})

describe('measurePreprocessing', () => {
  it.each(['none', 'mean-image', 'standardize', 'channel-standardize'] as const)(
    '%s: after statistics, histograms and mean image equal a direct reduction of gathered values',
    (mode) => {
      const fitted = fitPreprocessing(h, preprocessing(mode), { val: VAL })
      const { report, histograms, meanImage } = measurePreprocessing(h, fitted, { bins: 40 })
      for (const split of ['train', 'val', 'test'] as const) {
        const n = splitRange(h, split, VAL).count
        const want = direct(
          gathered(
            fitted,
            split,
            Array.from({ length: n }, (_, i) => i)
          )
        )
        const got = report.after[split]!
        expect(got.count).toBe(n)
        close(got.mean, want.mean, 1e-9)
        close(got.std, want.std, 1e-9)
        for (let c = 0; c < 3; c++) {
          close(got.channelMean[c]!, want.channelMean[c]!, 1e-9)
          close(got.channelStd[c]!, want.channelStd[c]!, 1e-9)
        }
      }
      // A sample of evenly spaced records, as the zca report measures.
      const sampled = measureSplit(h, 'train', fitted, 7)
      const idx = Array.from({ length: 7 }, (_, i) => Math.round((i * 39) / 6))
      close(sampled.std, direct(gathered(fitted, 'train', idx)).std, 1e-9)

      const all = gathered(
        fitted,
        'train',
        Array.from({ length: 40 }, (_, i) => i)
      )
      const hist = directHistogram(all, 40)
      expect(histograms!.after.counts).toEqual(hist.counts)
      expect(histograms!.after.edges[0]).toBe(hist.lo)
      expect(histograms!.after.edges[40]).toBe(hist.lo + 40 * hist.width)
      expect(histograms!.before.counts[2]![200]).toBe(
        Array.from(
          { length: 40 * 1024 },
          (_, k) => px[Math.floor(k / 1024) * 3072 + 2048 + (k % 1024)]
        ).filter((v) => v === 200).length
      )
      for (let f = 0; f < 3072; f += 101) {
        let s = 0
        for (let r = 0; r < 40; r++) s += px[r * 3072 + f]!
        close(meanImage[f]!, s / 40, 1e-12)
      }
      // The separate entry points agree with the combined one.
      expect(pixelHistograms(h, fitted, 40)).toEqual(histograms)
    }
  )

  it('zca: the whitened training sample serves the report and the histogram', () => {
    // A hand-made whitening (W = 2I) keeps the test fast; the path is the one zca takes.
    const base = fitPreprocessing(h, preprocessing('mean-image'), { val: VAL })
    const W = new Float64Array(new SharedArrayBuffer(3072 * 3072 * 8))
    for (let f = 0; f < 3072; f++) W[f * 3072 + f] = 2
    const fitted: FittedPreprocessing = { ...base, mode: 'zca', zcaMatrix: W }
    const { report, histograms } = measurePreprocessing(h, fitted, { bins: 30 })
    const idx = Array.from({ length: 40 }, (_, i) => i)
    const X = gathered(base, 'train', idx).map((v) => 2 * v)
    const want = direct(X)
    close(report.after.train.std, want.std, 1e-9)
    close(report.after.train.channelMean[1]!, want.channelMean[1]!, 1e-9)
    close(
      report.after.test.std,
      direct(
        gathered(
          fitted,
          'test',
          Array.from({ length: 12 }, (_, i) => i)
        )
      ).std,
      1e-9
    )
    expect(histograms!.after.counts).toEqual(directHistogram(X, 30).counts)
  })
})
