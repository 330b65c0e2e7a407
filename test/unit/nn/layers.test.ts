import { describe, expect, it } from 'vitest'
import {
  activate,
  activationDerivative,
  affineBackward,
  affineForward,
  elementwiseBackward,
  elementwiseForward,
  maxoutBackward,
  maxoutForward,
  preluBackward,
  preluForward,
  SELU_ALPHA,
  SELU_LAMBDA,
  type ElementwiseActivation,
  type Mat
} from '../../../src-workers/nn/index'
import { dot, eps, gaussians, lcg, numericGrad } from './fd'

const mat = (data: Float64Array, rows: number, cols: number): Mat<Float64Array> => ({
  data,
  rows,
  cols
})

/** Moves entries away from 0 by at least `gap`, so ±h never crosses a kink at 0. */
function awayFromZero(a: Float64Array, gap = 0.05): Float64Array {
  return a.map((v) => (Math.abs(v) < gap ? (v < 0 ? -gap : gap) + v : v))
}

const ACTIVATIONS: ElementwiseActivation[] = [
  { type: 'sigmoid' },
  { type: 'tanh' },
  { type: 'relu' },
  { type: 'leaky-relu', slope: 0.01 },
  { type: 'leaky-relu', slope: 0.3 },
  { type: 'elu', alpha: 1 },
  { type: 'elu', alpha: 0.5 },
  { type: 'gelu', approximate: 'none' },
  { type: 'gelu', approximate: 'tanh' },
  { type: 'selu' }
]

describe('affine layer', () => {
  for (const bias of [true, false]) {
    it(`gradients match centred differences (bias ${bias})`, () => {
      const r = lcg(1)
      const x = mat(gaussians(4 * 5, r), 4, 5)
      const W = mat(gaussians(5 * 3, r), 5, 3)
      const b = bias ? gaussians(3, r) : null
      const dout = mat(gaussians(4 * 3, r), 4, 3)
      const f = (): number => dot(dout.data, affineForward(x, W, b).out.data)
      const { cache } = affineForward(x, W, b)
      const copies = [x.data.slice(), W.data.slice(), dout.data.slice()]
      const g = affineBackward(dout, cache)
      expect(eps(g.dx.data, numericGrad(f, x.data))).toBeLessThan(1e-7)
      expect(eps(g.dW, numericGrad(f, W.data))).toBeLessThan(1e-7)
      if (b) expect(eps(g.db!, numericGrad(f, b))).toBeLessThan(1e-7)
      else expect(g.db).toBeNull()
      // backward never mutates its inputs
      expect([x.data, W.data, dout.data]).toEqual(copies)
    })
  }

  it('computes x·W + b exactly on a small example', () => {
    const x = mat(Float64Array.from([1, 2, 3, 4]), 2, 2)
    const W = mat(Float64Array.from([1, 0, -1, 2, 1, 0]), 2, 3)
    const out = affineForward(x, W, Float64Array.from([0.5, 0, -0.5])).out
    expect(Array.from(out.data)).toEqual([5.5, 2, -1.5, 11.5, 4, -3.5])
  })

  it('works in float32 with the same code path', () => {
    const x = { data: Float32Array.from([1, 2]), rows: 1, cols: 2 }
    const W = { data: Float32Array.from([3, 4]), rows: 2, cols: 1 }
    const r = affineForward(x, W, null)
    expect(r.out.data).toBeInstanceOf(Float32Array)
    expect(Array.from(r.out.data)).toEqual([11])
    expect(
      affineBackward({ data: Float32Array.from([1]), rows: 1, cols: 1 }, r.cache).dW
    ).toBeInstanceOf(Float32Array)
  })
})

describe('elementwise activations', () => {
  for (const act of ACTIVATIONS) {
    it(`${JSON.stringify(act)}: dx matches centred differences, inputs untouched`, () => {
      const r = lcg(7)
      const x = mat(awayFromZero(gaussians(6 * 7, r, 2)), 6, 7)
      const dout = mat(gaussians(6 * 7, r), 6, 7)
      const f = (): number => dot(dout.data, elementwiseForward(act, x).out.data)
      const { cache } = elementwiseForward(act, x)
      const copies = [x.data.slice(), dout.data.slice(), cache.y.data.slice()]
      const { dx } = elementwiseBackward(dout, cache)
      expect(eps(dx.data, numericGrad(f, x.data))).toBeLessThan(1e-7)
      expect([x.data, dout.data, cache.y.data]).toEqual(copies)
    })
  }

  it('tanh′ = 1 − tanh² and sigmoid′ = s(1 − s) (closed forms)', () => {
    for (const x of [-3, -0.7, 0, 0.2, 1.5, 4]) {
      const t = Math.tanh(x)
      expect(activationDerivative({ type: 'tanh' }, x)).toBeCloseTo(1 - t * t, 15)
      const s = 1 / (1 + Math.exp(-x))
      expect(activate({ type: 'sigmoid' }, x)).toBeCloseTo(s, 15)
      expect(activationDerivative({ type: 'sigmoid' }, x)).toBeCloseTo(s * (1 - s), 15)
    }
    // the stable sigmoid neither overflows nor returns NaN at extremes
    expect(activate({ type: 'sigmoid' }, -800)).toBe(0)
    expect(activate({ type: 'sigmoid' }, 800)).toBe(1)
  })

  it('GELU matches x·Φ(x) at known points, and the tanh form its formula', () => {
    // Φ(1) = 0.8413447460685429, Φ(0.5) = 0.6914624612740131, Φ(−2) = 0.022750131948179195
    const g = { type: 'gelu', approximate: 'none' } as const
    expect(activate(g, 1)).toBeCloseTo(0.8413447460685429, 15)
    expect(activate(g, -1)).toBeCloseTo(-0.15865525393145707, 15)
    expect(activate(g, 0.5)).toBeCloseTo(0.5 * 0.6914624612740131, 15)
    expect(activate(g, -2)).toBeCloseTo(-2 * 0.022750131948179195, 15)
    // tail: x·Φ(x) at −10 is −10·7.619853024160527e-24, representable only with erfc in the tail
    expect(activate(g, -10) / (-10 * 7.619853024160527e-24)).toBeCloseTo(1, 12)
    const t = { type: 'gelu', approximate: 'tanh' } as const
    const u = Math.sqrt(2 / Math.PI) * (1 + 0.044715)
    expect(activate(t, 1)).toBeCloseTo(0.5 * (1 + Math.tanh(u)), 15)
  })

  it('SELU, ELU and leaky ReLU follow their definitions', () => {
    expect(activate({ type: 'selu' }, 2)).toBeCloseTo(2 * 1.0507009873554805, 15)
    expect(activate({ type: 'selu' }, -1)).toBeCloseTo(
      SELU_LAMBDA * SELU_ALPHA * (Math.exp(-1) - 1),
      15
    )
    expect(activate({ type: 'elu', alpha: 2 }, -1)).toBeCloseTo(2 * (Math.exp(-1) - 1), 15)
    expect(activate({ type: 'leaky-relu', slope: 0.1 }, -3)).toBeCloseTo(-0.3, 15)
    expect(activationDerivative({ type: 'relu' }, -3)).toBe(0)
  })
})

describe('PReLU', () => {
  it('dx and dα match centred differences; inputs untouched', () => {
    const r = lcg(3)
    const x = mat(awayFromZero(gaussians(5 * 4, r)), 5, 4)
    const alpha = Float64Array.from([0.25, 0.1, -0.2, 0.5])
    const dout = mat(gaussians(5 * 4, r), 5, 4)
    const f = (): number => dot(dout.data, preluForward(x, alpha).out.data)
    const { cache } = preluForward(x, alpha)
    const copies = [x.data.slice(), alpha.slice(), dout.data.slice()]
    const g = preluBackward(dout, cache)
    expect(eps(g.dx.data, numericGrad(f, x.data))).toBeLessThan(1e-7)
    expect(eps(g.dalpha, numericGrad(f, alpha))).toBeLessThan(1e-7)
    expect([x.data, alpha, dout.data]).toEqual(copies)
  })
})

describe('maxout', () => {
  it('takes the max of consecutive groups of k columns', () => {
    const x = mat(Float64Array.from([1, 5, 2, 0, 3, 3, -1, -2, 9]), 1, 9)
    const { out } = maxoutForward(x, 3)
    expect(Array.from(out.data)).toEqual([5, 3, 9])
  })

  it('dx matches centred differences away from ties; inputs untouched', () => {
    const r = lcg(11)
    // distinct values spaced ≥ 0.01 apart within each group, so ±h never changes an argmax
    const x = mat(gaussians(4 * 6, r), 4, 6)
    for (let i = 0; i < x.data.length; i += 2) {
      if (Math.abs(x.data[i]! - x.data[i + 1]!) < 0.01) x.data[i]! += 0.05
    }
    const dout = mat(gaussians(4 * 3, r), 4, 3)
    const f = (): number => dot(dout.data, maxoutForward(x, 2).out.data)
    const { cache } = maxoutForward(x, 2)
    const copies = [x.data.slice(), dout.data.slice(), cache.argmax.slice()]
    const { dx } = maxoutBackward(dout, cache)
    expect(eps(dx.data, numericGrad(f, x.data))).toBeLessThan(1e-7)
    expect([x.data, dout.data, cache.argmax]).toEqual(copies)
  })
})
