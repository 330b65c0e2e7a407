/**
 * Two training runs in parallel vs one, through LabService and the real worker pool (2 threads),
 * on the synthetic FULL-SIZE CIFAR-10 copy that bench/data-load.ts writes to bench/.data/:
 *
 *   npx tsx bench/data-load.ts          (once, to write the copy)
 *   npx tsx bench/train-parallel.ts     [--epochs 1] [--hidden 100]
 *
 * Reports: throughput of one run alone and of two at once (examples per second, from the wall
 * clock of the training jobs and from the runs' own examplesPerSecond), the ratio (issue 5
 * target ≥ 1.8× on 2 cores), the main thread's event-loop delay p99 while the two run
 * (perf_hooks.monitorEventLoopDelay, target < 20 ms), and the process's peak RSS (the dataset is
 * one SharedArrayBuffer that every worker reads; nothing is copied per run). Also the load
 * average before and after, since this machine is shared.
 */
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { LabService } from '../src-main/lab/service'
import type { TrainResult } from '../src-shared/results'
import { WORKER_SOURCE } from '../test/helpers/service'

const DATA = fileURLToPath(new URL('./.data/cifar10-full/cifar-10-batches-bin', import.meta.url))

const { values } = parseArgs({
  options: { epochs: { type: 'string' }, hidden: { type: 'string' } }
})
const epochs = Number(values.epochs ?? 1)
const hidden = (values.hidden ?? '100').split(',').map(Number)

async function main(): Promise<void> {
  if (!existsSync(join(DATA, 'data_batch_5.bin'))) {
    console.error(`no full-size copy at ${DATA}: run npx tsx bench/data-load.ts first`)
    process.exit(2)
  }
  const service = new LabService({
    pool: { workerFile: WORKER_SOURCE, threads: 2 },
    mode: 'test',
    version: 'bench'
  })
  const run = async <T>(kind: 'dataset' | 'preprocess' | 'train', config: unknown): Promise<T> => {
    const res = await service.call('job:start', { kind, config })
    if (!res.ok) throw new Error(res.error.message)
    return (await service.waitForJob((res.value as { jobId: string }).jobId)).result as T
  }
  const load0 = loadavg()
  console.log(`load average before: ${load0.map((x) => x.toFixed(2)).join(', ')}`)
  let t = performance.now()
  await run('dataset', { path: DATA })
  console.log(`opened the full-size copy in ${((performance.now() - t) / 1000).toFixed(2)} s`)
  const config = {
    data: { type: 'dataset' },
    preprocess: 'standardize',
    val: 1000,
    hidden,
    epochs,
    batch: 200,
    optimizer: 'sgd',
    lr: 1e-3,
    statsEvery: 50
  }
  // Fit the preprocessing once (cached), and warm both workers up (module load, wasm tier-up).
  await run('preprocess', { mode: 'standardize', val: 1000 })
  await Promise.all([0, 1].map(() => run('train', { ...config, epochs: 1, hidden: [10] })))

  t = performance.now()
  const one = await run<TrainResult>('train', config)
  const oneWall = (performance.now() - t) / 1000
  const examples = one.iterations * config.batch

  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  t = performance.now()
  const two = await Promise.all([
    run<TrainResult>('train', config),
    run<TrainResult>('train', { ...config, seed: 2 })
  ])
  const twoWall = (performance.now() - t) / 1000
  h.disable()
  const load1 = loadavg()

  const oneRate = examples / oneWall
  const twoRate = (2 * examples) / twoWall
  const ownOne = one.examplesPerSecond
  const ownTwo = two[0].examplesPerSecond + two[1].examplesPerSecond
  const rssMB = (process.resourceUsage().maxRSS * 1024) / 2 ** 20
  const lines = [
    `net 3072-${hidden.join('-')}-10, batch 200, ${epochs} epoch(s) = ${one.iterations} iterations per run, statuses ${[one, ...two].map((r) => r.status).join(', ')}`,
    `one run:   ${oneWall.toFixed(2)} s wall, ${oneRate.toFixed(0)} examples/s (its own steps-only figure ${ownOne.toFixed(0)})`,
    `two runs:  ${twoWall.toFixed(2)} s wall, ${twoRate.toFixed(0)} examples/s together (steps-only ${ownTwo.toFixed(0)})`,
    `speed-up:  ${(twoRate / oneRate).toFixed(2)}x wall-clock, ${(ownTwo / ownOne).toFixed(2)}x steps-only (target >= 1.8x)`,
    `event-loop delay while both ran: p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms (target p99 < 20 ms)`,
    `peak RSS of the process (main + workers): ${rssMB.toFixed(0)} MB (dataset: one ${((60000 * 3072) / 2 ** 20) | 0} MB SharedArrayBuffer)`,
    `load average after: ${load1.map((x) => x.toFixed(2)).join(', ')}`
  ]
  console.log(lines.join('\n'))
  await service.close()
}

void main()
