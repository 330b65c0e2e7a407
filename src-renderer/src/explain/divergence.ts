/**
 * A diverged run in words, built from its numbers (TrainDivergence) and its configuration. A
 * cause is only named when the run shows it: "on this scale" only for CIFAR-10 under a mode
 * that leaves pixels on the 0–255 scale; "the first loss was already huge" only when it was.
 * Pure, unit-tested.
 */
import type { TrainDivergence } from '../../../src-shared/results'
import { sig } from '../format'

/** Modes that leave the pixels on the 0–255 scale (std ≈ 63 on CIFAR-10). */
export const UNSCALED_MODES: readonly string[] = ['none', 'mean-image', 'channel-mean']

export interface DivergenceContext {
  lr: number
  /** The preprocessing mode, for CIFAR-10 runs; absent for synthetic data. */
  preprocess?: string
  init?: string
  classes?: number
}

const times = (r: number): string => (r >= 100 ? sig(r, 2) : r >= 10 ? r.toFixed(0) : r.toFixed(1))

export function divergenceSentence(d: TrainDivergence, ctx: DivergenceContext): string {
  const lr = sig(ctx.lr, 3)
  const classes = ctx.classes ?? 10
  const chance = Math.log(classes)
  const unscaled = ctx.preprocess !== undefined && UNSCALED_MODES.includes(ctx.preprocess)
  const parts: string[] = []
  if (d.reason === 'exploded' && d.first !== null && d.first > 0) {
    const ratio = d.loss / d.first
    parts.push(
      `The loss rose ${times(ratio)}× above its start at iteration ${d.iteration} (from ${sig(d.first)} to ${sig(d.loss)}, averaged over the last iterations; the limit is ${d.factor ?? 4}×)`
    )
  } else {
    const where = d.layer !== undefined ? ` in layer block ${d.layer}` : ''
    parts.push(`A NaN or infinity appeared at iteration ${d.iteration}${where}`)
  }
  const cause = unscaled
    ? `: the learning rate ${lr} is too high for data on this scale — ${ctx.preprocess} leaves the pixels on the 0–255 scale (std ≈ 63), where a step is far larger than on standardized inputs. Lower the rate for this mode, or let a study search one per mode.`
    : d.reason === 'exploded'
      ? `: the learning rate ${lr} is too high for this run. Lower it.`
      : `: the learning rate ${lr} (or the initial weights) is too large for this run. Lower the rate, or check the initialization.`
  let out = parts[0]! + cause
  if (d.first !== null && Number.isFinite(d.first) && d.first > 10 * chance)
    out += ` The loss already started at ${sig(d.first)}, far above ln ${classes} ≈ ${chance.toFixed(2)} for an untrained net: ${ctx.init ? `the ${ctx.init} initialization` : 'the initialization'} makes the first scores huge on these inputs${ctx.init === 'lsuv' ? '' : ' (--init lsuv scales the weights to the data)'}.`
  return out
}
