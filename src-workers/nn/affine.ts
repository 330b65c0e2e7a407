/** The affine layer out = x·W + b, forward and backward. */
import { gemm } from './gemm'
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
  if (x.cols !== W.rows) {
    throw new RangeError(`affineForward: x is ${x.rows}×${x.cols} but W is ${W.rows}×${W.cols}`)
  }
  const N = x.rows
  const M = W.cols
  const out = allocLike(x.data, N * M)
  if (b) {
    if (b.length !== M)
      throw new RangeError(`affineForward: b has ${b.length} entries, W has ${M} columns`)
    for (let i = 0; i < N; i++) out.set(b, i * M)
  }
  gemm(N, M, x.cols, x.data, W.data, out, { accumulate: b !== null })
  return { out: { data: out, rows: N, cols: M }, cache: { x, W, hasBias: b !== null } }
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
  const N = x.rows
  const D = x.cols
  const M = W.cols
  const dx = allocLike(x.data, N * D)
  gemm(N, D, M, dout.data, W.data, dx, { transB: true })
  const dW = allocLike(x.data, D * M)
  gemm(D, M, N, x.data, dout.data, dW, { transA: true })
  let db: T | null = null
  if (cache.hasBias) {
    db = allocLike(x.data, M)
    const g = dout.data
    for (let i = 0; i < N; i++) {
      const row = i * M
      for (let j = 0; j < M; j++) db[j]! += g[row + j]!
    }
  }
  return { dx: { data: dx, rows: N, cols: D }, dW, db }
}
