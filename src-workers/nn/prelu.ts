/** PReLU (He et al. 2015): y = x for x > 0, αⱼ·x otherwise, with one learned α per unit (column). */
import { allocLike, type FloatArray, type Mat } from './tensor'

export interface PreluCache<T extends FloatArray = FloatArray> {
  x: Mat<T>
  alpha: T
}

/** Forward: y[N×D] with y_ij = x_ij if x_ij > 0 else α_j·x_ij; alpha has D entries. */
export function preluForward<T extends FloatArray>(
  x: Mat<T>,
  alpha: T
): { out: Mat<T>; cache: PreluCache<T> } {
  return preluForwardInto(x, alpha, allocLike(x.data, x.rows * x.cols))
}

/** preluForward writing into `out` (≥ N·D entries, overwritten), for buffer reuse. */
export function preluForwardInto<T extends FloatArray>(
  x: Mat<T>,
  alpha: T,
  out: T
): { out: Mat<T>; cache: PreluCache<T> } {
  const { rows: N, cols: D } = x
  if (alpha.length !== D)
    throw new RangeError(`preluForward: ${alpha.length} alphas for ${D} units`)
  const y = out.length === N * D ? out : (out.subarray(0, N * D) as T)
  const xd = x.data
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) {
      const v = xd[i * D + j]!
      y[i * D + j] = v > 0 ? v : alpha[j]! * v
    }
  }
  return { out: { data: y, rows: N, cols: D }, cache: { x, alpha } }
}

/** Backward: dx = dout ⊙ (x > 0 ? 1 : α_j); dα_j = Σ_i dout_ij · x_ij over x_ij ≤ 0. */
export function preluBackward<T extends FloatArray>(
  dout: Mat<T>,
  cache: PreluCache<T>
): { dx: Mat<T>; dalpha: T } {
  const { x } = cache
  return preluBackwardInto(
    dout,
    cache,
    allocLike(x.data, x.rows * x.cols),
    allocLike(x.data, x.cols)
  )
}

/** preluBackward writing into `dxOut` (≥ N·D) and `dalpha` (D), both overwritten. */
export function preluBackwardInto<T extends FloatArray>(
  dout: Mat<T>,
  cache: PreluCache<T>,
  dxOut: T,
  dalpha: T
): { dx: Mat<T>; dalpha: T } {
  const { x, alpha } = cache
  const { rows: N, cols: D } = x
  const dx = dxOut.length === N * D ? dxOut : (dxOut.subarray(0, N * D) as T)
  dalpha.fill(0)
  const xd = x.data
  const g = dout.data
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) {
      const k = i * D + j
      const v = xd[k]!
      if (v > 0) dx[k] = g[k]!
      else {
        dx[k] = alpha[j]! * g[k]!
        dalpha[j]! += g[k]! * v
      }
    }
  }
  return { dx: { data: dx, rows: N, cols: D }, dalpha }
}
