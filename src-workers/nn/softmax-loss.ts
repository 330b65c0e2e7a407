/** Softmax cross-entropy, fused and numerically stable. */
import { checkLabels, label } from './labels'
import { allocLike, type FloatArray, type Mat } from './tensor'

export interface LossResult<T extends FloatArray = FloatArray> {
  /** Mean data loss over the N rows. */
  loss: number
  /** ∂loss/∂scores, N×C. */
  dScores: Mat<T>
}

/**
 * Softmax cross-entropy for scores[N×C] and integer labels y[N] ∈ {0…C−1}:
 * loss = −(1/N) Σ_i log p_i,y_i with p_i = softmax(s_i), computed as log p = (s − max s) − log Σ e^(s − max s)
 * so nothing overflows; dScores = (p − onehot(y)) / N. Accumulates in float64 whatever the dtype.
 */
export function softmaxLoss<T extends FloatArray>(
  scores: Mat<T>,
  y: ArrayLike<number>
): LossResult<T> {
  return softmaxLossInto(scores, y, allocLike(scores.data, scores.rows * scores.cols))
}

/**
 * softmaxLoss writing dScores into `dOut` (≥ N·C entries, overwritten), for buffer reuse.
 * `norm` (default N) is the divisor of both the loss and dScores: a slice of a minibatch of M
 * rows passes M, so the slices' losses and gradients add up to the whole batch's.
 */
export function softmaxLossInto<T extends FloatArray>(
  scores: Mat<T>,
  y: ArrayLike<number>,
  dOut: T,
  norm: number = scores.rows
): LossResult<T> {
  checkLabels(scores, y, 'softmaxLoss')
  const { rows: N, cols: C } = scores
  const s = scores.data
  const d = dOut.length === N * C ? dOut : (dOut.subarray(0, N * C) as T)
  let total = 0
  for (let i = 0; i < N; i++) {
    const row = i * C
    let max = -Infinity
    for (let j = 0; j < C; j++) max = Math.max(max, s[row + j]!)
    let sum = 0
    for (let j = 0; j < C; j++) sum += Math.exp(s[row + j]! - max)
    const logSum = Math.log(sum)
    const yi = label(y, i, C, 'softmaxLoss')
    total -= s[row + yi]! - max - logSum
    for (let j = 0; j < C; j++) {
      const p = Math.exp(s[row + j]! - max - logSum)
      d[row + j] = (p - (j === yi ? 1 : 0)) / norm
    }
  }
  return { loss: total / norm, dScores: { data: d, rows: N, cols: C } }
}
