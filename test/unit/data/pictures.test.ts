/**
 * The Preprocessing view's pictures against direct computations written here: the amplified
 * difference of mean image and channel mean, the images under a mode, the two-feature scatter
 * (decorrelation and whitening, exact on the fitted images and within sampling tolerance on
 * held-out ones).
 */
import { describe, expect, it } from 'vitest'
import { fitPreprocessing, gatherBatch } from '../../../src-workers/data/preprocess'
import {
  centringPicture,
  displayImages,
  eigen2,
  eigenvectorImages,
  featureScatter
} from '../../../src-workers/data/preprocess/pictures'
import type { DatasetHandle } from '../../../src-workers/data/types'
import { memoryHandle, syntheticBatch, type Batch } from '../../helpers/data-writers'
import { preprocessing } from '../../helpers/configs'

const D = 3072
const h = memoryHandle(syntheticBatch(50, 21, true), syntheticBatch(20, 22, true))
const px = new Uint8Array(h.pixels)

/** Direct float64 mean image of the first n training records. */
function meanImageOf(n: number): Float64Array {
  const m = new Float64Array(D)
  for (let i = 0; i < n; i++) for (let f = 0; f < D; f++) m[f] = m[f]! + px[i * D + f]!
  return m.map((s) => s / n)
}

describe('mean image vs per-channel mean', () => {
  const mean = meanImageOf(50)
  const c = centringPicture(mean)

  it('the largest |difference| is the direct max |meanImage − channelMean|, where it says', () => {
    // The per-channel mean straight from the pixels: all values of the channel over all images.
    const ch = [0, 1, 2].map((k) => {
      let s = 0
      for (let i = 0; i < 50; i++) for (let p = 0; p < 1024; p++) s += px[i * D + k * 1024 + p]!
      return s / (50 * 1024)
    })
    let max = 0
    let at = -1
    for (let f = 0; f < D; f++) {
      const d = Math.abs(mean[f]! - ch[(f / 1024) | 0]!)
      if (d > max) {
        max = d
        at = f
      }
    }
    for (let k = 0; k < 3; k++) expect(c.channelMean[k]).toBeCloseTo(ch[k]!, 9)
    expect(c.maxAbs).toBeCloseTo(max, 9)
    expect(c.at.channel * 1024 + c.at.row * 32 + c.at.col).toBe(at)
    expect(c.gain).toBeCloseTo(127 / max, 12)
    // Drawn: the largest difference reaches 1 or 255 (128 ± 127), a zero difference 128.
    const p = at % 1024
    const drawn = c.differenceRgb[p * 3 + c.at.channel]!
    expect(drawn === 1 || drawn === 255).toBe(true)
    for (let f = 0; f < D; f++) {
      const v = c.differenceRgb[(f % 1024) * 3 + ((f / 1024) | 0)]!
      expect(Math.abs(v - (128 + c.gain * (mean[f]! - ch[(f / 1024) | 0]!)))).toBeLessThanOrEqual(
        0.5 + 1e-9
      )
    }
  })

  it('the channel-mean image is flat, the mean image is the rounded mean', () => {
    for (let p = 0; p < 1024; p++)
      for (let k = 0; k < 3; k++) {
        expect(c.channelRgb[p * 3 + k]).toBe(Math.round(c.channelMean[k]!))
        expect(c.meanRgb[p * 3 + k]).toBe(Math.round(mean[k * 1024 + p]!))
      }
  })
})

describe('the same images under a mode', () => {
  it('each image is its gathered values stretched from [lo, hi] to 0…255', () => {
    const fitted = fitPreprocessing(h, preprocessing('standardize'), { val: 5 })
    const d = displayImages(h, fitted)
    expect(d.indices).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    const x = new Float64Array(8 * D)
    gatherBatch(h, 'train', d.indices, fitted, x, null)
    for (let i = 0; i < 8; i++) {
      const v = x.subarray(i * D, (i + 1) * D)
      const lo = Math.min(...v)
      const hi = Math.max(...v)
      expect(d.ranges[i]).toEqual({ lo, hi })
      for (const f of [0, 517, 1500, 3071]) {
        const want = Math.round(((v[f]! - lo) / (hi - lo)) * 255)
        expect(d.rgb[i * D + (f % 1024) * 3 + ((f / 1024) | 0)]).toBe(want)
      }
    }
    expect(d.labels).toEqual(Array.from(new Uint8Array(h.labels).subarray(0, 8)))
    expect(d.reconstructed).toBe(false)
  })
})

/** Records whose features a, b are a correlated Gaussian pair (mean 128, std ≈ 30 / 12). */
function gaussianPairs(n: number, seed: number, a: number, b: number): Batch {
  const batch = syntheticBatch(n, seed)
  let s = seed
  const u = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31
    return (s + 0.5) / 2 ** 31
  }
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())
  for (let i = 0; i < n; i++) {
    const z1 = normal()
    const z2 = normal()
    batch.pixels[i * D + a] = Math.max(0, Math.min(255, Math.round(128 + 30 * z1)))
    batch.pixels[i * D + b] = Math.max(0, Math.min(255, Math.round(128 + 27 * z1 + 12 * z2)))
  }
  return batch
}

function cov(x: ArrayLike<number>, y: ArrayLike<number>): [number, number, number] {
  const n = x.length
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += x[i]!
    my += y[i]!
  }
  mx /= n
  my /= n
  let xx = 0
  let xy = 0
  let yy = 0
  for (let i = 0; i < n; i++) {
    xx += (x[i]! - mx) ** 2
    xy += (x[i]! - mx) * (y[i]! - my)
    yy += (y[i]! - my) ** 2
  }
  return [xx / n, xy / n, yy / n]
}

describe('two features: centred, normalized, decorrelated, whitened', () => {
  const A = 16 * 32 + 15
  const B = 16 * 32 + 16
  const N = 1000
  const hh: DatasetHandle = memoryHandle(gaussianPairs(N, 5, A, B), gaussianPairs(N, 6, A, B))
  const fitted = fitPreprocessing(hh, preprocessing('none'))
  const sc = featureScatter(hh, fitted, [A, B], N)
  const hp = new Uint8Array(hh.pixels)

  it('raw points are the pixels; centred has mean 0; normalized has unit variances', () => {
    expect(sc.count).toBe(N)
    for (const i of [0, 17, 999]) {
      expect(sc.raw.x[i]).toBe(hp[i * D + A])
      expect(sc.raw.y[i]).toBe(hp[i * D + B])
    }
    const direct = cov(sc.raw.x, sc.raw.y)
    expect(sc.raw.cov).toEqual(direct.map((v) => expect.closeTo(v, 9)))
    expect(Math.abs(sc.centred.x.reduce((a, b) => a + b, 0) / N)).toBeLessThan(1e-10)
    expect(sc.normalized.cov[0]).toBeCloseTo(1, 12)
    expect(sc.normalized.cov[2]).toBeCloseTo(1, 12)
    // Normalizing keeps the correlation.
    const rho = (c: number[]) => c[1]! / Math.sqrt(c[0]! * c[2]!)
    expect(rho(sc.normalized.cov)).toBeCloseTo(rho(direct), 12)
    expect(rho(direct)).toBeGreaterThan(0.8)
  })

  it('decorrelated: covariance diag(λ₁, λ₂) with the eigenvalues of the centred covariance', () => {
    const [a, b, d] = sc.centred.cov
    // Closed form: λ = (a + d)/2 ± √(((a − d)/2)² + b²).
    const r = Math.sqrt(((a - d) / 2) ** 2 + b * b)
    expect(sc.eigenvalues[0]).toBeCloseTo((a + d) / 2 + r, 9)
    expect(sc.eigenvalues[1]).toBeCloseTo((a + d) / 2 - r, 9)
    expect(sc.decorrelated.cov[0]).toBeCloseTo(sc.eigenvalues[0], 9)
    expect(Math.abs(sc.decorrelated.cov[1])).toBeLessThan(1e-9 * sc.eigenvalues[0])
    expect(sc.decorrelated.cov[2]).toBeCloseTo(sc.eigenvalues[1], 9)
  })

  it('whitened: identity covariance on the fitted images', () => {
    expect(sc.whitened.cov[0]).toBeCloseTo(1, 12)
    expect(Math.abs(sc.whitened.cov[1])).toBeLessThan(1e-12)
    expect(sc.whitened.cov[2]).toBeCloseTo(1, 12)
  })

  it('whitened held-out images: identity within the sampling tolerance', () => {
    // For whitened Gaussian data var(w²) = 2 and var(w₁w₂) = 1: a sample covariance of m
    // points deviates by ≈ √2/√m (diagonal) and 1/√m (off-diagonal), and the transform fitted
    // on n points adds as much again. 4 standard errors of each.
    const n = N
    const m = sc.heldOut.count
    expect(m).toBe(N)
    const se = 1 / Math.sqrt(m) + 1 / Math.sqrt(n)
    expect(Math.abs(sc.heldOut.cov[0] - 1)).toBeLessThan(4 * Math.SQRT2 * se)
    expect(Math.abs(sc.heldOut.cov[2] - 1)).toBeLessThan(4 * Math.SQRT2 * se)
    expect(Math.abs(sc.heldOut.cov[1])).toBeLessThan(4 * se)
    // …and it is not the training covariance by construction: a different sample differs.
    expect(sc.heldOut.cov).not.toEqual(sc.whitened.cov)
  })

  it('eigen2 satisfies C v = λ v with orthonormal v, also for diagonal and equal cases', () => {
    for (const c of [
      [4, 1.5, 2],
      [3, 0, 5],
      [2, 0, 2],
      [1, -0.9, 1]
    ] as [number, number, number][]) {
      const { values, vectors } = eigen2(c)
      vectors.forEach((v, i) => {
        expect(Math.hypot(v[0], v[1])).toBeCloseTo(1, 12)
        expect(c[0] * v[0] + c[1] * v[1]).toBeCloseTo(values[i]! * v[0], 12)
        expect(c[1] * v[0] + c[2] * v[1]).toBeCloseTo(values[i]! * v[1], 12)
      })
      expect(vectors[0][0] * vectors[1][0] + vectors[0][1] * vectors[1][1]).toBeCloseTo(0, 12)
      expect(values[0]).toBeGreaterThanOrEqual(values[1])
    }
  })
})

describe('pca eigenvectors as images', () => {
  it('128 + 127·v/max|v| of the basis columns, none for the other modes', () => {
    const fitted = fitPreprocessing(h, preprocessing('pca', { components: 3 }))
    const ev = eigenvectorImages(fitted)!
    expect(ev.count).toBe(3)
    const U = fitted.pcaBasis!
    for (let k = 0; k < 3; k++) {
      let max = 0
      for (let f = 0; f < D; f++) max = Math.max(max, Math.abs(U[f * 3 + k]!))
      expect(ev.scales[k]).toBe(max)
      for (const f of [0, 1000, 2047, 3071]) {
        const want = Math.round(128 + (127 * U[f * 3 + k]!) / max)
        expect(ev.rgb[k * D + (f % 1024) * 3 + ((f / 1024) | 0)]).toBe(want)
      }
    }
    // Images under pca are reconstructions in pixel space.
    const d = displayImages(h, fitted)
    expect(d.reconstructed).toBe(true)
    expect(d.rgb.length).toBe(8 * D)
    expect(eigenvectorImages(fitPreprocessing(h, preprocessing('channel-mean')))).toBeNull()
  }, 120_000)
})
