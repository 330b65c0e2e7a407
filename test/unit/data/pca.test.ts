/**
 * The `pca` preprocessing mode checked against mathematics: the basis is orthonormal, the
 * projected training data has the diagonal covariance diag(λ₁…λ_K), the spectrum sums to the
 * total variance, the fit uses the training split only, and everything agrees with numpy's
 * eigh on the same records.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DatasetError } from '../../../src-workers/data/errors'
import {
  fitPreprocessing,
  gatherBatch,
  measurePreprocessing,
  outputWidth,
  preprocessReport,
  splitRange
} from '../../../src-workers/data/preprocess'
import type { DatasetHandle } from '../../../src-workers/data/types'
import { datasetSplits } from '../../../src-workers/tasks/train'
import { memoryHandle, syntheticBatch } from '../../helpers/data-writers'
import { preprocessing } from '../../helpers/configs'

const D = 3072
const K = 12
const VAL = 10
const train = syntheticBatch(80, 11, true)
const test = syntheticBatch(30, 12, true)
const h: DatasetHandle = memoryHandle(train, test)
const fitted = fitPreprocessing(h, preprocessing('pca', { components: K }), { val: VAL })
const n = 80 - VAL
/** The fit JSON keeps 8 significant digits of each eigenvalue. */
const eig = fitted.fit.eigenvalues as number[]
const ROUNDED = 5e-8

function gatherAll(split: 'train' | 'test' | 'val'): Float64Array {
  const range = splitRange(h, split, VAL)
  const Z = new Float64Array(range.count * K)
  gatherBatch(
    h,
    split,
    Array.from({ length: range.count }, (_, i) => i),
    fitted,
    Z,
    null
  )
  return Z
}

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

describe('pca: projection onto the top K eigenvectors', () => {
  it('outputs K features and records what it fitted', () => {
    expect(outputWidth(fitted)).toBe(K)
    expect(fitted.fit).toMatchObject({ count: n, components: K, rescale: 1 / 255, samples: n })
    expect(eig).toHaveLength(D)
    for (let i = 1; i < D; i++) expect(eig[i]!).toBeLessThanOrEqual(eig[i - 1]!)
  })

  it('its eigenvectors are orthonormal (UₖᵀUₖ = I)', () => {
    const U = fitted.pcaBasis!
    for (let a = 0; a < K; a++)
      for (let b = a; b < K; b++) {
        let dot = 0
        for (let f = 0; f < D; f++) dot += U[f * K + a]! * U[f * K + b]!
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 10)
      }
  })

  it('projected training data: mean 0, covariance diag(λ₁ … λ_K)', () => {
    const Z = gatherAll('train')
    for (let a = 0; a < K; a++) {
      let m = 0
      for (let i = 0; i < n; i++) m += Z[i * K + a]!
      expect(Math.abs(m / n)).toBeLessThan(1e-10)
      for (let b = a; b < K; b++) {
        let c = 0
        for (let i = 0; i < n; i++) c += Z[i * K + a]! * Z[i * K + b]!
        c /= n
        if (a === b) expect(Math.abs(c - eig[a]!)).toBeLessThan(ROUNDED * eig[a]! + 1e-12 * eig[0]!)
        else expect(Math.abs(c)).toBeLessThan(1e-10 * eig[0]!)
      }
    }
  })

  it('the spectrum sums to the total variance (the trace); explained variance ∈ (0, 1]', () => {
    // The trace straight from the pixels: Σ_f var(x_f / 255) over the fit records.
    let trace = 0
    const px = new Uint8Array(h.pixels)
    for (let f = 0; f < D; f++) {
      let s = 0
      let s2 = 0
      for (let i = 0; i < n; i++) {
        const v = px[i * D + f]! / 255
        s += v
        s2 += v * v
      }
      trace += s2 / n - (s / n) ** 2
    }
    const sum = eig.reduce((a, b) => a + b, 0)
    expect(Math.abs(sum - trace)).toBeLessThan(ROUNDED * trace)
    expect(Math.abs((fitted.fit.totalVariance as number) - trace)).toBeLessThan(1e-9 * trace)
    const kept = eig.slice(0, K).reduce((a, b) => a + b, 0)
    expect(fitted.fit.explainedVariance as number).toBeCloseTo(kept / trace, 6)
    // At most n − 1 = 69 eigenvalues are non-zero: 70 centred records span 69 dimensions.
    expect(Math.abs(eig[n]!)).toBeLessThan(1e-10 * eig[0]!)
    expect(eig[n - 2]!).toBeGreaterThan(1e-6 * eig[0]!)
  })

  it('is fitted on the training split only (test and validation images do not change it)', () => {
    const t2 = syntheticBatch(30, 99, true)
    const tr2 = { labels: train.labels, pixels: train.pixels.slice() }
    // Change the validation records (the last VAL of the training split) too.
    tr2.pixels.fill(7, n * D)
    const other = fitPreprocessing(memoryHandle(tr2, t2), preprocessing('pca', { components: K }), {
      val: VAL
    })
    expect(Array.from(other.pcaBasis!)).toEqual(Array.from(fitted.pcaBasis!))
    expect(other.fit.eigenvalues).toEqual(fitted.fit.eigenvalues)
  })

  it('float32 gather agrees with float64', () => {
    const idx = [0, 5, 9]
    const z64 = new Float64Array(3 * K)
    const z32 = new Float32Array(3 * K)
    gatherBatch(h, 'test', idx, fitted, z64, null)
    gatherBatch(h, 'test', idx, fitted, z32, null)
    for (let i = 0; i < z64.length; i++)
      expect(Math.abs(z32[i]! - z64[i]!)).toBeLessThan(1e-4 * Math.sqrt(eig[0]!))
  })

  it('reports K-wide statistics (no colour channels) and a one-row histogram', () => {
    const Z = gatherAll('test')
    let s = 0
    let s2 = 0
    for (const v of Z) {
      s += v
      s2 += v * v
    }
    const mean = s / Z.length
    const r = preprocessReport(h, preprocessing('pca', { components: K }), {}, fitted)
    expect(r.after.test.count).toBe(30)
    expect(r.after.test.mean).toBeCloseTo(mean, 10)
    expect(r.after.test.std).toBeCloseTo(Math.sqrt(s2 / Z.length - mean * mean), 10)
    expect(r.after.test.channelMean).toEqual([])
    const m = measurePreprocessing(h, fitted)
    expect(m.histograms!.after.counts).toHaveLength(1)
    expect(m.histograms!.after.counts[0]!.reduce((a, b) => a + b, 0)).toBe(n * K)
  })

  it("training sees K inputs: the train task's splits are K wide and gather K values a row", () => {
    const splits = datasetSplits(h, fitted)
    expect(splits.dim).toBe(K)
    const X = new Float32Array(2 * K + 1).fill(-1)
    const y = new Int32Array(2)
    splits.gather('val', [0, 3], X, y)
    const Z = gatherAll('val')
    for (let k = 0; k < K; k++) expect(X[K + k]).toBeCloseTo(Z[3 * K + k]!, 4)
    // Nothing past the K-wide rows is written.
    expect(X[2 * K]).toBe(-1)
  })

  it('refuses a K outside 1…3072 naming the field', () => {
    for (const bad of [0, 3073, 2.5])
      try {
        fitPreprocessing(h, preprocessing('pca', { components: bad }))
        expect.unreachable()
      } catch (err) {
        expect(err).toBeInstanceOf(DatasetError)
        expect((err as DatasetError).field).toBe('components')
      }
  })

  it.skipIf(!hasNumpy())(
    'agrees with numpy.linalg.eigh on the same records',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'layerscope-pca-'))
      try {
        writeFileSync(join(dir, 'train.u8'), train.pixels.subarray(0, n * D))
        writeFileSync(join(dir, 'test.u8'), test.pixels)
        const script = `
import numpy as np, json, sys
d = sys.argv[1]
X = np.fromfile(d + '/train.u8', dtype=np.uint8).reshape(-1, ${D}).astype(np.float64) / 255
T = np.fromfile(d + '/test.u8', dtype=np.uint8).reshape(-1, ${D}).astype(np.float64) / 255
mu = X.mean(axis=0)
Xc = X - mu
n = X.shape[0]
# C = Xcᵀ Xc / n shares its non-zero eigenvalues with the n × n Gram matrix G = Xc Xcᵀ / n,
# and G u = λ u gives C's unit eigenvector v = Xcᵀ u / √(n λ): a small eigh instead of 3072².
w, U = np.linalg.eigh(Xc @ Xc.T / n)
w = w[::-1][:${K}]; U = U[:, ::-1][:, :${K}]
V = Xc.T @ U / np.sqrt(n * w)
Z = (T - mu) @ V
print(json.dumps({'w': w.tolist(), 'trace': float((Xc * Xc).sum() / n), 'Z': Z.tolist(),
  'V': V.T.tolist()}))
`
        const out = JSON.parse(
          execFileSync('python3', ['-c', script, dir], { maxBuffer: 64 << 20 }).toString()
        ) as { w: number[]; trace: number; Z: number[][]; V: number[][] }
        for (let k = 0; k < K; k++)
          expect(Math.abs(eig[k]! - out.w[k]!)).toBeLessThan(ROUNDED * out.w[k]!)
        expect(Math.abs((fitted.fit.totalVariance as number) - out.trace)).toBeLessThan(
          1e-9 * out.trace
        )
        const Z = gatherAll('test')
        const U = fitted.pcaBasis!
        for (let k = 0; k < K; k++) {
          // Eigenvectors are defined up to sign: align on the numpy vector.
          let dot = 0
          for (let f = 0; f < D; f++) dot += U[f * K + k]! * out.V[k]![f]!
          const gapped =
            (k === 0 || eig[k - 1]! - eig[k]! > 1e-3 * eig[0]!) &&
            eig[k]! - eig[k + 1]! > 1e-3 * eig[0]!
          if (!gapped) continue
          expect(Math.abs(dot)).toBeCloseTo(1, 8)
          const sign = Math.sign(dot)
          for (let i = 0; i < 30; i++) expect(Z[i * K + k]!).toBeCloseTo(sign * out.Z[i]![k]!, 8)
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
    120_000
  )
})
