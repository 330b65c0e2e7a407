import { describe, expect, it } from 'vitest'
import { erf, erfc, normalCdf } from '../../../src-workers/nn/index'

// Reference values (17 significant digits; C99 libm / Abramowitz & Stegun Table 7.1).
const ERF: [number, number][] = [
  [0.1, 0.1124629160182849],
  [0.3, 0.3286267594591274],
  [0.46875, 0.49261347321793797],
  [0.5, 0.5204998778130465],
  [1, 0.8427007929497149],
  [2, 0.9953222650189527],
  [3.5, 0.9999992569016276]
]
const ERFC: [number, number][] = [
  [3, 2.2090496998585441e-5],
  [4, 1.541725790028002e-8],
  [5, 1.5374597944280349e-12],
  [10, 2.088487583762545e-45],
  [26, 5.663192408856143e-296]
]

describe('erf / erfc (Cody)', () => {
  it('match tabulated values to a few ulp', () => {
    for (const [x, v] of ERF) {
      expect(Math.abs(erf(x) - v) / v).toBeLessThan(4e-16)
      expect(erf(-x)).toBe(-erf(x))
    }
    for (const [x, v] of ERFC) expect(Math.abs(erfc(x) - v) / v).toBeLessThan(1e-15)
  })

  it('erf + erfc = 1, erfc(−x) = 2 − erfc(x), and the limits', () => {
    for (const x of [-4, -1.3, -0.2, 0, 0.4, 0.7, 2.5, 6]) {
      expect(erf(x) + erfc(x)).toBeCloseTo(1, 15)
      expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15)
    }
    expect(erf(0)).toBe(0)
    expect(erf(30)).toBe(1)
    expect(erfc(40)).toBe(0)
    expect(Number.isNaN(erf(NaN))).toBe(true)
  })

  it('Φ at the textbook quantiles', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15)
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 15)
  })
})
