// Documents that look like what the experiments produce, for session tests and the benchmark.
import type { JsonObject, JsonValue, SessionDoc, SessionRun } from '../../../src-shared/session'
import { createSession, newRun } from '../../../src-main/lab/sessions/store'

/** A small seeded generator (mulberry32) so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function depthConfig(seed: number): JsonObject {
  return {
    layers: 10,
    width: 500,
    activation: 'tanh',
    init: 'normal',
    std: 0.01,
    samples: 1000,
    input: 'gaussian',
    upstream: 'randn',
    bins: 50,
    seed,
    dtype: 'float64'
  }
}

/** The shape of `layerscope depth --json` with full-precision floats and 50-bin histograms. */
export function depthResult(seed: number, layers = 10, bins = 50): JsonValue {
  const r = rng(seed)
  return {
    config: depthConfig(seed),
    input: { mean: r() - 0.5, std: 1 + r() / 100 },
    layers: Array.from({ length: layers }, (_, l) => {
      const lo = -1 + r() / 10
      const step = (2 - r() / 5) / bins
      return {
        layer: l + 1,
        mean: (r() - 0.5) * 1e-3,
        std: r() / (l + 1),
        preMean: (r() - 0.5) * 1e-3,
        preStd: r(),
        saturated: r() / 10,
        dead: 0,
        hist: {
          edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * step),
          counts: Array.from({ length: bins }, () => Math.floor(r() * 20000))
        },
        dW: { mean: (r() - 0.5) * 1e-6, std: r() * 1e-4 },
        dX: { mean: (r() - 0.5) * 1e-6, std: r() * 1e-4 }
      }
    }),
    loss: r() * 100
  }
}

export function trainResult(seed: number, epochs = 5): JsonValue {
  const r = rng(seed)
  return {
    history: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      iter: (i + 1) * 250,
      loss: 2.3 - i * 0.2 + r() / 10,
      trainAcc: 0.1 + i * 0.08,
      valAcc: 0.1 + i * 0.07
    })),
    final: { trainAcc: 0.42, valAcc: 0.39, testAcc: 0.38 },
    seconds: 12.5,
    examplesPerSecond: 20000
  }
}

export function depthRun(seed: number, id = `run-${seed}`): SessionRun {
  return newRun(
    { id, kind: 'depth', config: depthConfig(seed), result: depthResult(seed), tags: ['tanh'] },
    new Date(Date.UTC(2025, 0, 1, 0, 0, seed % 60))
  )
}

/** A session of `runs` depth runs (the benchmark's 50-run case). */
export function depthSession(runs: number, seed = 1): SessionDoc {
  const doc = createSession({ appVersion: '0.1.0', now: new Date(Date.UTC(2025, 0, 1)) })
  doc.dataset = { path: '/data/cifar-10-batches-bin', fingerprint: 'sha256:abc', format: 'binary' }
  doc.notes = 'weight init study'
  doc.uiState = { selectedRun: 'run-1', tabs: ['depth', 'compare'] }
  for (let i = 0; i < runs; i++) doc.runs.push(depthRun(seed + i))
  return doc
}

/** Deep equality where numbers compare with Object.is (so -0 ≠ 0 and NaN = NaN). */
export function exactlyEqual(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a === 'number' || typeof b === 'number') {
    return Object.is(a, b) ? null : `${path}: ${String(a)} ≠ ${String(b)}`
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return a === b ? null : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    return `${path}: keys ${JSON.stringify(ka)} ≠ ${JSON.stringify(kb)}`
  }
  for (const k of ka) {
    const d = exactlyEqual(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${path}.${k}`
    )
    if (d !== null) return d
  }
  return null
}
