/**
 * Blocked Householder reduction of a symmetric matrix to tridiagonal form, and the blocked
 * back-transformation, in float64 (LAPACK's DSYTRD/DLATRD and DORMTR, rewritten for row-major
 * storage of the lower triangle).
 *
 *   A = Q T Qᵀ,  Q = H₀ H₁ … H_{n−2},  Hⱼ = I − τⱼ vⱼ vⱼᵀ  (vⱼ zero above j+1, vⱼ[j+1] = 1)
 *
 * Columns are reduced in panels of NB. Inside a panel each column needs one symmetric
 * matrix-vector product with the trailing matrix (`symvLower`, level 2, half the 4n³/3 flops and
 * bound by memory bandwidth); the rest of the work — the rank-2·NB update of the trailing matrix
 * after each panel, and applying Q to the eigenvectors of T — goes through the WebAssembly
 * `gemm`. Only the lower triangle of A is read.
 */
import { allocWasmFloat64, freeWasm, gemm } from './gemm'
import { symvLower } from './symv'

/** Reflectors of one panel: columns start … start+cols−1. */
export interface Panel {
  start: number
  cols: number
  /** (n−start−1)×cols row-major; row r is global row start+1+r; column c holds v of start+c. */
  V: Float64Array
  tau: Float64Array
}

export interface Tridiagonal {
  n: number
  /** Diagonal of T (n). */
  d: Float64Array
  /** Subdiagonal of T (n−1): T[j+1][j] = e[j]. */
  e: Float64Array
  panels: Panel[]
}

/** Panel width: the trailing update is a gemm with k = 2·NB. */
const NB = 32
/** Rows of the trailing matrix per gemm of the update (bounds the scratch block). */
const ROW_BLOCK = 256
/** Panels per block reflector in applyQ: its gemms have k = NB·APPLY_PANELS. */
const APPLY_PANELS = 4

/** Reduce the symmetric n×n `a` (row-major; lower triangle read, `a` untouched) to T. */
export function tridiagonalize(
  a: Float64Array,
  n: number,
  report: (fraction: number) => void = () => {}
): Tridiagonal {
  // The working copy, v and y live on the wasm heap so the symv kernel reads them in place.
  const A = allocWasmFloat64(n * n)
  const v = allocWasmFloat64(n)
  const y = allocWasmFloat64(n)
  try {
    return reduce(a, n, A, v, y, report)
  } finally {
    freeWasm(y)
    freeWasm(v)
    freeWasm(A)
  }
}

function reduce(
  a: Float64Array,
  n: number,
  A: Float64Array,
  v: Float64Array,
  y: Float64Array,
  report: (fraction: number) => void
): Tridiagonal {
  for (let r = 0; r < n; r++) A.set(a.subarray(r * n, r * n + r + 1), r * n)
  const d = new Float64Array(n)
  const e = new Float64Array(Math.max(0, n - 1))
  const panels: Panel[] = []
  const t1 = new Float64Array(NB)
  const t2 = new Float64Array(NB)
  for (let p = 0; p < n - 1; p += NB) {
    const cols = Math.min(NB, n - 1 - p)
    const L = n - p - 1
    const V = new Float64Array(L * cols)
    const W = new Float64Array(L * cols)
    const tau = new Float64Array(cols)
    for (let c = 0; c < cols; c++) {
      const j = p + c
      // Bring column j (rows j…n−1) up to date with the panel's earlier reflectors.
      if (c > 0) {
        const lj = (c - 1) * cols
        for (let r = j; r < n; r++) {
          const lr = (r - p - 1) * cols
          let s = 0
          for (let q = 0; q < c; q++) s += V[lr + q]! * W[lj + q]! + W[lr + q]! * V[lj + q]!
          A[r * n + j] = A[r * n + j]! - s
        }
      }
      d[j] = A[j * n + j]!
      // Householder vector for x = A[j+1…, j] (DLARFG): H x = β e₁.
      const m = n - j - 1
      const alpha = A[(j + 1) * n + j]!
      // ‖x[1…]‖ scaled by its largest entry, so tiny or huge columns neither under- nor overflow.
      let big = 0
      for (let t = 1; t < m; t++) big = Math.max(big, Math.abs(A[(j + 1 + t) * n + j]!))
      let xnorm = 0
      if (big > 0) {
        const inv = 1 / big
        for (let t = 1; t < m; t++) {
          const u = A[(j + 1 + t) * n + j]! * inv
          xnorm += u * u
        }
        xnorm = big * Math.sqrt(xnorm)
      }
      let beta = alpha
      let tj = 0
      v[0] = 1
      if (xnorm !== 0) {
        beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm)
        tj = (beta - alpha) / beta
        const scale = 1 / (alpha - beta)
        for (let t = 1; t < m; t++) v[t] = A[(j + 1 + t) * n + j]! * scale
      } else {
        for (let t = 1; t < m; t++) v[t] = 0
      }
      e[j] = beta
      tau[c] = tj
      for (let t = 0; t < m; t++) V[(c + t) * cols + c] = v[t]!
      if (tj === 0) continue // H = I: w = 0
      // y = A₂₂ v, corrected for the panel's pending rank-2 updates; rows local c… ↔ j+1….
      symvLower(A, n, j + 1, m, v, y)
      if (c > 0) {
        t1.fill(0, 0, c)
        t2.fill(0, 0, c)
        for (let t = 0; t < m; t++) {
          const lr = (c + t) * cols
          const vt = v[t]!
          for (let q = 0; q < c; q++) {
            t1[q] = t1[q]! + W[lr + q]! * vt
            t2[q] = t2[q]! + V[lr + q]! * vt
          }
        }
        for (let t = 0; t < m; t++) {
          const lr = (c + t) * cols
          let s = 0
          for (let q = 0; q < c; q++) s += V[lr + q]! * t1[q]! + W[lr + q]! * t2[q]!
          y[t] = y[t]! - s
        }
      }
      let wv = 0
      for (let t = 0; t < m; t++) {
        y[t] = tj * y[t]!
        wv += y[t]! * v[t]!
      }
      const alpha2 = -0.5 * tj * wv
      for (let t = 0; t < m; t++) W[(c + t) * cols + c] = y[t]! + alpha2 * v[t]!
    }
    trailingUpdate(A, n, p, cols, V, W)
    panels.push({ start: p, cols, V, tau })
    report(1 - ((n - p - cols) / n) ** 3) // the work left is cubic in the trailing size
  }
  if (n > 0) d[n - 1] = A[n * n - 1]!
  return { n, d, e, panels }
}

/**
 * A[g0…, g0…] −= V Wᵀ + W Vᵀ on the lower triangle (g0 = p + cols), as row blocks of one gemm
 * each: [V W]·[W V]ᵀ with k = 2·cols.
 */
function trailingUpdate(
  A: Float64Array,
  n: number,
  p: number,
  cols: number,
  V: Float64Array,
  W: Float64Array
): void {
  const g0 = p + cols
  const N2 = n - g0
  if (N2 <= 0) return
  const s = cols - 1 // local row of g0
  const k = 2 * cols
  const P = allocWasmFloat64(N2 * k)
  const Q = allocWasmFloat64(N2 * k)
  const rb = Math.min(ROW_BLOCK, N2)
  const tmp = allocWasmFloat64(rb * N2)
  try {
    for (let r = 0; r < N2; r++) {
      const src = (s + r) * cols
      const dst = r * k
      for (let q = 0; q < cols; q++) {
        const vq = V[src + q]!
        const wq = W[src + q]!
        P[dst + q] = vq
        P[dst + cols + q] = wq
        Q[dst + q] = wq
        Q[dst + cols + q] = vq
      }
    }
    for (let i0 = 0; i0 < N2; i0 += rb) {
      const i1 = Math.min(N2, i0 + rb)
      gemm(i1 - i0, i1, k, P.subarray(i0 * k), Q, tmp, { transB: true })
      for (let r = i0; r < i1; r++) {
        const row = (g0 + r) * n + g0
        const t = (r - i0) * i1
        for (let c = 0; c <= r; c++) A[row + c] = A[row + c]! - tmp[t + c]!
      }
    }
  } finally {
    freeWasm(tmp)
    freeWasm(Q)
    freeWasm(P)
  }
}

/**
 * X ← Q X for the Q of `t`, X n×ncols row-major on the wasm heap (gemm works on it in place).
 * Panels are applied last to first, each as the compact WY block I − V T Vᵀ (DLARFT, forward,
 * columnwise): three gemms per panel, 4·n·ncols·(rows) flops in all ≈ 2n²·ncols.
 */
export function applyQ(
  t: Tridiagonal,
  X: Float64Array,
  ncols: number,
  report: (fraction: number) => void = () => {}
): void {
  const { n, panels } = t
  if (X.length < n * ncols) throw new RangeError(`applyQ: X holds ${X.length}, needs ${n * ncols}`)
  const KB = NB * APPLY_PANELS
  const Y = allocWasmFloat64(KB * ncols)
  const Z = allocWasmFloat64(KB * ncols)
  const T = allocWasmFloat64(KB * KB)
  const Vb = allocWasmFloat64(Math.max(1, n * KB))
  const tauB = new Float64Array(KB)
  try {
    // Groups of APPLY_PANELS panels, last group first (reflectors apply right to left).
    const groups = Math.ceil(panels.length / APPLY_PANELS)
    for (let g = groups - 1; g >= 0; g--) {
      const first = panels[g * APPLY_PANELS]!
      const members = panels.slice(g * APPLY_PANELS, (g + 1) * APPLY_PANELS)
      const start = first.start
      const L = n - start - 1
      let cols = 0
      for (const pnl of members) cols += pnl.cols
      // Vb (L×cols): each panel's V shifted down by its distance from the group's start.
      const V = Vb.subarray(0, L * cols)
      V.fill(0)
      let c0 = 0
      for (const pnl of members) {
        const shift = pnl.start - start
        const Lp = n - pnl.start - 1
        for (let r = 0; r < Lp; r++) {
          const src = r * pnl.cols
          const dst = (r + shift) * cols + c0
          for (let q = 0; q < pnl.cols; q++) V[dst + q] = pnl.V[src + q]!
        }
        tauB.set(pnl.tau, c0)
        c0 += pnl.cols
      }
      larft(V, L, cols, tauB, T)
      const Xs = X.subarray((start + 1) * ncols, n * ncols)
      gemm(cols, ncols, L, V, Xs, Y, { transA: true }) // Y = Vᵀ X
      gemm(cols, ncols, cols, T, Y, Z) // Z = T Y
      for (let i = 0; i < cols * ncols; i++) Z[i] = -Z[i]!
      gemm(L, ncols, cols, V, Z, Xs, { accumulate: true }) // X −= V Z
      report(1 - (start / n) ** 2)
    }
  } finally {
    freeWasm(Vb)
    freeWasm(T)
    freeWasm(Z)
    freeWasm(Y)
  }
}

/**
 * T (k×k upper, row-major, stride k) with H₀…H_{k−1} = I − V T Vᵀ; V is L×k (DLARFT, forward,
 * columnwise). The inner products Vᵀ V come from one gemm.
 */
function larft(V: Float64Array, L: number, k: number, tau: Float64Array, T: Float64Array): void {
  const G = new Float64Array(k * k)
  gemm(k, k, L, V, V, G, { transA: true })
  T.fill(0, 0, k * k)
  for (let i = 0; i < k; i++) {
    const ti = tau[i]!
    if (ti === 0) continue
    // T[0:i, i] = −τᵢ T[0:i, 0:i] (Vᵀ vᵢ)[0:i]
    for (let q = 0; q < i; q++) {
      let acc = 0
      for (let q2 = q; q2 < i; q2++) acc += T[q * k + q2]! * G[q2 * k + i]!
      T[q * k + i] = -ti * acc
    }
    T[i * k + i] = ti
  }
}
