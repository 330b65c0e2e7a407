/**
 * ZCA whitening, dimension-generic so it can be tested on small synthetic data.
 *
 *   C = Xcᵀ Xc / m            (Xc: m×d, centred)
 *   C = U Λ Uᵀ               (symmetricEigen, float64)
 *   W = U (Λ + εI)^(-1/2) Uᵀ  (symmetric, so x_white = W x_c for a column, Xc W for rows)
 */
import { freeWasm, gemm } from './gemm'
import { symmetricEigenColumns } from './eigen'
import { serialProducts, type ProductRunner } from './lower-product'

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

/** Records per float32 gemm: 256 · 255² < 2²⁴, so every partial sum is an exact integer. */
const EXACT_RECORDS = 256

/**
 * The covariance of uint8 records about a given mean, exactly up to the final float64 rounding:
 *
 *   C = scale² / m · Σᵢ (pᵢ − μ)(pᵢ − μ)ᵀ = scale² / m · (S − s μᵀ − μ sᵀ + m μ μᵀ)
 *
 * with S = Σ pᵢ pᵢᵀ and s = Σ pᵢ over the raw pixels. S comes from float32 gemms over 256
 * records at a time, whose integer results are exact (< 2²⁴), summed in float64; only the
 * lower-triangle blocks are multiplied. `offsets` are the byte offsets of the m records in
 * `pixels` (d bytes each); `mean` (d) is in pixel units. Returns d×d row-major, symmetric.
 * The products run where `runner` puts them (default: this thread); the result is the same.
 */
export function pixelCovariance(
  pixels: Uint8Array,
  offsets: ArrayLike<number>,
  d: number,
  mean: Float64Array,
  scale: number,
  onProgress?: (fraction: number) => void,
  runner: ProductRunner = serialProducts()
): Float64Array {
  const m = offsets.length
  if (m === 0) throw new RangeError('pixelCovariance: no records')
  const KB = EXACT_RECORDS
  const S = runner.result(0, d * d)
  const s = new Float64Array(d)
  const Xt = runner.operand32(d * KB) // feature-major: Xt[f][r] = pixel f of record r
  try {
    for (let r0 = 0; r0 < m; r0 += KB) {
      const kb = Math.min(KB, m - r0)
      if (kb < KB) Xt.fill(0) // zero records add nothing
      // Transpose 8 records at a time: 8 contiguous writes per feature instead of 1.
      for (let r = 0; r < kb; r += 8) {
        const w = Math.min(8, kb - r)
        const offs = new Int32Array(8)
        for (let q = 0; q < w; q++) {
          const off = offsets[r0 + r + q]!
          if (!(Number.isInteger(off) && off >= 0 && off + d <= pixels.length))
            throw new RangeError(`pixelCovariance: record at byte ${off} is outside the pixels`)
          offs[q] = off
        }
        if (w === 8) {
          const [o0, o1, o2, o3, o4, o5, o6, o7] = offs as unknown as number[]
          for (let f = 0; f < d; f++) {
            const t = f * KB + r
            Xt[t] = pixels[o0! + f]!
            Xt[t + 1] = pixels[o1! + f]!
            Xt[t + 2] = pixels[o2! + f]!
            Xt[t + 3] = pixels[o3! + f]!
            Xt[t + 4] = pixels[o4! + f]!
            Xt[t + 5] = pixels[o5! + f]!
            Xt[t + 6] = pixels[o6! + f]!
            Xt[t + 7] = pixels[o7! + f]!
          }
        } else {
          for (let q = 0; q < w; q++)
            for (let f = 0; f < d; f++) Xt[f * KB + r + q] = pixels[offs[q]! + f]!
        }
      }
      for (let f = 0; f < d; f++) {
        let acc = 0
        for (let r = 0; r < kb; r++) acc += Xt[f * KB + r]!
        s[f] = s[f]! + acc
      }
      runner.lowerProduct(Xt, d, KB, S, true)
      onProgress?.(Math.min(1, (r0 + kb) / m))
    }
  } finally {
    runner.release(Xt)
  }
  const f = (scale * scale) / m
  for (let a = 0; a < d; a++) {
    const ma = mean[a]!
    const sa = s[a]!
    for (let b = 0; b <= a; b++) {
      const c = (S[a * d + b]! - sa * mean[b]! - ma * s[b]! + m * ma * mean[b]!) * f
      S[a * d + b] = c
    }
  }
  mirrorLower(S, d)
  return S
}

/** M[j][i] = M[i][j] for i > j, in 64×64 tiles so the column-wise writes stay in cache. */
function mirrorLower(M: Float64Array, d: number): void {
  const T = 64
  for (let i0 = 0; i0 < d; i0 += T)
    for (let j0 = 0; j0 <= i0; j0 += T)
      for (let i = i0; i < Math.min(d, i0 + T); i++)
        for (let j = j0; j < Math.min(i, j0 + T); j++) M[j * d + i] = M[i * d + j]!
}

/**
 * The whitening matrix of a covariance `cov` (d×d, already divided by the sample count); the
 * product W = R Rᵀ runs where `runner` puts it (default: this thread), with the same result.
 */
export function zcaFromCovariance(
  cov: Float64Array,
  d: number,
  epsilon: number,
  onProgress?: (f: number) => void,
  runner: ProductRunner = serialProducts()
): ZcaFit {
  if (!(epsilon > 0)) throw new RangeError('zca: epsilon must be > 0')
  const t0 = performance.now()
  const { values, columns: R } = symmetricEigenColumns(cov, d, {
    ...(onProgress ? { onProgress: (f: number) => onProgress(0.9 * f) } : {}),
    ...(runner.applyQ ? { applyQ: runner.applyQ } : {})
  })
  const eigenMs = performance.now() - t0
  const matrix = runner.result(1, d * d)
  let Rop: Float64Array | null = null
  try {
    // R = U (Λ+ε)^(-1/4) (columns scaled), W = R Rᵀ: the lower triangle, then mirrored.
    const sc = values.map((l) => Math.pow(Math.max(0, l) + epsilon, -0.25))
    for (let r = 0; r < d; r++) for (let i = 0; i < d; i++) R[r * d + i] = R[r * d + i]! * sc[i]!
    Rop = runner.operand64(R)
    onProgress?.(0.9)
    runner.lowerProduct(Rop, d, d, matrix, false)
    onProgress?.(1)
    mirrorLower(matrix, d)
  } finally {
    if (Rop && Rop !== R) runner.release(Rop)
    freeWasm(R)
  }
  return { matrix, eigenvalues: values.reverse(), epsilon, eigenMs }
}
