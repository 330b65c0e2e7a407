/**
 * `layerscope bench` as a worker task: the engine benchmark (src-workers/nn/bench.ts) on this
 * one worker thread, its log lines sent as progress messages (the CLI writes them to stderr).
 */
import { benchEngine, type BenchResult } from '../nn/bench'
import type { TaskContext } from '../task'

export interface BenchTaskInput {
  /** Timed repeats per figure (default 5, as benchEngine). */
  repeats?: number
}

/** Log lines benchEngine writes: kernel, three GEMM shapes, epoch, depth. */
const LOG_LINES = 6

export function bench(input: BenchTaskInput, ctx: TaskContext): BenchResult {
  let lines = 0
  return benchEngine({
    ...(input.repeats === undefined ? {} : { repeats: input.repeats }),
    log: (line) => ctx.progress(++lines / LOG_LINES, line)
  })
}
