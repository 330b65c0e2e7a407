/**
 * The float64 eigensolver and the ZCA pieces, checked against matrices with a known spectrum
 * (built as Q diag(λ) Qᵀ from explicit reflectors), closed forms, and direct float64 loops.
 */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { symmetricEigen } from '../../../src-workers/linalg/eigen'
import { tridiagonalEigen } from '../../../src-workers/linalg/eigen-dc'
import { allocWasmFloat64, freeWasm, gemm, wasmHeapStats } from '../../../src-workers/linalg/gemm'
import { symvKernelName, symvLower, symvLowerJs } from '../../../src-workers/linalg/symv'
import { pixelCovariance, zcaFromCovariance } from '../../../src-workers/linalg/zca'

function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32 - 0.5
  }
}

/** A = Q diag(λ) Qᵀ with Q a product of 6 random reflectors (dense, exactly orthogonal math). */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length
  const r = rng(seed)
  const Q = new Float64Array(n * n)
  for (let i = 0; i < n; i++) Q[i * n + i] = 1
  for (let h = 0; h < 6; h++) {
    const v = Array.from({ length: n }, r)
    const vv = v.reduce((a, x) => a + x * x, 0)
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let k = 0; k < n; k++) s += Q[i * n + k]! * v[k]!
      const f = (2 * s) / vv
      for (let k = 0; k < n; k++) Q[i * n + k] = Q[i * n + k]! - f * v[k]!
    }
  }
  const QL = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) QL[i * n + k] = Q[i * n + k]! * lambda[k]!
  const A = new Float64Array(n * n)
  gemm(n, n, n, QL, Q, A, { transB: true })
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j] = 0.5 * (A[i * n + j]! + A[j * n + i]!)
  return A
}

function fro(a: Float64Array): number {
  let s = 0
  for (const x of a) s += x * x
  return Math.sqrt(s)
}

/** ‖VᵀV − I‖_F and ‖VᵀΛV − A‖_F / ‖A‖_F (rows of V are the eigenvectors). */
function residuals(A: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  const G = new Float64Array(n * n)
  gemm(n, n, n, vectors, vectors, G, { transB: true })
  for (let i = 0; i < n; i++) G[i * n + i] = G[i * n + i]! - 1
  const LV = new Float64Array(n * n)
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) LV[i * n + k] = values[i]! * vectors[i * n + k]!
  const R = Float64Array.from(A)
  for (let i = 0; i < n * n; i++) R[i] = -R[i]!
  gemm(n, n, n, vectors, LV, R, { transA: true, accumulate: true })
  return { orth: fro(G), recon: fro(R) / fro(A) }
}

const SPECTRA: Record<string, (n: number) => number[]> = {
  // Random SPD-like: values spread over (0.1, 10).
  'random SPD': (n) => {
    const r = rng(n)
    return Array.from({ length: n }, () => 5 + 9.8 * r())
  },
  // Clusters of exactly repeated values and values 1e-13 apart (deflation by rotation).
  'repeated and clustered': (n) =>
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 2 + 1e-13 * i : 3)),
  // CIFAR-like: a few large values decaying over five decades.
  'decaying (CIFAR-like)': (n) => Array.from({ length: n }, (_, i) => 60 * Math.pow(1e-6, i / n))
}

describe('symmetricEigen', () => {
  for (const [name, spectrum] of Object.entries(SPECTRA)) {
    it.each([50, 257, 1000])(`${name}, n = %i: orthonormal, reconstructs A, λ known`, (n) => {
      const lambda = spectrum(n)
      const A = withSpectrum(lambda, n + name.length)
      const { values, vectors } = symmetricEigen(A, n)
      const { orth, recon } = residuals(A, n, values, vectors)
      expect(orth).toBeLessThan(1e-12 * Math.sqrt(n))
      expect(recon).toBeLessThan(1e-13 * Math.sqrt(n))
      const want = [...lambda].sort((a, b) => b - a)
      const top = want[0]!
      for (let i = 0; i < n; i++) expect(Math.abs(values[i]! - want[i]!)).toBeLessThan(1e-12 * top)
    })
  }

  it('handles n = 0, 1, 2, zero, identity, diagonal and block-diagonal matrices', () => {
    expect(symmetricEigen(new Float64Array(0), 0).values.length).toBe(0)
    expect(Array.from(symmetricEigen(Float64Array.of(-4), 1).vectors)).toEqual([1])
    const two = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2)
    expect(two.values[0]).toBeCloseTo(3, 14)
    expect(two.values[1]).toBeCloseTo(1, 14)
    expect(Math.abs(two.vectors[0]! * two.vectors[1]!)).toBeCloseTo(0.5, 14)
    for (const n of [1, 40, 100]) {
      const Z = symmetricEigen(new Float64Array(n * n), n)
      expect(Z.values.every((x) => x === 0)).toBe(true)
      expect(residuals(new Float64Array(n * n).fill(1e-300), n, Z.values, Z.vectors).orth).toBe(0)
      const I = new Float64Array(n * n)
      for (let i = 0; i < n; i++) I[i * n + i] = 1
      const e = symmetricEigen(I, n)
      expect(e.values.every((x) => Math.abs(x - 1) < 1e-15)).toBe(true)
      expect(residuals(I, n, e.values, e.vectors).orth).toBeLessThan(1e-13)
    }
    // Diagonal (every value deflates) and two uncoupled blocks (β = 0 at the split).
    const n = 90
    const D = new Float64Array(n * n)
    for (let i = 0; i < n; i++) D[i * n + i] = ((i * 37) % n) - 20
    const dd = symmetricEigen(D, n)
    for (let i = 0; i < n; i++)
      expect(Math.abs(dd.values[i]! - (n - 1 - i - 20))).toBeLessThan(1e-13)
    expect(residuals(D, n, dd.values, dd.vectors).recon).toBeLessThan(1e-15)
    const B = new Float64Array(n * n)
    const r = rng(5)
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) if (i < 45 === j < 45) B[i * n + j] = B[j * n + i] = r()
    const bb = symmetricEigen(B, n)
    const res = residuals(B, n, bb.values, bb.vectors)
    expect(res.orth).toBeLessThan(1e-13)
    expect(res.recon).toBeLessThan(1e-14)
  })

  it('reads only the lower triangle and leaves the input alone', () => {
    const n = 70
    const A = withSpectrum(SPECTRA['random SPD']!(n), 3)
    const L = Float64Array.from(A)
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) L[i * n + j] = NaN
    const copy = Float64Array.from(L)
    const e = symmetricEigen(L, n)
    expect(Array.from(L)).toEqual(Array.from(copy))
    expect(residuals(A, n, e.values, e.vectors).recon).toBeLessThan(1e-13)
  })

  it('rejects NaN entries and a short array', () => {
    const A = new Float64Array(9)
    A[4] = NaN
    expect(() => symmetricEigen(A, 3)).toThrow(/NaN/)
    expect(() => symmetricEigen(new Float64Array(8), 3)).toThrow(/need 9 entries/)
  })

  it('reports progress up to 1 and stops when the callback throws', () => {
    const n = 300
    const A = withSpectrum(SPECTRA['random SPD']!(n), 9)
    const seen: number[] = []
    symmetricEigen(A, n, { onProgress: (f) => seen.push(f) })
    expect(seen.at(-1)).toBe(1)
    expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]! - 1e-12))).toBe(
      true
    )
    const before = wasmLive()
    expect(() =>
      symmetricEigen(A, n, {
        onProgress: (f) => {
          if (f > 0.7) throw new Error('stop')
        }
      })
    ).toThrow('stop')
    expect(wasmLive()).toBe(before) // nothing leaked on the wasm heap
  })
})

function wasmLive(): number {
  return wasmHeapStats().liveAllocations
}

describe('tridiagonal divide and conquer', () => {
  it('matches the closed form of tridiag(−1, 2, −1)', () => {
    const n = 301 // several merge levels, odd splits
    const d = new Float64Array(n).fill(2)
    const e = new Float64Array(n - 1).fill(-1)
    const { values, vectors } = tridiagonalEigen(d, e, n)
    for (let k = 1; k <= n; k++) {
      const lam = 2 - 2 * Math.cos((k * Math.PI) / (n + 1))
      expect(Math.abs(values[k - 1]! - lam)).toBeLessThan(1e-14)
      // eigenvector ∝ sin(j k π / (n+1)), up to sign
      const norm = Math.sqrt((n + 1) / 2)
      const row = (k - 1) * n
      const sign = Math.sign(vectors[row]!)
      for (let j = 1; j <= n; j += 37)
        expect(
          Math.abs(sign * vectors[row + j - 1]! - Math.sin((j * k * Math.PI) / (n + 1)) / norm)
        ).toBeLessThan(1e-12)
    }
  })
})

describe('symvLower', () => {
  it('wasm kernel and TypeScript loop agree with a direct symmetric product', () => {
    const n = 53
    const r = rng(11)
    const A = allocWasmFloat64(n * n)
    const x = allocWasmFloat64(n)
    const y = allocWasmFloat64(n)
    try {
      for (let i = 0; i < n * n; i++) A[i] = r()
      for (const [off, N] of [
        [0, 53],
        [3, 50],
        [7, 45],
        [10, 2],
        [52, 1]
      ] as const) {
        for (let i = 0; i < N; i++) x[i] = r()
        const want = new Float64Array(N)
        for (let i = 0; i < N; i++)
          for (let j = 0; j < N; j++) {
            const a = i >= j ? A[(off + i) * n + off + j]! : A[(off + j) * n + off + i]!
            want[i] = want[i]! + a * x[j]!
          }
        symvLower(A, n, off, N, x, y)
        for (let i = 0; i < N; i++) expect(Math.abs(y[i]! - want[i]!)).toBeLessThan(1e-14)
        const yj = new Float64Array(N)
        symvLowerJs(A, n, off, N, Float64Array.from(x.subarray(0, N)), yj)
        for (let i = 0; i < N; i++) expect(Math.abs(yj[i]! - want[i]!)).toBeLessThan(1e-14)
      }
      expect(symvKernelName()).toBe('wasm-simd')
    } finally {
      freeWasm(y)
      freeWasm(x)
      freeWasm(A)
    }
  })

  it('the committed kernel bytes are built from the source in scripts/build-symv-wasm.mjs', () => {
    const out = execFileSync('node', ['scripts/build-symv-wasm.mjs', '--check'], {
      encoding: 'utf8'
    })
    expect(out).toMatch(/up to date/)
  })
})

describe('ZCA', () => {
  it('pixelCovariance equals a direct float64 two-pass computation', () => {
    const d = 21
    const m = 600 // three 256-record chunks, the last partial
    const r = rng(2)
    const pixels = new Uint8Array((m + 5) * d)
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor((r() + 0.5) * 256)
    for (let i = 0; i < d; i++) pixels[d * 5 + i] = 255 // an all-255 record: the exactness bound
    const offsets = Array.from({ length: m }, (_, i) => (i + 5) * d)
    const mean = Float64Array.from({ length: d }, (_, f) => 100 + f) // not the sample mean
    const C = pixelCovariance(pixels, offsets, d, mean, 1 / 255)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) {
        let want = 0
        for (const o of offsets)
          want += ((pixels[o + a]! - mean[a]!) / 255) * ((pixels[o + b]! - mean[b]!) / 255)
        want /= m
        expect(Math.abs(C[a * d + b]! - want)).toBeLessThan(1e-14)
        expect(C[a * d + b]).toBe(C[b * d + a])
      }
    expect(() => pixelCovariance(pixels, [pixels.length - 3], d, mean, 1)).toThrow(/outside/)
  })

  it('W = U (Λ+ε)^(-1/2) Uᵀ: W (C + εI) W = I and W is exactly symmetric', () => {
    const n = 257
    const lambda = SPECTRA['decaying (CIFAR-like)']!(n)
    const C = withSpectrum(lambda, 4)
    const eps = 1e-3
    const z = zcaFromCovariance(C, n, eps)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) expect(z.matrix[i * n + j]).toBe(z.matrix[j * n + i])
    expect(z.eigenvalues[0]).toBeCloseTo(60, 10)
    const Ce = Float64Array.from(C)
    for (let i = 0; i < n; i++) Ce[i * n + i] = Ce[i * n + i]! + eps
    const T = new Float64Array(n * n)
    const P = new Float64Array(n * n)
    gemm(n, n, n, z.matrix, Ce, T)
    gemm(n, n, n, T, z.matrix, P)
    for (let i = 0; i < n; i++) P[i * n + i] = P[i * n + i]! - 1
    expect(fro(P)).toBeLessThan(1e-10)
  })
})
