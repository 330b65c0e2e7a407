/**
 * The few numbers that say what a session run found, per kind, for the run list and the
 * side-by-side comparison. Pure functions of the stored result, unit-tested.
 */
import type { SessionRun } from '../../../src-shared/session'
import { sig } from '../format'

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {})
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null)
const pct = (v: unknown): string => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '–')

export function runFacts(run: SessionRun): { label: string; value: string }[] {
  const r = obj(run.result)
  switch (run.kind) {
    case 'train': {
      const f = obj(r.final)
      const facts = [
        { label: 'status', value: String(r.status ?? 'completed') },
        { label: 'iterations', value: String(num(r.iterations) ?? '–') },
        { label: 'final loss', value: sig(num((r.losses as number[] | undefined)?.at(-1))) },
        { label: 'train acc', value: pct(f.trainAcc) },
        { label: 'val acc', value: pct(f.valAcc) },
        { label: 'test acc', value: pct(f.testAcc) },
        // Runs stored before data-parallel training had one worker.
        { label: 'workers', value: String(num(r.workers) ?? 1) }
      ]
      if (r.status === 'diverged')
        facts.push({
          label: 'diverged at',
          value:
            obj(r.divergence).reason === 'exploded'
              ? `iteration ${String(r.iteration)}, the loss exploded`
              : `iteration ${String(r.iteration)}, layer ${String(r.layer)}`
        })
      return facts
    }
    case 'compare': {
      const runs = Array.isArray(r.runs) ? (r.runs as Obj[]) : []
      return runs.map((x) => ({
        label: Object.values(obj(x.vary)).map(String).join(', '),
        value: 'error' in x ? 'failed' : `val ${pct(obj(obj(x.result).final).valAcc)}`
      }))
    }
    case 'study': {
      const modes = Array.isArray(r.modes) ? (r.modes as Obj[]) : []
      return [
        ...modes.map((m) => ({
          label: String(m.mode),
          value:
            m.mean === null
              ? 'no result'
              : `test ${pct(obj(m.mean).testAcc)} at lr ${sig(num(m.bestLr))}`
        })),
        { label: 'verdict', value: String(obj(r.verdict).text ?? '–') }
      ]
    }
    case 'depth': {
      const layers = Array.isArray(r.layers) ? (r.layers as Obj[]) : []
      const last = layers.at(-1)
      return [
        { label: 'layers', value: String(layers.length) },
        { label: 'input std', value: sig(num(obj(r.input).std)) },
        { label: 'last layer std', value: sig(num(last?.std)) }
      ]
    }
    case 'gradcheck':
      return [
        { label: 'verdict', value: String(r.verdict ?? '–') },
        { label: 'max rel error', value: sig(num(r.maxRelError)) }
      ]
    case 'sanity': {
      const checks = Array.isArray(r.checks) ? (r.checks as Obj[]) : []
      return [
        { label: 'all pass', value: r.pass ? 'yes' : 'no' },
        ...checks.map((c) => ({ label: String(c.name), value: c.pass ? 'pass' : 'fail' }))
      ]
    }
    case 'preprocess': {
      const t = obj(obj(obj(r.report).after).train)
      return [
        { label: 'mode', value: String(obj(r.report).mode ?? run.config.mode ?? '–') },
        { label: 'train mean', value: sig(num(t.mean)) },
        { label: 'train std', value: sig(num(t.std)) }
      ]
    }
    case 'dataset': {
      const d = obj(r.description)
      const s = obj(d.splits)
      return [
        { label: 'train', value: String(obj(s.train).count ?? '–') },
        { label: 'test', value: String(obj(s.test).count ?? '–') }
      ]
    }
    case 'scalar-check': {
      const series = Array.isArray(r.series) ? (r.series as Obj[]) : []
      return [
        { label: 'function', value: `${String(r.label ?? r.fn ?? '–')} at x = ${String(r.x)}` },
        ...series.map((s) => ({
          label: `${String(s.dtype)} slopes`,
          value: `forward ${sig(num(obj(s.forward).slope), 3)}, centred ${sig(num(obj(s.centred).slope), 3)}`
        }))
      ]
    }
    case 'omega': {
      const series = Array.isArray(r.series) ? (r.series as Obj[]) : []
      return series.map((s) => ({
        label: `ω = ${String(s.omega)}`,
        value: `δ¹/δᴸ ${sig(num(obj(s.first).ratio), 4)} (ω^(L−1) = ${sig(num(obj(s.first).predicted), 4)})`
      }))
    }
    case 'lecture': {
      const cards = Array.isArray(r.cards) ? (r.cards as Obj[]) : []
      const count = (v: string): number => cards.filter((c) => c.verdict === v).length
      return [
        { label: 'claims', value: String(cards.length) },
        { label: 'reproduce', value: String(count('reproduces')) },
        { label: 'differ', value: String(count('differs')) },
        { label: 'lecture off', value: String(count('lecture-off')) },
        { label: 'all as expected', value: r.pass ? 'yes' : 'no' }
      ]
    }
    default:
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
