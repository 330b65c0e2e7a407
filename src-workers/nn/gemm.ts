/**
 * Matrix multiply, the engine's hot spot. Row-major, flat typed arrays.
 *
 *   C[m×n] (+)= op(A) · op(B)
 *   op(A) is A[m×k] or, with transA, Aᵀ where A is stored k×m;
 *   op(B) is B[k×n] or, with transB, Bᵀ where B is stored n×k.
 *
 * The three products training needs: X·W (nn), Xᵀ·dY (tn, for dW), dY·Wᵀ (nt, for dX).
 * Works for Float32Array and Float64Array alike (A, B, C of one dtype).
 * This file is the single entry point; the WebAssembly kernel plugs in behind it.
 */
export type FloatArray = Float32Array | Float64Array

export interface GemmOptions {
  transA?: boolean
  transB?: boolean
  /** Add into C instead of overwriting it. */
  accumulate?: boolean
}

export function gemm<T extends FloatArray>(
  m: number,
  n: number,
  k: number,
  A: T,
  B: T,
  C: T,
  opts: GemmOptions = {}
): T {
  const { transA = false, transB = false, accumulate = false } = opts
  if (!accumulate) C.fill(0, 0, m * n)
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const a = transA ? A[p * m + i]! : A[i * k + p]!
      if (a === 0) continue
      const cRow = i * n
      if (transB) {
        for (let j = 0; j < n; j++) C[cRow + j]! += a * B[j * k + p]!
      } else {
        const bRow = p * n
        for (let j = 0; j < n; j++) C[cRow + j]! += a * B[bRow + j]!
      }
    }
  }
  return C
}
