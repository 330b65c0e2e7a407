/**
 * Two pinned session runs side by side: what to compare for each run kind, and each stored
 * result turned into the input of the views' own chart builders. Results reach here as plain
 * JSON — possibly from a saved file written by an older build (optional fields missing) or by
 * the CLI (NaN/Infinity written as strings) — so every reader here tolerates absent or odd
 * fields: a missing number becomes NaN (drawn as a gap, printed as "NaN"), a missing list empty,
 * and a result with nothing usable gives null (the view then shows only the run's facts).
 */
import type { Histogram } from '../../../src-shared/contract'
import type { DepthLayer, DepthResult, Verdict } from '../../../src-shared/results'
import type { RunKind, SessionRun } from '../../../src-shared/session'
import type { NamedRun } from '../charts/depth'
import { verdictOf } from '../charts/gradcheck'
import { fitLines } from '../explain/preprocessing'
import { sig } from '../format'
import { runFacts } from './runSummary'

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

/** A number as stored: a number, or the CLI's "NaN" / "Infinity" / "-Infinity" strings; else NaN. */
export function numberOf(v: unknown): number {
  if (typeof v === 'number') return v
  if (v === 'NaN') return NaN
  if (v === 'Infinity') return Infinity
  if (v === '-Infinity') return -Infinity
  return NaN
}
const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : numberOf(v)
const numbers = (v: unknown): number[] => list(v).map(numberOf)

// ---------------------------------------------------------------- what to show

/** The two slots runs are pinned to. */
export const SLOTS = ['A', 'B'] as const

/** "A: title" — how charts and tables name the run in slot i. */
export function slotName(runs: readonly (SessionRun | null)[], i: number): string {
  return `${SLOTS[i]}: ${runs[i]?.title ?? ''}`
}

export type SideBySidePlan =
  | { mode: 'none' }
  /** Only one slot holds a run. */
  | { mode: 'one'; kind: RunKind }
  | { mode: 'same'; kind: RunKind }
  | { mode: 'mixed'; kinds: [RunKind, RunKind] }

export function sideBySidePlan(a: SessionRun | null, b: SessionRun | null): SideBySidePlan {
  if (a && b)
    return a.kind === b.kind
      ? { mode: 'same', kind: a.kind }
      : { mode: 'mixed', kinds: [a.kind, b.kind] }
  const one = a ?? b
  return one ? { mode: 'one', kind: one.kind } : { mode: 'none' }
}

const KIND_NOUN: Record<RunKind, string> = {
  depth: 'a depth run',
  gradcheck: 'a gradient check',
  sanity: 'a sanity check',
  train: 'a training run',
  compare: 'a comparison',
  loss: 'a loss evaluation',
  preprocess: 'a preprocessing fit',
  dataset: 'a dataset description',
  sample: 'a sample',
  'scalar-check': 'a scalar gradient check',
  omega: 'a W = ωI demonstration',
  lecture: 'a lecture report',
  study: 'a preprocessing study'
}

/** The plain sentence shown when A and B are different kinds of run. */
export function mixedKindsText(kinds: [RunKind, RunKind]): string {
  return `A is ${KIND_NOUN[kinds[0]]} and B is ${KIND_NOUN[kinds[1]]}: they measure different things, so nothing is overlaid — each is summarised on its own. Pin two runs of the same kind to compare them.`
}

// ---------------------------------------------------------------- pairs of values

export interface Stat {
  name: string
  value: string
}
export interface StatPair {
  name: string
  a: string
  b: string
}

/** Two lists of named values as one table: A's order first, then what only B has ('–' where absent). */
export function pairStats(a: Stat[], b: Stat[]): StatPair[] {
  const names = [...new Set([...a.map((s) => s.name), ...b.map((s) => s.name)])]
  const find = (l: Stat[], n: string): string => l.find((s) => s.name === n)?.value ?? '–'
  return names.map((name) => ({ name, a: find(a, name), b: find(b, name) }))
}

/** runFacts as stats, for kinds with nothing more to draw (loss, sample, …). */
export function factStats(run: SessionRun): Stat[] {
  return runFacts(run).map((f) => ({ name: f.label, value: f.value }))
}

// ---------------------------------------------------------------- depth

const moments = (v: unknown): { mean: number; std: number; norm: number } => {
  const m = obj(v)
  return { mean: numberOf(m.mean), std: numberOf(m.std), norm: numberOf(m.norm) }
}

/** A stored histogram, or an empty one when its edges and counts do not fit together. */
export function histogramOf(v: unknown): Histogram {
  const h = obj(v)
  const edges = numbers(h.edges)
  const counts = numbers(h.counts)
  return counts.length > 0 && edges.length === counts.length + 1
    ? { edges, counts }
    : { edges: [], counts: [] }
}

/**
 * A depth run's stored result as the Depth charts' input; null when it has no layers.
 * Layers without a number are numbered by position.
 */
export function depthResultOf(result: unknown): DepthResult | null {
  const r = obj(result)
  if (!Array.isArray(r.layers) || r.layers.length === 0) return null
  const layers: DepthLayer[] = r.layers.map((x, i) => {
    const l = obj(x)
    const n = numberOf(l.layer)
    return {
      layer: Number.isInteger(n) ? n : i + 1,
      mean: numberOf(l.mean),
      std: numberOf(l.std),
      preMean: numberOf(l.preMean),
      preStd: numberOf(l.preStd),
      saturated: numberOf(l.saturated),
      dead: numberOf(l.dead),
      hist: histogramOf(l.hist),
      dW: moments(l.dW),
      dX: moments(l.dX)
    }
  })
  return {
    config: obj(r.config) as unknown as DepthResult['config'],
    input: moments(r.input),
    layers,
    loss: numberOf(r.loss)
  }
}

/** The same layer's histogram from each run that has it (runs keep their A/B colour index). */
export function layerHistograms(
  runs: (NamedRun | null)[],
  layer: number
): { name: string; hist: Histogram; index: number }[] {
  return runs.flatMap((r, index) => {
    const l = r?.result.layers.find((x) => x.layer === layer)
    return r && l && l.hist.counts.length > 0 ? [{ name: r.name, hist: l.hist, index }] : []
  })
}

// ---------------------------------------------------------------- gradcheck

export interface GradcheckParamView {
  name: string
  /** The verdict quantity ‖a − n‖ / (‖a‖ + ‖n‖); an older result's relError when that is all it has. */
  eps: number
  verdict: Verdict
}

const VERDICTS: readonly string[] = ['great', 'check', 'concern', 'wrong']

/** A gradient check's parameters, or null when the result lists none. */
export function gradcheckParamsOf(result: unknown): GradcheckParamView[] | null {
  const params = list(obj(result).params)
  if (params.length === 0) return null
  return params.map((x, i) => {
    const p = obj(x)
    const eps = p.normRelError !== undefined ? numberOf(p.normRelError) : numberOf(p.relError)
    const verdict =
      typeof p.verdict === 'string' && VERDICTS.includes(p.verdict)
        ? (p.verdict as Verdict)
        : verdictOf(eps)
    return { name: typeof p.name === 'string' ? p.name : `param ${i + 1}`, eps, verdict }
  })
}

export interface GradcheckPair {
  name: string
  a: GradcheckParamView | null
  b: GradcheckParamView | null
}

/** Parameters of A and B matched by name (A's order, then B's extras). */
export function gradcheckPairs(a: GradcheckParamView[], b: GradcheckParamView[]): GradcheckPair[] {
  const names = [...new Set([...a.map((p) => p.name), ...b.map((p) => p.name)])]
  return names.map((name) => ({
    name,
    a: a.find((p) => p.name === name) ?? null,
    b: b.find((p) => p.name === name) ?? null
  }))
}

// ---------------------------------------------------------------- sanity

export interface SanityRowCell {
  text: string
  pass: boolean | null
}
export interface SanityRow {
  check: string
  a: SanityRowCell
  b: SanityRowCell
}

const SANITY_CHECKS = [
  { name: 'initial-loss', label: 'initial loss ≈ ln C' },
  { name: 'regularization-raises-loss', label: 'regularization raises the loss' },
  { name: 'overfit-small-subset', label: 'overfits a small subset' }
] as const

function sanityCell(result: unknown, name: string): SanityRowCell {
  const c = list(obj(result).checks)
    .map(obj)
    .find((x) => x.name === name)
  if (!c) return { text: 'not run', pass: null }
  const pass = typeof c.pass === 'boolean' ? c.pass : null
  let text: string
  if (name === 'initial-loss') {
    text = `${sig(numberOf(c.value), 4)} (expected ${sig(numberOf(c.expected), 4)})`
  } else if (name === 'regularization-raises-loss') {
    const v = list(c.values).map(obj)
    const first = v[0]
    const last = v.at(-1)
    text =
      first && last
        ? `loss ${sig(numberOf(first.loss), 4)} → ${sig(numberOf(last.loss), 4)} (reg ${sig(numberOf(first.reg))} → ${sig(numberOf(last.reg))})`
        : 'no values'
  } else {
    const acc = numberOf(c.trainAcc)
    text = `train acc ${Number.isFinite(acc) ? `${(acc * 100).toFixed(1)} %` : sig(acc)}, loss ${sig(numberOf(c.finalLoss))} after ${c.epochs ?? '?'} epochs on ${c.examples ?? '?'} examples`
  }
  return { text, pass }
}

/** The three checks of A and B, one row each. */
export function sanityRows(a: unknown, b: unknown): SanityRow[] {
  return SANITY_CHECKS.map((c) => ({
    check: c.label,
    a: sanityCell(a, c.name),
    b: sanityCell(b, c.name)
  }))
}

export interface OverfitPoint {
  epoch: number
  loss: number
  trainAcc: number
}

/** The overfit check's curve; empty when the run kept none (older runs, or curve not recorded). */
export function overfitCurveOf(result: unknown): OverfitPoint[] {
  const c = list(obj(result).checks)
    .map(obj)
    .find((x) => x.name === 'overfit-small-subset')
  return list(c?.curve)
    .map(obj)
    .map((p) => ({
      epoch: numberOf(p.epoch),
      loss: numberOf(p.loss),
      trainAcc: numberOf(p.trainAcc)
    }))
    .filter((p) => Number.isFinite(p.epoch))
}

// ---------------------------------------------------------------- compare

/** A comparison run's varied settings as a label: "lr=0.001, init=he". */
export function varyLabel(vary: unknown): string {
  const e = Object.entries(obj(vary))
  return e.length ? e.map(([k, v]) => `${k}=${String(v)}`).join(', ') : 'run'
}

export interface CompareAccuracy {
  name: string
  valAcc: number | null
  testAcc: number | null
  failed: boolean
}

/** Final accuracies of a training comparison's runs, each name prefixed (e.g. "A · lr=0.01"). */
export function compareAccuracies(result: unknown, prefix: string): CompareAccuracy[] {
  return list(obj(result).runs)
    .map(obj)
    .map((x) => {
      const failed = 'error' in x
      const diverged = !failed && obj(x.result).status === 'diverged'
      const f = obj(obj(x.result).final)
      return {
        name: `${prefix} · ${varyLabel(x.vary)}${failed ? ' (failed)' : diverged ? ' (diverged)' : ''}`,
        valAcc: failed ? null : numOrNull(f.valAcc),
        testAcc: failed ? null : numOrNull(f.testAcc),
        failed
      }
    })
}

/** A depth comparison's runs as Depth chart runs (failed or empty ones left out). */
export function compareDepthRuns(result: unknown, prefix: string): NamedRun[] {
  return list(obj(result).runs)
    .map(obj)
    .flatMap((x) => {
      const r = 'error' in x ? null : depthResultOf(x.result)
      return r ? [{ name: `${prefix} · ${varyLabel(x.vary)}`, result: r }] : []
    })
}

/** The base experiment a comparison ran ('train' or 'depth'); older runs may only say it in config. */
export function compareBase(run: SessionRun): 'train' | 'depth' {
  const b = obj(run.result).base ?? run.config.base
  return b === 'depth' ? 'depth' : 'train'
}

// ---------------------------------------------------------------- preprocess and dataset

const vec = (v: unknown, digits = 4): string => {
  const a = numbers(v)
  return a.length ? a.map((x) => sig(x, digits)).join(', ') : '–'
}

/** A preprocessing fit's statistics: the fitted quantities, then the data after the transform. */
export function preprocessStats(run: SessionRun): Stat[] {
  const report = obj(obj(run.result).report)
  const after = obj(report.after)
  const split = (name: string): Stat[] => {
    const s = obj(after[name])
    if (Object.keys(s).length === 0) return []
    return [
      {
        name: `after: ${name} mean, std`,
        value: `${sig(numberOf(s.mean))}, ${sig(numberOf(s.std))}`
      },
      { name: `after: ${name} channel means`, value: vec(s.channelMean, 3) },
      { name: `after: ${name} channel stds`, value: vec(s.channelStd, 3) }
    ]
  }
  const mode = report.mode ?? obj(run.config).mode
  return [
    { name: 'mode', value: typeof mode === 'string' ? mode : '–' },
    ...fitLines(obj(report.fit)),
    ...split('train'),
    ...split('val'),
    ...split('test')
  ]
}

/** A dataset description's statistics (pixel statistics on the 0–255 scale). */
export function datasetStats(run: SessionRun): Stat[] {
  const r = obj(run.result)
  const d = obj(r.description)
  const splits = obj(d.splits)
  const stats = obj(d.stats)
  const count = (s: string): string => {
    const c = obj(splits[s]).count
    return typeof c === 'number' ? c.toLocaleString('en') : '–'
  }
  return [
    { name: 'format', value: typeof d.format === 'string' ? d.format : '–' },
    { name: 'train images', value: count('train') },
    { name: 'test images', value: count('test') },
    { name: 'channel means (R, G, B)', value: vec(stats.channelMean) },
    { name: 'channel stds (R, G, B)', value: vec(stats.channelStd) },
    { name: 'warnings', value: String(list(d.warnings).length) },
    {
      name: 'fingerprint',
      value: typeof r.fingerprint === 'string' ? r.fingerprint.slice(0, 12) : '–'
    }
  ]
}
