/**
 * The WebAssembly SIMD activations against Math.*: forward over the whole real line (±0, ±∞,
 * NaN, subnormals, the saturation tails, 10⁻³⁰…10³ log-spaced and a dense uniform band) in
 * float64 to 1e-15 relative, float32 equal to the float32 rounding of the Math.* value; backward
 * equal to the rules' f′ on the same inputs; arrays on and off the wasm heap; the heap given back.
 * ReLU and leaky ReLU (on heap arrays, where the kernel takes them): bit for bit their scalar
 * definitions, forward and backward, NaN, ±0, ±∞ and subnormals included, and the TypeScript path's.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { normalCdf, normalPdf } from '../../../src-workers/nn/erf'
import {
  elementwiseBackward,
  elementwiseBackwardInto,
  elementwiseForward,
  elementwiseForwardInto,
  SELU_ALPHA,
  SELU_LAMBDA,
  type ElementwiseActivation
} from '../../../src-workers/nn/activations'
import {
  availableElementwiseKernels,
  elementwiseKernelName,
  setElementwiseKernel
} from '../../../src-workers/nn/activations-wasm'
import {
  allocWasmFloat32,
  allocWasmFloat64,
  freeWasm,
  wasmHeapStats
} from '../../../src-workers/linalg/gemm'

const hasWasm = availableElementwiseKernels().includes('wasm-simd')
afterAll(() => void setElementwiseKernel('auto'))

const C = Math.sqrt(2 / Math.PI)
const K = 0.044715

/** The activations by Math.* in float64, written from their definitions (not from the engine). */
const MATH: Record<string, (x: number) => number> = {
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
  elu: (x) => (x > 0 ? x : 1.5 * Math.expm1(x)),
  selu: (x) => (x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x)),
  // ½x(1 + tanh u) = x·σ(2u), the σ form so the reference keeps its accuracy in the left tail.
  // exact GELU x·Φ(x), Φ from Cody's erfc on Math.exp (src-workers/nn/erf.ts)
  'gelu-none': (x) => x * normalCdf(x),
  gelu: (x) => {
    const v = 2 * C * (x + K * x * x * x)
    return v >= 0 ? x / (1 + Math.exp(-v)) : (x * Math.exp(v)) / (1 + Math.exp(v))
  }
}

const ACTS: ElementwiseActivation[] = [
  { type: 'sigmoid' },
  { type: 'tanh' },
  { type: 'elu', alpha: 1.5 },
  { type: 'selu' },
  { type: 'gelu', approximate: 'tanh' },
  { type: 'gelu', approximate: 'none' }
]

const nameOf = (a: ElementwiseActivation): string =>
  a.type === 'gelu' && a.approximate === 'none' ? 'gelu-none' : a.type

/** Deterministic inputs: special values, log-spaced magnitudes of both signs, a uniform band. */
function inputs(): number[] {
  const special = [
    0,
    5e-324,
    1e-310,
    2.2250738585072014e-308,
    1e-300,
    1e-30,
    1e-20,
    1e-8,
    1e-4,
    0.34657,
    0.5,
    1,
    2,
    5,
    9,
    17,
    18.5,
    19.06,
    20,
    22,
    30,
    40,
    88,
    100,
    103,
    104,
    700,
    709,
    745,
    746,
    1e10,
    1e100,
    1e300,
    Number.MAX_VALUE,
    Infinity
  ]
  const xs = [NaN]
  for (const v of special) xs.push(v, -v)
  let s = 12345
  const u = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32
  for (let i = 0; i < 20000; i++) xs.push((u() < 0.5 ? -1 : 1) * 10 ** (-30 + 33 * u()))
  for (let i = 0; i < 20000; i++) xs.push(-60 + 120 * u())
  return xs
}

function forwardWith(
  kernel: 'js' | 'wasm-simd',
  a: ElementwiseActivation,
  x: Float32Array | Float64Array
) {
  setElementwiseKernel(kernel)
  return elementwiseForward(a, { data: x, rows: 1, cols: x.length })
}

describe.runIf(hasWasm)('SIMD activations against Math.*', () => {
  for (const a of ACTS) {
    it(`${nameOf(a)}: float64 within 1e-15 relative of Math.*, same zeros, NaN and infinities`, () => {
      const xs = inputs()
      const y = forwardWith('wasm-simd', a, Float64Array.from(xs)).out.data
      expect(elementwiseKernelName()).toBe('wasm-simd')
      const f = MATH[nameOf(a)]!
      let worst = 0
      for (let i = 0; i < xs.length; i++) {
        const want = f(xs[i]!)
        const got = y[i]!
        if (Number.isNaN(want) || !Number.isFinite(want) || want === 0) {
          // NaN ↔ NaN, ±∞ and ±0 exactly (the sign of zero included)
          if (!Object.is(got, want)) expect([xs[i], got]).toEqual([xs[i], want])
          continue
        }
        const err = Math.abs(got - want)
        if (Math.abs(want) < 2 ** -1022) {
          // below the normal range Math.* itself has only absolute accuracy: a few subnormal ulps
          expect(err).toBeLessThanOrEqual(4 * 2 ** -1074)
          continue
        }
        const rel = err / Math.abs(want)
        if (rel > worst) worst = rel
        if (rel > 1e-15) expect([xs[i], got]).toEqual([xs[i], want])
      }
      expect(worst).toBeLessThan(1e-15)
    })

    it(`${nameOf(a)}: float32 is the float32 rounding of the Math.* value (TypeScript path's bits)`, () => {
      const x = Float32Array.from(inputs())
      const want = forwardWith('js', a, x).out.data
      const got = forwardWith('wasm-simd', a, x).out.data
      let differ = 0
      for (let i = 0; i < x.length; i++) {
        const w = want[i]!
        const g = got[i]!
        if (Object.is(w, g)) continue
        differ++
        // a double-rounding neighbour at most: one float32 ulp, within 1e-6 relative
        expect(Math.abs(g - w)).toBeLessThanOrEqual(1e-6 * Math.abs(w) + 2 ** -149)
      }
      // rare: where α·expm1(x) of a float32 x is a float32 rounding midpoint to double precision
      // (tiny x), the last double ulp decides; observed 13 of 40,070 for ELU/SELU, 0 otherwise
      expect(differ).toBeLessThanOrEqual(x.length / 1000)
      // and against Math.* directly: 1e-6 relative over the float32 normal range
      const f = MATH[nameOf(a)]!
      for (let i = 0; i < x.length; i++) {
        const m = Math.fround(f(x[i]!))
        if (Number.isNaN(m)) expect(got[i]).toBeNaN()
        else if (!Number.isFinite(m)) expect(got[i]).toBe(m)
        else expect(Math.abs(got[i]! - m)).toBeLessThanOrEqual(1e-6 * Math.abs(m) + 2 ** -149)
      }
    })

    it(`${nameOf(a)}: backward equals the rule's g·f′ on the same inputs (float32 and float64)`, () => {
      for (const T of [Float32Array, Float64Array]) {
        const x = T.from(inputs())
        const g = T.from(Array.from(x, (_v, i) => Math.sin(i) * 3))
        const fwd = forwardWith('js', a, x)
        setElementwiseKernel('js')
        const want = elementwiseBackward({ data: g, rows: 1, cols: g.length }, fwd.cache).dx.data
        setElementwiseKernel('wasm-simd')
        const got = elementwiseBackward({ data: g, rows: 1, cols: g.length }, fwd.cache).dx.data
        let worst = 0
        for (let i = 0; i < x.length; i++) {
          const w = want[i]!
          const v = got[i]!
          if (Object.is(w, v)) continue
          if (Number.isNaN(w) || w === 0 || !Number.isFinite(w))
            expect([x[i], v]).toEqual([x[i], w])
          // GELU's f′ = s + p (s = σ(2u)) has a root near x = −0.75 where s and p cancel: the
          // error is relative to |g|·(|s| + |p|), the size of what was added.
          const xi = x[i]!
          const vv = 2 * C * (xi + K * xi * xi * xi)
          const sg = nameOf(a) === 'gelu' ? 1 / (1 + Math.exp(-vv)) : normalCdf(xi)
          const p =
            nameOf(a) === 'gelu'
              ? 2 * xi * sg * (1 - sg) * C * (1 + 3 * K * xi * xi)
              : xi * normalPdf(xi)
          const scale = a.type === 'gelu' ? Math.abs(g[i]!) * (sg + Math.abs(p)) : Math.abs(w)
          worst = Math.max(worst, Math.abs(v - w) / scale)
        }
        // y-based f′ (sigmoid, tanh, ELU, SELU) is the same arithmetic: identical bits. GELU's f′
        // from x goes through exp: a few double ulps, or one float32 rounding neighbour.
        if (a.type === 'gelu') expect(worst).toBeLessThan(T === Float64Array ? 1e-15 : 1e-6)
        else expect(worst).toBe(0)
      }
    })
  }

  it('works in place on wasm-heap arrays, with odd lengths, and gives the heap back', () => {
    const before = wasmHeapStats().liveAllocations
    for (const n of [33, 37, 1001]) {
      const x = allocWasmFloat32(n)
      const y = allocWasmFloat32(n)
      for (let i = 0; i < n; i++) x[i] = (i - n / 2) / 50
      setElementwiseKernel('wasm-simd')
      const r = elementwiseForwardInto({ type: 'tanh' }, { data: x, rows: 1, cols: n }, y).out.data
      expect(r).toBe(y)
      for (let i = 0; i < n; i++) expect(r[i]).toBe(Math.fround(Math.tanh(x[i]!)))
      freeWasm(x)
      freeWasm(y)
    }
    expect(wasmHeapStats().liveAllocations).toBe(before)
  })

  it('the js choice and short arrays use the TypeScript rules', () => {
    expect(setElementwiseKernel('js')).toBe('js')
    expect(setElementwiseKernel('auto')).toBe('wasm-simd')
    const x = Float64Array.of(0.3, -2)
    const y = elementwiseForward({ type: 'tanh' }, { data: x, rows: 1, cols: 2 }).out.data
    expect(Array.from(y)).toEqual([Math.tanh(0.3), Math.tanh(-2)])
  })
})

describe.runIf(hasWasm)('SIMD ReLU and leaky ReLU against their definitions', () => {
  /**
   * The definitions in float64 (ReLU: x > 0 ? x : 0; leaky: x > 0 ? x : s·x, which is −0 or NaN
   * where 0·x is), rounded to the array's type by the caller; f′ = x > 0 ? 1 : s (ReLU s = 0).
   */
  const f = (a: ElementwiseActivation, x: number): number =>
    x > 0 ? x : a.type === 'leaky-relu' ? a.slope * x : 0
  const df = (x: number, s: number): number => (x > 0 ? 1 : s)
  const cases: [string, ElementwiseActivation, number][] = [
    ['relu', { type: 'relu' }, 0],
    ['leaky-relu 0.01', { type: 'leaky-relu', slope: 0.01 }, 0.01],
    ['leaky-relu 0.2', { type: 'leaky-relu', slope: 0.2 }, 0.2],
    ['leaky-relu 0', { type: 'leaky-relu', slope: 0 }, 0]
  ]
  const types = [
    ['float32', allocWasmFloat32, Math.fround],
    ['float64', allocWasmFloat64, (v: number) => v]
  ] as const
  /** x over inputs(); g: a wave with ±0, ±∞ and NaN mixed in, so g·0 and g·s meet them too. */
  const xs = inputs()
  const gs = xs.map((_v, i) => [0, -0, Infinity, -Infinity, NaN][(i % 11) - 6] ?? Math.sin(i) * 3)

  for (const [name, act, slope] of cases)
    for (const [tname, alloc, round] of types) {
      it(`${name} ${tname}: forward and backward bit for bit (NaN, ±0, ±∞), as the TypeScript path`, () => {
        const n = xs.length
        const x = alloc(n)
        const y = alloc(n)
        const g = alloc(n)
        const dx = alloc(n)
        try {
          x.set(xs)
          g.set(gs)
          setElementwiseKernel('wasm-simd')
          const m = { data: x, rows: 1, cols: n }
          const fwd = elementwiseForwardInto(act, m, y)
          expect(fwd.out.data).toBe(y)
          const back = elementwiseBackward({ data: g, rows: 1, cols: n }, fwd.cache)
          // the backward output off the heap: the kernel declines, the rule computes it; so also
          // into a heap array, where the kernel computes it
          const want = back.dx.data.slice()
          const { dx: onHeap } = elementwiseBackwardInto(
            { data: g, rows: 1, cols: n },
            fwd.cache,
            dx
          )
          let bad = 0
          for (let i = 0; i < n; i++) {
            const xi = x[i]!
            const yw = round(f(act, xi))
            const dw = round(g[i]! * df(xi, slope))
            if (!Object.is(y[i], yw) || !Object.is(onHeap.data[i], dw) || !Object.is(want[i], dw)) {
              if (bad++ < 5) expect([xi, g[i], y[i], onHeap.data[i]]).toEqual([xi, g[i], yw, dw])
            }
          }
          expect(bad).toBe(0)
          // and the TypeScript path (the js choice) gives the same bits
          setElementwiseKernel('js')
          const js = elementwiseForward(act, m).out.data
          for (let i = 0; i < n; i++)
            if (!Object.is(js[i], y[i])) expect([x[i], y[i]]).toEqual([x[i], js[i]])
        } finally {
          setElementwiseKernel('auto')
          for (const a of [x, y, g, dx]) freeWasm(a)
        }
      })
    }
})
