/**
 * Test-only numeric references, written independently of src-workers/nn/gradcheck.ts: a plain
 * centred difference and the seed's ε. Kept deliberately naive.
 */

/** ∂f/∂a_i ≈ (f(a + h e_i) − f(a − h e_i)) / 2h for every i; `a` is restored. */
export function numericGrad(f: () => number, a: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!
    a[i] = v + h
    const fp = f()
    a[i] = v - h
    const fm = f()
    a[i] = v
    g[i] = (fp - fm) / (2 * h)
  }
  return g
}

/** ε = ‖a − b‖ / (‖a‖ + ‖b‖). */
export function eps(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2
    na += a[i]! ** 2
    nb += b[i]! ** 2
  }
  return Math.sqrt(d) / (Math.sqrt(na) + Math.sqrt(nb))
}

/** Deterministic pseudo-random numbers for test inputs (a tiny LCG: independent of rng.ts). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

/** n values roughly N(0, 1) (sum of 12 uniforms − 6) from `rand`. */
export function gaussians(n: number, rand: () => number, scale = 1): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = -6
    for (let k = 0; k < 12; k++) s += rand()
    out[i] = s * scale
  }
  return out
}

/** Σ_i w_i · a_i: turns a layer output into a scalar for finite differences. */
export function dot(w: ArrayLike<number>, a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += w[i]! * a[i]!
  return s
}

/** ∫ g(z) φ(z) dz for z ~ N(0, σ²) by the composite Simpson rule on [−12σ, 12σ]. */
export function gaussianExpectation(g: (z: number) => number, sigma: number, n = 4000): number {
  const a = -12 * sigma
  const h = (24 * sigma) / n
  let s = 0
  for (let i = 0; i <= n; i++) {
    const z = a + i * h
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2
    s += w * g(z) * Math.exp((-0.5 * z * z) / (sigma * sigma))
  }
  return (s * h) / 3 / (sigma * Math.sqrt(2 * Math.PI))
}
