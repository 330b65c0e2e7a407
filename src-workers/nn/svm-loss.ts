/** Multiclass SVM (Weston–Watkins / cs231n) hinge loss with margin 1. */
import { checkLabels, label } from './labels'
import type { LossResult } from './softmax-loss'
import { allocLike, type FloatArray, type Mat } from './tensor'

/**
 * Hinge loss for scores[N×C], labels y[N]: loss = (1/N) Σ_i Σ_{j≠y_i} max(0, s_ij − s_i,y_i + 1).
 * dScores_ij = [margin_ij > 0]/N for j ≠ y_i, and −(number of positive margins in row i)/N at y_i.
 * The subgradient at margin exactly 0 is taken as 0 (a kink the gradient check reports).
 */
export function svmLoss<T extends FloatArray>(scores: Mat<T>, y: ArrayLike<number>): LossResult<T> {
  return svmLossInto(scores, y, allocLike(scores.data, scores.rows * scores.cols))
}

/** svmLoss writing dScores into `dOut` (≥ N·C entries, overwritten); `norm` as softmaxLossInto. */
export function svmLossInto<T extends FloatArray>(
  scores: Mat<T>,
  y: ArrayLike<number>,
  dOut: T,
  norm: number = scores.rows
): LossResult<T> {
  checkLabels(scores, y, 'svmLoss')
  const { rows: N, cols: C } = scores
  const s = scores.data
  const d = dOut.length === N * C ? dOut : (dOut.subarray(0, N * C) as T)
  d.fill(0)
  let total = 0
  for (let i = 0; i < N; i++) {
    const row = i * C
    const yi = label(y, i, C, 'svmLoss')
    const correct = s[row + yi]!
    let positive = 0
    for (let j = 0; j < C; j++) {
      if (j === yi) continue
      const margin = s[row + j]! - correct + 1
      if (margin > 0) {
        total += margin
        d[row + j] = 1 / norm
        positive++
      }
    }
    d[row + yi] = -positive / norm
  }
  return { loss: total / norm, dScores: { data: d, rows: N, cols: C } }
}

/** Signs of the hinge margins (1 where s_ij − s_i,y_i + 1 > 0, j ≠ y_i): what a kink flips. */
export function svmMarginSigns(scores: Mat, y: ArrayLike<number>): Uint8Array {
  const { rows: N, cols: C } = scores
  const out = new Uint8Array(N * C)
  for (let i = 0; i < N; i++) {
    const yi = y[i]!
    const correct = scores.data[i * C + yi]!
    for (let j = 0; j < C; j++) {
      if (j !== yi && scores.data[i * C + j]! - correct + 1 > 0) out[i * C + j] = 1
    }
  }
  return out
}
