/**
 * Symmetric eigendecomposition in float64, LAPACK-style (as numpy's eigh: DSYEVD):
 *
 *   A = Qₕ T Qₕᵀ        blocked Householder tridiagonalization (eigen-tridiag.ts)
 *   T = Qₜ Λ Qₜᵀ        divide and conquer on the tridiagonal (eigen-dc.ts)
 *   U = Qₕ Qₜ           blocked back-transformation (eigen-tridiag.ts, gemm)
 *
 * About 4n³/3 flops in the reduction (half of them memory-bound matrix-vector products), up to
 * 4n³/3 in the divide-and-conquer merges and 2n³ in the back-transformation, nearly all of the
 * last two in the WebAssembly float64 gemm.
 */
import { allocWasmFloat64, freeWasm } from './gemm'
import { tridiagonalEigen } from './eigen-dc'
import { applyQ, tridiagonalize, type Tridiagonal } from './eigen-tridiag'

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array
  /** n×n row-major; row i is the unit eigenvector of values[i]. */
  vectors: Float64Array
}

export interface EigenOptions {
  /** Called with a fraction in [0, 1]; may throw (e.g. signal.throwIfAborted()) to stop. */
  onProgress?: (fraction: number) => void
  /**
   * The back-transformation X ← Q X (default: applyQ on this thread). A replacement must give
   * the same values (the ZCA fit's team runs it by column blocks: src-workers/data/zca-team.ts).
   */
  applyQ?: (t: Tridiagonal, X: Float64Array, ncols: number, report: (f: number) => void) => void
}

/** Eigenvalues ascending; `columns` n×n row-major with column i the eigenvector of values[i]. */
export interface EigenColumns {
  values: Float64Array
  /** On the wasm heap (gemm reads it in place): release with freeWasm() from ../nn/gemm. */
  columns: Float64Array
}

/**
 * Eigenvalues and eigenvectors of the symmetric n×n matrix `a` (row-major; only its lower
 * triangle is read, `a` is not modified). A = Σ λᵢ vᵢ vᵢᵀ.
 */
export function symmetricEigen(
  a: Float64Array,
  n: number,
  opts: EigenOptions = {}
): SymmetricEigen {
  const { values: asc, columns } = symmetricEigenColumns(a, n, opts)
  try {
    const values = new Float64Array(n)
    const vectors = new Float64Array(n * n)
    for (let i = 0; i < n; i++) values[i] = asc[n - 1 - i]!
    // vectors[i][r] = columns[r][n−1−i], by tiles so both sides stay in cache.
    const B = 64
    for (let r0 = 0; r0 < n; r0 += B)
      for (let c0 = 0; c0 < n; c0 += B)
        for (let r = r0; r < Math.min(n, r0 + B); r++)
          for (let c = c0; c < Math.min(n, c0 + B); c++)
            vectors[(n - 1 - c) * n + r] = columns[r * n + c]!
    return { values, vectors }
  } finally {
    freeWasm(columns)
  }
}

/** As symmetricEigen, ascending, eigenvectors as columns on the wasm heap (the caller frees). */
export function symmetricEigenColumns(
  a: Float64Array,
  n: number,
  opts: EigenOptions = {}
): EigenColumns {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`symmetricEigen: n = ${n} is not a size`)
  if (a.length < n * n) throw new RangeError(`symmetricEigen: need ${n * n} entries`)
  const report = opts.onProgress ?? (() => {})
  const t = tridiagonalize(a, n, (f) => report(0.45 * f))
  const { values, vectors } = tridiagonalEigen(t.d, t.e, n, (f) => report(0.45 + 0.2 * f))
  // Qₜ = vectorsᵀ, then U = Qₕ Qₜ in place.
  const columns = allocWasmFloat64(n * n)
  try {
    const B = 64
    for (let r0 = 0; r0 < n; r0 += B)
      for (let c0 = 0; c0 < n; c0 += B)
        for (let r = r0; r < Math.min(n, r0 + B); r++)
          for (let c = c0; c < Math.min(n, c0 + B); c++) columns[r * n + c] = vectors[c * n + r]!
    ;(opts.applyQ ?? applyQ)(t, columns, n, (f) => report(0.65 + 0.35 * f))
  } catch (err) {
    freeWasm(columns)
    throw err
  }
  report(1)
  return { values, columns }
}
