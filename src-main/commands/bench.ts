/** `layerscope bench` (../shared/CLI.md): the speed of this machine's engine. */
import { z } from 'zod'
import type { BenchResult } from '../../src-workers/nn/bench'
import { benchAllCores } from '../lab/bench'
import { configFromOptions, noPositionals, type CliCommand } from './common'

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: "speed of this machine's engine",
  usage: 'layerscope bench [--repeats 5] [--json]',
  help: [
    'GEMM GFLOP/s at three shapes in one worker thread; one epoch of the 3072-100-10 ReLU net',
    '(50,000 synthetic examples, batch 200, SGD) and forward+backward of the 10 x 500 tanh stack',
    'on 1000 samples, each on 1 worker and on every thread of the pool (--threads) through the',
    "engine's data-parallel paths; float32, after a warm-up; medians of --repeats (default 5).",
    'JSON: { kernel, gemm, workers, epochSeconds, depthMs (all workers), epochSecondsOneCore,',
    'depthMsOneCore, epochSecondsKernelLoop, depthMsKernelLoop (the one-thread loops on gemm).',
    'Progress lines go to stderr. `npm run bench` puts numpy beside these figures.'
  ].join('\n'),
  options: { repeats: { type: 'string' } },
  async run(ctx) {
    noPositionals(ctx, 'bench')
    const { repeats } = configFromOptions(
      z.strictObject({ repeats: z.number().int().min(1).max(50).default(5) }),
      ctx.values,
      { repeats: ['repeats', 'int'] }
    )
    const pool = ctx.service().pool
    const loops: BenchResult = await pool.run(
      'bench',
      { repeats },
      { onProgress: (p) => p.message !== undefined && ctx.io.stderr(`${p.message}\n`) }
    )
    const all = await benchAllCores(pool, { repeats, log: (l) => ctx.io.stderr(`${l}\n`) })
    const result = {
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
    const w = all.workers
    const text = [
      `kernel ${result.kernel}`,
      ...result.gemm.map((g) => `gemm ${g.shape}: ${g.gflops.toFixed(1)} GFLOP/s`),
      `epoch (3072-100-10 ReLU, 50,000 examples, batch 200): ${all.epochSeconds.toFixed(2)} s on ${w} workers, ${all.epochSecondsOneCore.toFixed(2)} s on 1 (${(all.epochSecondsOneCore / all.epochSeconds).toFixed(2)}x)`,
      `depth (10 x 500 tanh, 1000 samples, forward+backward): ${all.depthMs.toFixed(0)} ms on ${w} workers, ${all.depthMsOneCore.toFixed(0)} ms on 1 (${(all.depthMsOneCore / all.depthMs).toFixed(2)}x)`,
      `one-thread loops on gemm: epoch ${loops.epochSeconds.toFixed(2)} s, depth ${loops.depthMs.toFixed(0)} ms`
    ].join('\n')
    return { json: result, text }
  }
}
