/** The renderer's activation math against closed forms, tabulated erf values and finite differences. */
import { describe, expect, it } from 'vitest'
import { ACTIVATIONS } from '../../../src-shared/experiments'
import {
  activationDf,
  activationF,
  DEFAULT_PARAMS,
  describeAt,
  erf,
  maxoutPieces,
  normalCdf,
  SELU_ALPHA,
  SELU_LAMBDA,
  sampleActivation
} from '../../../src-renderer/src/math/activations'

describe('erf', () => {
  // Abramowitz & Stegun table 7.1 / any CAS, to 16 digits.
  const table: [number, number][] = [
    [0, 0],
    [0.1, 0.1124629160182849],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [1.5, 0.9661051464753108],
    [2, 0.9953222650189527],
    [3, 0.9999779095030014],
    [4, 0.9999999845827421],
    [5.9, 0.9999999999999999]
  ]
  it('matches tabulated values to 1e-7 (in fact 1e-14), and is odd', () => {
    for (const [x, v] of table) {
      expect(Math.abs(erf(x) - v)).toBeLessThan(1e-14)
      expect(erf(-x) + erf(x)).toBe(0)
    }
  })
  it('is ±1 far out, NaN for NaN, and Φ(1.959964) ≈ 0.975', () => {
    expect(erf(10)).toBe(1)
    expect(erf(-30)).toBe(-1)
    expect(erf(NaN)).toBeNaN()
    expect(Math.abs(normalCdf(1.959963984540054) - 0.975)).toBeLessThan(1e-12)
  })
})

describe('activations', () => {
  const p = { slope: 0.05, alpha: 0.7, preluAlpha: 0.4, pieces: 3 }
  it('match their closed forms', () => {
    for (const x of [-3, -0.5, 0.25, 2]) {
      expect(activationF('sigmoid', x)).toBeCloseTo(1 / (1 + Math.exp(-x)), 15)
      expect(activationDf('tanh', x)).toBeCloseTo(1 / Math.cosh(x) ** 2, 14)
      expect(activationF('leaky-relu', x, p)).toBe(x > 0 ? x : 0.05 * x)
      expect(activationF('prelu', x, p)).toBe(x > 0 ? x : 0.4 * x)
      expect(activationF('elu', x, p)).toBeCloseTo(x > 0 ? x : 0.7 * (Math.exp(x) - 1), 15)
      expect(activationF('selu', x)).toBeCloseTo(
        x > 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * (Math.exp(x) - 1),
        14
      )
    }
    expect(activationDf('sigmoid', 0)).toBe(0.25)
    // GELU(1) = Φ(1) = 0.8413447460685429; GELU′(0) = ½.
    expect(activationF('gelu', 1)).toBeCloseTo(0.8413447460685429, 14)
    expect(activationDf('gelu', 0)).toBe(0.5)
    // SELU's constants: λ·α = 1.7580993408473766.
    expect(SELU_LAMBDA * SELU_ALPHA).toBeCloseTo(1.7580993408473766, 14)
  })

  it('f′ agrees with a centred difference of f away from kinks, for every activation', () => {
    const h = 1e-6
    for (const name of ACTIVATIONS) {
      for (const x of [-4.3, -1.7, -0.6, 0.35, 1.1, 3.9]) {
        const numeric = (activationF(name, x + h, p) - activationF(name, x - h, p)) / (2 * h)
        expect(Math.abs(activationDf(name, x, p) - numeric), `${name} at ${x}`).toBeLessThan(1e-7)
      }
    }
  })

  it('maxout is the max of tangents of softplus: convex, below softplus, touching it at the points', () => {
    const pieces = maxoutPieces(3)
    const w = [1 / (1 + Math.exp(3)), 0.5, 1 / (1 + Math.exp(-3))]
    pieces.forEach((q, i) => expect(q.w).toBeCloseTo(w[i]!, 15))
    const softplus = (x: number): number => Math.log1p(Math.exp(x))
    for (const t of [-3, 0, 3]) expect(activationF('maxout', t, p)).toBeCloseTo(softplus(t), 14)
    for (const x of [-5, -1, 0.5, 2, 6]) {
      expect(activationF('maxout', x, p)).toBeLessThanOrEqual(softplus(x) + 1e-15)
    }
  })

  it('samples n + 1 evenly spaced points', () => {
    const s = sampleActivation('relu', -1, 1, 4)
    expect(s.map((q) => q.x)).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(s.map((q) => q.f)).toEqual([0, 0, 0, 0.5, 1])
  })

  it("answers the seed's questions at ±10 in words", () => {
    expect(describeAt('tanh')).toBe(
      'saturates on both sides: almost no gradient flows back at ±10; zero-centred (an odd function)'
    )
    expect(describeAt('relu')).toMatch(
      /^dead at −10: output and gradient exactly 0.*never negative/
    )
    expect(describeAt('leaky-relu')).toMatch(/^keeps a gradient on both sides/)
    expect(describeAt('gelu')).toMatch(/outputs go down to -0.17/)
    // ELU, GELU and SELU at −10: f′ tiny but f ≠ 0 — saturated, not dead.
    for (const a of ['elu', 'gelu', 'selu'] as const) {
      expect(activationF(a, -10)).not.toBe(0)
      expect(describeAt(a)).toMatch(/^saturated at −10: .*saturated, not dead/)
      expect(describeAt(a)).not.toMatch(/dead at|is dead/)
    }
    expect(describeAt('elu')).toContain('output -1.0')
  })

  it('Φ keeps its relative precision in the far left tail (GELU at −10 is not 0)', () => {
    // Φ(−10) = 7.6198530241605261e-24, Φ(−4) = 3.167124183311992e-5 (mpmath ncdf)
    expect(Math.abs(normalCdf(-10) / 7.619853024160525e-24 - 1)).toBeLessThan(1e-12)
    expect(Math.abs(normalCdf(-4) / 3.167124183311992e-5 - 1)).toBeLessThan(1e-12)
    expect(Math.abs(normalCdf(-3.0000001) - normalCdf(-2.9999999))).toBeLessThan(1e-9)
    expect(activationF('gelu', -10)).toBeCloseTo(-7.619853024160526e-23, 36)
    expect(activationF('gelu', -10)).toBeLessThan(0)
  })

  it('PReLU is drawn with its own α, 0.25 by default — not the line y = x', () => {
    expect(DEFAULT_PARAMS.preluAlpha).toBe(0.25)
    expect(DEFAULT_PARAMS.alpha).toBe(1)
    expect(activationF('prelu', -2)).toBe(-0.5)
    expect(activationDf('prelu', -2)).toBe(0.25)
    expect(activationF('elu', -2)).toBeCloseTo(Math.expm1(-2), 15)
    const curve = sampleActivation('prelu', -4, 4, 8)
    expect(curve.some((q) => q.f !== q.x)).toBe(true)
    expect(describeAt('prelu')).not.toMatch(/odd function/)
    expect(describeAt('prelu')).toMatch(/^keeps a gradient on both sides/)
  })
})
