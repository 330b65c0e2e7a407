/**
 * The study's learning-rate search: rates log-uniform in [lo, hi] from the seed, diverged trials
 * never ranked, and — on a problem whose best rate is known to scale — the same synthetic data
 * multiplied by 100 moves the chosen rate down by at least a decade, for several search seeds
 * (gradients of the first layer grow ×100 and the curvature ×10⁴, so the best rate falls by
 * decades).
 */
import { describe, expect, it } from 'vitest'
import { StudyConfig } from '../../../src-shared/experiments'
import { trainNet, TRAIN_ACC_SAMPLES, type TrainSplits } from '../../../src-workers/nn/trainer'
import { runStudyPlan, type StudyRunner } from '../../../src-workers/study/plan'
import { rankTrials, refineRange, trialRates } from '../../../src-workers/study/search'
import { reshuffledSplits, syntheticSplits } from '../../../src-workers/tasks/train'

describe('trialRates', () => {
  it('draws n rates in [lo, hi], ascending, log-uniform, the same for the same seed', () => {
    const r = trialRates(1e-7, 1e-1, 2000, 5)
    expect(r).toHaveLength(2000)
    expect(r.every((x) => x >= 1e-7 && x <= 1e-1)).toBe(true)
    expect([...r].sort((a, b) => a - b)).toEqual(r)
    // Log-uniform over 6 decades: each decade holds about 1/6 of the draws (binomial sd ≈ 17).
    for (let d = -7; d < -1; d++) {
      const k = r.filter((x) => x >= 10 ** d && x < 10 ** (d + 1)).length
      expect(Math.abs(k - 2000 / 6)).toBeLessThan(4 * Math.sqrt(2000 * (1 / 6) * (5 / 6)))
    }
    expect(trialRates(1e-7, 1e-1, 8, 5)).toEqual(trialRates(1e-7, 1e-1, 8, 5))
    expect(trialRates(1e-7, 1e-1, 8, 6)).not.toEqual(trialRates(1e-7, 1e-1, 8, 5))
    expect(() => trialRates(1e-1, 1e-7, 8, 1)).toThrow(/lo < hi/)
  })

  it('the finer round spans one first-round spacing either side of the best, inside [lo, hi]', () => {
    const [lo, hi] = refineRange(1e-4, 1e-7, 1e-1, 6) // 6 decades / 6 trials: one decade
    expect(lo).toBeCloseTo(1e-5, 18)
    expect(hi).toBeCloseTo(1e-3, 15)
    expect(refineRange(2e-7, 1e-7, 1e-1, 6)[0]).toBe(1e-7)
  })

  it('ranks by validation accuracy, then loss, then the lower rate; diverged never rank', () => {
    const t = (lr: number, status: string, valAcc: number | null, loss: number | null) => ({
      lr,
      status,
      valAcc,
      loss
    })
    const ranked = rankTrials([
      t(1e-2, 'diverged', null, null),
      t(1e-3, 'completed', 0.4, 1.5),
      t(1e-4, 'completed', 0.4, 1.2),
      t(1e-5, 'completed', 0.3, 2.0),
      t(1e-6, 'completed', 0.4, 1.2)
    ])
    expect(ranked.map((x) => x.lr)).toEqual([1e-6, 1e-4, 1e-3, 1e-5])
  })
})

/** The same splits with every input multiplied by `scale`. */
function scaled(s: TrainSplits, scale: number): TrainSplits {
  return {
    ...s,
    gather(split, idx, X, y) {
      s.gather(split, idx, X, y)
      if (scale !== 1) for (let i = 0; i < idx.length * s.dim; i++) X[i]! *= scale
    }
  }
}

/**
 * A runner on n synthetic training examples (a study's own front door takes CIFAR-10 only:
 * preprocessing does nothing to synthetic data; the search itself is tested on it here).
 */
function runnerAt(scale: number, config: StudyConfig, n: number): StudyRunner {
  const b = config.config
  const pool = syntheticSplits(n + b.val, 0, b.seed)
  return (spec) =>
    Promise.resolve(
      trainNet(scaled(reshuffledSplits(pool, b.val, spec.splitSeed), scale), {
        ...b,
        activation: 'relu',
        lr: spec.lr,
        epochs: spec.epochs,
        statsEvery: 1000,
        seed: spec.seed,
        slices: 1,
        trainAccSamples: TRAIN_ACC_SAMPLES
      })
    )
}

describe('the search picks the right rate', () => {
  it('data × 100 moves the best rate down by at least a decade, for every search seed', async () => {
    for (const searchSeed of [1, 2, 3]) {
      const config = StudyConfig.parse({
        config: {
          data: { type: 'dataset' },
          val: 100,
          hidden: [20],
          batch: 25,
          epochs: 1,
          seed: 4
        },
        modes: ['none'],
        search: { lo: 1e-7, hi: 1, trials: 10, epochs: 1, seed: searchSeed },
        seeds: 1
      })
      const unit = await runStudyPlan(config, runnerAt(1, config, 300))
      const big = await runStudyPlan(config, runnerAt(100, config, 300))
      const a = unit.modes[0]!.bestLr!
      const b = big.modes[0]!.bestLr!
      expect(a, `search seed ${searchSeed}`).not.toBeNull()
      expect(b, `search seed ${searchSeed}`).not.toBeNull()
      expect(Math.log10(a / b), `search seed ${searchSeed}: ${a} vs ${b}`).toBeGreaterThanOrEqual(1)
    }
  })
})
