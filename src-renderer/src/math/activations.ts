/**
 * f and f′ of every activation, for drawing them (the renderer's own small copy: it may not
 * import the engine). Same definitions as CLI.md's `loss` layer types: leaky ReLU's `slope`,
 * ELU's `alpha`, PReLU's own α (`preluAlpha`, 0.25 by default), exact GELU x·Φ(x), SELU's λ and α. Maxout is a learned convex
 * piecewise-linear function; drawn here as the max of `pieces` tangent lines of softplus at
 * evenly spaced points in [−3, 3] (with 2 pieces: two lines meeting near 0, a soft ReLU).
 */
import { sig } from '../format'
import {
  ACTIVATION_PARAM_DEFAULTS,
  type ACTIVATIONS,
  type ActivationParams
} from '../../../src-shared/experiments'

export type ActivationName = (typeof ACTIVATIONS)[number]
export type { ActivationParams }

export const DEFAULT_PARAMS: ActivationParams = { ...ACTIVATION_PARAM_DEFAULTS }

export const SELU_LAMBDA = 1.0507009873554805
export const SELU_ALPHA = 1.6732632423543772

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI)

/**
 * erf(x) from the everywhere-convergent series erf(x) = (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1))
 * (all terms positive, so no cancellation); |erf(x)| = 1 to double precision from |x| = 6 on.
 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN
  const ax = Math.abs(x)
  if (ax >= 6) return Math.sign(x)
  let term = ax
  let sum = ax
  for (let n = 1; n < 200; n++) {
    term *= (2 * ax * ax) / (2 * n + 1)
    sum += term
    if (term < sum * 1e-17) break
  }
  const v = TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum
  return x < 0 ? -v : v
}

/**
 * Φ(x). Below −3 from the continued fraction Φ(x) = φ(x) / (t + 1/(t + 2/(t + 3/(t + …)))),
 * t = −x, which keeps full relative precision in the tail (1 + erf would cancel to 0 by −8.3).
 */
export function normalCdf(x: number): number {
  if (x < -3) {
    const t = -x
    let cf = 0
    for (let k = 80; k >= 1; k--) cf = k / (t + cf)
    return normalPdf(x) / (t + cf)
  }
  return 0.5 * (1 + erf(x / Math.SQRT2))
}

export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI)
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))
}

/** The maxout pieces drawn: tangent lines w·x + b of softplus at k points evenly spaced in [−3, 3]. */
export function maxoutPieces(k: number): { w: number; b: number }[] {
  const n = Math.max(1, Math.round(k))
  return Array.from({ length: n }, (_, j) => {
    const t = n === 1 ? 0 : -3 + (6 * j) / (n - 1)
    const w = sigmoid(t)
    return { w, b: softplus(t) - w * t }
  })
}

function maxoutArg(x: number, k: number): { w: number; y: number } {
  let best = { w: 0, y: -Infinity }
  for (const p of maxoutPieces(k)) {
    const y = p.w * x + p.b
    if (y > best.y) best = { w: p.w, y }
  }
  return best
}

type Pair = {
  f: (x: number, p: ActivationParams) => number
  df: (x: number, p: ActivationParams) => number
}

const TABLE: Record<ActivationName, Pair> = {
  sigmoid: {
    f: sigmoid,
    df: (x) => {
      const s = sigmoid(x)
      return s * (1 - s)
    }
  },
  tanh: {
    f: Math.tanh,
    df: (x) => {
      const t = Math.tanh(x)
      return 1 - t * t
    }
  },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0) },
  linear: { f: (x) => x, df: () => 1 },
  'leaky-relu': { f: (x, p) => (x > 0 ? x : p.slope * x), df: (x, p) => (x > 0 ? 1 : p.slope) },
  prelu: {
    f: (x, p) => (x > 0 ? x : p.preluAlpha * x),
    df: (x, p) => (x > 0 ? 1 : p.preluAlpha)
  },
  elu: {
    f: (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x)),
    df: (x, p) => (x > 0 ? 1 : p.alpha * Math.exp(x))
  },
  selu: {
    f: (x) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x)),
    df: (x) => (x > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x))
  },
  gelu: { f: (x) => x * normalCdf(x), df: (x) => normalCdf(x) + x * normalPdf(x) },
  maxout: { f: (x, p) => maxoutArg(x, p.pieces).y, df: (x, p) => maxoutArg(x, p.pieces).w }
}

/** f(x). At kinks (ReLU family at 0, maxout ties) f′ takes the left piece's slope. */
export function activationF(name: ActivationName, x: number, p = DEFAULT_PARAMS): number {
  return TABLE[name].f(x, p)
}

/** f′(x). */
export function activationDf(name: ActivationName, x: number, p = DEFAULT_PARAMS): number {
  return TABLE[name].df(x, p)
}

/** n + 1 evenly spaced points from `from` to `to`, with f and f′ at each. */
export function sampleActivation(
  name: ActivationName,
  from: number,
  to: number,
  n: number,
  p = DEFAULT_PARAMS
): { x: number; f: number; df: number }[] {
  return Array.from({ length: n + 1 }, (_, i) => {
    const x = from + ((to - from) * i) / n
    return { x, f: activationF(name, x, p), df: activationDf(name, x, p) }
  })
}

/** The seed's question for one activation: what happens at x = −10, 0 and 10, in a sentence. */
export function describeAt(name: ActivationName, p = DEFAULT_PARAMS): string {
  const d = (x: number): number => Math.abs(activationDf(name, x, p))
  const flat = (x: number): boolean => d(x) < 1e-3
  // Dead: no output and no gradient at all (ReLU's 0 · 0). Saturated: f′ tiny but f is not
  // zero-and-flat by construction (sigmoid, tanh, ELU's −α, GELU's and SELU's tails).
  const dead = (x: number): boolean =>
    activationDf(name, x, p) === 0 && activationF(name, x, p) === 0
  const left = dead(-10)
    ? 'dead at −10: output and gradient exactly 0, so a unit whose inputs stay negative never learns'
    : flat(-10)
      ? `saturated at −10: f′ = ${sig(activationDf(name, -10, p), 2)}, almost no gradient (output ${sig(activationF(name, -10, p), 2)}; saturated, not dead)`
      : null
  const grad =
    flat(-10) && flat(10)
      ? dead(-10)
        ? `${left}; saturates for large positive inputs`
        : 'saturates on both sides: almost no gradient flows back at ±10'
      : left !== null
        ? left
        : flat(10)
          ? 'saturates for large positive inputs'
          : 'keeps a gradient on both sides'
  const xs = Array.from({ length: 201 }, (_, i) => -10 + i / 10)
  const odd = xs.every((x) => Math.abs(activationF(name, x, p) + activationF(name, -x, p)) < 1e-12)
  const lowest = Math.min(...xs.map((x) => activationF(name, x, p)))
  const centred = odd
    ? 'zero-centred (an odd function)'
    : lowest < -0.05
      ? `outputs go down to ${lowest.toPrecision(2)}, which pulls the mean towards zero`
      : 'outputs are (almost) never negative, so not zero-centred'
  return `${grad}; ${centred}`
}
