/**
 * The train–validation gap of a training run, read against its sampling noise. Both
 * accuracies are measured on finite sets (train on a fixed subset of ≤ 1000 training examples,
 * validation on the validation split), so each has a binomial standard error √(p(1−p)/n); the
 * gap is called overfitting (or "no gap") only where it stands outside ±2 standard errors of
 * the difference. Pure, unit-tested.
 */
import type { TrainEpoch } from '../../../src-shared/results'

/** Percentage points, one decimal ("3.2 pts"). */
const pts = (f: number): string => `${(f * 100).toFixed(1)} pts`

/**
 * Standard error of the difference of two accuracies measured on independent sets of nTrain
 * and nVal examples. p is kept ½ example away from 0 and 1, so a perfect score on a small set
 * does not claim zero noise.
 */
export function gapStandardError(
  trainAcc: number,
  nTrain: number,
  valAcc: number,
  nVal: number
): number {
  const v = (p: number, n: number): number => {
    const q = Math.min(Math.max(p, 0.5 / n), 1 - 0.5 / n)
    return (q * (1 - q)) / n
  }
  return Math.sqrt(v(trainAcc, nTrain) + v(valAcc, nVal))
}

/** A gap this far above 2 standard errors, and at least this large, is called large. */
const LARGE_GAP = 0.15

/**
 * What the last epoch's accuracies say, or null without a validation accuracy. `stillFalling`:
 * the training loss was still going down at the end (the caller measures it), which is what
 * makes "train longer" advice true of the run.
 */
export function gapSentence(last: TrainEpoch, stillFalling: boolean): string | null {
  if (last.valAcc === null) return null
  const head = `After epoch ${last.epoch}: train ${(last.trainAcc * 100).toFixed(1)} %, validation ${(last.valAcc * 100).toFixed(1)} % (chance is 10 %).`
  const gap = last.trainAcc - last.valAcc
  const nT = last.trainAccExamples
  const nV = last.valAccExamples
  if (nT === undefined || nV === undefined || nT <= 0 || nV <= 0)
    return `${head} The gap is ${pts(gap)}; this run did not record how many examples each accuracy was measured on, so whether that gap is more than sampling noise cannot be said.`
  const noise = 2 * gapStandardError(last.trainAcc, nT, last.valAcc, nV)
  const on = `(train measured on ${nT.toLocaleString('en')} examples, validation on ${nV.toLocaleString('en')}: ±${pts(noise)} is sampling noise at 2 standard errors)`
  if (gap > noise) {
    return gap >= LARGE_GAP
      ? `${head} Train is ${pts(gap)} above validation, well beyond the noise ${on}: the net fits its training examples much better than unseen ones — overfitting. More regularization, or more training data, narrows the gap.`
      : `${head} Train is ${pts(gap)} above validation, more than the noise ${on}: some overfitting has begun.`
  }
  if (-gap > noise)
    return `${head} Validation is ${pts(-gap)} above train, more than the noise ${on}: the validation examples are easier for this net than its training subset.`
  const more: string[] = []
  if (last.trainAcc < 0.9) more.push('a bigger net could fit more')
  if (stillFalling) more.push('the loss was still falling, so more epochs could help')
  return `${head} The gap of ${pts(gap)} is within the noise ${on}: no overfitting is measurable${more.length ? `; ${more.join(', and ')}` : ''}.`
}
