/**
 * Session runs as the renderer receives them: the result read by its kind's schema
 * (src-shared/result-schemas.ts), exactly as the service does on open — so an older shape
 * given here is migrated, and a malformed one throws with the field named.
 */
import { RESULT_SCHEMAS } from '../../src-shared/result-schemas'
import type { CheckedRun, RunKind } from '../../src-shared/session'

export type RunOf<K extends RunKind> = Extract<CheckedRun, { kind: K }>

export function storedRun<K extends RunKind>(
  kind: K,
  result: unknown,
  extra: Partial<Omit<CheckedRun, 'kind' | 'result'>> = {}
): RunOf<K> {
  return {
    id: `r-${kind}-${Math.random().toString(36).slice(2)}`,
    kind,
    title: `${kind} run`,
    notes: '',
    tags: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    config: {},
    ...extra,
    result: RESULT_SCHEMAS[kind].parse(result)
  } as unknown as RunOf<K>
}

/** A training run's result with every field a completed run has; `over` replaces fields. */
export function trainJson(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'completed',
    history: [],
    losses: [2.3],
    stats: { every: 1, layers: 1, iter: [], actStd: [], gradNorm: [] },
    lrChanges: [],
    iterations: 1,
    itersPerEpoch: 1,
    seconds: 1,
    examplesPerSecond: 100,
    pausedSeconds: 0,
    startedAt: 0,
    endedAt: 1,
    final: { trainAcc: 0.5, valAcc: 0.4, testAcc: 0.4 },
    ...over
  }
}

/** A depth run's configuration as the engine records it. */
export function depthConfigJson(layers: number): Record<string, unknown> {
  return {
    layers,
    width: 500,
    activation: 'tanh',
    init: 'xavier',
    samples: 100,
    inputWidth: 500,
    upstream: 'randn',
    bins: 2,
    seed: 1,
    bias: null,
    dtype: 'float32'
  }
}
