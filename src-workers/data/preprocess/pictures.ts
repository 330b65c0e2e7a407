/**
 * The pictures of the Preprocessing view, computed from the data (never drawn from the UI's
 * guesses): the mean image against the per-channel mean and their amplified difference; the
 * same training images under a fitted mode, rescaled for display; the lecture's two-dimensional
 * pictures (raw → zero-centred → normalized, decorrelated → whitened) on two real pixel
 * features; and pca's top eigenvectors as images. Images are 32×32 RGB interleaved bytes.
 */
import { gemm } from '../../linalg/gemm'
import { IMAGE_BYTES, PLANE, type DatasetHandle, type SplitRange } from '../types'
import { outputWidth, sampleIndices, splitRange, type FittedPreprocessing } from './fit'
import { gatherBatch } from './gather'

/** Training images shown under every mode (the first of the fit range). */
export const DISPLAY_IMAGES = 8
/** Eigenvectors drawn as images for pca. */
export const EIGENVECTOR_IMAGES = 16
/** Most points of the two-feature scatter. */
export const SCATTER_POINTS = 1000

/** Channel-major float values (3072) → interleaved RGB bytes by the map v ↦ (v − lo)·255/(hi − lo). */
function toRgb(
  v: ArrayLike<number>,
  at: number,
  lo: number,
  hi: number,
  out: Uint8Array,
  o: number
) {
  const k = hi > lo ? 255 / (hi - lo) : 0
  for (let p = 0; p < PLANE; p++)
    for (let c = 0; c < 3; c++) {
      const x = hi > lo ? (v[at + c * PLANE + p]! - lo) * k : 127.5
      out[o + p * 3 + c] = Math.max(0, Math.min(255, Math.round(x)))
    }
}

export interface CentringPicture {
  /** The mean of the fit records per feature (3072, channel-major, pixel units). */
  meanImage: Float64Array
  /** The mean of each colour channel (R, G, B): the mean image averaged over its plane. */
  channelMean: number[]
  /** meanImage − channelMean[channel], per feature. */
  difference: Float64Array
  /** max |difference| (pixel units) and where it is. */
  maxAbs: number
  at: { channel: number; row: number; col: number }
  /** RGB: the mean image, the flat channel-mean image, 128 + gain·difference. */
  meanRgb: Uint8Array
  channelRgb: Uint8Array
  differenceRgb: Uint8Array
  /** Display gain of the difference: 127 / maxAbs (the largest difference reaches 1 or 255). */
  gain: number
}

/**
 * The two "centre only" choices side by side: subtracting the mean image (3072 numbers) or the
 * per-channel mean (3 numbers) differ by meanImage − channelMean, shown amplified.
 */
export function centringPicture(meanImage: Float64Array): CentringPicture {
  const channelMean = [0, 1, 2].map((c) => {
    let s = 0
    for (let p = 0; p < PLANE; p++) s += meanImage[c * PLANE + p]!
    return s / PLANE
  })
  const difference = new Float64Array(IMAGE_BYTES)
  let maxAbs = 0
  let arg = 0
  for (let f = 0; f < IMAGE_BYTES; f++) {
    const d = meanImage[f]! - channelMean[(f / PLANE) | 0]!
    difference[f] = d
    if (Math.abs(d) > maxAbs) {
      maxAbs = Math.abs(d)
      arg = f
    }
  }
  const gain = maxAbs > 0 ? 127 / maxAbs : 1
  const flat = new Float64Array(IMAGE_BYTES)
  for (let f = 0; f < IMAGE_BYTES; f++) flat[f] = channelMean[(f / PLANE) | 0]!
  const meanRgb = new Uint8Array(IMAGE_BYTES)
  const channelRgb = new Uint8Array(IMAGE_BYTES)
  const differenceRgb = new Uint8Array(IMAGE_BYTES)
  toRgb(meanImage, 0, 0, 255, meanRgb, 0)
  toRgb(flat, 0, 0, 255, channelRgb, 0)
  // 128 + gain·d = (d − lo)·255/(hi − lo) with lo = −128/gain, hi = 127/gain.
  toRgb(difference, 0, -128 / gain, 127 / gain, differenceRgb, 0)
  const p = arg % PLANE
  return {
    meanImage,
    channelMean,
    difference,
    maxAbs,
    at: { channel: (arg / PLANE) | 0, row: (p / 32) | 0, col: p % 32 },
    meanRgb,
    channelRgb,
    differenceRgb,
    gain
  }
}

export interface DisplayImages {
  /** Indices in the training split. */
  indices: number[]
  labels: number[]
  /** count × 3072 RGB bytes, each image rescaled by its own [lo, hi] → [0, 255]. */
  rgb: Uint8Array
  ranges: { lo: number; hi: number }[]
  /** pca: the images are reconstructions Uₖ z from the K components (in the 0–1 scale, centred). */
  reconstructed: boolean
}

/**
 * The first `count` training records under `fitted`, each rescaled for display: the values of
 * one image span [lo, hi], drawn as 0…255. pca's K numbers are drawn as their reconstruction
 * Uₖ z in pixel space (what the K components keep of the image).
 */
export function displayImages(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  count = DISPLAY_IMAGES
): DisplayImages {
  const n = Math.min(count, fitted.fitRange.count)
  const indices = Array.from({ length: n }, (_, i) => i)
  const w = outputWidth(fitted)
  const z = new Float64Array(n * w)
  const y = new Int32Array(n)
  gatherBatch(handle, 'train', indices, fitted, z, y)
  let x = z
  if (fitted.pcaBasis) {
    x = new Float64Array(n * IMAGE_BYTES)
    // x̂ = z Uₖᵀ: (n × K)(K × 3072), Uₖ stored 3072 × K.
    gemm(n, IMAGE_BYTES, w, z, fitted.pcaBasis, x, { transB: true })
  }
  const rgb = new Uint8Array(n * IMAGE_BYTES)
  const ranges = indices.map((_, i) => {
    let lo = Infinity
    let hi = -Infinity
    for (let f = 0; f < IMAGE_BYTES; f++) {
      const v = x[i * IMAGE_BYTES + f]!
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    toRgb(x, i * IMAGE_BYTES, lo, hi, rgb, i * IMAGE_BYTES)
    return { lo, hi }
  })
  return { indices, labels: Array.from(y), rgb, ranges, reconstructed: fitted.pcaBasis !== null }
}

/** A 2×2 covariance [[xx, xy], [xy, yy]] as [xx, xy, yy]. */
export type Cov2 = [number, number, number]

export interface ScatterStage {
  x: Float64Array
  y: Float64Array
  /** The covariance of the points of this stage (divided by n). */
  cov: Cov2
}

export interface FeatureScatter {
  /** The two pixel features: channel, row, column and their index f = c·1024 + 32·row + col. */
  features: { index: number; channel: number; row: number; col: number }[]
  /** Records plotted (evenly spaced over the fit range). */
  count: number
  raw: ScatterStage
  centred: ScatterStage
  normalized: ScatterStage
  decorrelated: ScatterStage
  whitened: ScatterStage
  /** Eigenvalues (descending) of the centred covariance, and the unit eigenvectors (rows). */
  eigenvalues: [number, number]
  eigenvectors: [[number, number], [number, number]]
  /**
   * The same whitening (mean, eigenvectors, eigenvalues fitted on the plotted training records)
   * applied to up to `count` test records: their covariance is I only up to sampling error.
   */
  heldOut: { count: number; cov: Cov2 }
}

function cov2(x: Float64Array, y: Float64Array): Cov2 {
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
    const a = x[i]! - mx
    const b = y[i]! - my
    xx += a * a
    xy += a * b
    yy += b * b
  }
  return [xx / n, xy / n, yy / n]
}

/** Eigen-decomposition of a symmetric 2×2 matrix in closed form, λ₁ ≥ λ₂, unit vectors. */
export function eigen2(c: Cov2): {
  values: [number, number]
  vectors: [[number, number], [number, number]]
} {
  const [a, b, d] = c
  const mid = (a + d) / 2
  const r = Math.hypot((a - d) / 2, b)
  const l1 = mid + r
  const l2 = mid - r
  // (b, λ₁ − a) is an eigenvector of λ₁ unless b = 0 (then the axes are).
  let v: [number, number]
  if (Math.abs(b) > 1e-300) {
    const n = Math.hypot(b, l1 - a)
    v = [b / n, (l1 - a) / n]
  } else v = a >= d ? [1, 0] : [0, 1]
  return { values: [l1, l2], vectors: [v, [-v[1], v[0]]] }
}

function stage(x: Float64Array, y: Float64Array): ScatterStage {
  return { x, y, cov: cov2(x, y) }
}

/** Pixel values of features a, b over records `rows` of a range. */
function featurePair(
  pixels: Uint8Array,
  range: SplitRange,
  rows: number[],
  a: number,
  b: number
): [Float64Array, Float64Array] {
  const x = new Float64Array(rows.length)
  const y = new Float64Array(rows.length)
  rows.forEach((r, i) => {
    const o = (range.offset + r) * IMAGE_BYTES
    x[i] = pixels[o + a]!
    y[i] = pixels[o + b]!
  })
  return [x, y]
}

/**
 * The lecture's pictures on two real features (default: the red values of two horizontally
 * neighbouring pixels at the centre, strongly correlated): raw, zero-centred (x − μ),
 * normalized ((x − μ)/σ per feature), decorrelated (rotated onto the eigenvectors of the
 * centred covariance: uncorrelated, variances λ₁, λ₂) and whitened (divided by √λ: identity
 * covariance).
 */
export function featureScatter(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  features: [number, number] = [16 * 32 + 15, 16 * 32 + 16],
  maxPoints = SCATTER_POINTS
): FeatureScatter {
  const [a, b] = features
  for (const f of features)
    if (!(Number.isInteger(f) && f >= 0 && f < IMAGE_BYTES))
      throw new RangeError(`featureScatter: feature ${f} outside 0..${IMAGE_BYTES - 1}`)
  const pixels = new Uint8Array(handle.pixels)
  const range = fitted.fitRange
  const n = Math.min(range.count, maxPoints)
  const [rx, ry] = featurePair(pixels, range, sampleIndices(range.count, n), a, b)
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += rx[i]!
    my += ry[i]!
  }
  mx /= n
  my /= n
  const cx = rx.map((v) => v - mx)
  const cy = ry.map((v) => v - my)
  const centredCov = cov2(cx, cy)
  const sx = Math.sqrt(centredCov[0]) || 1
  const sy = Math.sqrt(centredCov[2]) || 1
  const { values, vectors } = eigen2(centredCov)
  const [u, v] = vectors
  const rot = (x: Float64Array, y: Float64Array): [Float64Array, Float64Array] => [
    x.map((_, i) => u[0] * x[i]! + u[1] * y[i]!),
    x.map((_, i) => v[0] * x[i]! + v[1] * y[i]!)
  ]
  const whiten = (x: Float64Array, y: Float64Array): [Float64Array, Float64Array] => [
    x.map((p) => p / Math.sqrt(Math.max(values[0], 1e-12))),
    y.map((p) => p / Math.sqrt(Math.max(values[1], 1e-12)))
  ]
  const [dx, dy] = rot(cx, cy)
  const [wx, wy] = whiten(dx, dy)
  const test = splitRange(handle, 'test', fitted.val)
  const m = Math.min(test.count, maxPoints)
  let heldOut: FeatureScatter['heldOut'] = { count: 0, cov: [NaN, NaN, NaN] }
  if (m > 1) {
    const [tx, ty] = featurePair(pixels, test, sampleIndices(test.count, m), a, b)
    const [hx, hy] = whiten(
      ...rot(
        tx.map((p) => p - mx),
        ty.map((p) => p - my)
      )
    )
    heldOut = { count: m, cov: cov2(hx, hy) }
  }
  const where = (f: number) => {
    const p = f % PLANE
    return { index: f, channel: (f / PLANE) | 0, row: (p / 32) | 0, col: p % 32 }
  }
  return {
    features: [where(a), where(b)],
    count: n,
    raw: stage(rx, ry),
    centred: stage(cx, cy),
    normalized: stage(
      cx.map((p) => p / sx),
      cy.map((p) => p / sy)
    ),
    decorrelated: stage(dx, dy),
    whitened: stage(wx, wy),
    eigenvalues: values,
    eigenvectors: vectors,
    heldOut
  }
}

export interface EigenvectorImages {
  /** count × 3072 RGB: 128 + 127·v/max|v| per eigenvector (its sign is arbitrary). */
  rgb: Uint8Array
  count: number
  /** max |v| of each eigenvector (the value drawn as 0 or 255). */
  scales: number[]
}

/** pca's top eigenvectors (at most 16, at most K) as images. */
export function eigenvectorImages(
  fitted: FittedPreprocessing,
  count = EIGENVECTOR_IMAGES
): EigenvectorImages | null {
  const U = fitted.pcaBasis
  if (!U) return null
  const K = outputWidth(fitted)
  const n = Math.min(count, K)
  const rgb = new Uint8Array(n * IMAGE_BYTES)
  const scales: number[] = []
  const v = new Float64Array(IMAGE_BYTES)
  for (let k = 0; k < n; k++) {
    let max = 0
    for (let f = 0; f < IMAGE_BYTES; f++) {
      v[f] = U[f * K + k]!
      max = Math.max(max, Math.abs(v[f]!))
    }
    scales.push(max)
    const s = max > 0 ? max : 1
    toRgb(v, 0, (-128 / 127) * s, s, rgb, k * IMAGE_BYTES)
  }
  return { rgb, count: n, scales }
}
