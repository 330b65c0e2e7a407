/**
 * The trainer's own steps beside the hand-written epoch loop of `npm run bench`, on one thread,
 * same net and hyperparameters (3072→100→10 ReLU, softmax + L2 0.25, SGD lr 1e-4, weights
 * N(0, 1e-4²), batch 200), both on synthetic data gathered by plain copies:
 *
 *   npx tsx bench/train-steps.ts   [--n 20000] [--epochs 2] [--no-loop]
 *
 * Prints microseconds per training example for each (the trainer's steps-only figure, its
 * examplesPerSecond, leaves out the per-epoch accuracy evaluations; its wall time is shown too)
 * and their ratio (target ≤ 1.3).
 */
import { parseArgs } from 'node:util'
import { benchEpoch } from '../src-workers/nn/bench'
import { kernelName } from '../src-workers/linalg/gemm'
import { makeSynthetic } from '../src-workers/nn/synthetic'
import { BENCH_EPOCH, TrainConfig } from '../src-shared/experiments'
import {
  trainNet,
  TRAIN_ACC_SAMPLES,
  type TrainSplit,
  type TrainSplits
} from '../src-workers/nn/trainer'

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    epochs: { type: 'string' },
    'no-loop': { type: 'boolean' }
  }
})
const n = Number(values.n ?? 20000)
const epochs = Number(values.epochs ?? 2)
const D = 3072

function splits(): TrainSplits {
  const d = makeSynthetic(n + 2000, D, 10, 1)
  const X = d.X as Float32Array
  const offset: Record<TrainSplit, number> = { train: 0, val: n, test: n + 1000 }
  return {
    dim: D,
    classes: 10,
    count: { train: n, val: 1000, test: 1000 },
    gather(split, indices, outX, outY) {
      for (let i = 0; i < indices.length; i++) {
        const r = offset[split] + indices[i]!
        outX.set(X.subarray(r * D, (r + 1) * D), i * D)
        outY[i] = d.y[r]!
      }
    }
  }
}

console.log(`kernel ${kernelName()}`)
const data = splits()
const opts = {
  ...TrainConfig.parse({ ...BENCH_EPOCH.config, statsEvery: 50 }),
  slices: 1,
  trainAccSamples: TRAIN_ACC_SAMPLES
}
trainNet(data, { ...opts, epochs: 1, hidden: [100] }) // warm-up: module code and wasm tier-up
const t = performance.now()
const r = trainNet(data, { ...opts, epochs })
const wall = (performance.now() - t) / 1000
const trainerUs = 1e6 / r.examplesPerSecond
console.log(
  `trainer: ${r.iterations} steps, ${r.examplesPerSecond.toFixed(0)} examples/s steps-only = ${trainerUs.toFixed(1)} µs/example; wall ${wall.toFixed(2)} s incl. evaluation (${((r.iterations * 200) / wall).toFixed(0)} examples/s); status ${r.status}, last loss ${r.losses.at(-1)?.toFixed(4)}`
)
if (!values['no-loop']) {
  const s = benchEpoch(3)
  const loopUs = (s / 50000) * 1e6
  console.log(
    `bench loop: ${s.toFixed(2)} s/epoch of 50,000 = ${loopUs.toFixed(1)} µs/example (${(50000 / s).toFixed(0)} examples/s)`
  )
  console.log(`ratio trainer / loop: ${(trainerUs / loopUs).toFixed(2)} (target <= 1.3)`)
}
