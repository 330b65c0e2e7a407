/** Validation of integer class labels against a score matrix. */
import type { Mat } from './tensor'

/** Throws unless there is one label per score row. */
export function checkLabels(scores: Mat, y: ArrayLike<number>, who: string): void {
  if (y.length !== scores.rows) {
    throw new RangeError(`${who}: ${y.length} labels for ${scores.rows} score rows`)
  }
}

/** Label i, checked to be an integer in 0…C−1. */
export function label(y: ArrayLike<number>, i: number, C: number, who: string): number {
  const c = y[i]!
  if (!(Number.isInteger(c) && c >= 0 && c < C)) {
    throw new RangeError(`${who}: label ${c} at row ${i} is not in 0…${C - 1}`)
  }
  return c
}
