/**
 * The `train` and `compare` jobs, and `train:control`.
 *
 * A training run is one `train` task on the pool, given its data (a synthetic size, or the open
 * CIFAR-10 handle plus the preprocessing fitted on its training split, both shared memory) and
 * the job's control block, which `train:control` writes: pause, resume, stop, a new rate.
 *
 * A comparison expands its grid (experiments.compareGrid) and runs every configuration through
 * the base kind's own runner at once: the pool queues what its threads cannot take yet. Each
 * run's progress is folded into the parent's (the mean fraction) and its live payloads are
 * tagged with the run's index; all runs share one control block, so pausing a comparison
 * pauses all its runs. Each run has one worker (runs started together share the threads; a
 * train run alone has every thread of the pool: data-parallel, see LabPool.runTeam). A run that fails (its worker died, it threw) becomes `{ vary, error }`
 * and the others go on; the comparison itself fails only when cancelled or when every run fails.
 */
import type { JobConfig } from '../../src-shared/contract'
import { LabError, toErrorData } from '../../src-shared/errors'
import {
  COMPARE_BASES,
  compareGrid,
  type CompareConfig,
  type DepthConfig,
  type TrainConfig
} from '../../src-shared/experiments'
import { depthEstimate, formatBytes, MAX_RUN_BYTES, trainEstimate } from '../../src-shared/budget'
import type { CompareResult, CompareRun, DepthResult, TrainResult } from '../../src-shared/results'
import {
  controlState,
  readLearningRate,
  requestStop,
  setLearningRate,
  setPaused,
  type ControlState
} from '../../src-workers/control'
import type { ProgressMessage } from '../../src-workers/task'
import type { TrainData, TrainShare } from '../../src-workers/tasks/train'
import type { JobContext, jobRunners } from './jobs'

/** Share of a dataset run's progress bar given to fitting the preprocessing. */
const FIT_SHARE = 0.05

export async function runTrain(config: TrainConfig, ctx: JobContext): Promise<TrainResult> {
  let data: TrainData
  let offset = 0
  if (config.data.type === 'synthetic') {
    data = { synthetic: config.data.n }
  } else {
    const open = ctx.datasets.require('training on CIFAR-10')
    const request = { mode: config.preprocess, val: config.val, components: config.components }
    const { fitted } = await ctx.datasets.fitted(open, request, {
      pool: ctx.pool,
      signal: ctx.signal,
      progress: (f) => ctx.progress(FIT_SHARE * f, `fitting ${config.preprocess}`)
    })
    data = { handle: open.handle, fitted }
    offset = FIT_SHARE
  }
  const slices = config.workers ?? ctx.workers ?? ctx.pool.threads
  const opts = {
    signal: ctx.signal,
    onProgress: (p: ProgressMessage) =>
      ctx.progress(offset + (1 - offset) * p.fraction, p.message, p.data)
  }
  const input = { config, data, control: ctx.controlBlock(), slices }
  if (slices === 1) return ctx.pool.run('train', input, opts)
  return ctx.pool.runTeam(
    'train',
    input,
    {
      task: 'trainHelper',
      input: (shared, index) => {
        const rows = (shared as TrainShare).synthetic
        return {
          config,
          team: shared.team,
          ...((shared as TrainShare).memory ? { memory: (shared as TrainShare).memory } : {}),
          index,
          data: 'synthetic' in data ? { rows: rows! } : data
        }
      }
    },
    opts
  )
}

/**
 * The runs of a comparison go to the pool at once, so up to `threads` of them are in memory
 * together: the largest of them, side by side, must fit one run's budget.
 */
function checkCompareMemory(
  base: CompareConfig['base'],
  grid: { config: Record<string, unknown> }[],
  threads: number
): void {
  const schema = COMPARE_BASES[base]
  const sizes = grid
    .map((g) => {
      const parsed = schema.safeParse(g.config)
      if (!parsed.success) return 0
      return base === 'depth'
        ? depthEstimate(parsed.data as DepthConfig).bytes
        : trainEstimate(parsed.data as TrainConfig).bytes
    })
    .sort((a, b) => b - a)
  const together = Math.min(grid.length, threads)
  const peak = sizes.slice(0, together).reduce((a, b) => a + b, 0)
  if (together > 1 && peak > MAX_RUN_BYTES)
    throw new LabError(
      'invalid-config',
      `vary: ${together} runs at once (of ${grid.length}, on ${threads} threads) would need about ` +
        `${formatBytes(peak)} of memory together, up to ${formatBytes(sizes[0] ?? 0)} each, more than ` +
        `the ${formatBytes(MAX_RUN_BYTES)} allowed; vary fewer values, make each run smaller, or ` +
        `use fewer threads`,
      { field: 'vary' }
    )
}

export async function runCompare(
  config: CompareConfig,
  ctx: JobContext,
  runners: typeof jobRunners
): Promise<CompareResult> {
  const schema = COMPARE_BASES[config.base]
  const runner = runners[config.base] as (
    c: JobConfig<CompareConfig['base']>,
    ctx: JobContext
  ) => Promise<TrainResult | DepthResult>
  const grid = compareGrid(config.config, config.vary)
  checkCompareMemory(config.base, grid, ctx.pool.threads)
  const fractions = grid.map(() => 0)
  const block = ctx.controlBlock()
  const runs = await Promise.all(
    grid.map(async (g, i): Promise<CompareRun> => {
      const child: JobContext = {
        ...ctx,
        // Runs started together share the threads: one worker each.
        workers: 1,
        controlBlock: () => block,
        progress: (f, message, data) => {
          fractions[i] = f
          const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length
          const live =
            data === undefined
              ? undefined
              : data !== null && typeof data === 'object'
                ? { ...data, run: i }
                : { run: i, data }
          ctx.progress(mean, message === undefined ? undefined : `run ${i + 1}: ${message}`, live)
        }
      }
      let run: CompareRun
      try {
        // The schema checked every run's configuration already; this fills in its defaults.
        const runConfig = schema.parse(g.config) as JobConfig<CompareConfig['base']>
        run = { vary: g.vary, result: await runner(runConfig, child) }
      } catch (err) {
        if (ctx.signal.aborted) throw err
        const e = toErrorData(err)
        run = { vary: g.vary, error: { code: e.code, message: e.message } }
      }
      // A run that ended early (diverged, stopped, failed) is done all the same: its share of
      // the bar is full, so the comparison's bar ends at 1.
      if (fractions[i] !== 1) child.progress(1, 'done')
      return run
    })
  )
  const failed = runs.filter((r): r is Extract<CompareRun, { error: unknown }> => 'error' in r)
  if (failed.length === runs.length && failed[0]) {
    const { code, message } = failed[0].error
    throw new LabError(code, `every run of the comparison failed; the first: ${message}`)
  }
  // Every run ran the base experiment, so its results are that base's.
  return { base: config.base, runs } as CompareResult
}

/** Carries out a `train:control` action on a control block; returns the state after it. */
export function applyControl(
  block: SharedArrayBuffer,
  action: 'pause' | 'resume' | 'stop' | 'set-lr',
  lr?: number
): { state: ControlState; lr: number | null } {
  switch (action) {
    case 'pause':
      setPaused(block, true)
      break
    case 'resume':
      setPaused(block, false)
      break
    case 'stop':
      requestStop(block)
      break
    case 'set-lr':
      if (lr === undefined || !(lr > 0) || !Number.isFinite(lr))
        throw new LabError('invalid-args', 'set-lr needs lr, a positive number', { field: 'lr' })
      setLearningRate(block, lr)
      break
  }
  const set = readLearningRate(block)
  return { state: controlState(block), lr: set.generation > 0 ? set.lr : null }
}
