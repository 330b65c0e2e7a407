/** Statistics and preprocessing checked against direct float64 computations written here. */
import { describe, expect, it } from 'vitest'
import { symmetricEigen } from '../../../src-workers/linalg/eigen'
import { DatasetError } from '../../../src-workers/data/errors'
import {
  PREPROCESS_MODES,
  fitPreprocessing,
  gatherBatch,
  pixelHistograms,
  preprocessReport,
  splitRange
} from '../../../src-workers/data/preprocess'
import { pixelStats } from '../../../src-workers/data/stats'
import type { DatasetHandle } from '../../../src-workers/data/types'
import { accumulateCovariance, zcaFromCovariance } from '../../../src-workers/linalg/zca'
import { memoryHandle, syntheticBatch } from '../../helpers/data-writers'
import { preprocessing } from '../../helpers/configs'
import {
  PCA_DEFAULT_COMPONENTS,
  ZCA_DEFAULT_EPSILON,
  resolvePreprocessing
} from '../../../src-shared/experiments'

function handleOf(trainN: number, testN: number): DatasetHandle {
  return memoryHandle(syntheticBatch(trainN, 3), syntheticBatch(testN, 4))
}

const h = handleOf(60, 20)
const px = new Uint8Array(h.pixels)
const lb = new Uint8Array(h.labels)
const VAL = 15

/** Direct float64 reference statistics of rows [r0, r1). */
function ref(r0: number, r1: number) {
  const n = r1 - r0
  const mean = new Float64Array(3072)
  const sq = new Float64Array(3072)
  for (let r = r0; r < r1; r++)
    for (let f = 0; f < 3072; f++) {
      mean[f]! += px[r * 3072 + f]! / n
      sq[f]! += px[r * 3072 + f]! ** 2 / n
    }
  const std = mean.map((m, f) => Math.sqrt(sq[f]! - m * m))
  const cm = [0, 1, 2].map(
    (c) => mean.subarray(c * 1024, c * 1024 + 1024).reduce((a, b) => a + b) / 1024
  )
  const cs = [0, 1, 2].map((c) =>
    Math.sqrt(sq.subarray(c * 1024, c * 1024 + 1024).reduce((a, b) => a + b) / 1024 - cm[c]! ** 2)
  )
  return { mean, std, cm, cs }
}

/** Reference transform of one value, per mode, from reference statistics. */
function transform(mode: string, f: number, x: number, R: ReturnType<typeof ref>): number {
  const c = Math.floor(f / 1024)
  switch (mode) {
    case 'none':
      return x
    case 'mean-image':
      return x - R.mean[f]!
    case 'channel-mean':
      return x - R.cm[c]!
    case 'standardize':
      return (x - R.mean[f]!) / R.std[f]!
    case 'channel-standardize':
      return (x - R.cm[c]!) / R.cs[c]!
  }
  throw new Error(mode)
}

const close = (a: number, b: number, tol = 1e-9) =>
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)))

describe('statistics', () => {
  it('channel mean/std, mean image, label counts and histograms match a direct computation', () => {
    const s = pixelStats(h)
    const R = ref(0, 60)
    for (let c = 0; c < 3; c++) {
      close(s.channelMean[c]!, R.cm[c]!)
      close(s.channelStd[c]!, R.cs[c]!)
    }
    for (let f = 0; f < 3072; f += 7) close(s.meanImage[f]!, R.mean[f]!)
    expect(s.meanImageRgb[3 * 5 + 1]).toBe(Math.round(R.mean[1024 + 5]!))
    const counts = new Array(10).fill(0)
    for (let i = 0; i < 60; i++) counts[lb[i]!]++
    expect(s.labelCounts).toEqual(counts)
    let blue200 = 0
    for (let r = 0; r < 60; r++)
      for (let p = 0; p < 1024; p++) blue200 += px[r * 3072 + 2048 + p] === 200 ? 1 : 0
    expect(s.histogram[2 * 256 + 200]).toBe(blue200)
  })
})

describe('resolvePreprocessing: the one place ε and K get their defaults', () => {
  it('fills zca ε and pca K from the contract, keeps given values, ignores them elsewhere', () => {
    expect(resolvePreprocessing('zca')).toEqual({ mode: 'zca', epsilon: ZCA_DEFAULT_EPSILON })
    expect(resolvePreprocessing('zca', { epsilon: 0.01, components: 5 })).toEqual({
      mode: 'zca',
      epsilon: 0.01
    })
    expect(resolvePreprocessing('pca')).toEqual({ mode: 'pca', components: PCA_DEFAULT_COMPONENTS })
    expect(resolvePreprocessing('pca', { epsilon: 3, components: 5 })).toEqual({
      mode: 'pca',
      components: 5
    })
    for (const mode of PREPROCESS_MODES.filter((m) => m !== 'zca' && m !== 'pca'))
      expect(resolvePreprocessing(mode, { epsilon: 3, components: 5 })).toEqual({ mode })
    expect([ZCA_DEFAULT_EPSILON, PCA_DEFAULT_COMPONENTS]).toEqual([0.1, 100])
  })
})

describe('preprocessing', () => {
  it('carves val from the end of the training split and rejects a bad --val', () => {
    expect(splitRange(h, 'train', VAL)).toEqual({ offset: 0, count: 45 })
    expect(splitRange(h, 'val', VAL)).toEqual({ offset: 45, count: 15 })
    expect(splitRange(h, 'test', VAL)).toEqual({ offset: 60, count: 20 })
    for (const bad of [60, -1, 1.5]) {
      try {
        fitPreprocessing(h, preprocessing('none'), { val: bad })
        throw new Error('accepted')
      } catch (e) {
        expect((e as DatasetError).code).toBe('bad-option')
        expect((e as DatasetError).field).toBe('val')
      }
    }
  })

  // zca and pca go through a matrix: checked below and in pca.test.ts.
  it.each(PREPROCESS_MODES.filter((m) => m !== 'zca' && m !== 'pca'))(
    '%s: fitted on train minus val only, applied unchanged to val and test',
    (mode) => {
      const fitted = fitPreprocessing(h, preprocessing(mode), { val: VAL })
      const R = ref(0, 45) // val rows 45..59 must not influence the fit
      const rep = preprocessReport(h, preprocessing(mode), { val: VAL }, fitted)
      // fit JSON
      if (mode === 'mean-image')
        (fitted.fit.meanImage as number[]).forEach((m, f) => close(m, R.mean[f]!, 1e-7))
      if (mode === 'standardize') {
        ;(fitted.fit.std as number[]).forEach((s, f) => close(s, R.std[f]!, 1e-7))
        ;(fitted.fit.mean as number[]).forEach((m, f) => close(m, R.mean[f]!, 1e-7))
      }
      if (mode.startsWith('channel')) {
        ;(fitted.fit.channelMean as number[]).forEach((m, c) => close(m, R.cm[c]!))
        ;(fitted.fit.channelStd as number[]).forEach((s, c) => close(s, R.cs[c]!))
      }
      // gathered batches and `after` statistics, per split
      const splits = [
        ['train', 0, 45],
        ['val', 45, 60],
        ['test', 60, 80]
      ] as const
      for (const [split, r0, r1] of splits) {
        const idx = Array.from({ length: r1 - r0 }, (_, i) => i)
        const X = new Float64Array(idx.length * 3072)
        const Y = new Int32Array(idx.length)
        gatherBatch(h, split, idx, fitted, X, Y)
        const s1 = [0, 0, 0]
        const s2 = [0, 0, 0]
        for (let i = 0; i < idx.length; i++) {
          expect(Y[i]).toBe(lb[r0 + i])
          for (let f = 0; f < 3072; f++) {
            const want = transform(mode, f, px[(r0 + i) * 3072 + f]!, R)
            if (f % 97 === 0) close(X[i * 3072 + f]!, want, 1e-9)
            const c = Math.floor(f / 1024)
            s1[c]! += want
            s2[c]! += want * want
          }
        }
        const per = idx.length * 1024
        const after = rep.after[split]!
        expect(after.count).toBe(idx.length)
        for (let c = 0; c < 3; c++) {
          const m = s1[c]! / per
          close(after.channelMean[c]!, m, 1e-8)
          close(after.channelStd[c]!, Math.sqrt(s2[c]! / per - m * m), 1e-8)
        }
        const m = (s1[0]! + s1[1]! + s1[2]!) / (3 * per)
        close(after.mean, m, 1e-8)
        close(after.std, Math.sqrt((s2[0]! + s2[1]! + s2[2]!) / (3 * per) - m * m), 1e-8)
      }
      if (mode === 'standardize' || mode === 'channel-standardize')
        close(rep.after.train.std, 1, 1e-9)
      if (mode !== 'none') expect(Math.abs(rep.after.train.mean)).toBeLessThan(1e-9)
    }
  )

  it('gatherBatch into Float32Array equals the Float64 result to float32 precision, any order', () => {
    const fitted = fitPreprocessing(h, preprocessing('standardize'), { val: VAL })
    const idx = [3, 0, 14]
    const X32 = new Float32Array(3 * 3072)
    const X64 = new Float64Array(3 * 3072)
    const Y = new Uint8Array(3)
    gatherBatch(h, 'val', idx, fitted, X32, Y)
    gatherBatch(h, 'val', idx, fitted, X64, null)
    expect(Array.from(Y)).toEqual([lb[48], lb[45], lb[59]])
    for (let k = 0; k < X32.length; k++) close(X32[k]!, X64[k]!, 1e-6)
    expect(() => gatherBatch(h, 'val', [15], fitted, X64, null)).toThrow(RangeError)
  })

  it('histograms before (raw bytes) and after cover every fitted pixel', () => {
    const fitted = fitPreprocessing(h, preprocessing('channel-mean'), { val: VAL })
    const { before, after } = pixelHistograms(h, fitted, 64)
    expect(before.edges).toHaveLength(257)
    expect(after.edges).toHaveLength(65)
    for (const hist of [before, after])
      for (const counts of hist.counts) expect(counts.reduce((a, b) => a + b)).toBe(45 * 1024)
    expect(after.edges[0]!).toBeLessThan(0)
  })
})

describe('eigendecomposition and ZCA', () => {
  function rng(seed: number) {
    let s = seed
    return () => {
      s = (s * 1103515245 + 12345) % 2147483648
      return s / 2147483648 - 0.5
    }
  }

  it('symmetricEigen reconstructs A, with orthonormal vectors and sorted values', () => {
    const n = 40
    const r = rng(7)
    const A = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = r()
    const { values, vectors } = symmetricEigen(A, n)
    for (let i = 1; i < n; i++) expect(values[i]!).toBeLessThanOrEqual(values[i - 1]!)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let a = 0
        let o = 0
        for (let k = 0; k < n; k++) {
          a += vectors[k * n + i]! * values[k]! * vectors[k * n + j]!
          o += vectors[i * n + k]! * vectors[j * n + k]!
        }
        expect(Math.abs(a - A[i * n + j]!)).toBeLessThan(1e-12)
        expect(Math.abs(o - (i === j ? 1 : 0))).toBeLessThan(1e-12)
      }
    // A known spectrum: diag(3, 1, 2) rotated stays {3, 2, 1}.
    const D = Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5])
    expect(Array.from(symmetricEigen(D, 3).values).map((x) => +x.toFixed(12))).toEqual([5, 3, 1])
  })

  it('ZCA whitens correlated synthetic data: output covariance ≈ identity', () => {
    const d = 12
    const m = 4000
    const r = rng(3)
    const mix = Array.from({ length: d * d }, () => r())
    const X = new Float64Array(m * d)
    for (let i = 0; i < m; i++) {
      const z = Array.from({ length: d }, () => r() * 3.4)
      for (let j = 0; j < d; j++) {
        let v = 0
        for (let k = 0; k < d; k++) v += z[k]! * mix[k * d + j]! * (k + 1)
        X[i * d + j] = v
      }
    }
    const mean = new Float64Array(d)
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) mean[j]! += X[i * d + j]! / m
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) X[i * d + j]! -= mean[j]!
    const cov = new Float64Array(d * d)
    accumulateCovariance(X, m, d, cov)
    for (let k = 0; k < cov.length; k++) cov[k]! /= m
    const zca = zcaFromCovariance(cov, d, 1e-9)
    expect(zca.eigenvalues[0]! / zca.eigenvalues[d - 1]!).toBeGreaterThan(10) // really correlated
    const Y = new Float64Array(m * d)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < d; j++) {
        let v = 0
        for (let k = 0; k < d; k++) v += X[i * d + k]! * zca.matrix[k * d + j]!
        Y[i * d + j] = v
      }
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let c = 0
        for (let i = 0; i < m; i++) c += (Y[i * d + a]! * Y[i * d + b]!) / m
        expect(Math.abs(c - (a === b ? 1 : 0))).toBeLessThan(1e-6)
      }
    // W is symmetric: ZCA (not PCA) whitening stays close to the input.
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) expect(zca.matrix[a * d + b]).toBe(zca.matrix[b * d + a])
  })
})
