/**
 * The lecture's advice on activations (use ReLU; try Leaky ReLU / Maxout / ELU; tanh without
 * much hope; never sigmoid), each set beside the measurements on screen that support or qualify
 * it: f′ from the formulas, the live forward pass (saturated, dead, mean) and the measured cost.
 * A piece of evidence is written from its numbers, so it says "qualifies" when they go against
 * the advice. Pure, unit-tested.
 */
import type { ActivationCostRow } from '../../../src-shared/results'
import { pct, sig } from '../format'
import { activationDf, type ActivationName, type ActivationParams } from '../math/activations'
import type { LiveRow } from '../stores/activations'

export interface Evidence {
  /** Whether these numbers back the advice or speak against (part of) it. */
  stance: 'supports' | 'qualifies'
  text: string
}

export interface Recommendation {
  advice: string
  evidence: Evidence[]
  /** What to run to see more numbers for it (empty when everything is measured). */
  missing: string[]
}

export interface RecommendationInput {
  live: readonly LiveRow[]
  cost: readonly ActivationCostRow[]
  params: ActivationParams
}

/** Cost rows within 10 % of each other are not told apart (the timing's own spread). */
const SAME = 0.1

function costOf(cost: readonly ActivationCostRow[], a: ActivationName): number | null {
  const r = cost.find((c) => c.activation === a)
  return r ? r.forwardNs + r.backwardNs : null
}

/** "2.3× the cost of ReLU" / "about the same cost as ReLU" / "0.5× …", forward + backward. */
function relCost(
  cost: readonly ActivationCostRow[],
  a: ActivationName,
  b: ActivationName
): { ratio: number; text: string } | null {
  const ca = costOf(cost, a)
  const cb = costOf(cost, b)
  if (ca === null || cb === null || !(cb > 0)) return null
  const ratio = ca / cb
  return {
    ratio,
    text:
      Math.abs(ratio - 1) <= SAME
        ? `about the same cost as ${b} (${sig(ca, 2)} vs ${sig(cb, 2)} ns per element, forward + backward)`
        : `${sig(ratio, 2)}× the cost of ${b} (${sig(ca, 2)} vs ${sig(cb, 2)} ns per element, forward + backward)`
  }
}

const liveOf = (live: readonly LiveRow[], a: ActivationName): LiveRow | undefined =>
  live.find((r) => r.activation === a)

export function recommendations(input: RecommendationInput): Recommendation[] {
  const { live, cost, params } = input
  const out: Recommendation[] = []
  const needLive = (names: ActivationName[]): string[] =>
    names.every((n) => liveOf(live, n))
      ? []
      : [`the live forward pass with ${names.join(', ')} shown`]
  const needCost = (names: ActivationName[]): string[] =>
    names.every((n) => costOf(cost, n) !== null) ? [] : [`the cost measurement`]

  // 1. Use ReLU.
  {
    const ev: Evidence[] = [
      {
        stance: 'supports',
        text: `ReLU′ = ${activationDf('relu', 10, params)} for every x > 0 (at x = 10 sigmoid′ is ${sig(activationDf('sigmoid', 10, params), 2)}, tanh′ ${sig(activationDf('tanh', 10, params), 2)}): it does not saturate on the positive side.`
      }
    ]
    for (const other of ['sigmoid', 'tanh'] as const) {
      const c = relCost(cost, 'relu', other)
      if (c)
        ev.push({
          stance: c.ratio < 1 - SAME ? 'supports' : 'qualifies',
          text: `Measured here, ReLU runs at ${c.text}${c.ratio < 1 - SAME ? '' : ' — not cheaper on this machine'}.`
        })
    }
    const r = liveOf(live, 'relu')
    if (r)
      ev.push(
        r.dead > 0
          ? {
              stance: 'qualifies',
              text: `In the live forward pass ${pct(r.dead)} of ReLU's units are dead (zero for every sample) — the reason for a careful learning rate and for the variants below.`
            }
          : {
              stance: 'supports',
              text: `In the live forward pass no ReLU unit is dead and ${pct(r.saturated)} of its entries are saturated.`
            }
      )
    out.push({
      advice: 'Use ReLU, and be careful with the learning rate.',
      evidence: ev,
      missing: [...needCost(['relu', 'sigmoid', 'tanh']), ...needLive(['relu'])]
    })
  }

  // 2. Try Leaky ReLU / Maxout / ELU.
  {
    const ev: Evidence[] = []
    const relu = liveOf(live, 'relu')
    for (const a of ['leaky-relu', 'maxout', 'elu'] as const) {
      const r = liveOf(live, a)
      if (!r) continue
      const fewer = relu ? r.dead < relu.dead : r.dead === 0
      ev.push({
        stance: r.dead === 0 || fewer ? 'supports' : 'qualifies',
        text: `${a}: ${pct(r.dead)} dead units${relu ? ` (ReLU: ${pct(relu.dead)})` : ''}, mean ${sig(r.mean, 2)}${relu ? ` (ReLU: ${sig(relu.mean, 2)})` : ''}.`
      })
    }
    const elu = liveOf(live, 'elu')
    if (elu && relu)
      ev.push({
        stance: Math.abs(elu.mean) < Math.abs(relu.mean) ? 'supports' : 'qualifies',
        text:
          Math.abs(elu.mean) < Math.abs(relu.mean)
            ? `ELU's outputs are closer to zero mean than ReLU's (${sig(elu.mean, 2)} vs ${sig(relu.mean, 2)}).`
            : `Here ELU's mean (${sig(elu.mean, 2)}) is not closer to zero than ReLU's (${sig(relu.mean, 2)}).`
      })
    const c = relCost(cost, 'elu', 'relu')
    if (c)
      ev.push({
        stance: c.ratio > 1 + SAME ? 'qualifies' : 'supports',
        text: `ELU needs exp(): ${c.text}.`
      })
    const m = relCost(cost, 'maxout', 'relu')
    if (m)
      ev.push({
        stance: 'qualifies',
        text: `Maxout with ${params.pieces} pieces runs at ${m.text} here, and needs ${params.pieces}× the weights of the layer before it.`
      })
    out.push({
      advice: 'Try Leaky ReLU, Maxout or ELU.',
      evidence: ev,
      missing: [
        ...needLive(['relu', 'leaky-relu', 'maxout', 'elu']),
        ...needCost(['elu', 'maxout'])
      ]
    })
  }

  // 3. tanh, without much hope.
  {
    const ev: Evidence[] = []
    const t = liveOf(live, 'tanh')
    if (t) {
      ev.push({
        stance: Math.abs(t.mean) < 0.05 ? 'supports' : 'qualifies',
        text:
          Math.abs(t.mean) < 0.05
            ? `Zero-centred: its mean in the live pass is ${sig(t.mean, 2)}.`
            : `Its mean in the live pass is ${sig(t.mean, 2)}, not near zero with these inputs.`
      })
      ev.push({
        stance: t.saturated > 0.05 ? 'supports' : 'qualifies',
        text:
          t.saturated > 0.05
            ? `But ${pct(t.saturated)} of its entries are saturated (tanh′ below 1 % of its peak), passing almost no gradient.`
            : `With these weights only ${pct(t.saturated)} of its entries are saturated; larger weights (e.g. normal std 1) saturate most of them.`
      })
    }
    ev.push({
      stance: 'supports',
      text: `tanh′(10) = ${sig(activationDf('tanh', 10, params), 2)}: a saturated unit still kills the gradient.`
    })
    const c = relCost(cost, 'tanh', 'relu')
    if (c)
      ev.push({
        stance: c.ratio > 1 + SAME ? 'supports' : 'qualifies',
        text: `tanh runs at ${c.text}.`
      })
    out.push({
      advice: 'Try tanh, but do not expect much.',
      evidence: ev,
      missing: [...needLive(['tanh']), ...needCost(['tanh', 'relu'])]
    })
  }

  // 4. Never sigmoid.
  {
    const ev: Evidence[] = [
      {
        stance: 'supports',
        text: `sigmoid′ is at most ${sig(activationDf('sigmoid', 0, params), 2)}: every sigmoid layer shrinks the gradient at least 4×, ten layers at least ${sig(0.25 ** 10, 2)}×.`
      }
    ]
    const s = liveOf(live, 'sigmoid')
    if (s) {
      ev.push({
        stance: Math.abs(s.mean) > 0.1 ? 'supports' : 'qualifies',
        text:
          Math.abs(s.mean) > 0.1
            ? `Not zero-centred: its mean in the live pass is ${sig(s.mean, 2)}; every output is positive, so the next layer's weight gradients share one sign.`
            : `Its mean in the live pass is only ${sig(s.mean, 2)} (its outputs are still all positive).`
      })
      if (s.saturated > 0)
        ev.push({
          stance: 'supports',
          text: `${pct(s.saturated)} of its entries are saturated.`
        })
    }
    const c = relCost(cost, 'sigmoid', 'relu')
    if (c)
      ev.push({
        stance: c.ratio > 1 + SAME ? 'supports' : 'qualifies',
        text: `exp() is a bit expensive: sigmoid runs at ${c.text}.`
      })
    out.push({
      advice: 'Do not use sigmoid (in hidden layers).',
      evidence: ev,
      missing: [...needLive(['sigmoid']), ...needCost(['sigmoid', 'relu'])]
    })
  }
  return out
}
