/**
 * How each job kind runs: a table from kind to runner. A runner takes the validated
 * configuration and the job's context (pool, abort signal, progress) and returns the result
 * that the CLI prints and the UI shows.
 */
import type { JobConfig, JobKind, JobResult } from '../../src-shared/contract'
import type { DatasetStore } from './datasets'
import type { DepthShare } from '../../src-workers/nn/depth-team'
import type { LabPool, RunOptions, TaskInput, TaskOutput } from './pool'
import { runStudy } from './study'
import { runLecture } from './lecture'
import { runCompare, runTrain } from './training'
import { runBench } from './bench-job'

export interface JobContext {
  pool: LabPool
  signal: AbortSignal
  /** Progress in [0, 1], with an optional live payload (never dropped by the throttle). */
  progress: (fraction: number, message?: string, data?: unknown) => void
  /** The job's control block (created on first use), steered by `train:control`. */
  controlBlock: () => SharedArrayBuffer
  /** The open dataset and the fitted-preprocessing cache (see ./datasets). */
  datasets: DatasetStore
  /**
   * Workers a training run or depth probe of this job uses when its config does not say:
   * unset = every thread of the pool (a run alone takes every core); a comparison gives its
   * runs 1 each.
   */
  workers?: number
}

/**
 * Runs a depth task (Gaussian input, or a CIFAR-10 batch) on `workers` threads: with more than
 * one, a team whose helpers the pool lends while threads are free (LabPool.runTeam).
 */
export function runDepth<K extends 'depth' | 'depthOnDataset'>(
  pool: LabPool,
  task: K,
  input: TaskInput<K>,
  workers: number,
  opts: RunOptions
): Promise<TaskOutput<K>> {
  if (workers <= 1) return pool.run(task, input, opts)
  return pool.runTeam(
    task,
    { ...(input as object), slices: workers } as TaskInput<K>,
    {
      task: 'depthHelper',
      input: (shared, index) => ({ share: shared as DepthShare, index })
    },
    opts
  )
}

type Runners = { [K in JobKind]: (config: JobConfig<K>, ctx: JobContext) => Promise<JobResult<K>> }

function poolOpts(ctx: JobContext) {
  return {
    signal: ctx.signal,
    onProgress: (p: { fraction: number; message?: string }) => ctx.progress(p.fraction, p.message)
  }
}

export const jobRunners: Runners = {
  sample: (config, ctx) => ctx.pool.run('sample', config, poolOpts(ctx)),
  depth: (config, ctx) => {
    if (config.input === 'cifar') return ctx.datasets.depth(config, ctx)
    return runDepth(ctx.pool, 'depth', { config }, ctx.workers ?? ctx.pool.threads, poolOpts(ctx))
  },
  gradcheck: (config, ctx) => ctx.pool.run('gradcheck', config, poolOpts(ctx)),
  sanity: (config, ctx) => {
    if (config.data.type === 'dataset') return ctx.datasets.sanity(config, ctx)
    return ctx.pool.run(
      'sanity',
      {
        hidden: config.hidden,
        seed: config.seed,
        regConvention: config.regConvention,
        targetLoss: config.targetLoss,
        maxEpochs: config.maxEpochs,
        data: { synthetic: config.data.n }
      },
      poolOpts(ctx)
    )
  },
  dataset: (config, ctx) => ctx.datasets.open(config, ctx),
  preprocess: (config, ctx) => ctx.datasets.preprocess(config, ctx),
  train: (config, ctx) => runTrain(config, ctx),
  compare: (config, ctx) => runCompare(config, ctx, jobRunners),
  'scalar-check': (config, ctx) => ctx.pool.run('scalarCheck', config, poolOpts(ctx)),
  omega: (config, ctx) => ctx.pool.run('omega', config, poolOpts(ctx)),
  study: (config, ctx) => runStudy(config, ctx),
  'activation-cost': (config, ctx) => ctx.pool.run('activationCost', config, poolOpts(ctx)),
  lecture: (config, ctx) => runLecture(config, ctx),
  loss: (config, ctx) =>
    ctx.pool.run(
      'loss',
      { net: config.net, data: config.data, dtype: config.dtype },
      poolOpts(ctx)
    ),
  'gradcheck-net': (config, ctx) =>
    ctx.pool.run(
      'gradcheckNet',
      {
        net: config.net,
        data: config.data,
        h: config.h,
        dtype: config.dtype,
        seed: config.seed,
        excludeKinks: config.excludeKinks,
        ...(config.sample === undefined ? {} : { sample: config.sample })
      },
      poolOpts(ctx)
    ),
  bench: (config, ctx) => runBench(config, ctx)
}
