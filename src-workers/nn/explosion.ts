/**
 * A loss that explodes while staying finite: the run is diverged once the loss, smoothed over
 * the last few iterations (a plain moving average), exceeds `factor` × the first iteration's
 * loss. NaN/Infinity is caught separately (divergence.ts); this catches 3.2 → 1.2e14.
 */

/** Iterations the moving average spans (fewer at the very start). */
export const EXPLOSION_WINDOW = 5

/** The default factor K of `--diverge-above K` (0 turns the check off). */
export const DEFAULT_DIVERGE_ABOVE = 4

export interface Explosion {
  /** The smoothed loss that crossed the line. */
  smoothed: number
  /** The first iteration's loss. */
  first: number
  /** smoothed / first. */
  ratio: number
}

export interface LossWatch {
  /** Feeds the next iteration's (finite) loss; returns the explosion if the line is crossed. */
  observe(loss: number): Explosion | null
}

/** A watch for `factor` × the first loss (factor 0: never fires). */
export function createLossWatch(factor: number, window = EXPLOSION_WINDOW): LossWatch {
  const recent = new Float64Array(Math.max(1, window))
  let n = 0
  let first = NaN
  return {
    observe(loss) {
      if (n === 0) first = loss
      recent[n % recent.length] = loss
      n++
      if (!(factor > 0) || !(first > 0)) return null
      const m = Math.min(n, recent.length)
      let sum = 0
      for (let i = 0; i < m; i++) sum += recent[i]!
      const smoothed = sum / m
      return smoothed > factor * first ? { smoothed, first, ratio: smoothed / first } : null
    }
  }
}
