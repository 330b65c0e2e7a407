/**
 * ZCA whitening, dimension-generic so it can be tested on small synthetic data.
 *
 *   C = Xcᵀ Xc / m            (Xc: m×d, centred)
 *   C = U Λ Uᵀ               (symmetricEigen, float64)
 *   W = U (Λ + εI)^(-1/2) Uᵀ  (symmetric, so x_white = W x_c for a column, Xc W for rows)
 */
import { gemm } from '../nn/gemm'
import { symmetricEigen } from './eigen'

export interface ZcaFit {
  /** d×d row-major whitening matrix (symmetric). */
  matrix: Float64Array
  /** Eigenvalues of the covariance, descending. */
  eigenvalues: Float64Array
  epsilon: number
  /** Milliseconds spent in the eigendecomposition. */
  eigenMs: number
}

/** Accumulates Xcᵀ Xc for one block of m centred rows into the d×d `cov` (float64). */
export function accumulateCovariance(
  xc: Float64Array,
  m: number,
  d: number,
  cov: Float64Array
): void {
  gemm(d, d, m, xc, xc, cov, { transA: true, accumulate: true })
}

/** The whitening matrix of a covariance `cov` (d×d, already divided by the sample count). */
export function zcaFromCovariance(
  cov: Float64Array,
  d: number,
  epsilon: number,
  onProgress?: (f: number) => void
): ZcaFit {
  if (!(epsilon > 0)) throw new RangeError('zca: epsilon must be > 0')
  const t0 = performance.now()
  const { values, vectors } = symmetricEigen(cov, d, onProgress ? { onProgress } : {})
  const eigenMs = performance.now() - t0
  // R = (Λ+ε)^(-1/4) U ᵀ (row i = eigenvector i scaled), W = Rᵀ R.
  const R = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    const s = Math.pow(Math.max(0, values[i]!) + epsilon, -0.25)
    const row = i * d
    for (let j = 0; j < d; j++) R[row + j] = vectors[row + j]! * s
  }
  const matrix = new Float64Array(d * d)
  gemm(d, d, d, R, R, matrix, { transA: true })
  // Symmetrize away rounding so W is exactly symmetric.
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      const v = 0.5 * (matrix[i * d + j]! + matrix[j * d + i]!)
      matrix[i * d + j] = v
      matrix[j * d + i] = v
    }
  return { matrix, eigenvalues: values, epsilon, eigenMs }
}
