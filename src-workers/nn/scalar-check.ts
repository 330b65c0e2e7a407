/**
 * The lecture's scalar gradient check: the forward difference (f(x+h) − f(x))/h and the centred
 * difference (f(x+h) − f(x−h))/2h of one function at one point, against the exact derivative,
 * for h from 1 down to 1e-16, in float64 and in float32.
 *
 * Truncation: forward error ≈ |f″|·h/2 (O(h)), centred ≈ |f‴|·h²/6 (O(h²)); round-off: about
 * ε·|f|/h, ε the unit round-off of the arithmetic. The measured error is therefore a V on
 * log–log axes; its right arm has slope 1 (forward) or 2 (centred), fitted here by least squares
 * on log10 error against log10 h over h ≥ 3·h*, where h* is the predicted best step
 * (forward 2√(ε|f|/|f″|), centred (3ε|f|/|f‴|)^⅓). The floor is the smallest error measured and
 * the h where it occurs.
 *
 * float32 arithmetic is emulated exactly with Math.fround after every operation (x ± h, the
 * function — correctly rounded for sin and exp —, the difference, the division).
 *
 * At a kink (|x| and max(0, x) at 0) there is no derivative: the report gives the one-sided
 * derivatives and the estimates, which stay at the right-hand slope (forward) and at the
 * average of the two slopes (centred) for every h.
 */

import type { ScalarCheckConfig } from '../../src-shared/experiments'
import type {
  ScalarCheckResult,
  ScalarFit,
  ScalarPoint,
  ScalarSeries
} from '../../src-shared/results'

export const SCALAR_FUNCTIONS = ['x4', 'sin', 'exp', 'abs', 'relu'] as const
export type ScalarFunction = (typeof SCALAR_FUNCTIONS)[number]

interface ScalarRule {
  label: string
  /** The default point: the lecture's x = 3 for x⁴, the kink for |x| and max(0, x). */
  x0: number
  f(x: number, r: (v: number) => number): number
  /** f′, f″, f‴ at x (null where undefined: at a kink). */
  d(x: number): [number, number, number] | null
  /** One-sided derivatives at x: [left, right]. */
  sides(x: number): [number, number]
}

const RULES: Record<ScalarFunction, ScalarRule> = {
  x4: {
    label: 'x⁴',
    x0: 3,
    f: (x, r) => {
      const x2 = r(x * x)
      return r(x2 * x2)
    },
    d: (x) => [4 * x ** 3, 12 * x ** 2, 24 * x],
    sides: (x) => [4 * x ** 3, 4 * x ** 3]
  },
  sin: {
    label: 'sin x',
    x0: 1,
    f: (x, r) => r(Math.sin(x)),
    d: (x) => [Math.cos(x), -Math.sin(x), -Math.cos(x)],
    sides: (x) => [Math.cos(x), Math.cos(x)]
  },
  exp: {
    label: 'eˣ',
    x0: 1,
    f: (x, r) => r(Math.exp(x)),
    d: (x) => [Math.exp(x), Math.exp(x), Math.exp(x)],
    sides: (x) => [Math.exp(x), Math.exp(x)]
  },
  abs: {
    label: '|x|',
    x0: 0,
    f: (x) => Math.abs(x),
    d: (x) => (x === 0 ? null : [Math.sign(x), 0, 0]),
    sides: (x) => (x === 0 ? [-1, 1] : [Math.sign(x), Math.sign(x)])
  },
  relu: {
    label: 'max(0, x)',
    x0: 0,
    f: (x) => (x > 0 ? x : 0),
    d: (x) => (x === 0 ? null : [x > 0 ? 1 : 0, 0, 0]),
    sides: (x) => (x === 0 ? [0, 1] : x > 0 ? [1, 1] : [0, 0])
  }
}

export function scalarLabel(fn: ScalarFunction): string {
  return RULES[fn].label
}
export function scalarDefaultX(fn: ScalarFunction): number {
  return RULES[fn].x0
}

/** Unit round-off of each arithmetic (half the machine epsilon). */
export const UNIT_ROUNDOFF = { float64: 2 ** -53, float32: 2 ** -24 } as const

/**
 * The contract's configuration, parsed: the function, the point (absent: the function's own
 * x0), steps per decade of h (h = 10^(−k/perDecade), from 1 to 1e-16).
 */
export type ScalarCheckOptions = ScalarCheckConfig

const identity = (v: number): number => v

/** Least-squares slope of y on x. */
export function lsSlope(xs: number[], ys: number[]): number {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my)
    sxx += (xs[i]! - mx) ** 2
  }
  return sxy / sxx
}

function fit(
  points: ScalarPoint[],
  key: 'forwardError' | 'centredError',
  bestH: number | null
): ScalarFit {
  let floor: { h: number; error: number } | null = null
  for (const p of points) {
    const e = p[key]
    if (e !== null && (floor === null || e < floor.error)) floor = { h: p.h, error: e }
  }
  if (bestH === null || !Number.isFinite(bestH))
    return { slope: null, fitFrom: null, fitTo: null, predictedBestH: null, floor }
  const used = points.filter((p) => p.h >= 3 * bestH && (p[key] ?? 0) > 0)
  if (used.length < 3)
    return { slope: null, fitFrom: null, fitTo: null, predictedBestH: bestH, floor }
  const slope = lsSlope(
    used.map((p) => Math.log10(p.h)),
    used.map((p) => Math.log10(p[key]!))
  )
  return {
    slope,
    fitFrom: Math.min(...used.map((p) => p.h)),
    fitTo: Math.max(...used.map((p) => p.h)),
    predictedBestH: bestH,
    floor
  }
}

function series(
  rule: ScalarRule,
  x: number,
  dtype: 'float64' | 'float32',
  perDecade: number
): ScalarSeries {
  const r = dtype === 'float32' ? Math.fround : identity
  const xr = r(x)
  const d = rule.d(xr)
  const fx = rule.f(xr, r)
  const points: ScalarPoint[] = []
  for (let k = 0; k <= 16 * perDecade; k++) {
    const h = r(10 ** (-k / perDecade))
    const fp = rule.f(r(xr + h), r)
    const fm = rule.f(r(xr - h), r)
    const forward = r(r(fp - fx) / h)
    const centred = r(r(fp - fm) / r(2 * h))
    points.push({
      h,
      forward,
      centred,
      forwardError: d ? Math.abs(forward - d[0]) : null,
      centredError: d ? Math.abs(centred - d[0]) : null
    })
  }
  const u = UNIT_ROUNDOFF[dtype]
  const f = Math.max(Math.abs(fx), Number.MIN_VALUE)
  const fwdBest = d && d[1] !== 0 ? 2 * Math.sqrt((u * f) / Math.abs(d[1])) : null
  const cenBest = d && d[2] !== 0 ? Math.cbrt((3 * u * f) / Math.abs(d[2])) : null
  return {
    dtype,
    points,
    forward: fit(points, 'forwardError', fwdBest),
    centred: fit(points, 'centredError', cenBest)
  }
}

/** The scalar check of `fn` at x in float64 and float32 (see the file comment). */
export function scalarCheck(opts: ScalarCheckOptions): ScalarCheckResult {
  const rule = RULES[opts.fn]
  const x = opts.x ?? rule.x0
  const perDecade = opts.perDecade
  const d = rule.d(x)
  const [left, right] = rule.sides(x)
  const result: ScalarCheckResult = {
    fn: opts.fn,
    label: rule.label,
    x,
    value: rule.f(x, identity),
    exact: d ? d[0] : null,
    left,
    right,
    series: [series(rule, x, 'float64', perDecade), series(rule, x, 'float32', perDecade)]
  }
  if (opts.fn === 'x4' && x === 3) {
    const h = 0.001
    const fPlus = rule.f(3 + h, identity)
    const fMinus = rule.f(3 - h, identity)
    result.lecture = {
      h,
      printed: { fPlus: 81.108054, fMinus: 80.892054, centred: 108.000006 },
      measured: { fPlus, fMinus, centred: (fPlus - fMinus) / (2 * h) }
    }
  }
  return result
}
