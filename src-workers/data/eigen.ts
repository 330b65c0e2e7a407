/**
 * Symmetric eigendecomposition in float64: Householder reduction to tridiagonal form, then the
 * implicit QL algorithm (the classic tred2 + tql2 of EISPACK, as in JAMA). The orthogonal
 * basis is stored transposed (row j = column j of the textbook V) so that every inner loop runs
 * over contiguous memory; the cost is about 4n³ multiply-adds (n = 3072: 1.2·10¹¹).
 */

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array
  /** n×n row-major; row i is the unit eigenvector of values[i]. */
  vectors: Float64Array
}

export interface EigenOptions {
  /** Called with a fraction in [0, 1]; may throw (e.g. signal.throwIfAborted()) to stop. */
  onProgress?: (fraction: number) => void
}

/**
 * Eigenvalues and eigenvectors of the symmetric n×n matrix `a` (row-major; only symmetry is
 * assumed, `a` is not modified). A = Σ λᵢ vᵢ vᵢᵀ.
 */
export function symmetricEigen(
  a: Float64Array,
  n: number,
  opts: EigenOptions = {}
): SymmetricEigen {
  if (a.length < n * n) throw new RangeError(`symmetricEigen: need ${n * n} entries`)
  const M = Float64Array.from(a.subarray(0, n * n)) // M[c*n + r] = V[r][c]; A symmetric so M = A
  const d = new Float64Array(n)
  const e = new Float64Array(n)
  const report = opts.onProgress ?? (() => {})
  tred2(M, n, d, e, (f) => report(0.4 * f))
  tql2(M, n, d, e, (f) => report(0.4 + 0.6 * f))
  // Sort descending, permuting rows.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j]! - d[i]!)
  const values = new Float64Array(n)
  const vectors = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const src = order[i]!
    values[i] = d[src]!
    vectors.set(M.subarray(src * n, src * n + n), i * n)
  }
  report(1)
  return { values, vectors }
}

/** Householder tridiagonalization; on return d = diagonal, e = subdiagonal (e[0] = 0). */
function tred2(
  M: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  report: (f: number) => void
): void {
  // V[r][c] is M[c*n + r].
  for (let j = 0; j < n; j++) d[j] = M[j * n + n - 1]!
  for (let i = n - 1; i > 0; i--) {
    if ((i & 31) === 0) report((n - i) / n / 2)
    let scale = 0
    let h = 0
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!)
    if (scale === 0) {
      e[i] = d[i - 1]!
      for (let j = 0; j < i; j++) {
        d[j] = M[j * n + i - 1]!
        M[j * n + i] = 0
        M[i * n + j] = 0
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale
        h += d[k]! * d[k]!
      }
      let f = d[i - 1]!
      let g = Math.sqrt(h)
      if (f > 0) g = -g
      e[i] = scale * g
      h -= f * g
      d[i - 1] = f - g
      for (let j = 0; j < i; j++) e[j] = 0
      for (let j = 0; j < i; j++) {
        f = d[j]!
        M[i * n + j] = f // V[j][i]
        const col = j * n // V[k][j] = M[col + k]
        g = e[j]! + M[col + j]! * f
        for (let k = j + 1; k <= i - 1; k++) {
          const v = M[col + k]!
          g += v * d[k]!
          e[k] = e[k]! + v * f
        }
        e[j] = g
      }
      f = 0
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h
        f += e[j]! * d[j]!
      }
      const hh = f / (h + h)
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!
      for (let j = 0; j < i; j++) {
        f = d[j]!
        g = e[j]!
        const col = j * n
        for (let k = j; k <= i - 1; k++) M[col + k] = M[col + k]! - (f * e[k]! + g * d[k]!)
        d[j] = M[col + i - 1]!
        M[col + i] = 0
      }
    }
    d[i] = h
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    if ((i & 31) === 0) report(0.5 + i / n / 2)
    M[i * n + n - 1] = M[i * n + i]!
    M[i * n + i] = 1
    const h = d[i + 1]!
    const colI1 = (i + 1) * n
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = M[colI1 + k]! / h
      for (let j = 0; j <= i; j++) {
        const col = j * n
        let g = 0
        for (let k = 0; k <= i; k++) g += M[colI1 + k]! * M[col + k]!
        for (let k = 0; k <= i; k++) M[col + k] = M[col + k]! - g * d[k]!
      }
    }
    for (let k = 0; k <= i; k++) M[colI1 + k] = 0
  }
  for (let j = 0; j < n; j++) {
    d[j] = M[j * n + n - 1]!
    M[j * n + n - 1] = 0
  }
  M[(n - 1) * n + n - 1] = 1
  e[0] = 0
}

/** Implicit QL on the tridiagonal (d, e), accumulating rotations into the rows of M. */
function tql2(
  M: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  report: (f: number) => void
): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!
  e[n - 1] = 0
  let f = 0
  let tst1 = 0
  const eps = 2 ** -52
  for (let l = 0; l < n; l++) {
    if ((l & 31) === 0) report(l / n)
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!))
    let m = l
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break
      m++
    }
    if (m > l) {
      let iter = 0
      do {
        if (++iter > 60) throw new Error('symmetricEigen: QL did not converge')
        let g = d[l]!
        let p = (d[l + 1]! - g) / (2 * e[l]!)
        let r = Math.sqrt(p * p + 1)
        if (p < 0) r = -r
        d[l] = e[l]! / (p + r)
        d[l + 1] = e[l]! * (p + r)
        const dl1 = d[l + 1]!
        let h = g - d[l]!
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h
        f += h
        p = d[m]!
        let c = 1
        let c2 = c
        let c3 = c
        const el1 = e[l + 1]!
        let s = 0
        let s2 = 0
        for (let i = m - 1; i >= l; i--) {
          c3 = c2
          c2 = c
          s2 = s
          g = c * e[i]!
          h = c * p
          r = Math.sqrt(p * p + e[i]! * e[i]!)
          e[i + 1] = s * r
          s = e[i]! / r
          c = p / r
          p = c * d[i]! - s * g
          d[i + 1] = h + s * (c * g + s * d[i]!)
          const ri = i * n
          const ri1 = ri + n
          for (let k = 0; k < n; k++) {
            const hk = M[ri1 + k]!
            const vk = M[ri + k]!
            M[ri1 + k] = s * vk + c * hk
            M[ri + k] = c * vk - s * hk
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1
        e[l] = s * p
        d[l] = c * p
      } while (Math.abs(e[l]!) > eps * tst1)
    }
    d[l] = d[l]! + f
    e[l] = 0
  }
}
