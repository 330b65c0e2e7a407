/**
 * Two pinned session runs side by side: what to compare for each run kind, and each stored
 * result turned into the input of the views' own chart builders. Runs reach here checked: the
 * service reads every stored result with its kind's schema (src-shared/result-schemas.ts) when
 * a session is opened — migrating what older builds and the CLI wrote ("NaN" strings, fields
 * not measured then) or refusing the file — so every reader here takes the declared types.
 */
import type { Histogram } from '../../../src-shared/contract'
import type { DatasetSummary, PreprocessJobResult } from '../../../src-shared/datasets'
import type {
  CompareResult,
  DepthResult,
  GradcheckResult,
  SanityCheck,
  SanityResult,
  Verdict
} from '../../../src-shared/results'
import type { CheckedRun, RunKind } from '../../../src-shared/session'
import type { NamedRun } from '../charts/depth'
import { fitLines } from '../explain/preprocessing'
import { sig } from '../format'
import { runFacts } from './runSummary'

// ---------------------------------------------------------------- what to show

/** The two slots runs are pinned to. */
export const SLOTS = ['A', 'B'] as const

/** "A: title" — how charts and tables name the run in slot i. */
export function slotName(runs: readonly (CheckedRun | null)[], i: number): string {
  return `${SLOTS[i]}: ${runs[i]?.title ?? ''}`
}

export type SideBySidePlan =
  | { mode: 'none' }
  /** Only one slot holds a run. */
  | { mode: 'one'; kind: RunKind }
  | { mode: 'same'; kind: RunKind }
  | { mode: 'mixed'; kinds: [RunKind, RunKind] }

export function sideBySidePlan(a: CheckedRun | null, b: CheckedRun | null): SideBySidePlan {
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
export function factStats(run: CheckedRun): Stat[] {
  return runFacts(run).map((f) => ({ name: f.label, value: f.value }))
}

// ---------------------------------------------------------------- depth

/** A depth run's result as the Depth charts' input; null when it has no layers to draw. */
export function depthResultOf(result: DepthResult): DepthResult | null {
  return result.layers.length > 0 ? result : null
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
  /** The verdict quantity ‖a − n‖ / (‖a‖ + ‖n‖). */
  eps: number
  verdict: Verdict
}

/** A gradient check's parameters, or null when the result lists none. */
export function gradcheckParamsOf(result: GradcheckResult): GradcheckParamView[] | null {
  if (result.params.length === 0) return null
  return result.params.map((p) => ({ name: p.name, eps: p.normRelError, verdict: p.verdict }))
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

function sanityText(c: SanityCheck): string {
  switch (c.name) {
    case 'initial-loss':
      return `${sig(c.value, 4)} (expected ${sig(c.expected, 4)})`
    case 'regularization-raises-loss': {
      const first = c.values[0]
      const last = c.values.at(-1)
      return first && last
        ? `loss ${sig(first.loss, 4)} → ${sig(last.loss, 4)} (reg ${sig(first.reg)} → ${sig(last.reg)})`
        : 'no values'
    }
    case 'overfit-small-subset': {
      const acc = c.trainAcc
      return `train acc ${Number.isFinite(acc) ? `${(acc * 100).toFixed(1)} %` : sig(acc)}, loss ${sig(c.finalLoss)} after ${c.epochs} epochs on ${c.examples} examples`
    }
  }
}

function sanityCell(result: SanityResult | undefined, name: SanityCheck['name']): SanityRowCell {
  const c = result?.checks.find((x) => x.name === name)
  return c ? { text: sanityText(c), pass: c.pass } : { text: 'not run', pass: null }
}

/** The three checks of A and B, one row each (an empty slot: 'not run'). */
export function sanityRows(a: SanityResult | undefined, b: SanityResult | undefined): SanityRow[] {
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
export function overfitCurveOf(result: SanityResult): OverfitPoint[] {
  const c = result.checks.find((x) => x.name === 'overfit-small-subset')
  return c?.name === 'overfit-small-subset' ? (c.curve ?? []) : []
}

// ---------------------------------------------------------------- compare

/** A comparison run's varied settings as a label: "lr=0.001, init=he". */
export function varyLabel(vary: Record<string, unknown>): string {
  const e = Object.entries(vary)
  return e.length ? e.map(([k, v]) => `${k}=${String(v)}`).join(', ') : 'run'
}

export interface CompareAccuracy {
  name: string
  valAcc: number | null
  testAcc: number | null
  failed: boolean
}

/** Final accuracies of a training comparison's runs, each name prefixed (e.g. "A · lr=0.01"); none for a depth comparison. */
export function compareAccuracies(result: CompareResult, prefix: string): CompareAccuracy[] {
  if (result.base !== 'train') return []
  return result.runs.map((x) => {
    if ('error' in x)
      return {
        name: `${prefix} · ${varyLabel(x.vary)} (failed)`,
        valAcc: null,
        testAcc: null,
        failed: true
      }
    const f = x.result.final
    const diverged = x.result.status === 'diverged'
    return {
      name: `${prefix} · ${varyLabel(x.vary)}${diverged ? ' (diverged)' : ''}`,
      valAcc: f?.valAcc ?? null,
      testAcc: f?.testAcc ?? null,
      failed: false
    }
  })
}

/** A depth comparison's runs as Depth chart runs (failed or empty ones left out); none for a training comparison. */
export function compareDepthRuns(result: CompareResult, prefix: string): NamedRun[] {
  if (result.base !== 'depth') return []
  return result.runs.flatMap((x) => {
    const r = 'error' in x ? null : depthResultOf(x.result)
    return r ? [{ name: `${prefix} · ${varyLabel(x.vary)}`, result: r }] : []
  })
}

// ---------------------------------------------------------------- preprocess and dataset

const vec = (a: readonly number[], digits = 4): string =>
  a.length ? a.map((x) => sig(x, digits)).join(', ') : '–'

/** A preprocessing fit's statistics: the fitted quantities, then the data after the transform. */
export function preprocessStats(result: PreprocessJobResult): Stat[] {
  const { report } = result
  const split = (name: 'train' | 'val' | 'test'): Stat[] => {
    const s = report.after[name]
    if (!s) return []
    return [
      { name: `after: ${name} mean, std`, value: `${sig(s.mean)}, ${sig(s.std)}` },
      { name: `after: ${name} channel means`, value: vec(s.channelMean, 3) },
      { name: `after: ${name} channel stds`, value: vec(s.channelStd, 3) }
    ]
  }
  return [
    { name: 'mode', value: report.mode },
    ...fitLines(report.fit),
    ...split('train'),
    ...split('val'),
    ...split('test')
  ]
}

/** A dataset description's statistics (pixel statistics on the 0–255 scale). */
export function datasetStats(result: DatasetSummary): Stat[] {
  const d = result.description
  return [
    { name: 'format', value: d.format },
    { name: 'train images', value: d.splits.train.count.toLocaleString('en') },
    { name: 'test images', value: d.splits.test.count.toLocaleString('en') },
    { name: 'channel means (R, G, B)', value: vec(d.stats.channelMean) },
    { name: 'channel stds (R, G, B)', value: vec(d.stats.channelStd) },
    { name: 'warnings', value: String(d.warnings.length) },
    { name: 'fingerprint', value: result.fingerprint.slice(0, 12) }
  ]
}
