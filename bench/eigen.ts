/**
 * The float64 symmetric eigensolver (src-workers/linalg/eigen.ts) alone, phase by phase, beside
 * numpy's eigh (LAPACK DSYEVD) on one OpenBLAS thread, and optionally the whole ZCA fit.
 *
 *   npx tsx bench/eigen.ts                 n = 1000 and 3072
 *   npx tsx bench/eigen.ts --n 500,1000    other sizes
 *   npx tsx bench/eigen.ts --zca           also fitPreprocessing(…, 'zca') on the synthetic
 *                                          full-size copy (write it first: bench/data-load.ts)
 *   --no-numpy                             skip python3
 *
 * Times are wall clock and, in brackets, this process's CPU time (the machine is shared: when
 * the two disagree, other processes were competing). Accuracy: ‖VᵀV − I‖_F and
 * ‖VᵀΛV − A‖_F/‖A‖_F. The matrix is a covariance-like Gram matrix XᵀX/m of random data.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { tridiagonalEigen } from '../src-workers/linalg/eigen-dc'
import { applyQ, tridiagonalize } from '../src-workers/linalg/eigen-tridiag'
import { symmetricEigen } from '../src-workers/linalg/eigen'
import { loadDataset } from '../src-workers/data/load'
import { fitPreprocessing } from '../src-workers/data/preprocess'
import { resolvePreprocessing } from '../src-shared/experiments'
import { symvKernelName } from '../src-workers/linalg/symv'
import { allocWasmFloat64, freeWasm, gemm, kernelName } from '../src-workers/linalg/gemm'

const args = process.argv.slice(2)
const nAt = args.indexOf('--n')
const sizes = nAt >= 0 ? (args[nAt + 1] ?? '').split(',').map(Number) : [1000, 3072]

function clock() {
  const w = performance.now()
  const c = process.cpuUsage().user
  return () => ({ wall: (performance.now() - w) / 1000, cpu: (process.cpuUsage().user - c) / 1e6 })
}
const fmt = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(2)} s (cpu ${t.cpu.toFixed(2)})`

function gram(n: number, seed: number): Float64Array {
  let s = seed >>> 0
  const m = n + 64
  const X = new Float64Array(m * n)
  for (let i = 0; i < X.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    X[i] = s / 2 ** 32 - 0.5
  }
  const A = new Float64Array(n * n)
  gemm(n, n, m, X, X, A, { transA: true })
  for (let i = 0; i < n * n; i++) A[i] = A[i]! / m
  return A
}

function accuracy(A: Float64Array, n: number, values: Float64Array, V: Float64Array) {
  const G = new Float64Array(n * n)
  gemm(n, n, n, V, V, G, { transB: true })
  let orth = 0
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) orth += (G[i * n + j]! - (i === j ? 1 : 0)) ** 2
  const LV = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) LV[i * n + k] = values[i]! * V[i * n + k]!
  const R = new Float64Array(n * n)
  gemm(n, n, n, V, LV, R, { transA: true })
  let num = 0
  let den = 0
  for (let i = 0; i < n * n; i++) {
    num += (R[i]! - A[i]!) ** 2
    den += A[i]! ** 2
  }
  return { orth: Math.sqrt(orth), recon: Math.sqrt(num / den) }
}

const NUMPY = `
import sys, time, numpy as np
for n in map(int, sys.argv[1:]):
    X = np.random.default_rng(n).random((n + 64, n)) - 0.5
    A = X.T @ X / (n + 64)
    np.linalg.eigh(A)
    best = min((lambda t: (np.linalg.eigh(A), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(2))
    print(n, best)
`

function numpyTimes(ns: number[]): Map<number, number> {
  const out = new Map<number, number>()
  if (args.includes('--no-numpy')) return out
  try {
    const text = execFileSync('python3', ['-c', NUMPY, ...ns.map(String)], {
      env: {
        ...process.env,
        OPENBLAS_NUM_THREADS: '1',
        OMP_NUM_THREADS: '1',
        MKL_NUM_THREADS: '1'
      },
      encoding: 'utf8'
    })
    for (const line of text.trim().split('\n')) {
      const [n, s] = line.split(' ')
      out.set(Number(n), Number(s))
    }
  } catch (err) {
    console.log(`numpy: not run (${(err as Error).message.split('\n')[0]})`)
  }
  return out
}

async function main(): Promise<void> {
  console.log(`gemm kernel ${kernelName()}, symv kernel ${symvKernelName()}, one thread`)
  for (const n of sizes) {
    const A = gram(n, n)
    symmetricEigen(A.subarray(0, 64 * 64), 64) // warm the JIT
    const all = clock()
    let t = clock()
    const tri = tridiagonalize(A, n)
    const tTri = t()
    t = clock()
    const dc = tridiagonalEigen(tri.d, tri.e, n)
    const tDc = t()
    t = clock()
    const U = allocWasmFloat64(n * n)
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) U[r * n + c] = dc.vectors[c * n + r]!
    applyQ(tri, U, n)
    const tBack = t()
    const total = all()
    // Rows = eigenvectors for the accuracy check.
    const V = new Float64Array(n * n)
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) V[c * n + r] = U[r * n + c]!
    freeWasm(U)
    const acc = accuracy(A, n, dc.values, V)
    console.log(
      `n = ${n}: ${fmt(total)} = tridiagonalize ${fmt(tTri)} + divide&conquer ${fmt(tDc)} + ` +
        `back-transform ${fmt(tBack)};  ‖VᵀV−I‖ ${acc.orth.toExponential(1)}, ` +
        `‖VᵀΛV−A‖/‖A‖ ${acc.recon.toExponential(1)}`
    )
  }
  const np = numpyTimes(sizes)
  for (const [n, s] of np)
    console.log(`numpy eigh n = ${n} (OPENBLAS_NUM_THREADS=1): ${s.toFixed(2)} s`)

  if (args.includes('--zca')) {
    const dir = fileURLToPath(new URL('./.data/cifar10-full/cifar-10-batches-bin', import.meta.url))
    if (!existsSync(join(dir, 'data_batch_1.bin'))) {
      console.log('zca: no data in bench/.data — run `npx tsx bench/data-load.ts` once first')
      return
    }
    const h = await loadDataset(dir)
    const c = clock()
    const fitted = fitPreprocessing(h, resolvePreprocessing('zca'), { val: 1000 })
    const fit = fitted.fit as {
      samples: number
      covarianceSeconds: number
      eigenSeconds: number
      seconds: number
    }
    console.log(
      `zca fit (3072 features, ${fit.samples} samples): ${fmt(c())}; in fitZca ${fit.seconds} s = ` +
        `covariance ${fit.covarianceSeconds} s + eigen ${fit.eigenSeconds} s + whitening matrix ` +
        `${(fit.seconds - fit.covarianceSeconds - fit.eigenSeconds).toFixed(2)} s (target ≤ 15 s)`
    )
  }
}

await main()
