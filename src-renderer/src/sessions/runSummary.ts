/**
 * The few numbers that say what a session run found, per kind, for the run list and the
 * side-by-side comparison. Pure functions of the stored result — checked by its kind's schema
 * when the session was opened (src-shared/result-schemas.ts), so read as its declared type —
 * unit-tested.
 */
import type { CheckedRun } from '../../../src-shared/session'
import { sig } from '../format'

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {})
const pct = (v: number | null | undefined): string =>
  typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '–'

export function runFacts(run: CheckedRun): { label: string; value: string }[] {
  switch (run.kind) {
    case 'train': {
      const r = run.result
      const facts = [
        { label: 'status', value: r.status },
        { label: 'iterations', value: String(r.iterations) },
        { label: 'final loss', value: sig(r.losses.at(-1) ?? null) },
        { label: 'train acc', value: pct(r.final?.trainAcc) },
        { label: 'val acc', value: pct(r.final?.valAcc) },
        { label: 'test acc', value: pct(r.final?.testAcc) },
        // Runs stored before data-parallel training had one worker (the schema says so).
        { label: 'workers', value: String(r.workers) }
      ]
      if (r.status === 'diverged')
        facts.push({
          label: 'diverged at',
          value:
            r.divergence.reason === 'exploded'
              ? `iteration ${r.iteration}, the loss exploded`
              : `iteration ${r.iteration}, layer ${r.layer}`
        })
      return facts
    }
    case 'compare':
      return run.result.runs.map((x) => ({
        label: Object.values(x.vary).map(String).join(', '),
        value:
          'error' in x
            ? 'failed'
            : `val ${pct('final' in x.result ? x.result.final?.valAcc : undefined)}`
      }))
    case 'study': {
      const r = run.result
      return [
        ...r.modes.map((m) => ({
          label: m.mode,
          value:
            m.mean === null ? 'no result' : `test ${pct(m.mean.testAcc)} at lr ${sig(m.bestLr)}`
        })),
        { label: 'verdict', value: r.verdict.text }
      ]
    }
    case 'depth': {
      const r = run.result
      return [
        { label: 'layers', value: String(r.layers.length) },
        { label: 'input std', value: sig(r.input.std) },
        { label: 'last layer std', value: sig(r.layers.at(-1)?.std ?? null) }
      ]
    }
    case 'gradcheck':
      return [
        { label: 'verdict', value: run.result.verdict },
        { label: 'max rel error', value: sig(run.result.maxRelError) }
      ]
    case 'sanity':
      return [
        { label: 'all pass', value: run.result.pass ? 'yes' : 'no' },
        ...run.result.checks.map((c) => ({ label: c.name, value: c.pass ? 'pass' : 'fail' }))
      ]
    case 'preprocess': {
      const { report } = run.result
      return [
        { label: 'mode', value: report.mode },
        { label: 'train mean', value: sig(report.after.train.mean) },
        { label: 'train std', value: sig(report.after.train.std) }
      ]
    }
    case 'dataset': {
      const s = run.result.description.splits
      return [
        { label: 'train', value: String(s.train.count) },
        { label: 'test', value: String(s.test.count) }
      ]
    }
    case 'scalar-check': {
      const r = run.result
      return [
        { label: 'function', value: `${r.label} at x = ${r.x}` },
        ...r.series.map((s) => ({
          label: `${s.dtype} slopes`,
          value: `forward ${sig(s.forward.slope, 3)}, centred ${sig(s.centred.slope, 3)}`
        }))
      ]
    }
    case 'omega':
      return run.result.series.map((s) => ({
        label: `ω = ${s.omega}`,
        value: `δ¹/δᴸ ${sig(s.first.ratio, 4)} (ω^(L−1) = ${sig(s.first.predicted, 4)})`
      }))
    case 'lecture': {
      const cards = run.result.cards
      const count = (v: string): number => cards.filter((c) => c.verdict === v).length
      return [
        { label: 'claims', value: String(cards.length) },
        { label: 'reproduce', value: String(count('reproduces')) },
        { label: 'differ', value: String(count('differs')) },
        { label: 'lecture off', value: String(count('lecture-off')) },
        { label: 'all as expected', value: run.result.pass ? 'yes' : 'no' }
      ]
    }
    case 'loss':
    case 'sample':
      return []
  }
}

/** Which activations use each activation parameter (the others ignore it). */
const PARAM_USERS: Record<string, readonly string[]> = {
  slope: ['leaky-relu'],
  alpha: ['elu'],
  preluAlpha: ['prelu'],
  pieces: ['maxout']
}

/** The values a setting takes in a run: its own, and a comparison's varied ones. */
function valuesOf(config: Obj, vary: Obj, key: string): unknown[] {
  const varied = vary[key]
  return [...(key in config ? [config[key]] : []), ...(Array.isArray(varied) ? varied : [])]
}

/**
 * A run's configuration without the settings the run did not use: the normal std unless some
 * init is `normal`, and each activation parameter unless some activation uses it (leaky slope,
 * ELU α, PReLU α, maxout pieces). A comparison keeps what any of its runs used.
 */
export function usedConfig(config: Obj, vary: Obj = obj(config.vary)): Obj {
  const out: Obj = {}
  const inits = valuesOf(config, vary, 'init')
  const activations = valuesOf(config, vary, 'activation')
  for (const [key, v] of Object.entries(config)) {
    if (key === 'std' && inits.length > 0 && !inits.includes('normal')) continue
    if (key === 'params' && typeof v === 'object' && v !== null && activations.length > 0) {
      // Runs made before PReLU had its own α used `alpha` for it.
      const users = (p: string): readonly unknown[] =>
        p === 'alpha' && !('preluAlpha' in v) ? ['elu', 'prelu'] : (PARAM_USERS[p] ?? activations)
      const kept = Object.entries(v).filter(([p]) => users(p).some((a) => activations.includes(a)))
      if (kept.length > 0) out[key] = Object.fromEntries(kept)
      continue
    }
    // A comparison's base configuration, judged with the settings the comparison varies.
    if (key === 'config' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      out[key] = usedConfig(v as Obj, vary)
      continue
    }
    out[key] = v
  }
  return out
}

/**
 * A run's configuration as short "key value" pairs (nested objects flattened one level), only
 * the settings the run used (usedConfig).
 */
export function configPairs(config: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(usedConfig(config)).map(([key, v]) => ({
    key,
    value:
      typeof v === 'object' && v !== null
        ? Array.isArray(v)
          ? v.map(String).join(', ')
          : Object.entries(v)
              .map(([k, x]) => `${k}=${String(x)}`)
              .join(' ')
        : String(v)
  }))
}
