/**
 * "What am I looking at" for a depth run: the lecture's reasoning, with this run's numbers.
 * Pure functions of the result, so the sentences are unit-tested against hand-computed cases.
 * Every prediction is set beside what was measured, and a conclusion (shrinks, stays, grows,
 * explodes) is drawn from the measurement, never from the textbook.
 */
import type { DepthLayer, DepthResult } from '../../../src-shared/results'
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

/** Root mean square √(mean² + std²): what a random matrix multiplies (the mean counts too). */
export function rms(m: { mean: number; std: number }): number {
  return Math.hypot(m.mean, m.std)
}

/** Geometric mean of std(H_l) / std(H_{l−1}) over the layers (layer 0 = the input). */
export function meanStdRatio(r: DepthResult): number | null {
  const last = r.layers.at(-1)
  if (!last || !(r.input.std > 0) || !(last.std > 0)) return null
  return Math.pow(last.std / r.input.std, 1 / r.layers.length)
}

/** Geometric mean of RMS(H_l) / RMS(H_{l−1}) over the layers (layer 0 = the input). */
export function meanRmsRatio(r: DepthResult): number | null {
  const last = r.layers.at(-1)
  const a = rms(r.input)
  const b = last ? rms(last) : 0
  if (!last || !(a > 0) || !(b > 0)) return null
  return Math.pow(b / a, 1 / r.layers.length)
}

/**
 * The fraction of the second moment E[f(z)²] / E[z²] a ReLU-family unit keeps for z symmetric
 * about 0: ½ for ReLU, (1 + a²)/2 for leaky ReLU / PReLU with negative slope a. Null otherwise.
 */
export function reluFamilyKeep(activation: string, slope?: number, alpha?: number): number | null {
  if (activation === 'relu') return 0.5
  if (activation === 'leaky-relu') return (1 + (slope ?? 0.01) ** 2) / 2
  if (activation === 'prelu') return (1 + (alpha ?? 0.25) ** 2) / 2
  return null
}

/**
 * "shrinks", "stays about the same" or "grows": from the measured per-layer factor compounded
 * over the stack (a factor 1.06 over 10 layers is 1.8×: it grows).
 */
export function trend(perLayer: number, layers: number): string {
  const total = Math.pow(perLayer, layers)
  return total < 0.8 ? 'shrinks' : total > 1.25 ? 'grows' : 'stays about the same'
}

/** A measured ratio of a backward quantity: "1.0e9× smaller (vanishing)" / "… larger (exploding)". */
function backwardChange(ratio: number): string {
  if (ratio < 1) return `${sig(1 / ratio, 2)}× smaller${1 / ratio > 10 ? ' (vanishing)' : ''}`
  return `${sig(ratio, 2)}× larger${ratio > 10 ? ' (exploding)' : ''}`
}

const NAMES: Record<string, string> = {
  relu: 'ReLU',
  'leaky-relu': 'Leaky ReLU',
  prelu: 'PReLU',
  tanh: 'tanh',
  sigmoid: 'sigmoid',
  elu: 'ELU',
  selu: 'SELU',
  gelu: 'GELU',
  maxout: 'maxout'
}

/** The layer below layer `l` (1-based) as moments: the input for l = 1. */
function below(r: DepthResult, l: number): { mean: number; std: number } {
  return l <= 1 ? r.input : (r.layers[l - 2] as DepthLayer)
}

/** 3–5 sentences for the explanation panel. */
export function explainDepth(r: DepthResult): string[] {
  const c = r.config
  const n = c.width
  const L = r.layers.length
  const first = r.layers[0]
  const last = r.layers.at(-1)
  if (!first || !last) return []
  const out: string[] = []

  // --- zero (or otherwise all-equal, all-zero) weights: the signal is exactly zero.
  if (c.init === 'zeros') {
    const zeroPre = r.layers.every((l) => l.preStd === 0 && l.preMean === 0)
    out.push(
      zeroPre
        ? `All weights are zero, so every pre-activation is exactly 0 and every unit of every layer outputs f(0) = ${sig(first.mean)} for every sample (std ${sig(last.std)} at layer ${L}): the units are identical, and nothing in the forward pass distinguishes one from another.`
        : `All weights are zero, yet layer 1's pre-activations have std ${sig(first.preStd)}: the bias (${c.bias ?? 0}) is what moves them, and it is the same for every unit.`
    )
    const gBelow = r.layers.slice(0, -1).every((l) => l.dX.std === 0 && l.dX.mean === 0)
    out.push(
      gBelow && L > 1
        ? `Backward, ∂L/∂H = ∂L/∂Z·Wᵀ is exactly 0 below the top layer (W = 0), and every unit of a layer receives the same weight gradient: the symmetry is never broken, so training cannot make the units differ.`
        : `Backward, the gradient arriving at layer 1's input has std ${sig(first.dX.std)}; every unit of a layer still receives the same weight gradient, so the symmetry is never broken.`
    )
    return out
  }

  // --- equal non-zero weights: every unit is a copy of one.
  if (c.init === 'constant') {
    const w = c.std ?? 0.01
    out.push(
      `Every weight equals ${short(w)}, so for a given sample each unit of a layer computes the same value (${short(w)} × the sum of the layer below${c.bias ? `, plus the bias ${c.bias}` : ''}): all ${n} units of a layer are copies of one, they receive identical gradients, and training can never make them differ — the symmetry is not broken, as with zeros.`
    )
    out.push(
      `The values still vary from sample to sample: layer ${L}'s activations have mean ${sig(last.mean)} and std ${sig(last.std)} over all entries.`
    )
  } else {
    out.push(...forwardPass(r))
  }
  out.push(...backwardPass(r))
  return out
}

/** The forward sentences: σ·√n × the RMS of the layer below, then the activation's own rule. */
function forwardPass(r: DepthResult): string[] {
  const c = r.config
  const n = c.width
  const L = r.layers.length
  const first = r.layers[0]!
  const last = r.layers.at(-1)!
  const act = c.activation
  const name = NAMES[act] ?? act
  const out: string[] = []
  // --- the forward pass: σ·√n × RMS of the layer below.
  const l = L >= 2 ? L : 1
  const fanIn = l === 1 ? c.inputWidth : n
  const sigma = initStd(c.init, fanIn, n, c.std)
  const g = sigma === null ? null : sigma * Math.sqrt(fanIn)
  const rule: Record<string, string> = {
    xavier: `Xavier: 1/√${fanIn}`,
    glorot: `Glorot: √(2/(${fanIn}+${n}))`,
    he: `He: √(2/${fanIn})`,
    orthogonal: `orthogonal: 1/√${Math.max(fanIn, n)} per entry`
  }
  const target = r.layers[l - 1] as DepthLayer
  const prev = below(r, l)
  if (g !== null && sigma !== null) {
    const sigmaText =
      c.init === 'normal' ? short(sigma) : `${sig(sigma)} (${rule[c.init] ?? c.init})`
    const predicted = g * rms(prev)
    const off = predicted > 0 ? target.preStd / predicted : NaN
    out.push(
      `Each layer multiplies its input by a ${fanIn} × ${n} matrix of entries with std ${sigmaText}, so a pre-activation's std is about σ·√n = ${short(sigma)}·√${fanIn} ≈ ${sig(g, 2)} times the RMS (√(mean² + std²)) of the layer below — the mean counts, not only the std. ` +
        `At layer ${l}: ${sig(g, 2)} × ${sig(rms(prev))} = ${sig(predicted)} predicted, ${sig(target.preStd)} measured${Number.isFinite(off) && (off < 0.9 || off > 1.1) ? ` (off by ${sig(off, 2)}×: the rule is an average over random weights, and this draw departs from it)` : ''}.`
    )
  } else {
    out.push(
      `${c.init} scales each layer's weights from the data it sees; layer ${L}'s pre-activations have std ${sig(last.preStd)}.`
    )
  }

  // --- the activation, with its own prediction where there is one.
  const measuredStd = meanStdRatio(r)
  const measuredRms = meanRmsRatio(r)
  const keep = reluFamilyKeep(act, c.slope, c.alpha)
  const gLayer = sigma === null ? null : initStd(c.init, n, n, c.std)! * Math.sqrt(n)
  if (keep !== null) {
    const slopeText =
      act === 'relu'
        ? 'ReLU zeroes the negative half of a symmetric pre-activation, keeping ½ of its second moment'
        : `${name} scales the negative half by ${short(act === 'leaky-relu' ? (c.slope ?? 0.01) : (c.alpha ?? 0.25))}, keeping (1 + a²)/2 = ${sig(keep)} of its second moment`
    const predicted = gLayer === null ? null : gLayer * Math.sqrt(keep)
    const m = measuredRms === null ? 'not measurable: the signal is 0' : `${sig(measuredRms, 2)}×`
    const conclusion =
      measuredRms === null
        ? ''
        : `: the scale ${trend(measuredRms, L)} with depth (RMS ${sig(rms(r.input))} at the input, ${sig(rms(last))} at layer ${L})`
    const biasNote =
      c.bias !== null && c.bias !== 0
        ? ` (the bias ${c.bias} shifts every pre-activation off 0, so this holds only roughly)`
        : ''
    out.push(
      `${slopeText}, so the RMS changes by about σ·√n·√${keep === 0.5 ? '½' : sig(keep)}${predicted === null ? '' : ` = ${sig(predicted, 2)}`} per layer${biasNote} (measured ${m})${conclusion}.` +
        (last.dead > 0
          ? ` ${pct(last.dead)} of layer ${L}'s units are dead (zero for every sample).`
          : '')
    )
  } else if ((act === 'tanh' || act === 'sigmoid') && first.saturated > 0.2) {
    out.push(
      `Layer 1's pre-activations have std ${sig(first.preStd)}, far outside ${name}'s linear range: ${pct(first.saturated)} of layer 1's entries and ${pct(last.saturated)} of layer ${L}'s sit where ${name}′ is below 1 % of its peak, so the local derivative there is almost 0.`
    )
  } else if (act === 'tanh' && measuredStd !== null && gLayer !== null) {
    out.push(
      `tanh(x) ≈ x near 0, so in its linear range the std would change by σ·√n ≈ ${sig(gLayer, 2)} per layer; measured ${sig(measuredStd, 2)}× per layer, from ${sig(r.input.std)} at the input to ${sig(last.std)} at layer ${L}${measuredStd < 0.5 ? ' — the activations collapse towards zero' : ` — it ${trend(measuredStd, L)}`}.`
    )
  } else if (measuredStd !== null) {
    out.push(
      `The activations' std changes ${sig(measuredStd, 2)}× per layer on average (${trend(measuredStd, L)}), from ${sig(r.input.std)} at the input to ${sig(last.std)} at layer ${L}${act === 'sigmoid' || (act !== 'tanh' && Math.abs(last.mean) > last.std) ? `; layer ${L}'s mean is ${sig(last.mean)}, so the next layer sees RMS ${sig(rms(last))}, not its std` : ''}.`
    )
  } else {
    out.push(`Layer ${L}'s activations have std ${sig(last.std)} and mean ${sig(last.mean)}.`)
  }

  return out
}

/** The backward sentence, with both effects (saturation, large W) where both are present. */
function backwardPass(r: DepthResult): string[] {
  const c = r.config
  const n = c.width
  const L = r.layers.length
  const first = r.layers[0]!
  const last = r.layers.at(-1)!
  const act = c.activation
  const name = NAMES[act] ?? act
  const out: string[] = []
  const s0 = c.init === 'constant' ? null : initStd(c.init, n, n, c.std)
  const gLayer = s0 === null ? null : s0 * Math.sqrt(n)
  const gTop = last.dX.std
  const gBottom = first.dX.std
  if (gTop > 0 && gBottom > 0 && L >= 2) {
    const ratio = gBottom / gTop
    const saturatedStack =
      (act === 'tanh' || act === 'sigmoid') && first.saturated > 0.2 && gLayer !== null
    let s = `Backward, the gradient reaching each layer's input (∂L/∂H) goes from std ${sig(gTop)} at layer ${L} to ${sig(gBottom)} at layer 1 — ${backwardChange(ratio)}.`
    if (saturatedStack) {
      s +=
        ratio > 1
          ? ` Both effects are here: the local derivatives ${name}′ nearly vanish where units saturate, yet each step back also multiplies by Wᵀ, whose scale σ·√n ≈ ${sig(gLayer, 2)} is large — and here the large W wins, so ∂L/∂H grows down the stack.`
          : ` Each step back multiplies by ${name}′ (nearly 0 where units saturate) and by Wᵀ (scale σ·√n ≈ ${sig(gLayer, 2)}); here the vanishing derivatives win.`
    }
    s += ` ∂L/∂Wₗ = Hₗ₋₁ᵀ·∂L/∂Zₗ also carries the scale of the layer's input (std ${sig(first.dW.std)} at layer 1, ${sig(last.dW.std)} at layer ${L}).`
    out.push(s)
  } else if (gBottom === 0 && gTop === 0) {
    out.push('Backward, the gradient reaching every layer is exactly 0.')
  } else if (gBottom === 0) {
    out.push(
      `Backward, the gradient reaching layer 1's input is exactly 0 (std ${sig(gTop)} at layer ${L}).`
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
