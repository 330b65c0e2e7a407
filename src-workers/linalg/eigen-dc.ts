/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by divide and conquer (Cuppen's
 * method with Gu–Eisenstat eigenvectors, as LAPACK's DSTEDC/DLAED0–4), float64.
 *
 *   T = diag(T₁, T₂) + ρ u uᵀ,  ρ = |β|, u = e_{n₁−1} + sign(β) e_{n₁}  (β = T[n₁][n₁−1])
 *
 * T₁ and T₂ (with |β| taken off their touching diagonal entries) are solved recursively; then
 * D + ρ z zᵀ (D = their eigenvalues, z = Qᵢᵀu) is solved by deflation (tiny zᵢ, or nearly equal
 * dᵢ rotated together), the secular equation 1 + ρ Σ zᵢ²/(dᵢ − λ) = 0 for the rest, and the
 * eigenvectors from a ẑ recomputed out of the roots (Löwner), which keeps them orthogonal to
 * working precision however close the roots are. The merged eigenvectors are diag(Q₁, Q₂)·V:
 * two gemms, which carry almost all of the ≈ 4n³/3 flops (fewer when many values deflate).
 * Small blocks (≤ LEAF) use the implicit QL algorithm.
 */
import { gemm } from './gemm'

export interface TridiagonalEigen {
  /** Ascending. */
  values: Float64Array
  /** n×n row-major; row i is the unit eigenvector of values[i]. */
  vectors: Float64Array
}

const LEAF = 32
const EPS = 2 ** -52

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix with diagonal d (n) and subdiagonal e
 * (n−1). Inputs are not modified. `report` gets fractions of the work in [0, 1].
 */
export function tridiagonalEigen(
  d: Float64Array,
  e: Float64Array,
  n: number,
  report: (fraction: number) => void = () => {}
): TridiagonalEigen {
  if (n === 0) return { values: new Float64Array(0), vectors: new Float64Array(0) }
  // Work on T / max|T| so the tolerances are relative and nothing under- or overflows.
  let scale = 0
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]!))
  for (let i = 0; i < n - 1; i++) scale = Math.max(scale, Math.abs(e[i]!))
  if (!Number.isFinite(scale)) throw new RangeError('symmetricEigen: matrix has NaN or ∞ entries')
  if (scale === 0) {
    const vectors = new Float64Array(n * n)
    for (let i = 0; i < n; i++) vectors[i * n + i] = 1
    return { values: new Float64Array(n), vectors }
  }
  const dd = new Float64Array(n)
  const ee = new Float64Array(Math.max(0, n - 1))
  for (let i = 0; i < n; i++) dd[i] = d[i]! / scale
  for (let i = 0; i < n - 1; i++) ee[i] = e[i]! / scale
  const total = n * n * n
  let done = 0
  const r = solve(dd, ee, n, (size) => {
    done += size * size * size
    report(Math.min(1, done / total))
  })
  for (let i = 0; i < n; i++) r.values[i] = r.values[i]! * scale
  return r
}

function solve(
  d: Float64Array,
  e: Float64Array,
  n: number,
  merged: (n: number) => void
): TridiagonalEigen {
  if (n <= LEAF) return leaf(d, e, n)
  const n1 = n >> 1
  const beta = e[n1 - 1]!
  const rho = Math.abs(beta)
  const d1 = d.slice(0, n1)
  const d2 = d.slice(n1)
  d1[n1 - 1] = d1[n1 - 1]! - rho
  d2[0] = d2[0]! - rho
  const r1 = solve(d1, e.slice(0, n1 - 1), n1, merged)
  const r2 = solve(d2, e.slice(n1), n - n1, merged)
  const r = merge(r1, r2, n1, n - n1, beta)
  if (n >= 128) merged(n)
  return r
}

/** Small blocks: implicit QL (tql2) from the identity, sorted ascending. */
function leaf(d: Float64Array, e: Float64Array, n: number): TridiagonalEigen {
  const M = new Float64Array(n * n)
  for (let i = 0; i < n; i++) M[i * n + i] = 1
  const dd = Float64Array.from(d)
  const ee = new Float64Array(n) // tql2 wants the subdiagonal in ee[1…n−1]
  for (let i = 1; i < n; i++) ee[i] = e[i - 1]!
  tql2(M, n, dd, ee)
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => dd[i]! - dd[j]!)
  const values = new Float64Array(n)
  const vectors = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    const src = order[i]!
    values[i] = dd[src]!
    vectors.set(M.subarray(src * n, src * n + n), i * n)
  }
  return { values, vectors }
}

/**
 * An eigenvector of diag(T₁, T₂) during the merge: its top (n₁) and bottom (n₂) parts, either
 * of which may be absent (zero). Deflation rotations can make a vector have both.
 */
interface Vec {
  top: Float64Array | null
  bot: Float64Array | null
}

function merge(
  r1: TridiagonalEigen,
  r2: TridiagonalEigen,
  n1: number,
  n2: number,
  beta: number
): TridiagonalEigen {
  const n = n1 + n2
  const D = new Float64Array(n)
  D.set(r1.values)
  D.set(r2.values, n1)
  const z = new Float64Array(n)
  const vecs: Vec[] = new Array<Vec>(n)
  const sgn = beta < 0 ? -1 : 1
  for (let i = 0; i < n1; i++) {
    z[i] = r1.vectors[i * n1 + n1 - 1]!
    vecs[i] = { top: r1.vectors.subarray(i * n1, i * n1 + n1), bot: null }
  }
  for (let i = 0; i < n2; i++) {
    z[n1 + i] = sgn * r2.vectors[i * n2]!
    vecs[n1 + i] = { top: null, bot: r2.vectors.subarray(i * n2, i * n2 + n2) }
  }
  let zn = 0
  for (let i = 0; i < n; i++) zn += z[i]! * z[i]!
  zn = Math.sqrt(zn) // √2 up to rounding: z stacks a row of each orthogonal Qᵢ
  for (let i = 0; i < n; i++) z[i] = z[i]! / zn
  const rho = Math.abs(beta) * zn * zn

  // Both halves are sorted: merge their orders.
  const perm = new Int32Array(n)
  for (let a = 0, b = n1, t = 0; t < n; t++) {
    if (b >= n || (a < n1 && D[a]! <= D[b]!)) perm[t] = a++
    else perm[t] = b++
  }

  // Deflation (DLAED2).
  let dmax = 0
  let zmax = 0
  for (let i = 0; i < n; i++) {
    dmax = Math.max(dmax, Math.abs(D[i]!))
    zmax = Math.max(zmax, Math.abs(z[i]!))
  }
  const tol = 8 * EPS * Math.max(dmax, zmax)
  const keep: number[] = [] // indices into D/vecs of the non-deflated, ascending
  const deflated: number[] = []
  if (rho * zmax <= tol) {
    for (let t = 0; t < n; t++) deflated.push(perm[t]!)
  } else {
    let pj = -1
    for (let t = 0; t < n; t++) {
      const nj = perm[t]!
      if (rho * Math.abs(z[nj]!) <= tol) {
        deflated.push(nj)
        continue
      }
      if (pj < 0) {
        pj = nj
        continue
      }
      const s0 = z[pj]!
      const c0 = z[nj]!
      const tau = Math.hypot(c0, s0)
      const c = c0 / tau
      const s = -s0 / tau
      if (Math.abs((D[nj]! - D[pj]!) * c * s) <= tol) {
        // Rotate the pair so that z lives on nj only; pj keeps (almost) its eigenvalue.
        z[nj] = tau
        z[pj] = 0
        rotate(vecs[pj]!, vecs[nj]!, c, s, n1, n2)
        const dp = D[pj]!
        const dn = D[nj]!
        D[pj] = dp * c * c + dn * s * s
        D[nj] = dp * s * s + dn * c * c
        deflated.push(pj)
      } else {
        keep.push(pj)
      }
      pj = nj
    }
    if (pj >= 0) keep.push(pj)
  }

  const K = keep.length
  const lambda = new Float64Array(K)
  let rows: Float64Array | null = null // K×n: the new eigenvectors of the non-deflated roots
  if (K === 1) {
    lambda[0] = D[keep[0]!]! + rho * z[keep[0]!]! ** 2
    rows = join(vecs[keep[0]!]!, n1, n2)
  } else if (K > 1) {
    const dl = new Float64Array(K)
    const w = new Float64Array(K)
    for (let k = 0; k < K; k++) {
      dl[k] = D[keep[k]!]!
      w[k] = z[keep[k]!]!
    }
    const origin = new Int32Array(K)
    const shift = new Float64Array(K)
    const delta = new Float64Array(K)
    for (let j = 0; j < K; j++) {
      secularRoot(dl, w, rho, j, delta, origin, shift)
      lambda[j] = dl[origin[j]!]! + shift[j]!
    }
    // δ(i, j) = dlᵢ − λⱼ, computed relative to the root's origin (as the solver did).
    const del = (i: number, j: number): number => dl[i]! - dl[origin[j]!]! - shift[j]!
    // Löwner: ẑᵢ² ∝ Πⱼ (λⱼ − dlᵢ) / Π_{j≠i} (dlⱼ − dlᵢ); ratios paired so nothing overflows.
    const zhat = new Float64Array(K)
    for (let i = 0; i < K; i++) {
      let prod = del(i, i)
      for (let j = 0; j < K; j++) if (j !== i) prod *= del(i, j) / (dl[i]! - dl[j]!)
      zhat[i] = Math.sign(w[i]!) * Math.sqrt(Math.max(0, -prod))
    }
    // Eigenvectors of D + ρẑẑᵀ: vⱼ ∝ (ẑᵢ / δ(i, j))ᵢ. VT row j = vⱼ.
    const VT = new Float64Array(K * K)
    for (let j = 0; j < K; j++) {
      const row = j * K
      let nrm = 0
      for (let i = 0; i < K; i++) {
        const x = zhat[i]! / del(i, j)
        VT[row + i] = x
        nrm += x * x
      }
      const inv = 1 / Math.sqrt(nrm)
      for (let i = 0; i < K; i++) VT[row + i] = VT[row + i]! * inv
    }
    rows = combine(VT, K, keep, vecs, n1, n2)
  }

  // Interleave the roots (ascending) with the deflated values, sorted.
  deflated.sort((a, b) => D[a]! - D[b]!)
  const values = new Float64Array(n)
  const vectors = new Float64Array(n * n)
  let a = 0
  let b = 0
  for (let t = 0; t < n; t++) {
    if (b >= deflated.length || (a < K && lambda[a]! <= D[deflated[b]!]!)) {
      values[t] = lambda[a]!
      vectors.set(rows!.subarray(a * n, a * n + n), t * n)
      a++
    } else {
      const i = deflated[b]!
      values[t] = D[i]!
      const v = vecs[i]!
      if (v.top) vectors.set(v.top, t * n)
      if (v.bot) vectors.set(v.bot, t * n + n1)
      b++
    }
  }
  return { values, vectors }
}

/** x ← c x + s y, y ← c y − s x (DROT) on split vectors. */
function rotate(x: Vec, y: Vec, c: number, s: number, n1: number, n2: number): void {
  const part = (
    p: Float64Array | null,
    q: Float64Array | null,
    len: number
  ): [Float64Array | null, Float64Array | null] => {
    if (!p && !q) return [null, null]
    const np = new Float64Array(len)
    const nq = new Float64Array(len)
    for (let i = 0; i < len; i++) {
      const pi = p ? p[i]! : 0
      const qi = q ? q[i]! : 0
      np[i] = c * pi + s * qi
      nq[i] = c * qi - s * pi
    }
    return [np, nq]
  }
  ;[x.top, y.top] = part(x.top, y.top, n1)
  ;[x.bot, y.bot] = part(x.bot, y.bot, n2)
}

function join(v: Vec, n1: number, n2: number): Float64Array {
  const out = new Float64Array(n1 + n2)
  if (v.top) out.set(v.top)
  if (v.bot) out.set(v.bot, n1)
  return out
}

/**
 * rows (K×n) = VT · [old eigenvectors of the kept indices], as one gemm per half over only the
 * vectors that have that half.
 */
function combine(
  VT: Float64Array,
  K: number,
  keep: number[],
  vecs: Vec[],
  n1: number,
  n2: number
): Float64Array {
  const n = n1 + n2
  const rows = new Float64Array(K * n)
  for (const half of ['top', 'bot'] as const) {
    const len = half === 'top' ? n1 : n2
    const at = half === 'top' ? 0 : n1
    const which: number[] = []
    for (let k = 0; k < K; k++) if (vecs[keep[k]!]![half]) which.push(k)
    const m = which.length
    if (m === 0) continue
    const Vs = new Float64Array(K * m)
    for (let j = 0; j < K; j++) for (let a = 0; a < m; a++) Vs[j * m + a] = VT[j * K + which[a]!]!
    const Es = new Float64Array(m * len)
    for (let a = 0; a < m; a++) Es.set(vecs[keep[which[a]!]!]![half]!, a * len)
    const out = new Float64Array(K * len)
    gemm(K, len, m, Vs, Es, out)
    for (let j = 0; j < K; j++) rows.set(out.subarray(j * len, j * len + len), j * n + at)
  }
  return rows
}

/**
 * Root j (0-based, ascending) of 1 + ρ Σ wᵢ²/(dlᵢ − λ) = 0, dl strictly ascending, ρ > 0:
 * λⱼ ∈ (dlⱼ, dlⱼ₊₁), or (dl_{K−1}, dl_{K−1} + ρ‖w‖²] for the last. λ is kept as
 * dl[origin] + shift with origin the nearer pole, so dlᵢ − λ = (dlᵢ − dl[origin]) − shift is
 * accurate even when λ is within rounding of a pole. Iteration: the "middle way" rational model
 * (Li; one pole on each side fitted to value and slope of each side's sum), safeguarded by a
 * bracket that falls back to bisection.
 */
function secularRoot(
  dl: Float64Array,
  w: Float64Array,
  rho: number,
  j: number,
  delta: Float64Array,
  origin: Int32Array,
  shift: Float64Array
): void {
  const K = dl.length
  const last = j === K - 1
  let o: number
  let lo: number
  let hi: number
  if (last) {
    o = j
    let ww = 0
    for (let i = 0; i < K; i++) ww += w[i]! * w[i]!
    lo = 0
    hi = rho * ww
  } else {
    const gap = dl[j + 1]! - dl[j]!
    const mid = gap / 2
    // f at the midpoint, relative to dlⱼ: its sign picks the half and so the nearer pole.
    let f = 1 / rho
    for (let i = 0; i < K; i++) f += (w[i]! * w[i]!) / (dl[i]! - dl[j]! - mid)
    if (f >= 0) {
      o = j
      lo = 0
      hi = mid
    } else {
      o = j + 1
      lo = -(dl[j + 1]! - (dl[j]! + mid))
      hi = 0
    }
  }
  const base = dl[o]!
  let tau = (lo + hi) / 2
  for (let iter = 0; iter < 400; iter++) {
    // f(τ)/ρ split into the poles left (i ≤ j) and right (i > j) of the root.
    let psi = 0
    let dpsi = 0
    let phi = 0
    let dphi = 0
    let abs = 0
    for (let i = 0; i < K; i++) {
      const di = dl[i]! - base - tau
      delta[i] = di
      const wi = w[i]!
      const t = (wi * wi) / di
      if (i <= j) {
        psi += t
        dpsi += t / di
      } else {
        phi += t
        dphi += t / di
      }
      abs += Math.abs(t)
    }
    const f = 1 / rho + psi + phi
    if (f === 0) break
    if (f < 0) lo = tau
    else hi = tau
    // Converged when f is within the rounding error of its own evaluation.
    if (Math.abs(f) <= 8 * EPS * (1 / rho + abs)) break
    if (hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) break
    let next = NaN
    const a0 = delta[j]!
    if (last) {
      const s = a0 * a0 * dpsi
      const c = f - s / a0
      if (c > 0) next = tau + a0 + s / c
    } else if (iter < 60) {
      const b0 = delta[j + 1]!
      const s = a0 * a0 * dpsi
      const S = b0 * b0 * dphi
      const c = f - s / a0 - S / b0
      // c u² − B u + C = 0 with the root u in (a0, b0): C = a0·b0·f.
      const B = c * (a0 + b0) + s + S
      const C = a0 * b0 * f
      let u: number
      if (c === 0) u = C / B
      else {
        const disc = Math.sqrt(Math.max(0, B * B - 4 * c * C))
        const r1 = B >= 0 ? (B + disc) / (2 * c) : (2 * C) / (B - disc)
        const r2 = B >= 0 ? (2 * C) / (B + disc) : (B - disc) / (2 * c)
        u = r1 > a0 && r1 < b0 ? r1 : r2
      }
      next = tau + u
    }
    if (!(next > lo && next < hi)) next = (lo + hi) / 2
    if (next === tau) break
    tau = next
  }
  origin[j] = o
  shift[j] = tau
}

/**
 * Implicit QL on the tridiagonal (d, e) (EISPACK tql2; e[1…n−1] = subdiagonal, e[0] unused),
 * accumulating the rotations into the rows of M. On return d holds the eigenvalues (unsorted)
 * and row i of M the eigenvector of d[i].
 */
export function tql2(M: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!
  e[n - 1] = 0
  let f = 0
  let tst1 = 0
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!))
    let m = l
    while (m < n) {
      if (Math.abs(e[m]!) <= EPS * tst1) break
      m++
    }
    if (m > l) {
      let iter = 0
      do {
        if (++iter > 60) throw new Error('symmetricEigen: QL did not converge')
        let g = d[l]!
        let p = (d[l + 1]! - g) / (2 * e[l]!)
        let r = Math.hypot(p, 1)
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
          r = Math.hypot(p, e[i]!)
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
      } while (Math.abs(e[l]!) > EPS * tst1)
    }
    d[l] = d[l]! + f
    e[l] = 0
  }
}
