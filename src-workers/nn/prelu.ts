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
  const { rows: N, cols: D } = x
  if (alpha.length !== D)
    throw new RangeError(`preluForward: ${alpha.length} alphas for ${D} units`)
  const y = allocLike(x.data, N * D)
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
  const { x, alpha } = cache
  const { rows: N, cols: D } = x
  const dx = allocLike(x.data, N * D)
  const dalpha = allocLike(x.data, D)
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
