/**
 * The `bench` job: the one-thread loops on the kernels (kernel, GEMM shapes, epoch, depth; the
 * worker task `bench`), then the engine's data-parallel paths on one worker and on every thread
 * of the pool (./bench). Progress lines go out as job messages (the CLI writes them to stderr);
 * cancelling stops it between and inside the timed steps.
 */
import type { BenchConfig } from '../../src-shared/experiments'
import type { BenchJobResult } from '../../src-shared/results'
import { LabError } from '../../src-shared/errors'
import { benchAllCores } from './bench'
import type { JobContext } from './jobs'

/** Log lines of the loops (kernel, three GEMM shapes, epoch, depth) and of the all-core half. */
const LOOP_LINES = 6
const ALL_CORE_LINES = 4

export async function runBench(config: BenchConfig, ctx: JobContext): Promise<BenchJobResult> {
  let lines = 0
  const line = (message: string): void =>
    ctx.progress(Math.min(0.99, ++lines / (LOOP_LINES + ALL_CORE_LINES)), message)
  const loops = await ctx.pool.run(
    'bench',
    { repeats: config.repeats },
    {
      signal: ctx.signal,
      onProgress: (p) => {
        if (p.message !== undefined) line(p.message)
      }
    }
  )
  if (ctx.signal.aborted) throw new LabError('cancelled', 'bench was cancelled')
  const all = await benchAllCores(ctx.pool, {
    repeats: config.repeats,
    log: line,
    signal: ctx.signal
  })
  return {
    kernel: loops.kernel,
    gemm: loops.gemm,
    workers: all.workers,
    epochSeconds: all.epochSeconds,
    depthMs: all.depthMs,
    epochSecondsOneCore: all.epochSecondsOneCore,
    depthMsOneCore: all.depthMsOneCore,
    epochSecondsKernelLoop: loops.epochSeconds,
    depthMsKernelLoop: loops.depthMs
  }
}
