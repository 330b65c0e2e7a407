/**
 * "What am I looking at" for training runs: the lecture's reading of loss and accuracy curves,
 * with the numbers of the runs on screen. Pure, unit-tested.
 */
import type { JobConfigInput } from '../../../src-shared/contract'
import type { TrainUnits } from '../../../src-shared/results'
import { pct, sig } from '../format'
import { TRAIN_DEFAULTS } from '../forms'
import { divergenceSentence } from './divergence'
import { gapSentence } from './gap'
import type { TrainSeries } from '../training/series'
import type { TrainRunMeta } from '../stores/training'

const LN10 = Math.log(10)

export function explainTraining(run: TrainRunMeta | null, s: TrainSeries | null): string[] {
  if (!run || !s) {
    return [
      'Configure a net and press Train. The loss of every iteration streams in as the run goes; accuracies come at the end of each epoch.',
      `With 10 classes and small random weights the first loss should be about ln 10 ≈ ${LN10.toFixed(3)}: a first loss far above it means the initial scores are too large.`
    ]
  }
  const out: string[] = []
  const init = s.initialLoss
  if (init && Number.isFinite(init.data)) {
    const off = Math.abs(init.data - LN10) > 0.5
    out.push(
      `${run.name}'s first data loss was ${sig(init.data, 4)} (ln 10 ≈ ${LN10.toFixed(3)} for uniform guesses over 10 classes${off ? `; ${init.data > LN10 ? 'far above' : 'far below'} it, so the initial scores are not small` : '; close to it, as small initial scores give'}); the regularization term added ${sig(init.reg, 3)}, for a total of ${sig(init.data + init.reg, 4)}.`
    )
  } else {
    const first = s.losses.find((l) => Number.isFinite(l))
    if (first !== undefined)
      out.push(
        `${run.name} started at a total loss of ${sig(first, 4)}: data loss plus the regularization term, which this run did not record apart, so it cannot be set against ln 10 ≈ ${LN10.toFixed(3)} (the data loss of uniform guesses over 10 classes).`
      )
  }
  const n = s.losses.length
  let lossRatio: number | null = null
  if (n >= 20) {
    const k = Math.max(5, Math.floor(n / 10))
    const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length
    const head = mean(s.losses.slice(0, k).filter(Number.isFinite))
    const tail = mean(s.losses.slice(-k).filter(Number.isFinite))
    const ratio = tail / head
    lossRatio = ratio
    out.push(
      ratio < 0.97
        ? `Over ${n} iterations the loss fell from about ${sig(head)} to ${sig(tail)}: the learning rate is doing work. A curve that drops fast and then flattens high suggests the rate is too high; a nearly straight slow decline, too low.`
        : ratio > 1.05
          ? `The loss rose from about ${sig(head)} to ${sig(tail)}: the learning rate is too high for this net.`
          : `The loss barely moved (about ${sig(head)} → ${sig(tail)}): the learning rate is too low, or the gradients vanish (see the gradient-norm heatmap).`
    )
  }
  const last = s.epochs.at(-1)
  if (last) {
    const prev = s.epochs.at(-2)
    // Still falling: the last epoch's mean loss 1 % below the one before, or (one epoch) the
    // iteration losses' tail below their head, as measured above.
    const stillFalling = prev
      ? last.loss < prev.loss * 0.99
      : lossRatio !== null && lossRatio < 0.97
    const gap = gapSentence(last, stillFalling)
    if (gap) out.push(gap)
  }
  out.push(...explainUnits(s.units, run.config))
  if (run.diverged) {
    const c = run.config
    out.push(
      `This run diverged (epoch ${run.diverged.epoch}). ${divergenceSentence(
        run.diverged.divergence,
        {
          lr: run.lr,
          ...(c.data?.type === 'synthetic'
            ? {}
            : { preprocess: c.preprocess ?? 'channel-standardize' }),
          init: c.init ?? 'he'
        }
      )}`
    )
  }
  out.push(
    'The heatmaps show each layer (rows) at every statistics step (columns): activation std collapsing towards the top rows, or gradient norms falling by decades from the scores down to layer 1, are the depth problems of the Depth view happening during training.'
  )
  return out
}

/**
 * What happened to the hidden units, from the probe before and after training: dead units
 * (exactly 0 for every probe example) with the initial bias, and units that stayed copies of
 * each other (an init that gives every unit the same weights).
 */
export function explainUnits(
  u: TrainUnits | null,
  config: Pick<JobConfigInput<'train'>, 'bias' | 'init' | 'activation'>
): string[] {
  if (!u || u.width.length === 0) return []
  const out: string[] = []
  const layers = u.width.map(
    (w, l) => `layer ${l + 1}: ${pct(u.deadAtStart[l] ?? 0)} → ${pct(u.deadAtEnd[l] ?? 0)}`
  )
  const bias = config.bias ?? TRAIN_DEFAULTS.bias
  const anyDead = u.deadAtStart.some((d) => d > 0) || u.deadAtEnd.some((d) => d > 0)
  out.push(
    `Dead units (exactly 0 on all ${u.examples} probe examples), at the start → at the end: ${layers.join('; ')}. The biases started at ${bias}${
      anyDead
        ? bias > 0
          ? ', slightly positive, which moves every pre-activation up and keeps more ReLU units active'
          : '; a slightly positive start (e.g. 0.01, the lecture’s tip for ReLU) moves every pre-activation up — try it and compare'
        : ''
    }.`
  )
  const copies = u.width
    .map((w, l) => ({ l, w, d: u.distinctAtEnd[l] ?? w, d0: u.distinctAtStart[l] ?? w }))
    .filter((x) => x.d < x.w)
  if (copies.length > 0)
    out.push(
      `${copies.map((x) => `Layer ${x.l + 1}: only ${x.d} of its ${x.w} units differ at the end (${x.d0} at the start)`).join('; ')}${
        config.init === 'constant' || config.init === 'zeros'
          ? ` — the ${config.init} init gave every unit the same weights, identical units receive identical gradients, and the symmetry never broke`
          : ''
      }.`
    )
  return out
}
