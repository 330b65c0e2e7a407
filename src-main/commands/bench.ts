/** `layerscope bench` (../shared/CLI.md): the speed of this machine's engine. */
import { BenchConfig } from '../../src-shared/experiments'
import { configFromOptions, noPositionals, runJob, type CliCommand } from './common'

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
    const { repeats } = configFromOptions(BenchConfig, ctx.values, { repeats: ['repeats', 'int'] })
    const result = (
      await runJob(ctx, 'bench', { repeats }, { onMessage: (m) => ctx.io.stderr(`${m}\n`) })
    ).result
    const w = result.workers
    const text = [
      `kernel ${result.kernel}`,
      ...result.gemm.map((g) => `gemm ${g.shape}: ${g.gflops.toFixed(1)} GFLOP/s`),
      `epoch (3072-100-10 ReLU, 50,000 examples, batch 200): ${result.epochSeconds.toFixed(2)} s on ${w} workers, ${result.epochSecondsOneCore.toFixed(2)} s on 1 (${(result.epochSecondsOneCore / result.epochSeconds).toFixed(2)}x)`,
      `depth (10 x 500 tanh, 1000 samples, forward+backward): ${result.depthMs.toFixed(0)} ms on ${w} workers, ${result.depthMsOneCore.toFixed(0)} ms on 1 (${(result.depthMsOneCore / result.depthMs).toFixed(2)}x)`,
      `one-thread loops on gemm: epoch ${result.epochSecondsKernelLoop.toFixed(2)} s, depth ${result.depthMsKernelLoop.toFixed(0)} ms`
    ].join('\n')
    return { json: result, text }
  }
}
