/**
 * The learning-rate search of a study (cs231n's random search, coarse to fine): rates drawn
 * log-uniformly from [lo, hi] from a seed, an optional finer round around the best, and the
 * ranking of the trials by validation accuracy (diverged ones never rank). Pure.
 */
import { createRng, uniform } from '../nn/rng'

/** `n` rates log-uniform in [lo, hi] from `seed`, ascending. */
export function trialRates(lo: number, hi: number, n: number, seed: number): number[] {
  if (!(lo > 0 && hi > lo)) throw new RangeError(`trialRates: need 0 < lo < hi (got ${lo}, ${hi})`)
  const rng = createRng(seed)
  const a = Math.log10(lo)
  const b = Math.log10(hi)
  return Array.from({ length: n }, () => 10 ** (a + (b - a) * uniform(rng))).sort((x, y) => x - y)
}

/**
 * The finer round's range: the best rate ± one first-round spacing (the width in decades over
 * the number of trials), clipped to [lo, hi].
 */
export function refineRange(
  best: number,
  lo: number,
  hi: number,
  trials: number
): [number, number] {
  const step = Math.log10(hi / lo) / Math.max(1, trials)
  return [Math.max(lo, best / 10 ** step), Math.min(hi, best * 10 ** step)]
}

export interface RankedTrial {
  lr: number
  status: string
  valAcc: number | null
  loss: number | null
}

/**
 * The trials that trained (completed, with a validation accuracy), best first: higher validation
 * accuracy, then lower final training loss, then the lower rate (the safer one).
 */
export function rankTrials<T extends RankedTrial>(trials: readonly T[]): T[] {
  return trials
    .filter((t) => t.status === 'completed' && t.valAcc !== null)
    .sort(
      (x, y) => y.valAcc! - x.valAcc! || (x.loss ?? Infinity) - (y.loss ?? Infinity) || x.lr - y.lr
    )
}
