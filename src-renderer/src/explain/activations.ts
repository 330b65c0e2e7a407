/**
 * "What am I looking at" for the Activations view, computed from f and f′ with the parameters on
 * screen (so changing the leaky slope or an α changes the sentences). Pure, unit-tested.
 */
import { sig } from '../format'
import {
  activationDf,
  activationF,
  DEFAULT_PARAMS,
  type ActivationName,
  type ActivationParams
} from '../math/activations'

const NAMES: Record<ActivationName, string> = {
  sigmoid: 'Sigmoid',
  tanh: 'tanh',
  relu: 'ReLU',
  'leaky-relu': 'Leaky ReLU',
  prelu: 'PReLU',
  elu: 'ELU',
  maxout: 'Maxout',
  gelu: 'GELU',
  selu: 'SELU',
  linear: 'Linear (identity)'
}

export function activationLabel(name: ActivationName): string {
  return NAMES[name]
}

/**
 * The left side of one activation in words: a constant slope, a slope that decays (saturated:
 * f′ tiny, f ≠ 0), or dead (f and f′ exactly 0).
 */
export function leftSide(name: ActivationName, p: ActivationParams = DEFAULT_PARAMS): string {
  const d1 = activationDf(name, -1, p)
  const d10 = activationDf(name, -10, p)
  const f10 = activationF(name, -10, p)
  const label = NAMES[name]
  if (d10 === 0 && f10 === 0) return `${label} outputs 0 with slope 0 for every x < 0 (dead there)`
  if (Math.abs(d1 - d10) < 1e-12)
    return `${label} keeps the slope ${sig(d1, 2)} on the whole left side`
  if (Math.abs(d10) < 1e-3)
    return `${label}'s slope falls from ${sig(d1, 2)} at −1 to ${sig(d10, 2)} at −10, where it outputs ${sig(f10, 2)}: saturated, not dead`
  return `${label}'s slope goes from ${sig(d1, 2)} at −1 to ${sig(d10, 2)} at −10`
}

export function explainActivations(
  shown: readonly ActivationName[],
  p: ActivationParams = DEFAULT_PARAMS
): string[] {
  const out: string[] = []
  const s0 = activationDf('sigmoid', 0)
  out.push(
    `Top: f(x); bottom: f′(x), the factor every gradient is multiplied by on its way back. Sigmoid's f′ is at most ${sig(s0, 2)} (at x = 0), so even in its best spot ten sigmoid layers scale a gradient by ${sig(s0, 2)}¹⁰ ≈ ${sig(s0 ** 10, 2)}; at x = 10, sigmoid′ is ${sig(activationDf('sigmoid', 10), 2)} and tanh′ is ${sig(activationDf('tanh', 10), 2)} — saturated units pass almost nothing back.`
  )
  out.push(
    `ReLU passes exactly 1 for x > 0 and exactly 0 for x < 0, where it also outputs 0: a unit whose input stays negative gets no gradient and never learns again (dead).`
  )
  const left = (['leaky-relu', 'prelu', 'elu', 'gelu', 'selu'] as const).filter(
    (a) => shown.length === 0 || shown.includes(a)
  )
  if (left.length > 0) out.push(`${left.map((a) => leftSide(a, p)).join('; ')}.`)
  if (shown.length === 0 || shown.includes('maxout'))
    out.push(
      `Maxout is drawn as the max of ${p.pieces} lines (here tangents of softplus; in a net they are learned): piecewise linear, it neither saturates nor dies.`
    )
  return out
}
