/**
 * The lower triangle of a symmetric product C = A·Aᵀ (A: n×k row-major, float32 or float64;
 * C: n×n float64), computed by row blocks: block b is rows [b·rb, min(n, (b+1)·rb)) of C, each
 * from one gemm of those rows of A against A's first rows (only the blocks on or below the
 * diagonal), added into C (`accumulate`) or written. Both of the ZCA fit's big products are this:
 * the covariance's Σ p pᵀ (A = 256 records, feature-major, per call) and W = R Rᵀ.
 *
 * A runner decides where the blocks run: `serialProducts()` on this thread; the team runner of
 * src-workers/data/zca-team.ts on every thread of the pool. A block's arithmetic is the same
 * wherever it runs (one gemm call on the same values), so every runner gives the same bits.
 */
import type { EigenOptions } from './eigen'
import { allocWasmFloat32, allocWasmFloat64, freeWasm, gemm, type FloatArray } from './gemm'

/** Rows of C per block. */
export const ROW_BLOCK = 256

export function rowBlocks(n: number, rb = ROW_BLOCK): number {
  return Math.ceil(n / Math.min(rb, Math.max(n, 1)))
}

/**
 * Block `b` of the lower triangle of A·Aᵀ into C, with `tmp` (≥ rb·n of A's element type) as
 * scratch. A must hold n·k entries; C n·n.
 */
export function lowerProductBlock<T extends FloatArray>(
  A: T,
  n: number,
  k: number,
  b: number,
  C: Float64Array,
  accumulate: boolean,
  tmp: T,
  rb = ROW_BLOCK
): void {
  const i0 = b * rb
  const i1 = Math.min(n, i0 + rb)
  gemm(i1 - i0, i1, k, A.subarray(i0 * k) as T, A, tmp, { transB: true })
  for (let a = i0; a < i1; a++) {
    const row = a * n
    const t = (a - i0) * i1
    if (accumulate) for (let c = 0; c <= a; c++) C[row + c] = C[row + c]! + tmp[t + c]!
    else for (let c = 0; c <= a; c++) C[row + c] = tmp[t + c]!
  }
}

/** Where the ZCA fit's products run, and the arrays they run on. */
export interface ProductRunner {
  /** The d×d result of `slot` (0: the covariance, 1: the whitening matrix), zero-filled. */
  result(slot: 0 | 1, length: number): Float64Array
  /** A float32 operand to fill (the covariance's records); give it back with release(). */
  operand32(length: number): Float32Array
  /** `a` where the products can read it: itself, or a copy (give it back with release()). */
  operand64(a: Float64Array): Float64Array
  release(a: FloatArray): void
  /** The lower triangle of A·Aᵀ into C (a result() array); A from operand32/operand64. */
  lowerProduct(A: FloatArray, n: number, k: number, C: Float64Array, accumulate: boolean): void
  /** The eigensolver's back-transformation (EigenOptions.applyQ); undefined: on this thread. */
  applyQ?: EigenOptions['applyQ']
}

/** Every block on this thread, arrays on its wasm heap. */
export function serialProducts(): ProductRunner {
  return {
    result: (_slot, length) => new Float64Array(length),
    operand32: (length) => allocWasmFloat32(length),
    operand64: (a) => a,
    release: (a) => {
      if (a instanceof Float32Array) freeWasm(a)
    },
    lowerProduct(A, n, k, C, accumulate) {
      const rb = Math.min(ROW_BLOCK, n)
      const tmp = A instanceof Float32Array ? allocWasmFloat32(rb * n) : allocWasmFloat64(rb * n)
      try {
        for (let b = 0; b < rowBlocks(n); b++)
          lowerProductBlock(A, n, k, b, C, accumulate, tmp as typeof A, rb)
      } finally {
        freeWasm(tmp)
      }
    }
  }
}
