/**
 * The kernels outside gemm (issue 14), each beside the path it replaced and beside numpy:
 *
 *   npx tsx bench/kernels.ts                       everything (several minutes on a loaded machine)
 *   npx tsx bench/kernels.ts --part activations    SIMD activations: ns/element, the depth workload
 *   npx tsx bench/kernels.ts --part gather         the CIFAR gather per mode; training per example,
 *                                                  CIFAR (gathered) vs synthetic (plain copies)
 *   npx tsx bench/kernels.ts --part zca            the ZCA fit on one thread and on a team of two,
 *                                                  beside numpy's covariance + eigh (one thread)
 *   --no-numpy                                     skip python3
 *
 * Figures are medians (wall clock) on this process's threads; the first lines give the CPU and
 * the load average: under load every figure is pessimistic, ratios less so.
 */
import { execFileSync } from 'node:child_process'
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { BENCH_EPOCH, resolvePreprocessing, TrainConfig } from '../src-shared/experiments'
import {
  PREPROCESS_MODES,
  fitPreprocessing,
  gatherBatch,
  type FittedPreprocessing
} from '../src-workers/data/preprocess'
import { setGatherKernel } from '../src-workers/data/preprocess/gather-wasm'
import type { DatasetHandle } from '../src-workers/data/types'
import { teamProducts } from '../src-workers/data/zca-team'
import { allocWasmFloat32, freeWasm, kernelName } from '../src-workers/linalg/gemm'
import {
  elementwiseBackward,
  elementwiseForward,
  type ElementwiseActivation
} from '../src-workers/nn/activations'
import { setElementwiseKernel } from '../src-workers/nn/activations-wasm'
import { benchDepth } from '../src-workers/nn/bench'
import { trainNet, TRAIN_ACC_SAMPLES, type TrainSplits } from '../src-workers/nn/trainer'
import { endTeam, setWanted } from '../src-workers/team'

const { values } = parseArgs({
  options: { part: { type: 'string' }, 'no-numpy': { type: 'boolean' } }
})
const part = values.part ?? 'all'
const numpy = !values['no-numpy']
const D = 3072

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]!
}

function time(fn: () => void, repeats: number): number {
  fn()
  const t: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now()
    fn()
    t.push(performance.now() - t0)
  }
  return median(t)
}

function python(code: string, args: string[] = []): string {
  return execFileSync('python3', ['-c', code, ...args], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    encoding: 'utf8'
  }).trim()
}

function header(): void {
  const [l1, l5] = loadavg()
  console.log(
    `CPU ${cpus()[0]?.model ?? '?'} × ${cpus().length}; load average ${l1!.toFixed(2)} (1 min), ` +
      `${l5!.toFixed(2)} (5 min); gemm kernel ${kernelName()}`
  )
}

// ---------------------------------------------------------------------------------------------

function activations(): void {
  console.log('\n== SIMD activations (float32, 500,000 elements, off the wasm heap) ==')
  const n = 500_000
  let s = 7
  const X = Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    return (s / 2 ** 32 - 0.5) * 8
  })
  const G = new Float32Array(n).fill(0.3)
  const acts: ElementwiseActivation[] = [
    { type: 'sigmoid' },
    { type: 'tanh' },
    { type: 'elu', alpha: 1 },
    { type: 'selu' },
    { type: 'gelu', approximate: 'tanh' },
    { type: 'gelu', approximate: 'none' }
  ]
  const py = numpy
    ? python(
        `
import numpy as np, time
x = (np.random.default_rng(7).random(500000, dtype=np.float32) - 0.5) * 8
def t(f):
    f(); best = 1e9
    for _ in range(7):
        a = time.perf_counter(); f(); best = min(best, time.perf_counter() - a)
    return best * 1e9 / x.size
print(t(lambda: 1 / (1 + np.exp(-x))), t(lambda: np.tanh(x)), t(lambda: np.where(x > 0, x, np.expm1(x))))
`
      ).split(' ')
    : []
  console.log('activation      js fwd   simd fwd   js bwd   simd bwd   (ns/element)  numpy fwd')
  const npOf: Record<string, string | undefined> = { sigmoid: py[0], tanh: py[1], elu: py[2] }
  for (const a of acts) {
    const row: number[] = []
    for (const k of ['js', 'wasm-simd'] as const) {
      setElementwiseKernel(k)
      const x = { data: X, rows: 1000, cols: 500 }
      const f = elementwiseForward(a, x)
      row.push((time(() => void elementwiseForward(a, x), 7) * 1e6) / n)
      const g = { data: G, rows: 1000, cols: 500 }
      row.push((time(() => void elementwiseBackward(g, f.cache), 7) * 1e6) / n)
    }
    const np = npOf[a.type]
    const name = a.type === 'gelu' ? `gelu-${a.approximate}` : a.type
    console.log(
      `${name.padEnd(12)} ${row[0]!.toFixed(2).padStart(8)} ${row[2]!.toFixed(2).padStart(10)} ` +
        `${row[1]!.toFixed(2).padStart(8)} ${row[3]!.toFixed(2).padStart(10)}` +
        (np ? `   ${Number(np).toFixed(2).padStart(20)}` : '')
    )
  }
  console.log('\n== depth workload: 10 × 500 tanh forward + backward, 1000 samples, one thread ==')
  // Interleaved (js, simd) × 5, medians: a loaded machine's drift hits both alike.
  const jsRuns: number[] = []
  const simdRuns: number[] = []
  for (let r = 0; r < 5; r++) {
    setElementwiseKernel('js')
    jsRuns.push(benchDepth(3))
    setElementwiseKernel('wasm-simd')
    simdRuns.push(benchDepth(3))
  }
  setElementwiseKernel('auto')
  const js = median(jsRuns)
  const simd = median(simdRuns)
  console.log(`tanh on Math.tanh (the TypeScript rule): ${js.toFixed(0)} ms`)
  console.log(
    `tanh on the SIMD kernel:                 ${simd.toFixed(0)} ms  (${(js / simd).toFixed(2)}× faster)`
  )
}

// ---------------------------------------------------------------------------------------------

/** A CIFAR-shaped dataset of random bytes in shared memory (train + test records). */
function randomHandle(train: number, test: number): DatasetHandle {
  const pixels = new SharedArrayBuffer((train + test) * D)
  const p = new Uint8Array(pixels)
  let s = 12345
  for (let i = 0; i < p.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    p[i] = s >>> 24
  }
  const labels = new SharedArrayBuffer(train + test)
  new Uint8Array(labels).forEach((_, i, a) => (a[i] = (i * 7) % 10))
  return {
    pixels,
    labels,
    train: { offset: 0, count: train },
    test: { offset: train, count: test },
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    format: 'binary',
    source: '(bench: random bytes)',
    files: [],
    warnings: [],
    fingerprint: 'bench'
  } as unknown as DatasetHandle
}

function gather(): void {
  console.log('\n== CIFAR gather, batch of 200 records (float32, into a wasm-heap batch) ==')
  const h = randomHandle(5000, 1000)
  const out = allocWasmFloat32(200 * D)
  const y = new Int32Array(200)
  const idx = Int32Array.from({ length: 200 }, (_, i) => ((i * 2654435761) % 5000) >>> 0)
  const copySrc = new Float32Array(5000 * D)
  const copy = time(() => {
    for (let i = 0; i < 200; i++) out.set(copySrc.subarray(idx[i]! * D, (idx[i]! + 1) * D), i * D)
  }, 9)
  console.log(`plain float32 copy of the rows (synthetic data's gather): ${copy.toFixed(2)} ms`)
  console.log('mode                  TypeScript   SIMD kernel   (ms per batch)')
  for (const mode of PREPROCESS_MODES) {
    const fitted = fitPreprocessing(h, resolvePreprocessing(mode), { zcaSamples: 200 })
    const row: number[] = []
    for (const k of ['js', 'wasm-simd'] as const) {
      setGatherKernel(k)
      row.push(time(() => gatherBatch(h, 'train', idx, fitted, out, y), 9))
    }
    console.log(
      `${mode.padEnd(20)} ${row[0]!.toFixed(2).padStart(10)} ${row[1]!.toFixed(2).padStart(13)}` +
        (mode === 'zca' ? '   (+ the 200×3072×3072 whitening gemm, in both)' : '')
    )
  }
  setGatherKernel('auto')
  freeWasm(out)

  console.log('\n== training per example: CIFAR (mean-image, gathered) vs synthetic (copied) ==')
  const n = 10_000
  const big = randomHandle(n + 1000, 1000)
  const fitted: FittedPreprocessing = fitPreprocessing(big, resolvePreprocessing('mean-image'), {
    val: 1000
  })
  const cifar: TrainSplits = {
    dim: D,
    classes: 10,
    count: { train: n, val: 1000, test: 1000 },
    gather: (split, indices, outX, outY) => gatherBatch(big, split, indices, fitted, outX, outY)
  }
  const X = new Float32Array((n + 2000) * D)
  for (let i = 0; i < X.length; i++) X[i] = ((i * 2654435761) >>> 24) / 64 - 2
  const offset = { train: 0, val: n, test: n + 1000 }
  const synthetic: TrainSplits = {
    dim: D,
    classes: 10,
    count: { train: n, val: 1000, test: 1000 },
    gather(split, indices, outX, outY) {
      for (let i = 0; i < indices.length; i++) {
        const r = offset[split] + indices[i]!
        outX.set(X.subarray(r * D, (r + 1) * D), i * D)
        outY[i] = r % 10
      }
    }
  }
  const opts = {
    ...TrainConfig.parse({ ...BENCH_EPOCH.config, statsEvery: 50, epochs: 1 }),
    slices: 1,
    trainAccSamples: TRAIN_ACC_SAMPLES
  }
  // Interleaved rounds (synthetic, CIFAR with each gather), medians: a loaded machine's drift
  // hits all three alike.
  const us = (data: TrainSplits): number => 1e6 / trainNet(data, opts).examplesPerSecond
  us(synthetic) // warm-up
  const runs: Record<'syn' | 'js' | 'wasm-simd', number[]> = { syn: [], js: [], 'wasm-simd': [] }
  for (let r = 0; r < 5; r++) {
    runs.syn.push(us(synthetic))
    for (const k of ['js', 'wasm-simd'] as const) {
      setGatherKernel(k)
      runs[k].push(us(cifar))
    }
  }
  setGatherKernel('auto')
  const results = { js: median(runs.js), 'wasm-simd': median(runs['wasm-simd']) }
  const syn = median(runs.syn)
  console.log(`synthetic: ${syn.toFixed(1)} µs/example (steps only, 3072→100→10 ReLU, batch 200)`)
  console.log(
    `CIFAR, TypeScript gather: ${results.js!.toFixed(1)} µs/example (${(results.js! / syn).toFixed(2)}× synthetic)`
  )
  console.log(
    `CIFAR, SIMD gather:       ${results['wasm-simd']!.toFixed(1)} µs/example (${(results['wasm-simd']! / syn).toFixed(2)}× synthetic; target ≤ 1.1×)`
  )
}

// ---------------------------------------------------------------------------------------------

async function zca(): Promise<void> {
  console.log('\n== ZCA fit: 3072 features, 10,000 records (random bytes), ε = 0.1 ==')
  const h = randomHandle(11_000, 1000)
  const fit = (f: FittedPreprocessing) =>
    f.fit as { covarianceSeconds: number; eigenSeconds: number; seconds: number }
  const line = (label: string, f: FittedPreprocessing, wall: number) => {
    const r = fit(f)
    console.log(
      `${label}: ${wall.toFixed(2)} s = covariance ${r.covarianceSeconds.toFixed(2)} s + eigen ` +
        `${r.eigenSeconds.toFixed(2)} s + whitening matrix ${(r.seconds - r.covarianceSeconds - r.eigenSeconds).toFixed(2)} s`
    )
  }
  let t = performance.now()
  const one = fitPreprocessing(h, resolvePreprocessing('zca'), { val: 1000 })
  const oneWall = (performance.now() - t) / 1000
  line('one thread          ', one, oneWall)

  // A team of two: this thread leads, one worker thread helps (as the pool lends one).
  let worker: Worker | null = null
  let team: SharedArrayBuffer | null = null
  const runner = teamProducts(D, (share) => {
    team = share.team
    setWanted(share.team, 1)
    const url = JSON.stringify(new URL('./zca-helper.ts', import.meta.url).href)
    worker = new Worker(`import('tsx/esm/api').then((m) => m.tsImport(${url}, ${url}))`, {
      eval: true,
      workerData: share
    })
  })
  t = performance.now()
  const two = fitPreprocessing(h, resolvePreprocessing('zca'), { val: 1000, products: runner })
  const twoWall = (performance.now() - t) / 1000
  runner.close()
  line('team of two threads ', two, twoWall)
  const w = worker as Worker | null
  if (w && team) {
    const done = new Promise((resolve) => w.once('message', resolve))
    endTeam(team)
    console.log(`  (the helper ran ${String(await done)} row blocks)`)
    await w.terminate()
  }
  const same = one.zcaMatrix!.every((v, i) => Object.is(v, two.zcaMatrix![i]))
  console.log(`  same whitening matrix bits on one thread and on the team: ${same}`)
  if (numpy) {
    const out = python(
      `
import numpy as np, time
rng = np.random.default_rng(1)
X = rng.integers(0, 256, size=(10000, 3072), dtype=np.uint8).astype(np.float64) / 255
t = time.perf_counter()
Xc = X - X.mean(axis=0)
C = Xc.T @ Xc / X.shape[0]
c = time.perf_counter() - t
t = time.perf_counter()
w, U = np.linalg.eigh(C)
e = time.perf_counter() - t
t = time.perf_counter()
W = (U * (1 / np.sqrt(w + 0.1))) @ U.T
m = time.perf_counter() - t
print(c, e, m)
`
    )
    const [c, e, m] = out.split(' ').map(Number)
    const npTotal = c! + e!
    console.log(
      `numpy (OPENBLAS_NUM_THREADS=1): covariance ${c!.toFixed(2)} s + eigh ${e!.toFixed(2)} s = ` +
        `${npTotal.toFixed(2)} s (+ whitening matrix ${m!.toFixed(2)} s)`
    )
    console.log(
      `ratio to numpy's covariance + eigh: one thread ${(oneWall / npTotal).toFixed(2)}×, team of two ` +
        `${(twoWall / npTotal).toFixed(2)}× (target ≤ 2×)`
    )
  }
}

header()
if (part === 'all' || part === 'activations') activations()
if (part === 'all' || part === 'gather') gather()
if (part === 'all' || part === 'zca') await zca()
