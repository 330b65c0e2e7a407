/** The affine layer out = x·W + b, forward and backward. */
import { gemm } from '../linalg/gemm'
import { allocLike, type FloatArray, type Mat } from './tensor'

export interface AffineCache<T extends FloatArray = FloatArray> {
  x: Mat<T>
  /** W as fanIn × fanOut. */
  W: Mat<T>
  hasBias: boolean
}

export interface AffineGrads<T extends FloatArray = FloatArray> {
  dx: Mat<T>
  /** fanIn × fanOut, laid out like W. */
  dW: T
  /** fanOut, or null when the layer has no bias. */
  db: T | null
}

/**
 * Affine forward: out[N×M] = x[N×D] · W[D×M] + b[M] (b broadcast over rows; `b` null = no bias).
 * The cache keeps references to x and W (not copies): callers must not change them before backward.
 */
export function affineForward<T extends FloatArray>(
  x: Mat<T>,
  W: Mat<T>,
  b: T | null
): { out: Mat<T>; cache: AffineCache<T> } {
  return affineForwardInto(x, W, b, allocLike(x.data, x.rows * W.cols))
}

/**
 * affineForward writing into `out` (≥ N·M entries, overwritten; its first N·M are the result),
 * for callers that reuse buffers across iterations (workspace.ts). Same arithmetic.
 */
export function affineForwardInto<T extends FloatArray>(
  x: Mat<T>,
  W: Mat<T>,
  b: T | null,
  out: T
): { out: Mat<T>; cache: AffineCache<T> } {
  if (x.cols !== W.rows) {
    throw new RangeError(`affineForward: x is ${x.rows}×${x.cols} but W is ${W.rows}×${W.cols}`)
  }
  const N = x.rows
  const M = W.cols
  const o = out.length === N * M ? out : (out.subarray(0, N * M) as T)
  if (b) {
    if (b.length !== M)
      throw new RangeError(`affineForward: b has ${b.length} entries, W has ${M} columns`)
    for (let i = 0; i < N; i++) o.set(b, i * M)
  }
  gemm(N, M, x.cols, x.data, W.data, o, { accumulate: b !== null })
  return { out: { data: o, rows: N, cols: M }, cache: { x, W, hasBias: b !== null } }
}

/**
 * Affine backward, from dout = ∂L/∂out [N×M]:
 * dx = dout · Wᵀ [N×D], dW = xᵀ · dout [D×M], db = Σ_rows dout [M].
 */
export function affineBackward<T extends FloatArray>(
  dout: Mat<T>,
  cache: AffineCache<T>
): AffineGrads<T> {
  const { x, W } = cache
  const r = affineBackwardInto(dout, cache, {
    dx: allocLike(x.data, x.rows * x.cols),
    dW: allocLike(x.data, W.rows * W.cols),
    db: cache.hasBias ? allocLike(x.data, W.cols) : null
  })
  return { dx: r.dx!, dW: r.dW, db: r.db }
}

/**
 * affineBackward writing into given buffers (contents overwritten): dx (≥ N·D entries, or null
 * to skip dx, e.g. for the data below the first layer), dW (D·M), db (M, or null without bias).
 * Same arithmetic as affineBackward.
 */
export function affineBackwardInto<T extends FloatArray>(
  dout: Mat<T>,
  cache: AffineCache<T>,
  into: { dx: T | null; dW: T; db: T | null }
): { dx: Mat<T> | null; dW: T; db: T | null } {
  const { x, W } = cache
  const N = x.rows
  const D = x.cols
  const M = W.cols
  let dx: Mat<T> | null = null
  if (into.dx) {
    const d = into.dx.length === N * D ? into.dx : (into.dx.subarray(0, N * D) as T)
    gemm(N, D, M, dout.data, W.data, d, { transB: true })
    dx = { data: d, rows: N, cols: D }
  }
  const dW = into.dW
  gemm(D, M, N, x.data, dout.data, dW, { transA: true })
  let db: T | null = null
  if (cache.hasBias) {
    db = into.db
    if (!db) throw new RangeError('affineBackwardInto: the layer has a bias but no db buffer')
    db.fill(0)
    const g = dout.data
    for (let i = 0; i < N; i++) {
      const row = i * M
      for (let j = 0; j < M; j++) db[j]! += g[row + j]!
    }
  }
  return { dx, dW, db }
}
