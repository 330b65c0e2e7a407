/**
 * Does a second core running gemm slow the first? Times the epoch's gemm shapes (forward
 * X·W₁ and the weight gradient Xᵀ·dH, on the whole batch of 200 rows and on a 100-row slice,
 * the shapes a 2-worker step computes) on one thread alone, then in N processes at once (one per
 * core), each process timing its own; prints GFLOP/s per shape, alone and concurrent, the CPU
 * model and the load. Alone and together alternate `--rounds` times (default 3); each figure is
 * the best round's (the least disturbed by other work on a shared machine) with the median beside.
 *
 *   npx tsx bench/gemm-concurrent.ts [--procs 2] [--seconds 1] [--rounds 3]
 */
import { spawn } from 'node:child_process'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { allocWasmFloat32, freeWasm, gemm } from '../src-workers/linalg/gemm'

const { values } = parseArgs({
  options: {
    procs: { type: 'string' },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    child: { type: 'boolean' },
    start: { type: 'string' }
  }
})
const seconds = Number(values.seconds ?? 1)

/** [label, m, n, k, transA] with gemm(m, n, k): C[m×n] = op(A)[m×k]·B[k×n]. */
const SHAPES: [string, number, number, number, boolean][] = [
  ['fwd 200x3072 · 3072x100', 200, 100, 3072, false],
  ['fwd 100x3072 · 3072x100', 100, 100, 3072, false],
  ['dW  3072x200 · 200x100', 3072, 100, 200, true],
  ['dW  3072x100 · 100x100', 3072, 100, 100, true]
]

function timeShape(m: number, n: number, k: number, transA: boolean): number {
  const A = allocWasmFloat32(m * k)
  const B = allocWasmFloat32(k * n)
  const C = allocWasmFloat32(m * n)
  for (let i = 0; i < A.length; i++) A[i] = Math.sin(i)
  for (let i = 0; i < B.length; i++) B[i] = Math.cos(i)
  const run = () => void gemm(m, n, k, A, B, C, { transA })
  for (let i = 0; i < 20; i++) run()
  const times: number[] = []
  const end = performance.now() + seconds * 1000
  while (performance.now() < end) {
    const t = performance.now()
    for (let i = 0; i < 10; i++) run()
    times.push((performance.now() - t) / 10)
  }
  for (const a of [A, B, C]) freeWasm(a)
  times.sort((a, b) => a - b)
  return (2 * m * n * k) / (times[times.length >> 1]! / 1000) / 1e9
}

function measure(): number[] {
  return SHAPES.map(([, m, n, k, t]) => timeShape(m, n, k, t))
}

async function main(): Promise<void> {
  if (values.child) {
    // Start together: wait for the agreed wall-clock instant.
    const at = Number(values.start)
    while (Date.now() < at) {
      /* spin */
    }
    process.stdout.write(JSON.stringify(measure()))
    return
  }
  const procs = Number(values.procs ?? availableParallelism())
  const la = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(', ')
  console.log(`${cpus()[0]?.model ?? '?'}, ${availableParallelism()} cores; load ${la()}`)
  const self = fileURLToPath(import.meta.url)
  const run = (n: number): Promise<number[][]> => {
    const start = Date.now() + 3000
    return Promise.all(
      Array.from(
        { length: n },
        () =>
          new Promise<number[]>((resolve, reject) => {
            const p = spawn(
              process.execPath,
              [
                '--import',
                'tsx',
                self,
                '--child',
                '--start',
                String(start),
                '--seconds',
                String(seconds)
              ],
              { stdio: ['ignore', 'pipe', 'inherit'] }
            )
            let out = ''
            p.stdout.on('data', (d: Buffer) => (out += d.toString()))
            p.on('exit', (code) =>
              code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`exit ${code}`))
            )
          })
      )
    )
  }
  const rounds = Number(values.rounds ?? 3)
  const alone: number[][] = []
  const together: number[][] = []
  for (let r = 0; r < rounds; r++) {
    alone.push((await run(1))[0]!)
    // per shape, the mean rate of the processes that ran at once
    const t = await run(procs)
    together.push(SHAPES.map((_s, i) => t.reduce((a, p) => a + p[i]!, 0) / procs))
  }
  const best = (rows: number[][], i: number) => Math.max(...rows.map((r) => r[i]!))
  const med = (rows: number[][], i: number) => {
    const v = rows.map((r) => r[i]!).sort((a, b) => a - b)
    return v[v.length >> 1]!
  }
  SHAPES.forEach(([label], i) => {
    const a = best(alone, i)
    const t = best(together, i)
    console.log(
      `${label}: alone ${a.toFixed(1)} GFLOP/s (median ${med(alone, i).toFixed(1)}); ` +
        `${procs} at once ${t.toFixed(1)} GFLOP/s each (median ${med(together, i).toFixed(1)}), ` +
        `${((t / a) * 100).toFixed(0)} % of alone`
    )
  })
  console.log(`load after ${la()}`)
}

void main()
