/**
 * Gradient checking: analytic gradients (backward) against centred differences
 *   n_i = (L(θ + h·e_i) − L(θ − h·e_i)) / 2h
 * per parameter, with cs231n's elementwise relError and the seed's normRelError ε, verdict bands
 * on ε, the worst entries, and kink detection: an entry is a kink when the ±h evaluations land on
 * different sides of a non-differentiable point — a ReLU/leaky/PReLU input changes sign, a maxout
 * argmax changes, or an SVM hinge margin crosses 0 — so the difference quotient is not a derivative.
 */
import { verdictFor, worstVerdict } from '../../src-shared/verdicts'
import { hasKinkAtZero } from './activations'
import { cloneNet, gradName, lossAndGrads, lossOnly, netForward, parameters, type Net } from './net'
import { optimizerStep, createOptimizerState } from './optim'
import { randInt, type Rng } from './rng'
import { svmMarginSigns } from './svm-loss'
import type { FloatArray, Mat } from './tensor'
import type { GradcheckParam, GradcheckResult } from '../../src-shared/results'

// The bands are the contract's (src-shared/verdicts): one definition for engine and charts.
export { verdictFor, worstVerdict, type Verdict } from '../../src-shared/verdicts'

/** Elementwise relative error |a − n| / max(1e-8, |a| + |n|) (0 when both are 0). */
export function relErrorOf(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(1e-8, Math.abs(a) + Math.abs(n))
}

/** ‖a − n‖ / (‖a‖ + ‖n‖), 0 when both vectors are zero. */
export function normRelErrorOf(a: ArrayLike<number>, n: ArrayLike<number>): number {
  let d = 0
  let na = 0
  let nn = 0
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - n[i]!) ** 2
    na += a[i]! ** 2
    nn += n[i]! ** 2
  }
  const den = Math.sqrt(na) + Math.sqrt(nn)
  return den === 0 ? 0 : Math.sqrt(d) / den
}

/** One of a parameter's worst entries ([i, j] into a fanIn × fanOut weight, [i] into a vector). */
export type WorstEntry = GradcheckParam['worst'][number]

/** The errors and verdict of one parameter counted one way (every entry, or kinks left out). */
export type ErrorSummary = NonNullable<GradcheckParam['allEntries']>

/**
 * One parameter's check: the shared GradcheckParam (src-shared/results.ts), with both ways of
 * counting always present (only sessions from older builds lack them).
 */
export type ParamCheck = GradcheckParam & { allEntries: ErrorSummary; excludingKinks: ErrorSummary }

/** The shared GradcheckResult, with what this engine always reports made required. */
export type GradcheckReport = GradcheckResult & {
  params: ParamCheck[]
  verdicts: NonNullable<GradcheckResult['verdicts']>
}

export interface GradcheckOptions {
  /** Step h of the centred difference (the contract's GradcheckConfig.h). */
  h: number
  /** Check K random entries per parameter instead of all. */
  sample?: number
  /** Run K vanilla SGD steps on (X, y) before checking (on a copy of the net). */
  burnIn?: number
  /** Learning rate of the burn-in steps (default 0.1). */
  burnInLr?: number
  /** Leave kink entries out of relError, normRelError and the verdicts (default false). */
  excludeKinks?: boolean
  /** How many worst entries to list per parameter (default 3). */
  worst?: number
  /** Regularization strength (default net.reg). */
  reg?: number
  /** Chooses sampled entries; needed with `sample`. */
  rng?: Rng
  /**
   * The analytic gradient to check (default lossAndGrads(net, X, y, reg).grads): lets a custom or
   * hand-written backward be checked against the same numeric reference.
   */
  analytic?: <U extends FloatArray>(
    net: Net<U>,
    X: Mat<U>,
    y: ArrayLike<number>,
    reg: number
  ) => Record<string, U>
}

/** Everything a kink could flip, one array per kinked layer (and the SVM margins). */
function kinkState(net: Net, X: Mat, y: ArrayLike<number>): Int32Array[] {
  const fwd = netForward(net, X)
  const out: Int32Array[] = []
  fwd.caches.forEach((c) => {
    if (c.type === 'elementwise' && hasKinkAtZero(c.cache.act)) {
      const x = c.cache.x.data
      const s = new Int32Array(x.length)
      for (let i = 0; i < x.length; i++) s[i] = x[i]! > 0 ? 1 : 0
      out.push(s)
    } else if (c.type === 'prelu') {
      // A unit whose α is exactly 1 is the identity on both sides of 0: no kink to cross.
      const { x, alpha } = c.cache
      const D = x.cols
      const s = new Int32Array(x.data.length)
      for (let i = 0; i < s.length; i++) s[i] = x.data[i]! > 0 || alpha[i % D] === 1 ? 1 : 0
      out.push(s)
    } else if (c.type === 'maxout') {
      out.push(c.cache.argmax)
    }
  })
  if (net.loss === 'svm') out.push(Int32Array.from(svmMarginSigns(fwd.scores, y)))
  return out
}

function sameState(a: Int32Array[], b: Int32Array[]): boolean {
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!
    const y = b[k]!
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  }
  return true
}

/** `k` distinct indices of 0…n−1 (all of them when k ≥ n), in increasing order. */
function sampleIndices(n: number, k: number | undefined, rng: Rng | undefined): number[] {
  if (k === undefined || k >= n) return Array.from({ length: n }, (_, i) => i)
  if (!rng) throw new RangeError('gradcheck: sampling entries needs an rng')
  const all = Array.from({ length: n }, (_, i) => i)
  for (let i = 0; i < k; i++) {
    const j = i + randInt(rng, n - i)
    ;[all[i], all[j]] = [all[j]!, all[i]!]
  }
  return all.slice(0, k).sort((a, b) => a - b)
}

/**
 * Checks every parameter of `net` on (X[N×D], y[N]): analytic gradients from lossAndGrads against
 * centred differences of lossOnly, entry by entry (restoring each entry afterwards). Works in the
 * net's dtype; the quotient divides by the step actually stored (θ+h and θ−h rounded to the dtype).
 * The net is not modified (burn-in trains a copy).
 */
export function checkGradients<T extends FloatArray>(
  net: Net<T>,
  X: Mat<T>,
  y: ArrayLike<number>,
  opts: GradcheckOptions
): GradcheckReport {
  const h = opts.h
  const reg = opts.reg ?? net.reg
  const work = cloneNet(net)
  if (opts.burnIn) {
    const state = createOptimizerState<T>()
    for (let s = 0; s < opts.burnIn; s++) {
      const g = lossAndGrads(work, X, y, reg).grads
      optimizerStep(work.params, g, state, { name: 'sgd', lr: opts.burnInLr ?? 0.1 })
    }
  }
  const analytic = opts.analytic
    ? opts.analytic(work, X, y, reg)
    : lossAndGrads(work, X, y, reg).grads
  const params: ParamCheck[] = []
  for (const p of parameters(work)) {
    const grad = analytic[gradName(p.name)]!
    const idx = sampleIndices(p.data.length, opts.sample, opts.rng)
    const a: number[] = []
    const n: number[] = []
    const kink: boolean[] = []
    for (const i of idx) {
      const orig = p.data[i]!
      p.data[i] = orig + h
      const xp = p.data[i]!
      const fp = lossOnly(work, X, y, reg)
      const sp = kinkState(work, X, y)
      p.data[i] = orig - h
      const xm = p.data[i]!
      const fm = lossOnly(work, X, y, reg)
      const sm = kinkState(work, X, y)
      p.data[i] = orig
      a.push(grad[i]!)
      n.push((fp - fm) / (xp - xm))
      kink.push(!sameState(sp, sm))
    }
    const summary = (skipKinks: boolean): ErrorSummary => {
      const ak = a.filter((_, k) => !(skipKinks && kink[k]))
      const nk = n.filter((_, k) => !(skipKinks && kink[k]))
      let rel = 0
      for (let k = 0; k < ak.length; k++) rel = Math.max(rel, relErrorOf(ak[k]!, nk[k]!))
      const norm = normRelErrorOf(ak, nk)
      return { relError: rel, normRelError: norm, verdict: verdictFor(norm), entries: ak.length }
    }
    const allEntries = summary(false)
    const excludingKinks = summary(true)
    const { relError, normRelError } = opts.excludeKinks ? excludingKinks : allEntries
    const keep = idx.map((_, k) => !(opts.excludeKinks && kink[k]))
    const order = idx
      .map((_, k) => k)
      .filter((k) => keep[k])
      .sort((u, v) => Math.abs(a[v]! - n[v]!) - Math.abs(a[u]! - n[u]!))
      .slice(0, opts.worst ?? 3)
    params.push({
      name: p.name,
      relError,
      normRelError,
      verdict: verdictFor(normRelError),
      kinks: kink.filter(Boolean).length,
      worst: order.map((k) => {
        const i = idx[k]!
        const cols = p.shape[1]
        return {
          index: cols === undefined ? [i] : [Math.floor(i / cols), i % cols],
          analytic: a[k]!,
          numeric: n[k]!
        }
      }),
      allEntries,
      excludingKinks
    })
  }
  const report: GradcheckReport = {
    params,
    maxRelError: params.reduce((m, p) => Math.max(m, p.relError), 0),
    verdict: worstVerdict(params.map((p) => p.verdict)),
    verdicts: {
      allEntries: worstVerdict(params.map((p) => p.allEntries.verdict)),
      excludingKinks: worstVerdict(params.map((p) => p.excludingKinks.verdict))
    }
  }
  if (opts.excludeKinks) report.kinksExcluded = true
  return report
}
