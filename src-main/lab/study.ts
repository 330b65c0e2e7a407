/**
 * The `study` job: a preprocessing study as one job on the pool. The plan (which runs, the
 * search, the fallback, the statistics and the verdict) is src-workers/study/plan.ts; this file
 * gives it its runs: `train` tasks on the pool, every one started at once (the pool queues what
 * its threads cannot take yet), each on the open CIFAR-10 copy with its mode's preprocessing —
 * fitted once per mode on the whole training split, since the validation rows change with the
 * seed — or on synthetic data drawn from the base seed. One abort signal cancels them all.
 */
import { setMaxListeners } from 'node:events'
import { LabError } from '../../src-shared/errors'
import type { StudyConfig } from '../../src-shared/experiments'
import type { StudyResult, TrainResult } from '../../src-shared/results'
import { runStudyPlan } from '../../src-workers/study/plan'
import type { TrainData } from '../../src-workers/tasks/train'
import type { JobContext } from './jobs'

export async function runStudy(config: StudyConfig, ctx: JobContext): Promise<StudyResult> {
  const base = config.config
  // Every run of the study listens to the one signal (a fit and a task each).
  const runs =
    config.modes.length *
    (2 * ((config.search?.trials ?? 0) + (config.search?.refine ?? 0) + config.seeds) + 2)
  setMaxListeners(Math.max(10, runs + 10), ctx.signal)
  const fits = new Map<string, Promise<TrainData>>()
  let dataOf: (mode: string) => Promise<TrainData>
  if (base.data.type === 'synthetic') {
    const synthetic = base.data.n
    dataOf = () => Promise.resolve({ synthetic })
  } else {
    const open = ctx.datasets.require('a preprocessing study')
    const pool = open.handle.train.count
    if (base.val < 1 || base.val >= pool)
      throw new LabError(
        'invalid-config',
        `the validation split (${base.val}) must be from 1 to ${pool - 1} of the ${pool} training images`,
        { field: 'val' }
      )
    dataOf = (mode) => {
      let p = fits.get(mode)
      if (!p) {
        p = ctx.datasets
          .fitted(
            open,
            {
              mode: mode as StudyConfig['modes'][number],
              val: 0,
              components: base.components
            },
            {
              pool: ctx.pool,
              signal: ctx.signal,
              progress: () => {}
            }
          )
          .then(({ fitted }) => ({ handle: open.handle, fitted }))
        fits.set(mode, p)
      }
      return p
    }
  }
  return runStudyPlan(
    config,
    async (spec, onFraction): Promise<TrainResult> =>
      ctx.pool.run(
        'train',
        {
          config: {
            ...base,
            preprocess: spec.mode,
            lr: spec.lr,
            epochs: spec.epochs,
            seed: spec.seed
          },
          data: await dataOf(spec.mode),
          split: { dataSeed: base.seed, splitSeed: spec.splitSeed }
        },
        { signal: ctx.signal, onProgress: (p) => onFraction(p.fraction) }
      ),
    (fraction, message) => ctx.progress(fraction, message)
  )
}
