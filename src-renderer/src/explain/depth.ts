/**
 * "What am I looking at" for a depth run: the lecture's reasoning, with this run's numbers.
 * Pure functions of the result, so the sentences are unit-tested against hand-computed cases.
 */
import type { DepthResult } from '../../../src-shared/results'
import { pct, short, sig } from '../format'

/** The std of one weight entry the init rule draws for a fan_in × fan_out layer (null: data-driven). */
export function initStd(init: string, fanIn: number, fanOut: number, std = 0.01): number | null {
  switch (init) {
    case 'normal':
      return std
    case 'zeros':
      return 0
    case 'xavier':
      return 1 / Math.sqrt(fanIn)
    case 'glorot':
      return Math.sqrt(2 / (fanIn + fanOut))
    case 'he':
      return Math.sqrt(2 / fanIn)
    case 'orthogonal':
      return 1 / Math.sqrt(Math.max(fanIn, fanOut))
    default:
      return null
  }
}

/** Geometric mean of std(H_l) / std(H_{l−1}) over the layers (layer 0 = the input). */
export function meanStdRatio(r: DepthResult): number | null {
  const last = r.layers.at(-1)
  if (!last || !(r.input.std > 0) || !(last.std > 0)) return null
  return Math.pow(last.std / r.input.std, 1 / r.layers.length)
}

/** 3–5 sentences for the explanation panel. */
export function explainDepth(r: DepthResult): string[] {
  const c = r.config
  const n = c.width
  const L = r.layers.length
  const first = r.layers[0]
  const last = r.layers.at(-1)
  if (!first || !last) return []
  const sigma = initStd(c.init, n, n, c.std)
  const g = sigma === null ? null : sigma * Math.sqrt(n)
  const measured = meanStdRatio(r)
  const out: string[] = []
  const rule: Record<string, string> = {
    xavier: `Xavier: 1/√${n}`,
    glorot: `Glorot: √(2/(${n}+${n}))`,
    he: `He: √(2/${n})`,
    orthogonal: `orthogonal: 1/√${n} per entry`
  }
  const sigmaText =
    c.init === 'normal'
      ? `${c.std}`
      : sigma === null
        ? ''
        : `${sig(sigma)} (${rule[c.init] ?? c.init})`
  if (g !== null && c.init !== 'zeros') {
    out.push(
      `Each layer multiplies its input by a ${n} × ${n} matrix of entries with std ${sigmaText}, so a pre-activation's std is about σ·√n = ${short(sigma!)}·√${n} ≈ ${sig(g, 2)} times the std of the layer below.`
    )
  } else if (c.init === 'zeros') {
    out.push(
      'All weights are zero: every unit computes the same thing, and nothing distinguishes them.'
    )
  } else {
    out.push(`${c.init} scales each layer's weights from the data it sees.`)
  }
  const act = c.activation
  const m = measured === null ? 'not measurable' : `${sig(measured, 2)}×`
  if (act === 'tanh' && g !== null && g < 0.9) {
    out.push(
      `tanh(x) ≈ x near 0, so the std shrinks about ${sig(g, 2)}× per layer (measured ${m}): from ${sig(r.input.std)} at the input to ${sig(last.std)} at layer ${L} — the activations collapse towards zero.`
    )
  } else if ((act === 'tanh' || act === 'sigmoid') && g !== null && g > 2) {
    out.push(
      `Layer 1's pre-activations have std ${sig(first.preStd)}, far outside ${act}'s linear range: ${pct(last.saturated)} of layer ${L}'s entries sit where ${act}′ is below 1 % of its peak, so almost no gradient passes back through them.`
    )
  } else if (act === 'tanh') {
    out.push(
      `With σ·√n ≈ ${sig(g ?? NaN, 2)} the scale would be kept if tanh were linear; its curvature shrinks it slowly instead (measured ${m} per layer, layer ${L}'s std ${sig(last.std)}).`
    )
  } else if (act === 'relu' || act === 'leaky-relu' || act === 'prelu') {
    out.push(
      `ReLU zeroes about half of every pre-activation, halving its second moment, so the scale changes by about σ·√(n/2)${g === null ? '' : ` = ${sig(g / Math.SQRT2, 2)}`} per layer (measured ${m}): Xavier's 1/√n gives 0.71 and shrinks, He's √(2/n) gives 1. ${pct(last.dead)} of layer ${L}'s units are dead.`
    )
  } else {
    out.push(
      `The activations' std changes ${m} per layer on average, from ${sig(r.input.std)} at the input to ${sig(last.std)} at layer ${L}.`
    )
  }
  const gTop = last.dX.std
  const gBottom = first.dX.std
  if (gTop > 0 && gBottom > 0) {
    const ratio = gBottom / gTop
    out.push(
      `Backward, the gradient reaching each layer's input (∂L/∂H) goes from std ${sig(gTop)} at layer ${L} to ${sig(gBottom)} at layer 1 — ${ratio < 1 ? `${sig(1 / ratio, 2)}× smaller (vanishing)` : `${sig(ratio, 2)}× larger${ratio > 10 ? ' (exploding)' : ''}`}; ∂L/∂Wₗ = Hₗ₋₁ᵀ·∂L/∂Zₗ also carries the scale of the layer's input (std ${sig(first.dW.std)} at layer 1, ${sig(last.dW.std)} at layer ${L}).`
    )
  }
  return out
}

/** The table's first column in the seed's own words. */
export function seedSentence(layer: number | 'input', mean: string, std: string): string {
  return layer === 'input'
    ? `input layer had mean ${mean} and std ${std}`
    : `hidden layer ${layer} had mean ${mean} and std ${std}`
}
