/**
 * A preprocessing study, as a plan over training runs: per mode, the learning-rate search
 * (search.ts), then `seeds` full runs at the best rate — falling back to the next best rate when
 * the full runs at it diverge — then each mode's statistics (stats.ts) and the verdict
 * (verdict.ts). The runs themselves come from `run` (the pool in the lab, trainNet in a test),
 * all started at once so the pool can keep every core busy; modes do not wait for each other.
 */
import type { StudyConfig } from '../../src-shared/experiments'
import type {
  StudyMode,
  StudyResult,
  StudySeed,
  StudyTrial,
  TrainResult
} from '../../src-shared/results'
import { rankTrials, refineRange, trialRates } from './search'
import { ci95, mean, sampleStd } from './stats'
import { studyVerdict } from './verdict'

export interface StudyRunSpec {
  mode: StudyConfig['modes'][number]
  lr: number
  epochs: number
  /** The run's seed (init, batch order). */
  seed: number
  /** The seed of its validation split. */
  splitSeed: number
  /** 'trial' (round 1 or 2 of the search) or 'seed' (a full run). */
  phase: 'trial' | 'seed'
}

export type StudyRunner = (
  spec: StudyRunSpec,
  progress: (fraction: number) => void
) => Promise<TrainResult>

const fmtLr = (x: number): string => x.toExponential(1).replace('e+', 'e')

export async function runStudyPlan(
  config: StudyConfig,
  run: StudyRunner,
  progress: (fraction: number, message: string) => void = () => {}
): Promise<StudyResult> {
  const t0 = performance.now()
  const base = config.config
  const search = config.search
  const S = config.seeds
  // Progress: each run weighs its epochs; fallbacks add to the total as they happen.
  let total =
    config.modes.length *
    ((search ? (search.trials + search.refine) * search.epochs : 0) + S * base.epochs)
  const done = new Map<object, { w: number; f: number }>()
  let finishedWeight = 0
  let message = 'starting'
  const report = (): void => {
    let sum = finishedWeight
    for (const d of done.values()) sum += d.w * d.f
    progress(Math.min(1, sum / total), message)
  }
  const tracked = async (spec: StudyRunSpec, what: string): Promise<TrainResult> => {
    const key = {}
    const entry = { w: spec.epochs, f: 0 }
    done.set(key, entry)
    try {
      return await run(spec, (f) => {
        entry.f = f
        message = what
        report()
      })
    } finally {
      done.delete(key)
      finishedWeight += spec.epochs
      report()
    }
  }

  const trialOf = (lr: number, round: number, r: TrainResult): StudyTrial => ({
    lr,
    round,
    status: r.status,
    valAcc: r.status === 'diverged' ? null : r.final.valAcc,
    loss: r.history.at(-1)?.loss ?? null,
    iterations: r.iterations,
    ...(r.status === 'diverged' ? { reason: r.divergence.reason } : {})
  })
  const seedOf = (seed: number, lr: number, r: TrainResult): StudySeed => ({
    seed,
    lr,
    status: r.status,
    valAcc: r.status === 'diverged' ? null : r.final.valAcc,
    testAcc: r.status === 'diverged' ? null : r.final.testAcc,
    losses: r.losses,
    ...(r.status === 'diverged' ? { divergence: r.divergence } : {})
  })

  const studyMode = async (mode: StudyRunSpec['mode']): Promise<StudyMode> => {
    const trials: StudyTrial[] = []
    const tryRates = async (rates: number[], round: number): Promise<void> => {
      const results = await Promise.all(
        rates.map((lr, k) =>
          tracked(
            {
              mode,
              lr,
              epochs: search!.epochs,
              seed: base.seed,
              splitSeed: base.seed,
              phase: 'trial'
            },
            `${mode}: search round ${round}, rate ${k + 1} of ${rates.length}`
          )
        )
      )
      results.forEach((r, k) => trials.push(trialOf(rates[k]!, round, r)))
    }
    let candidates: number[]
    if (search) {
      await tryRates(trialRates(search.lo, search.hi, search.trials, search.seed), 1)
      const first = rankTrials(trials)[0]
      if (search.refine > 0 && first) {
        const [lo, hi] = refineRange(first.lr, search.lo, search.hi, search.trials)
        await tryRates(trialRates(lo, hi, search.refine, search.seed + 1), 2)
      }
      candidates = rankTrials(trials).map((t) => t.lr)
    } else {
      candidates = [base.lr]
    }
    const discarded: StudySeed[] = []
    let seeds: StudySeed[] = []
    let bestLr: number | null = null
    const notes: string[] = []
    if (search && candidates.length === 0)
      notes.push(
        `every one of the ${trials.length} rates tried diverged or learned nothing measurable in the search`
      )
    for (let c = 0; c < candidates.length; c++) {
      const lr = candidates[c]!
      if (c > 0) total += S * base.epochs
      const results = await Promise.all(
        Array.from({ length: S }, (_, k) =>
          tracked(
            {
              mode,
              lr,
              epochs: base.epochs,
              seed: base.seed + k,
              splitSeed: base.seed + k,
              phase: 'seed'
            },
            `${mode}: seed ${k + 1} of ${S} at lr ${fmtLr(lr)}`
          )
        )
      )
      seeds = results.map((r, k) => seedOf(base.seed + k, lr, r))
      const bad = seeds.filter((s) => s.status === 'diverged').length
      if (bad === 0) {
        bestLr = lr
        if (c > 0)
          notes.push(
            `the full runs at the search's best rate ${fmtLr(candidates[0]!)} diverged, so the study fell back to the ${c === 1 ? 'next best' : `${c + 1}th best`} rate, ${fmtLr(lr)}`
          )
        break
      }
      discarded.push(...seeds)
      if (c === candidates.length - 1)
        notes.push(
          `the full-length runs diverged at every rate the search ranked (${candidates.map(fmtLr).join(', ')})`
        )
    }
    const ok = bestLr !== null
    const val = seeds.map((s) => s.valAcc ?? 0)
    const test = seeds.map((s) => s.testAcc ?? 0)
    return {
      mode,
      trials,
      bestLr,
      searchBestLr: search && bestLr !== null && bestLr !== candidates[0] ? candidates[0]! : null,
      note: notes.length ? notes.join('; ') : null,
      seeds,
      mean: ok ? { valAcc: mean(val), testAcc: mean(test) } : null,
      std: ok ? { valAcc: sampleStd(val), testAcc: sampleStd(test) } : null,
      ci95: ok ? { valAcc: ci95(val), testAcc: ci95(test) } : null,
      discarded
    }
  }

  report()
  const modes = await Promise.all(config.modes.map(studyMode))
  const init = base.init === 'normal' ? `normal (std ${base.std})` : base.init
  return {
    base: { ...base },
    search: search ? { ...search } : null,
    seedsPerMode: S,
    modes,
    verdict: studyVerdict(modes, init),
    seconds: (performance.now() - t0) / 1000
  }
}
