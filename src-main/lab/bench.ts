/**
 * The all-core half of `layerscope bench` and `npm run bench` (issue 14): the engine's own
 * data-parallel paths on the pool, once with one worker and once with every thread, so the two
 * figures differ only in the threads.
 * - epoch: one epoch of the 3072→100→10 ReLU net (softmax + L2, SGD, batch 200) on 50,000
 *   synthetic examples through the trainer (src-workers/nn/trainer.ts); seconds = 50,000 / its
 *   examplesPerSecond (the training steps only: no data drawing, no evaluation); the median of
 *   min(repeats, 3) epochs, 1 worker and every thread alternating.
 * - depth: forward + backward of the 10 × 500 tanh stack on 1000 samples through the depth
 *   probe's team pass (src-workers/nn/depth-team.ts), median of repeats after a warm-up.
 */
import { BENCH_EPOCH, TrainConfig } from '../../src-shared/experiments'
import type { TrainResult } from '../../src-shared/results'
import type { DepthShare } from '../../src-workers/nn/depth-team'
import type { TrainShare } from '../../src-workers/tasks/train'
import type { LabPool } from './pool'

export interface AllCoreBench {
  /** Threads of the pool: the all-core figures' worker count. */
  workers: number
  epochSeconds: number
  epochSecondsOneCore: number
  depthMs: number
  depthMsOneCore: number
}

const EPOCH_EXAMPLES: number = BENCH_EPOCH.examples

export async function epochSeconds(
  pool: LabPool,
  workers: number,
  n = EPOCH_EXAMPLES,
  signal?: AbortSignal
): Promise<number> {
  const config = TrainConfig.parse({
    ...BENCH_EPOCH.config,
    data: { type: 'synthetic', n },
    val: 0,
    epochs: 1,
    statsEvery: 100_000,
    workers
  })
  const input = { config, data: { synthetic: n }, slices: workers }
  const r: TrainResult =
    workers === 1
      ? await pool.run('train', input, { signal })
      : await pool.runTeam(
          'train',
          input,
          {
            task: 'trainHelper',
            input: (shared, index) => ({
              config,
              team: shared.team,
              ...((shared as TrainShare).memory ? { memory: (shared as TrainShare).memory } : {}),
              index,
              data: { rows: (shared as TrainShare).synthetic! }
            })
          },
          { signal }
        )
  if (r.status !== 'completed') throw new Error(`bench epoch on ${workers} worker(s): ${r.status}`)
  return r.iterations * config.batch > 0 ? (r.iterations * config.batch) / r.examplesPerSecond : 0
}

export async function depthMs(
  pool: LabPool,
  workers: number,
  repeats: number,
  signal?: AbortSignal
): Promise<number> {
  const input = { slices: workers, repeats }
  if (workers === 1) return pool.run('benchDepthTeam', input, { signal })
  return pool.runTeam(
    'benchDepthTeam',
    input,
    {
      task: 'depthHelper',
      input: (shared, index) => ({ share: shared as DepthShare, index })
    },
    { signal }
  )
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y)
  const k = s.length >> 1
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2
}

/** Both workloads on 1 worker and on every thread of `pool`, logging each figure. */
export async function benchAllCores(
  pool: LabPool,
  opts: { repeats?: number; log?: (line: string) => void; signal?: AbortSignal } = {}
): Promise<AllCoreBench> {
  const log = opts.log ?? (() => {})
  const repeats = opts.repeats ?? 5
  const workers = pool.threads
  // Warm every thread up on the trainer's code first (module loading, wasm tier-up).
  const signal = opts.signal
  await epochSeconds(pool, workers, 2000, signal)
  const depthOne = await depthMs(pool, 1, repeats, signal)
  log(`bench: depth on 1 worker ${depthOne.toFixed(0)} ms`)
  const depthAll = workers > 1 ? await depthMs(pool, workers, repeats, signal) : depthOne
  log(`bench: depth on ${workers} workers ${depthAll.toFixed(0)} ms`)
  // Epochs alternate 1 worker and every thread, min(repeats, 3) of each (as the one-thread
  // bench's epochs), so a change in the machine's load falls on both; medians.
  const ones: number[] = []
  const alls: number[] = []
  for (let r = 0; r < Math.min(repeats, 3); r++) {
    ones.push(await epochSeconds(pool, 1, EPOCH_EXAMPLES, signal))
    if (workers > 1) alls.push(await epochSeconds(pool, workers, EPOCH_EXAMPLES, signal))
  }
  const epochOne = median(ones)
  log(`bench: epoch on 1 worker ${epochOne.toFixed(2)} s`)
  const epochAll = workers > 1 ? median(alls) : epochOne
  log(`bench: epoch on ${workers} workers ${epochAll.toFixed(2)} s`)
  return {
    workers,
    epochSeconds: epochAll,
    epochSecondsOneCore: epochOne,
    depthMs: depthAll,
    depthMsOneCore: depthOne
  }
}
