/**
 * The study's plan with a scripted runner: every mode's trials and seeds are started without
 * waiting for other modes, the best rate by validation accuracy is kept, a diverged trial never
 * wins, and when the full runs at the best rate diverge the study falls back to the next best
 * rate and says so (the abandoned seeds kept apart). Progress ends at 1.
 */
import { describe, expect, it } from 'vitest'
import { StudyConfig } from '../../../src-shared/experiments'
import type { TrainResult } from '../../../src-shared/results'
import { runStudyPlan, type StudyRunSpec } from '../../../src-workers/study/plan'
import { trialRates } from '../../../src-workers/study/search'

const common = {
  history: [{ epoch: 1, iter: 10, loss: 1.5, trainAcc: 0.5, valAcc: 0.4, lr: 1, seconds: 0 }],
  losses: [2.3, 1.5],
  stats: { every: 1, layers: 1, iter: [], actStd: [], gradNorm: [] },
  lrChanges: [],
  iterations: 2,
  itersPerEpoch: 2,
  seconds: 0,
  examplesPerSecond: 0,
  pausedSeconds: 0,
  startedAt: 0,
  endedAt: 0,
  initialLoss: { data: 2.3, reg: 0 },
  workers: 1
}

function completed(valAcc: number, testAcc: number): TrainResult {
  return {
    ...common,
    status: 'completed',
    final: { trainAcc: 0.5, valAcc, testAcc }
  } as TrainResult
}
function diverged(): TrainResult {
  return {
    ...common,
    status: 'diverged',
    final: null,
    iteration: 2,
    epoch: 1,
    layer: 2,
    where: 'loss',
    message: 'diverged',
    divergence: { iteration: 2, reason: 'exploded', loss: 10, first: 2.3, factor: 4 }
  } as TrainResult
}

const config = StudyConfig.parse({
  config: { data: { type: 'dataset' }, val: 20, epochs: 3, seed: 7 },
  modes: ['mean-image', 'standardize'],
  search: { lo: 1e-6, hi: 1e-1, trials: 5, epochs: 1, seed: 3 },
  seeds: 3
})
const rates = trialRates(1e-6, 1e-1, 5, 3)

describe('runStudyPlan', () => {
  it('keeps the best trial by validation accuracy; falls back when its full runs diverge', async () => {
    const seen: StudyRunSpec[] = []
    let inFlight = 0
    let maxInFlight = 0
    // Validation accuracy peaks at the 4th rate; the 5th (highest) diverges as a trial.
    // standardize's full runs diverge at its best rate (the 4th), not at the 3rd.
    const score = (lr: number): number => [0.2, 0.3, 0.35, 0.5, 0][rates.indexOf(lr)]!
    const fractions: number[] = []
    const r = await runStudyPlan(
      config,
      async (spec, progress) => {
        seen.push(spec)
        inFlight++
        maxInFlight = Math.max(maxInFlight, inFlight)
        progress(0.5)
        await new Promise((res) => setTimeout(res, 1))
        inFlight--
        if (spec.phase === 'trial')
          return spec.lr === rates[4] ? diverged() : completed(score(spec.lr), 0)
        if (spec.mode === 'standardize' && spec.lr === rates[3]) return diverged()
        return completed(0.4, 0.3 + spec.seed / 1000)
      },
      (f) => fractions.push(f)
    )
    // All of a round's runs, of both modes, were in flight together.
    expect(maxInFlight).toBeGreaterThanOrEqual(10)
    const [mi, st] = r.modes
    expect(mi!.trials.map((t) => t.lr)).toEqual(rates)
    expect(mi!.trials[4]).toMatchObject({ status: 'diverged', valAcc: null, reason: 'exploded' })
    expect(mi!.bestLr).toBe(rates[3])
    expect(mi!.note).toBeNull()
    expect(mi!.seeds.map((s) => s.seed)).toEqual([7, 8, 9])
    // Trials use the base seed and its split; seeds their own.
    for (const s of seen.filter((x) => x.phase === 'trial'))
      expect(s).toMatchObject({ seed: 7, splitSeed: 7, epochs: 1 })
    for (const s of seen.filter((x) => x.phase === 'seed')) {
      expect(s.splitSeed).toBe(s.seed)
      expect(s.epochs).toBe(3)
    }
    expect(st!.bestLr).toBe(rates[2])
    expect(st!.searchBestLr).toBe(rates[3])
    expect(st!.note).toContain('fell back to the next best rate')
    expect(st!.discarded).toHaveLength(3)
    expect(st!.discarded.every((s) => s.status === 'diverged')).toBe(true)
    expect(st!.seeds.every((s) => s.status === 'completed' && s.lr === rates[2])).toBe(true)
    expect(st!.mean!.testAcc).toBeCloseTo(0.308, 12)
    expect(fractions.at(-1)).toBe(1)
    for (const f of fractions) expect(f).toBeLessThanOrEqual(1)
  })

  it('says so when every rate diverges in full runs, and gives that mode no statistics', async () => {
    const r = await runStudyPlan(config, (spec) =>
      Promise.resolve(
        spec.phase === 'trial'
          ? completed(0.3, 0)
          : spec.mode === 'mean-image'
            ? diverged()
            : completed(0.4, 0.3)
      )
    )
    const mi = r.modes[0]!
    expect(mi.bestLr).toBeNull()
    expect(mi.mean).toBeNull()
    expect(mi.note).toContain('diverged at every rate the search ranked')
    expect(r.verdict.text).toContain('mean-image: no result')
  })

  it('without a search the seeds run at the base rate', async () => {
    const c = StudyConfig.parse({ ...config, search: null, config: { ...config.config, lr: 0.02 } })
    const specs: StudyRunSpec[] = []
    const r = await runStudyPlan(c, (spec) => {
      specs.push(spec)
      return Promise.resolve(completed(0.4, 0.3))
    })
    expect(specs.every((s) => s.phase === 'seed' && s.lr === 0.02)).toBe(true)
    expect(specs).toHaveLength(6)
    expect(r.modes[0]!.trials).toEqual([])
    expect(r.modes[0]!.bestLr).toBe(0.02)
  })
})
