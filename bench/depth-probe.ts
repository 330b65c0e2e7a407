/**
 * The depth probe as a user runs it, whole: the seed's draws (X, every W, G), the pass and the
 * statistics, through the pool's `depth` task, on 1 worker and on a team of every thread,
 * alternating, `--repeats` times (default 5); the medians, the speed-up, the CPU model and the
 * load before and after. The lecture's probe (10 × 500 tanh, Xavier, 1000 samples) and a large
 * one (4 × 2000, 2000 samples). `npm run bench`'s depth figure times the pass alone.
 *
 *   npx tsx bench/depth-probe.ts [--repeats 5] [--threads 2]
 */
import { availableParallelism, cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { DepthConfig } from '../src-shared/experiments'
import { LabPool } from '../src-main/lab/pool'
import type { DepthShare } from '../src-workers/nn/depth-team'
import { WORKER_SOURCE } from '../test/helpers/service'
import { loadText, median } from './stats'

const { values } = parseArgs({
  options: { repeats: { type: 'string' }, threads: { type: 'string' } }
})
const repeats = Number(values.repeats ?? 5)
const threads = Number(values.threads ?? availableParallelism())

async function probeMs(pool: LabPool, config: DepthConfig, workers: number): Promise<number> {
  const t = performance.now()
  if (workers === 1) await pool.run('depth', { config })
  else
    await pool.runTeam(
      'depth',
      { config, slices: workers },
      { task: 'depthHelper', input: (shared, index) => ({ share: shared as DepthShare, index }) }
    )
  return performance.now() - t
}

async function main(): Promise<void> {
  console.log(`${cpus()[0]?.model ?? '?'}, ${availableParallelism()} cores; load ${loadText()}`)
  const pool = new LabPool({ workerFile: WORKER_SOURCE, threads })
  const cases: [string, DepthConfig][] = [
    [
      'lecture 10 × 500 tanh, 1000 samples',
      DepthConfig.parse({
        layers: 10,
        width: 500,
        samples: 1000,
        activation: 'tanh',
        init: 'xavier'
      })
    ],
    [
      'large 4 × 2000 tanh, 2000 samples',
      DepthConfig.parse({
        layers: 4,
        width: 2000,
        samples: 2000,
        activation: 'tanh',
        init: 'xavier'
      })
    ]
  ]
  try {
    for (const [name, config] of cases) {
      await probeMs(pool, config, 1)
      await probeMs(pool, config, threads)
      const one: number[] = []
      const all: number[] = []
      for (let r = 0; r < repeats; r++) {
        one.push(await probeMs(pool, config, 1))
        all.push(await probeMs(pool, config, threads))
      }
      const a = median(one)
      const b = median(all)
      console.log(
        `${name}: 1 worker ${a.toFixed(0)} ms, ${threads} workers ${b.toFixed(0)} ms, speed-up ${(a / b).toFixed(2)}× (load ${loadText()})`
      )
    }
  } finally {
    await pool.close()
  }
  console.log(`load after ${loadText()}`)
}

void main()
