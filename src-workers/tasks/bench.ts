/**
 * `layerscope bench` as a worker task: the engine benchmark (src-workers/nn/bench.ts) on this
 * one worker thread, its log lines sent as progress messages (the CLI writes them to stderr).
 */
import { DepthConfig, type BenchConfig } from '../../src-shared/experiments'
import { benchEngine, type BenchResult } from '../nn/bench'
import { depthSetup } from '../nn/depth'
import { benchDepthPass } from '../nn/depth-team'
import type { TaskContext } from '../task'

/** Timed repeats per figure: the contract's BenchConfig, parsed. */
export type BenchTaskInput = BenchConfig

/** Log lines benchEngine writes: kernel, three GEMM shapes, epoch, depth. */
const LOG_LINES = 6

export function bench(input: BenchTaskInput, ctx: TaskContext): BenchResult {
  let lines = 0
  return benchEngine({
    repeats: input.repeats,
    log: (line) => ctx.progress(++lines / LOG_LINES, line)
  })
}

export interface BenchDepthInput {
  /** Threads (sample slices) of the team; helpers join through the pool (depthHelper). */
  slices: number
  /** Timed repeats (the contract's BenchConfig.repeats). */
  repeats: number
}

/**
 * The depth workload of `layerscope bench` on a team of `slices` threads: forward + backward of
 * the 10 × 500 tanh stack (Xavier, no bias) on 1000 Gaussian samples with a random upstream —
 * the engine's own data-parallel pass (depth-team.ts), timed without draws or statistics.
 */
export function benchDepthTeam(input: BenchDepthInput, ctx: TaskContext): number {
  const setup = depthSetup(
    DepthConfig.parse({ layers: 10, width: 500, samples: 1000, activation: 'tanh', init: 'xavier' })
  )
  return benchDepthPass(setup, input.slices, input.repeats, (share) => ctx.share?.(share))
}
