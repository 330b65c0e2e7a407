/**
 * The all-core bench's epoch alone, quickly: one epoch of 3072→100→10 ReLU, batch 200, on 50,000
 * synthetic examples through the trainer on the pool (src-main/lab/bench.ts), on 1 worker and on
 * every thread, alternating, `--repeats` times (default 5), with the medians, the speed-up, the
 * CPU model and the load average before and after.
 *
 *   npx tsx bench/epoch-team.ts [--repeats 5] [--threads 2] [--depth]
 */
import { availableParallelism, cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { depthMs, epochSeconds } from '../src-main/lab/bench'
import { LabPool } from '../src-main/lab/pool'
import { WORKER_SOURCE } from '../test/helpers/service'
import { loadText, median } from './stats'

const { values } = parseArgs({
  options: {
    repeats: { type: 'string' },
    threads: { type: 'string' },
    depth: { type: 'boolean' }
  }
})
const repeats = Number(values.repeats ?? 5)
const threads = Number(values.threads ?? availableParallelism())

async function main(): Promise<void> {
  console.log(`${cpus()[0]?.model ?? '?'}, ${availableParallelism()} cores; load ${loadText()}`)
  const pool = new LabPool({ workerFile: WORKER_SOURCE, threads })
  try {
    await epochSeconds(pool, threads, 2000)
    await epochSeconds(pool, 1, 2000)
    const one: number[] = []
    const all: number[] = []
    for (let r = 0; r < repeats; r++) {
      one.push(await epochSeconds(pool, 1))
      all.push(await epochSeconds(pool, threads))
      console.log(
        `epoch: 1 worker ${one.at(-1)!.toFixed(3)} s, ${threads} workers ${all.at(-1)!.toFixed(3)} s (load ${loadText()})`
      )
    }
    const a = median(one)
    const b = median(all)
    console.log(
      `epoch medians: 1 worker ${a.toFixed(3)} s, ${threads} workers ${b.toFixed(3)} s, speed-up ${(a / b).toFixed(2)}×`
    )
    if (values.depth) {
      const d1 = await depthMs(pool, 1, repeats)
      const d2 = await depthMs(pool, threads, repeats)
      console.log(
        `depth: 1 worker ${d1.toFixed(0)} ms, ${threads} workers ${d2.toFixed(0)} ms, speed-up ${(d1 / d2).toFixed(2)}×`
      )
    }
  } finally {
    await pool.close()
  }
  console.log(`load after ${loadText()}`)
}

void main()
