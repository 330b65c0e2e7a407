/**
 * y = S x for a symmetric block S stored as the lower triangle of a row-major matrix: the
 * level-2 half of the tridiagonal reduction. A WebAssembly SIMD kernel (source and build in
 * scripts/build-symv-wasm.mjs, bytes in symv-wasm.ts) runs it about 3× faster than the plain
 * TypeScript loop, which stays as the fallback for runtimes without shared wasm memory and for
 * arrays that are not on the wasm heap.
 */
import { isWasmBacked } from './gemm'
import { wasmApi } from './wasm/api'
import { wasmHeap } from './wasm/heap'
import { SYMV_WASM } from './symv-wasm'

type Kernel = (a: number, lda: number, N: number, x: number, y: number) => void

let kernel: Kernel | null = null
let kernelMemory: object | null | undefined

/** The wasm kernel on this thread's current heap, or null where the runtime cannot run it. */
function wasmSymv(): Kernel | null {
  const heap = wasmHeap()
  const memory = heap?.memory ?? null
  if (kernelMemory === memory) return kernel
  kernelMemory = memory
  kernel = null
  try {
    if (wasmApi && heap) {
      const bin = atob(SYMV_WASM)
      const bytes = new Uint8Array(bin.length)
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
      if (wasmApi.validate(bytes)) {
        const instance = new wasmApi.Instance(new wasmApi.Module(bytes), {
          env: { memory: heap.memory }
        })
        kernel = instance.exports.dsymvLower as Kernel
      }
    }
  } catch {
    kernel = null
  }
  return kernel
}

/** Which implementation symvLower() takes for wasm-heap arrays on this thread. */
export function symvKernelName(): 'wasm-simd' | 'js' {
  return wasmSymv() ? 'wasm-simd' : 'js'
}

/**
 * y[0…N) = S x, S the N×N block of A at (off, off) (row stride n), read from its lower
 * triangle only. Uses the wasm kernel when A, x and y all live on the wasm heap.
 */
export function symvLower(
  A: Float64Array,
  n: number,
  off: number,
  N: number,
  x: Float64Array,
  y: Float64Array
): void {
  if (N <= 0) return
  if ((off + N - 1) * n + off + N > A.length || x.length < N || y.length < N)
    throw new RangeError('symvLower: arrays too short')
  const k = wasmSymv()
  if (k && isWasmBacked(A) && isWasmBacked(x) && isWasmBacked(y)) {
    k(A.byteOffset + (off * n + off) * 8, n, N, x.byteOffset, y.byteOffset)
    return
  }
  symvLowerJs(A, n, off, N, x, y)
}

/** The TypeScript loop (four rows per pass). Exported for tests. */
export function symvLowerJs(
  A: Float64Array,
  n: number,
  off: number,
  N: number,
  x: Float64Array,
  y: Float64Array
): void {
  y.fill(0, 0, N)
  let i = 0
  for (; i + 3 < N; i += 4) {
    const r0 = (off + i) * n + off
    const r1 = r0 + n
    const r2 = r1 + n
    const r3 = r2 + n
    const x0 = x[i]!
    const x1 = x[i + 1]!
    const x2 = x[i + 2]!
    const x3 = x[i + 3]!
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    for (let j = 0; j < i; j++) {
      const a0 = A[r0 + j]!
      const a1 = A[r1 + j]!
      const a2 = A[r2 + j]!
      const a3 = A[r3 + j]!
      const xj = x[j]!
      s0 += a0 * xj
      s1 += a1 * xj
      s2 += a2 * xj
      s3 += a3 * xj
      y[j] = y[j]! + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3
    }
    // The 4×4 diagonal block.
    const a10 = A[r1 + i]!
    const a20 = A[r2 + i]!
    const a21 = A[r2 + i + 1]!
    const a30 = A[r3 + i]!
    const a31 = A[r3 + i + 1]!
    const a32 = A[r3 + i + 2]!
    y[i] = y[i]! + s0 + A[r0 + i]! * x0 + a10 * x1 + a20 * x2 + a30 * x3
    y[i + 1] = y[i + 1]! + s1 + a10 * x0 + A[r1 + i + 1]! * x1 + a21 * x2 + a31 * x3
    y[i + 2] = y[i + 2]! + s2 + a20 * x0 + a21 * x1 + A[r2 + i + 2]! * x2 + a32 * x3
    y[i + 3] = y[i + 3]! + s3 + a30 * x0 + a31 * x1 + a32 * x2 + A[r3 + i + 3]! * x3
  }
  for (; i < N; i++) {
    const row = (off + i) * n + off
    const xi = x[i]!
    let s = 0
    for (let j = 0; j < i; j++) {
      const a = A[row + j]!
      s += a * x[j]!
      y[j] = y[j]! + a * xi
    }
    y[i] = y[i]! + s + A[row + i]! * xi
  }
}
