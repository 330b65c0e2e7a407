/**
 * Elementwise activations y = f(x), one forward/backward pair for the whole family: each
 * activation is a rule { f, df } in a table, and backward is dx = dout ⊙ f′(x). Sigmoid, tanh,
 * ELU, SELU and GELU (both forms) run on the WebAssembly SIMD kernel (activations-wasm.ts: the
 * same values to a few double ulps, computed in float64) where available; so do ReLU and leaky
 * ReLU (the same bits as their rules) on arrays on the wasm heap, such as a workspace's; the
 * rules are the fallback and the definition.
 * (PReLU has a learned parameter and maxout mixes columns: they have their own files.)
 */
import { simdBackward, simdForward, type SimdActivation } from './activations-wasm'
import { normalCdf, normalPdf } from './erf'
import { allocLike, type FloatArray, type Mat } from './tensor'

export type ElementwiseActivation =
  | { type: 'sigmoid' }
  | { type: 'tanh' }
  | { type: 'relu' }
  | { type: 'leaky-relu'; slope: number }
  | { type: 'elu'; alpha: number }
  | { type: 'gelu'; approximate: 'none' | 'tanh' }
  | { type: 'selu' }
  | { type: 'linear' }

export type ElementwiseType = ElementwiseActivation['type']

interface Rule<A> {
  /** f(x). */
  f(x: number, a: A): number
  /** f′(x), given x and y = f(x) (whichever is cheaper). */
  df(x: number, y: number, a: A): number
  /** sup |f′| over the reals, the scale of the depth probe's saturation test. */
  supDf(a: A): number
  /** Whether x lies where the activation saturates: |f′(x)| < 0.01·sup|f′| (see depth.ts). */
  saturated(x: number, y: number, a: A): boolean
}

type Rules = { [K in ElementwiseType]: Rule<Extract<ElementwiseActivation, { type: K }>> }

/** SELU constants (Klambauer et al. 2017), to double precision. */
export const SELU_LAMBDA = 1.0507009873554804934193349852946
export const SELU_ALPHA = 1.6732632423543772848170429916717
const GELU_C = Math.sqrt(2 / Math.PI)
const GELU_K = 0.044715

function sigmoid(x: number): number {
  // Two forms so exp never overflows: for x < 0, e^x/(1+e^x).
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

const never = (): boolean => false

const RULES: Rules = {
  sigmoid: {
    f: sigmoid,
    df: (_x, y) => y * (1 - y),
    supDf: () => 0.25,
    saturated: (_x, y) => y * (1 - y) < 0.0025
  },
  tanh: {
    f: Math.tanh,
    df: (_x, y) => 1 - y * y,
    supDf: () => 1,
    saturated: (_x, y) => 1 - y * y < 0.01
  },
  /** The identity f(x) = x: the lecture's linear net (W = ωI, δ¹ = ω^(L−1)·δᴸ). */
  linear: { f: (x) => x, df: () => 1, supDf: () => 1, saturated: never },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), supDf: () => 1, saturated: never },
  'leaky-relu': {
    f: (x, a) => (x > 0 ? x : a.slope * x),
    df: (x, _y, a) => (x > 0 ? 1 : a.slope),
    supDf: (a) => Math.max(1, Math.abs(a.slope)),
    saturated: never
  },
  elu: {
    f: (x, a) => (x > 0 ? x : a.alpha * Math.expm1(x)),
    df: (x, y, a) => (x > 0 ? 1 : y + a.alpha),
    supDf: (a) => Math.max(1, Math.abs(a.alpha)),
    saturated: (x, y, a) => x <= 0 && Math.abs(y + a.alpha) < 0.01 * Math.max(1, Math.abs(a.alpha))
  },
  selu: {
    f: (x) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x)),
    df: (x, y) => (x > 0 ? SELU_LAMBDA : y + SELU_LAMBDA * SELU_ALPHA),
    supDf: () => SELU_LAMBDA * SELU_ALPHA,
    saturated: (x, y) => x <= 0 && y + SELU_LAMBDA * SELU_ALPHA < 0.01 * SELU_LAMBDA * SELU_ALPHA
  },
  gelu: {
    f: (x, a) => (a.approximate === 'tanh' ? geluTanh(x) : x * normalCdf(x)),
    df: (x, _y, a) => (a.approximate === 'tanh' ? geluTanhDf(x) : normalCdf(x) + x * normalPdf(x)),
    supDf: () => GELU_SUP_DF,
    // Only the left tail, x < −√2 (past the minimum of f′), counts: the zero of f′ near −0.75 is
    // a single crossing, not a flat region.
    saturated: (x, _y, a) =>
      x < -Math.SQRT2 && Math.abs(RULES.gelu.df(x, 0, a)) < 0.01 * GELU_SUP_DF
  }
}

/** sup f′ of exact GELU, attained at x = √2: Φ(√2) + √2·φ(√2). */
const GELU_SUP_DF = normalCdf(Math.SQRT2) + Math.SQRT2 * normalPdf(Math.SQRT2)

/**
 * GELU, tanh form (Hendrycks & Gimpel): ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), evaluated
 * as x·σ(2u) (the same function: ½(1 + tanh u) = σ(2u)) so the left tail keeps its relative
 * accuracy where 1 + tanh(u) would cancel to 0.
 */
function geluTanh(x: number): number {
  const v = 2 * (GELU_C * (x + GELU_K * x * x * x))
  const e = Math.exp(-Math.abs(v))
  return (x * (v >= 0 ? 1 : e)) / (1 + e)
}

/** f′ = ½(1 + tanh u) + ½x(1 − tanh²u)·u′/x… = s + 2x·s·(1 − s)·√(2/π)(1 + 3·0.044715x²), s = σ(2u). */
function geluTanhDf(x: number): number {
  const v = 2 * (GELU_C * (x + GELU_K * x * x * x))
  const e = Math.exp(-Math.abs(v))
  const s = (v >= 0 ? 1 : e) / (1 + e)
  const sc = (v >= 0 ? e : 1) / (1 + e) // 1 − s without the cancellation
  return s + 2 * x * s * sc * GELU_C * (1 + 3 * GELU_K * x * x)
}

/** The activation as the SIMD kernel knows it (activations-wasm.ts), or null where it has none. */
function simdOf(a: ElementwiseActivation): SimdActivation | null {
  switch (a.type) {
    case 'sigmoid':
      return { kind: 0, a: 0, b: 0 }
    case 'tanh':
      return { kind: 1, a: 0, b: 0 }
    case 'elu':
      return { kind: 2, a: a.alpha, b: 0 }
    case 'selu':
      return { kind: 3, a: SELU_LAMBDA, b: SELU_LAMBDA * SELU_ALPHA }
    case 'gelu':
      return a.approximate === 'tanh' ? { kind: 4, a: GELU_C, b: GELU_K } : { kind: 5, a: 0, b: 0 }
    // Memory-bound selects: on the kernel only in place on the heap (a workspace's arrays).
    case 'relu':
      return { kind: 6, a: 0, b: 0, heapOnly: true }
    case 'leaky-relu':
      return { kind: 7, a: a.slope, b: 0, heapOnly: true }
    default:
      return null
  }
}

function rule(a: ElementwiseActivation): Rule<ElementwiseActivation> {
  return RULES[a.type] as Rule<ElementwiseActivation>
}

/** f(x) for one number. */
export function activate(a: ElementwiseActivation, x: number): number {
  return rule(a).f(x, a)
}

/** f′(x) for one number. */
export function activationDerivative(a: ElementwiseActivation, x: number): number {
  const r = rule(a)
  return r.df(x, r.f(x, a), a)
}

/** sup |f′| of the activation (sigmoid 0.25, tanh 1, SELU λα, …). */
export function activationSupDerivative(a: ElementwiseActivation): number {
  return rule(a).supDf(a)
}

/** Whether (x, y = f(x)) is a saturated point: |f′(x)| < 0.01·sup|f′| (ELU/SELU/GELU: x < 0 only). */
export function isSaturated(a: ElementwiseActivation, x: number, y: number): boolean {
  return rule(a).saturated(x, y, a)
}

/** Whether the activation has a kink at 0 (a non-differentiable point the gradient check must flag). */
export function hasKinkAtZero(a: ElementwiseActivation): boolean {
  return a.type === 'relu' || (a.type === 'leaky-relu' && a.slope !== 1)
}

export interface ElementwiseCache<T extends FloatArray = FloatArray> {
  act: ElementwiseActivation
  x: Mat<T>
  y: Mat<T>
}

/** Forward: y[N×D] = f(x[N×D]) entrywise. */
export function elementwiseForward<T extends FloatArray>(
  act: ElementwiseActivation,
  x: Mat<T>
): { out: Mat<T>; cache: ElementwiseCache<T> } {
  return elementwiseForwardInto(act, x, allocLike(x.data, x.rows * x.cols))
}

/** elementwiseForward writing into `out` (≥ N·D entries, overwritten), for buffer reuse. */
export function elementwiseForwardInto<T extends FloatArray>(
  act: ElementwiseActivation,
  x: Mat<T>,
  out: T
): { out: Mat<T>; cache: ElementwiseCache<T> } {
  const n = x.rows * x.cols
  const y = out.length === n ? out : (out.subarray(0, n) as T)
  const xd = x.data
  const k = simdOf(act)
  if (!k || !simdForward(k, xd, y, n)) {
    if (act.type === 'relu') {
      // The rule inlined (the same f): the trainer's most common case.
      for (let i = 0; i < n; i++) {
        const v = xd[i]!
        y[i] = v > 0 ? v : 0
      }
    } else {
      const r = rule(act)
      for (let i = 0; i < n; i++) y[i] = r.f(xd[i]!, act)
    }
  }
  const o = { data: y, rows: x.rows, cols: x.cols }
  return { out: o, cache: { act, x, y: o } }
}

/** Backward: dx[N×D] = dout ⊙ f′(x). */
export function elementwiseBackward<T extends FloatArray>(
  dout: Mat<T>,
  cache: ElementwiseCache<T>
): { dx: Mat<T> } {
  return elementwiseBackwardInto(dout, cache, allocLike(cache.x.data, cache.x.rows * cache.x.cols))
}

/** elementwiseBackward writing into `dx` (≥ N·D entries, overwritten), for buffer reuse. */
export function elementwiseBackwardInto<T extends FloatArray>(
  dout: Mat<T>,
  cache: ElementwiseCache<T>,
  dx: T
): { dx: Mat<T> } {
  const { x, y, act } = cache
  const n = x.rows * x.cols
  const d = dx.length === n ? dx : (dx.subarray(0, n) as T)
  const g = dout.data
  const xd = x.data
  const k = simdOf(act)
  const yd = y.data
  if (!k || !simdBackward(k, xd, yd, g, d, n)) {
    if (act.type === 'relu') {
      // g·f′(x) with f′ = [x > 0], as the rule computes it (so NaN and −0 come out the same).
      for (let i = 0; i < n; i++) d[i] = g[i]! * (xd[i]! > 0 ? 1 : 0)
    } else {
      const r = rule(act)
      for (let i = 0; i < n; i++) d[i] = g[i]! * r.df(xd[i]!, yd[i]!, act)
    }
  }
  return { dx: { data: d, rows: x.rows, cols: x.cols } }
}
