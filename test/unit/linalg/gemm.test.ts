import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  allocWasmLike,
  availableKernels,
  freeWasm,
  gemm,
  isWasmBacked,
  kernelName,
  setKernel,
  wasmHeapStats,
  type FloatArray,
  type KernelName
} from '../../../src-workers/linalg/gemm'

// Every product is checked against a naive float64 product of the same inputs, element by
// element, relative to the element's own scale S_ij = |C0_ij| + Σ_p |op(A)_ip|·|op(B)_pj|
// (the quantity rounding error is proportional to). A wrong element is off by O(S_ij), so
// this catches a single misplaced entry in a large matrix, where a norm-wise check would not.

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5
  }
}

function filled<T extends FloatArray>(like: T, n: number, rand: () => number): T {
  const a = (like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n)) as T
  for (let i = 0; i < n; i++) a[i] = rand() * 2
  return a
}

interface Reference {
  value: Float64Array
  scale: Float64Array
}

/** C0 + op(A)·op(B) and its elementwise scale, in float64 from the (exactly widened) inputs. */
function naive(
  m: number,
  n: number,
  k: number,
  A: FloatArray,
  B: FloatArray,
  C0: FloatArray | null,
  transA: boolean,
  transB: boolean
): Reference {
  const value = new Float64Array(m * n)
  const scale = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = C0 ? C0[i * n + j]! : 0
      let abs = Math.abs(s)
      for (let p = 0; p < k; p++) {
        const a = transA ? A[p * m + i]! : A[i * k + p]!
        const b = transB ? B[j * k + p]! : B[p * n + j]!
        s += a * b
        abs += Math.abs(a * b)
      }
      value[i * n + j] = s
      scale[i * n + j] = abs
    }
  }
  return { value, scale }
}

/** The largest |C − ref| / S over all elements (0 where S = 0 and C = ref exactly). */
function worstRelError(C: FloatArray, ref: Reference): number {
  let worst = 0
  for (let i = 0; i < ref.value.length; i++) {
    const err = Math.abs(C[i]! - ref.value[i]!)
    const s = ref.scale[i]!
    const rel = s > 0 ? err / s : err === 0 ? 0 : Infinity
    if (!(rel <= worst)) worst = rel // NaN propagates as a failure
  }
  return worst
}

const TOL = { float32: 1e-5, float64: 1e-13 }

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [5, 7, 13],
  [2, 3073, 3], // a width of 3073: many full 8-wide strips and a 1-wide edge
  [3073, 3, 2], // 3073 rows: 32 row blocks of 96 and an edge strip
  [3, 2, 3073], // k = 3073: 12 slices of 256 and a 1-deep one
  [9, 11, 257], // k one past a slice
  [97, 10, 31], // m one past a row block
  [4, 8, 256], // exactly one tile, one slice
  [3, 2053, 4] // n past the 2048-column panel
]

const TRANSPOSES: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true]
]

const DTYPES = [
  ['float32', new Float32Array(0)],
  ['float64', new Float64Array(0)]
] as const

describe('the reference check itself', () => {
  it('flags one wrong element in a large product', () => {
    const rand = rng(1)
    const A = filled(new Float64Array(0), 64 * 300, rand)
    const B = filled(new Float64Array(0), 300 * 64, rand)
    const ref = naive(64, 64, 300, A, B, null, false, false)
    const C = Float64Array.from(ref.value)
    expect(worstRelError(C, ref)).toBe(0)
    C[64 * 37 + 11]! += 0.01 * ref.scale[64 * 37 + 11]!
    expect(worstRelError(C, ref)).toBeGreaterThan(TOL.float32)
  })
})

describe('kernel selection', () => {
  afterAll(() => setKernel('auto'))

  it('always offers js, last, and picks the best available kernel by default', () => {
    const kernels = availableKernels()
    expect(kernels[kernels.length - 1]).toBe('js')
    expect(setKernel('auto')).toBe(kernels[0])
    expect(kernelName()).toBe(kernels[0])
  })

  it('runs both WebAssembly variants under Node (relaxed SIMD via the V8 flag on Node 20)', () => {
    const kernels = availableKernels()
    expect(kernels).toContain('wasm-simd')
    if (process.env.LAYERSCOPE_NO_RELAXED_SIMD !== '1') {
      expect(kernels).toContain('wasm-relaxed-simd')
    }
  })

  it('rejects unknown kernel names', () => {
    expect(() => setKernel('cuda' as KernelName)).toThrow(/unknown gemm kernel/)
  })
})

describe('argument checks', () => {
  it('rejects mixed dtypes and arrays too short for the shape', () => {
    const f32 = new Float32Array(6)
    const f64 = new Float64Array(6)
    expect(() => gemm(2, 3, 3, f32, f32, f64 as unknown as Float32Array)).toThrow(TypeError)
    expect(() => gemm(2, 3, 4, f32, new Float32Array(12), new Float32Array(6))).toThrow(RangeError)
    expect(() => gemm(2.5, 3, 3, f32, f32, f32)).toThrow(RangeError)
  })
})

describe.each(availableKernels())('gemm with the %s kernel', (kernel) => {
  beforeAll(() => setKernel(kernel))
  afterAll(() => setKernel('auto'))

  it('is the kernel in use', () => {
    expect(kernelName()).toBe(kernel)
  })

  for (const [dtype, like] of DTYPES) {
    for (const [m, n, k] of SHAPES) {
      for (const [transA, transB] of TRANSPOSES) {
        const op = `${transA ? 't' : 'n'}${transB ? 't' : 'n'}`
        it(`${dtype} ${m}×${n}×${k} ${op}, overwrite and accumulate`, () => {
          const rand = rng(m * 7919 + n * 31 + k + (transA ? 1 : 0) + (transB ? 2 : 0))
          const A = filled(like, m * k, rand)
          const B = filled(like, k * n, rand)
          const C0 = filled(like, m * n, rand)

          // Overwrite: C's old contents (NaN here) must never be read.
          const C = filled(like, m * n, rand).fill(NaN)
          const out = gemm(m, n, k, A, B, C, { transA, transB })
          expect(out).toBe(C)
          expect(worstRelError(C, naive(m, n, k, A, B, null, transA, transB))).toBeLessThan(
            TOL[dtype]
          )

          const Cacc = C0.slice()
          gemm(m, n, k, A, B, Cacc, { transA, transB, accumulate: true })
          expect(worstRelError(Cacc, naive(m, n, k, A, B, C0, transA, transB))).toBeLessThan(
            TOL[dtype]
          )
        })
      }
    }
  }

  it('float32 agrees with float64 to a relative 1e-5 on a 200×100×3072 product (nn, tn, nt)', () => {
    const rand = rng(42)
    const A64 = filled(new Float64Array(0), 200 * 3072, rand)
    const B64 = filled(new Float64Array(0), 3072 * 100, rand)
    const A32 = Float32Array.from(A64)
    const B32 = Float32Array.from(B64)
    for (const [transA, transB] of TRANSPOSES.slice(0, 3)) {
      // The same stored arrays read as other shapes exercise the transposed paths.
      const [m, n, k] = transA ? [3072, 100, 200] : transB ? [200, 3072, 100] : [200, 100, 3072]
      const C64 = gemm(m, n, k, A64, B64, new Float64Array(m * n), { transA, transB })
      const C32 = gemm(m, n, k, A32, B32, new Float32Array(m * n), { transA, transB })
      // Scale from the float32 inputs, widened exactly; C64 is that product to ~1e-16.
      const ref = naive(m, n, k, A32, B32, null, transA, transB)
      expect(worstRelError(C32, ref)).toBeLessThan(1e-5)
      expect(worstRelError(C64, naive(m, n, k, A64, B64, null, transA, transB))).toBeLessThan(1e-13)
    }
  })

  it('propagates NaN and ∞ from A and B (no zero skipping)', () => {
    const A = new Float32Array([0, 1, 2, 3])
    const B = new Float32Array([NaN, 1, 1, 1])
    const C = gemm(2, 2, 2, A, B, new Float32Array(4))
    // Row 0: 0·NaN + 1·1 = NaN; column 1 is finite.
    expect(Number.isNaN(C[0]!)).toBe(true)
    expect(Number.isNaN(C[2]!)).toBe(true)
    expect(Array.from(C.subarray(1, 2))).toEqual([1])
    expect(C[3]).toBe(5)
    const Cinf = gemm(
      1,
      1,
      1,
      new Float64Array([Infinity]),
      new Float64Array([2]),
      new Float64Array(1)
    )
    expect(Cinf[0]).toBe(Infinity)
  })

  it('k = 0 gives zeros, or leaves C alone when accumulating', () => {
    const C = new Float32Array([1, 2, 3, 4, 5, 6])
    gemm(2, 3, 0, new Float32Array(0), new Float32Array(0), C, { accumulate: true })
    expect(Array.from(C)).toEqual([1, 2, 3, 4, 5, 6])
    gemm(2, 3, 0, new Float32Array(0), new Float32Array(0), C)
    expect(Array.from(C)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('reads offset views and leaves memory outside C untouched', () => {
    const rand = rng(7)
    const m = 6
    const n = 10
    const k = 9
    const Abig = filled(new Float32Array(0), m * k + 3, rand)
    const Bbig = filled(new Float32Array(0), k * n + 1, rand)
    const Cbig = new Float32Array(m * n + 4).fill(-7)
    const A = Abig.subarray(3)
    const B = Bbig.subarray(1)
    const C = Cbig.subarray(2, 2 + m * n)
    gemm(m, n, k, A, B, C)
    expect(worstRelError(C, naive(m, n, k, A, B, null, false, false))).toBeLessThan(1e-5)
    expect([Cbig[0], Cbig[1], Cbig[m * n + 2], Cbig[m * n + 3]]).toEqual([-7, -7, -7, -7])
  })
})

describe('the wasm heap', () => {
  afterAll(() => setKernel('auto'))

  it('gives zeroed, wasm-backed views that gemm uses in place, before and after the heap grows', () => {
    const before = wasmHeapStats()
    const rand = rng(3)
    const [m, n, k] = [37, 29, 41]
    const A = allocWasmLike(new Float32Array(0), m * k)
    const B = allocWasmLike(new Float32Array(0), k * n)
    const C = allocWasmLike(new Float32Array(0), m * n)
    expect(isWasmBacked(A) && isWasmBacked(B) && isWasmBacked(C)).toBe(true)
    expect(C.every((x) => x === 0)).toBe(true)
    A.set(filled(A, m * k, rand))
    B.set(filled(B, k * n, rand))
    const ref = naive(m, n, k, A, B, null, false, false)

    for (const kernel of availableKernels()) {
      setKernel(kernel)
      C.fill(NaN)
      gemm(m, n, k, A, B, C)
      expect(worstRelError(C, ref)).toBeLessThan(1e-5)
    }

    // Force growth (64 MiB): the earlier views must keep their contents and keep working.
    const big = allocWasmLike(new Float64Array(0), 8 << 20)
    expect(wasmHeapStats().heapBytes).toBeGreaterThan(64 << 20)
    expect(A.length).toBe(m * k)
    setKernel('auto')
    C.fill(0)
    gemm(m, n, k, A, B, C)
    expect(worstRelError(C, ref)).toBeLessThan(1e-5)

    for (const a of [A, B, C, big]) freeWasm(a)
    expect(wasmHeapStats().liveAllocations).toBe(before.liveAllocations)
  })

  it('reuses freed space (coalescing neighbours) and refuses a double free', () => {
    const a = allocWasmLike(new Float64Array(0), 1000)
    const b = allocWasmLike(new Float64Array(0), 1000)
    const c = allocWasmLike(new Float64Array(0), 1000)
    const offsetA = a.byteOffset
    freeWasm(a)
    freeWasm(b)
    // a and b merged: something larger than either fits where a was.
    const d = allocWasmLike(new Float64Array(0), 1900)
    expect(d.byteOffset).toBe(offsetA)
    expect(() => freeWasm(b)).toThrow(/no live allocation/)
    freeWasm(c)
    freeWasm(d)
  })

  it('fills a reused block with zeros', () => {
    const a = allocWasmLike(new Float32Array(0), 64).fill(5)
    const offset = a.byteOffset
    freeWasm(a)
    const b = allocWasmLike(new Float32Array(0), 64)
    expect(b.byteOffset).toBe(offset)
    expect(b.every((x) => x === 0)).toBe(true)
    freeWasm(b)
  })
})
