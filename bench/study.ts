/**
 * Speed of a preprocessing study (issue 12), through LabService and the real worker pool (one
 * thread per core), wall clock from job start to result:
 *
 *   npx tsx bench/study.ts            the real sample (../shared/fixtures/cifar10-sample), 3 modes
 *                                     with the UI's defaults: 8 trials × 1 epoch, 3 seeds × 5
 *                                     epochs (hidden 50, batch 50, val 100) — target ≤ 60 s on 2 cores
 *   npx tsx bench/study.ts --full     the synthetic full-size copy of bench/data-load.ts (50,000
 *                                     training images; write it first with npx tsx bench/data-load.ts),
 *                                     --search-epochs 1 --epochs 2 (hidden 100, batch 200, val 1000)
 *
 * Prints the seconds, the CPU model, the load average before and after (the machine is shared:
 * figures under load are pessimistic), each mode's chosen rate and the verdict.
 */
import { existsSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { LabService } from '../src-main/lab/service'
import type { StudyResult } from '../src-shared/results'
import { cifarSampleLocation } from '../test/helpers/fixtures'
import { WORKER_SOURCE } from '../test/helpers/service'

const FULL = fileURLToPath(new URL('./.data/cifar10-full/cifar-10-batches-bin', import.meta.url))

const { values } = parseArgs({ options: { full: { type: 'boolean' } } })
const full = values.full === true

async function main(): Promise<void> {
  const path = full ? FULL : join(cifarSampleLocation().dir, 'cifar-10-batches-bin')
  if (!existsSync(path)) {
    console.error(
      full
        ? `no full-size copy at ${path}: run npx tsx bench/data-load.ts first`
        : `no CIFAR-10 sample at ${path}`
    )
    process.exit(2)
  }
  const threads = availableParallelism()
  const service = new LabService({
    pool: { workerFile: WORKER_SOURCE, threads },
    mode: 'test',
    version: 'bench'
  })
  const run = async <T>(kind: 'dataset' | 'study', config: unknown): Promise<T> => {
    const res = await service.call('job:start', { kind, config })
    if (!res.ok) throw new Error(res.error.message)
    return (await service.waitForJob((res.value as { jobId: string }).jobId)).result as T
  }
  await run('dataset', { path })
  const config = {
    config: full
      ? { data: { type: 'dataset' }, hidden: [100], batch: 200, val: 1000, epochs: 2 }
      : { data: { type: 'dataset' }, hidden: [50], batch: 50, val: 100, epochs: 5 },
    modes: ['mean-image', 'channel-mean', 'channel-standardize'],
    search: { lo: 1e-7, hi: 1e-1, trials: 8, epochs: 1 },
    seeds: 3
  }
  const model = cpus()[0]?.model ?? 'unknown CPU'
  const load0 = loadavg()
  const t0 = performance.now()
  const r = await run<StudyResult>('study', config)
  const seconds = (performance.now() - t0) / 1000
  const load1 = loadavg()
  console.log(
    `study on ${full ? 'the full-size synthetic copy (50,000 training images)' : 'the real sample (600 + 600 images)'}`
  )
  console.log(
    `  3 modes × (8 trials × 1 epoch + 3 seeds × ${full ? 2 : 5} epochs), ${threads} worker threads`
  )
  console.log(
    `  ${seconds.toFixed(1)} s${full ? '' : ` (target ≤ 60 s: ${seconds <= 60 ? 'met' : 'NOT met'})`}`
  )
  console.log(
    `  CPU: ${model}; load average before ${load0.map((x) => x.toFixed(2)).join(', ')}, after ${load1.map((x) => x.toFixed(2)).join(', ')}`
  )
  for (const m of r.modes)
    console.log(
      `  ${m.mode}: lr ${m.bestLr?.toExponential(2) ?? '–'}, test ${m.mean ? (100 * m.mean.testAcc).toFixed(1) : '–'} %${m.note ? ` (${m.note})` : ''}`
    )
  console.log(`  ${r.verdict.text}`)
  await service.close()
}

void main()
