/**
 * The team guard under contention (src-workers/team-guard.ts): the bench's training epoch
 * (src-main/lab/bench.ts epochSeconds) on 1 worker, on 2 workers with the guard, on 2 workers
 * without it (LAYERSCOPE_TEAM_GUARD=off in the pool's workers) and, with --solo, on 2 workers
 * forced solo (the leader computes both slices: what the guard falls back to), alternating,
 * `--repeats` times; with `--busy N`, N busy loops (`node -e 'for(;;){}'`, started here and
 * killed at the end) occupy cores while it measures. Prints each epoch, the medians, the ratios
 * to 1 worker, the CPU model and the load average.
 *
 *   npx tsx bench/epoch-guard.ts [--repeats 5] [--busy 1] [--examples 50000] [--solo]
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { epochSeconds } from '../src-main/lab/bench'
import { LabPool } from '../src-main/lab/pool'
import { WORKER_SOURCE } from '../test/helpers/service'
import { loadText, median } from './stats'

const { values } = parseArgs({
  options: {
    repeats: { type: 'string' },
    busy: { type: 'string' },
    examples: { type: 'string' },
    solo: { type: 'boolean' }
  }
})
const repeats = Number(values.repeats ?? 5)
const busy = Number(values.busy ?? 0)
const n = Number(values.examples ?? 50_000)

async function main(): Promise<void> {
  const loops: ChildProcess[] = []
  for (let i = 0; i < busy; i++)
    loops.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }))
  const pool = (guard?: string): LabPool =>
    new LabPool({
      workerFile: WORKER_SOURCE,
      threads: 2,
      ...(guard ? { env: { LAYERSCOPE_TEAM_GUARD: guard } } : {})
    })
  const runs: { name: string; pool: LabPool; workers: number; t: number[] }[] = [
    { name: '1 worker', pool: pool(), workers: 1, t: [] },
    { name: '2 workers, guard', pool: pool(), workers: 2, t: [] },
    { name: '2 workers, no guard', pool: pool('off'), workers: 2, t: [] }
  ]
  if (values.solo) runs.push({ name: '2 workers, solo', pool: pool('solo'), workers: 2, t: [] })
  try {
    console.log(`${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; ${busy} busy loop(s)`)
    console.log(`load before ${loadText()}`)
    for (const r of runs) await epochSeconds(r.pool, r.workers, 2000)
    for (let k = 0; k < repeats; k++) {
      for (const r of runs) r.t.push(await epochSeconds(r.pool, r.workers, n))
      console.log(
        `${runs.map((r) => `${r.name} ${r.t.at(-1)!.toFixed(3)} s`).join(', ')} (load ${loadText()})`
      )
    }
    const one = median(runs[0]!.t)
    for (const r of runs) {
      const m = median(r.t)
      console.log(`median ${r.name}: ${m.toFixed(3)} s, ${(one / m).toFixed(2)}× of 1 worker`)
    }
  } finally {
    for (const l of loops) l.kill()
    for (const r of runs) await r.pool.close()
  }
  console.log(`load after ${loadText()}`)
}

void main()
