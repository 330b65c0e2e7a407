/**
 * `npm run bench`: this machine's engine figures (src-workers/nn/bench.ts) beside numpy's for
 * the same workloads (bench/reference.py), with the ratios and the targets.
 *
 *   tsx bench/run.ts [--repeats N] [--kernel wasm-relaxed-simd|wasm-simd|js] [--no-numpy] [--json]
 *
 * Ours: the GEMM shapes and the one-thread kernel loops run on this thread (float32); then the
 * engine's data-parallel epoch and depth pass run on a worker pool (src-main/lab/bench.ts), on 1
 * worker and on every thread (--threads, default one per core). numpy runs afterwards, not
 * concurrently, with
 * OPENBLAS_NUM_THREADS=1 and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed from its environment
 * only (they select a slower kernel on some CPUs); it reports which OpenBLAS kernel it ran.
 * LAYERSCOPE_PYTHON picks the interpreter (default python3).
 */
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { availableParallelism, loadavg } from 'node:os'
import { benchAllCores, type AllCoreBench } from '../src-main/lab/bench'
import { LabPool } from '../src-main/lab/pool'
import { benchEngine, type BenchResult } from '../src-workers/nn/bench'
import { WORKER_SOURCE } from '../test/helpers/service'
import { setKernel, type KernelName } from '../src-workers/linalg/gemm'

interface NumpyResult extends Omit<BenchResult, 'kernel'> {
  numpy: string
  blas: { via: string; library?: string; version?: string; corename?: string; threads?: number }
}

const TARGETS = { gflops: 35, epochRatio: 2.5, depthRatio: 3 }
/** Issue 14's targets for the all-core figures and the 2-worker speed-up. */
const ALL_CORES = { epochRatio: 1.0, depthRatio: 1.6, speedup: 1.8 }

function runNumpy(repeats: number): NumpyResult | string {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }
  delete env.OPENBLAS_CORETYPE
  delete env.OPENBLAS_L2_SIZE
  const script = join(dirname(fileURLToPath(import.meta.url)), 'reference.py')
  const python = process.env.LAYERSCOPE_PYTHON ?? 'python3'
  const res = spawnSync(python, [script, String(repeats)], {
    env,
    encoding: 'utf8',
    maxBuffer: 1 << 20
  })
  if (res.error) return `could not run ${python}: ${res.error.message}`
  if (res.status !== 0) return `${python} bench/reference.py failed:\n${res.stderr.trim()}`
  return JSON.parse(res.stdout) as NumpyResult
}

function fmt(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—'
}

function allCoreTable(all: AllCoreBench, numpy: NumpyResult | null): string {
  const w = all.workers
  const rows: string[][] = [
    ['workload', '1 worker', `${w} workers`, 'speed-up', 'numpy', 'all/numpy', 'target']
  ]
  const line = (
    name: string,
    one: number,
    many: number,
    np: number,
    digits: number,
    limit: number
  ) => {
    const ratio = many / np
    const speedup = one / many
    rows.push([
      name,
      fmt(one, digits),
      fmt(many, digits),
      `${fmt(speedup, 2)}×`,
      fmt(np, digits),
      `${fmt(ratio, 2)}×`,
      `≤ ${limit}× numpy: ${ratio <= limit ? 'met' : 'MISSED'}; ≥ ${ALL_CORES.speedup}×: ${speedup >= ALL_CORES.speedup ? 'met' : 'MISSED'}`
    ])
  }
  line(
    'epoch (trainer), s',
    all.epochSecondsOneCore,
    all.epochSeconds,
    numpy?.epochSeconds ?? NaN,
    2,
    ALL_CORES.epochRatio
  )
  line(
    'depth (team pass), ms',
    all.depthMsOneCore,
    all.depthMs,
    numpy?.depthMs ?? NaN,
    0,
    ALL_CORES.depthRatio
  )
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))))
    .map((r) => r.join('  ').trimEnd())
    .join('\n')
}

function table(ours: BenchResult, numpy: NumpyResult | null): string {
  const rows: string[][] = [['workload', 'ours', 'numpy', 'ours/numpy', 'target']]
  for (const [i, g] of ours.gemm.entries()) {
    const np = numpy?.gemm[i]?.gflops ?? NaN
    rows.push([
      `sgemm ${g.shape} (m×k×n), GFLOP/s`,
      fmt(g.gflops, 1),
      fmt(np, 1),
      `${fmt(g.gflops / np, 2)}×`,
      i < 2 ? `≥ ${TARGETS.gflops} GFLOP/s: ${g.gflops >= TARGETS.gflops ? 'met' : 'MISSED'}` : ''
    ])
  }
  const epochRatio = ours.epochSeconds / (numpy?.epochSeconds ?? NaN)
  rows.push([
    'epoch 3072→100→10 ReLU, 50k ex, batch 200, s',
    fmt(ours.epochSeconds, 2),
    fmt(numpy?.epochSeconds ?? NaN, 2),
    `${fmt(epochRatio, 2)}×`,
    numpy ? `≤ ${TARGETS.epochRatio}×: ${epochRatio <= TARGETS.epochRatio ? 'met' : 'MISSED'}` : ''
  ])
  const depthRatio = ours.depthMs / (numpy?.depthMs ?? NaN)
  rows.push([
    'depth 10×500 tanh fwd+bwd, 1000 samples, ms',
    fmt(ours.depthMs, 0),
    fmt(numpy?.depthMs ?? NaN, 0),
    `${fmt(depthRatio, 2)}×`,
    numpy ? `≤ ${TARGETS.depthRatio}×: ${depthRatio <= TARGETS.depthRatio ? 'met' : 'MISSED'}` : ''
  ])
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))))
    .map((r) => r.join('  ').trimEnd())
    .join('\n')
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string', default: '5' },
      kernel: { type: 'string' },
      'no-numpy': { type: 'boolean', default: false },
      threads: { type: 'string' },
      json: { type: 'boolean', default: false }
    }
  })
  const repeats = Number(values.repeats)
  if (!Number.isInteger(repeats) || repeats < 1) {
    console.error(`bench: --repeats must be a positive integer, got '${values.repeats}'`)
    process.exit(2)
  }
  if (values.kernel) {
    try {
      setKernel(values.kernel as KernelName)
    } catch (err) {
      console.error(`bench: --kernel: ${(err as Error).message}`)
      process.exit(2)
    }
  }
  const threads = Number(values.threads ?? availableParallelism())
  if (!Number.isInteger(threads) || threads < 1) {
    console.error(`bench: --threads must be a positive integer, got '${values.threads}'`)
    process.exit(2)
  }
  const log = (line: string) => console.error(line)
  const load0 = loadavg()
  const ours = benchEngine({ repeats, log })
  const pool = new LabPool({ workerFile: WORKER_SOURCE, threads })
  let all: AllCoreBench
  try {
    all = await benchAllCores(pool, { repeats, log })
  } finally {
    await pool.close()
  }
  const load1 = loadavg()
  let numpy: NumpyResult | null = null
  if (!values['no-numpy']) {
    log('bench: numpy (bench/reference.py, OPENBLAS_NUM_THREADS=1)…')
    const r = runNumpy(repeats)
    if (typeof r === 'string') log(`bench: numpy figures unavailable: ${r}`)
    else numpy = r
  }
  if (values.json) {
    console.log(JSON.stringify({ ours, allCores: all, numpy, loadavg: [load0, load1] }, null, 2))
    return
  }
  console.log(`ours:  kernel ${ours.kernel}, one thread, float32, Node ${process.versions.node}`)
  if (numpy) {
    const b = numpy.blas
    console.log(
      `numpy: ${numpy.numpy}, ${b.library ?? 'BLAS'} ${b.version ?? ''}, core ${b.corename ?? '?'}, ` +
        `${b.threads ?? '?'} thread(s) (via ${b.via})`
    )
  }
  console.log(`medians of ${repeats} repeats after warm-up (epochs: ${Math.min(repeats, 3)})\n`)
  console.log(table(ours, numpy))
  console.log(`\nthe engine's data-parallel paths, 1 worker and ${all.workers} (worker pool):\n`)
  console.log(allCoreTable(all, numpy))
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ')
  console.log(
    `\nload average before ${la(load0)}, after ${la(load1)} on ${availableParallelism()} cores` +
      ' (figures taken under load are pessimistic, the speed-up most of all)'
  )
}

void main()
