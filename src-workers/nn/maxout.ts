/**
 * Maxout (Goodfellow et al. 2013) over k pieces: the affine before it is k·D wide, and output
 * unit j is the max of input columns j·k … j·k + k − 1.
 */
import { allocLike, type FloatArray, type Mat } from './tensor'

export interface MaxoutCache<T extends FloatArray = FloatArray> {
  x: Mat<T>
  pieces: number
  /** For each output entry (N×D), the input column that won the max. */
  argmax: Int32Array
}

/** Forward: x[N×(k·D)] → y[N×D], y_ij = max_p x_i,(j·k+p); ties go to the lowest p. */
export function maxoutForward<T extends FloatArray>(
  x: Mat<T>,
  pieces: number
): { out: Mat<T>; cache: MaxoutCache<T> } {
  const n =
    Number.isInteger(pieces) && pieces >= 1 && x.cols % pieces === 0
      ? (x.rows * x.cols) / pieces
      : 0
  return maxoutForwardInto(x, pieces, allocLike(x.data, n), new Int32Array(n))
}

/** maxoutForward writing into `out` and `argmaxOut` (≥ N·D entries each, overwritten). */
export function maxoutForwardInto<T extends FloatArray>(
  x: Mat<T>,
  pieces: number,
  out: T,
  argmaxOut: Int32Array
): { out: Mat<T>; cache: MaxoutCache<T> } {
  const k = pieces
  if (!(Number.isInteger(k) && k >= 1) || x.cols % k !== 0) {
    throw new RangeError(`maxoutForward: ${x.cols} columns do not split into ${k} pieces`)
  }
  const N = x.rows
  const D = x.cols / k
  const y = out.length === N * D ? out : (out.subarray(0, N * D) as T)
  const argmax = argmaxOut.length === N * D ? argmaxOut : argmaxOut.subarray(0, N * D)
  const xd = x.data
  for (let i = 0; i < N; i++) {
    const row = i * x.cols
    for (let j = 0; j < D; j++) {
      let best = j * k
      let bestV = xd[row + best]!
      for (let p = 1; p < k; p++) {
        const v = xd[row + j * k + p]!
        if (v > bestV) {
          bestV = v
          best = j * k + p
        }
      }
      y[i * D + j] = bestV
      argmax[i * D + j] = best
    }
  }
  return { out: { data: y, rows: N, cols: D }, cache: { x, pieces: k, argmax } }
}

/** Backward: dout[N×D] is routed to the winning column; the other k − 1 pieces get 0. */
export function maxoutBackward<T extends FloatArray>(
  dout: Mat<T>,
  cache: MaxoutCache<T>
): { dx: Mat<T> } {
  const { x } = cache
  return maxoutBackwardInto(dout, cache, allocLike(x.data, x.rows * x.cols))
}

/** maxoutBackward writing into `dxOut` (≥ N·k·D entries, overwritten), for buffer reuse. */
export function maxoutBackwardInto<T extends FloatArray>(
  dout: Mat<T>,
  cache: MaxoutCache<T>,
  dxOut: T
): { dx: Mat<T> } {
  const { x, argmax } = cache
  const N = x.rows
  const D = dout.cols
  const dx = dxOut.length === N * x.cols ? dxOut : (dxOut.subarray(0, N * x.cols) as T)
  dx.fill(0)
  const g = dout.data
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < D; j++) dx[i * x.cols + argmax[i * D + j]!] = g[i * D + j]!
  }
  return { dx: { data: dx, rows: N, cols: x.cols } }
}
