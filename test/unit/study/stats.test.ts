/**
 * The study's statistics against mathematics, not against themselves: Student's t quantiles
 * from the printed table, t CDF and Welch's test at values computed with scipy 1.17
 * (stats.t.cdf, stats.t.ppf, stats.ttest_ind(equal_var=False)), and the mean, std, interval and
 * Welch statistic recomputed here from their textbook formulas.
 */
import { describe, expect, it } from 'vitest'
import {
  ci95,
  incompleteBeta,
  lnGamma,
  mean,
  sampleStd,
  tCdf,
  tQuantile,
  welch
} from '../../../src-workers/study/stats'

describe('t distribution', () => {
  it('matches the printed table of two-sided 95 % critical values', () => {
    // Any statistics textbook's t table, column 0.975 (3 decimals).
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [4, 2.776],
      [5, 2.571],
      [10, 2.228],
      [30, 2.042]
    ]
    for (const [df, t] of table) expect(tQuantile(0.975, df)).toBeCloseTo(t, 3)
  })

  it('matches scipy at fractional degrees of freedom and in the tails', () => {
    expect(tQuantile(0.975, 2.5)).toBeCloseTo(3.5746548420036817, 9)
    expect(tQuantile(0.975, 7.3)).toBeCloseTo(2.345066736547703, 9)
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977934, 9)
    const cases: [number, number, number][] = [
      [2.0, 5, 0.9490302605850708],
      [-1.3, 2, 0.16162351590802015],
      [0.7, 1, 0.6944001122142147],
      [3.1, 8.4, 0.9930903785060682],
      [10, 3, 0.9989358004707929]
    ]
    for (const [t, df, p] of cases) expect(tCdf(t, df)).toBeCloseTo(p, 12)
  })

  it('closed forms: df = 1 is Cauchy, df = 2 has an algebraic CDF, symmetry', () => {
    for (const t of [-5, -0.3, 0, 0.8, 4, 50]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13)
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13)
      expect(tCdf(t, 6.5) + tCdf(-t, 6.5)).toBeCloseTo(1, 14)
    }
    // I_x(a, 1) = x^a; Γ(5) = 24; Γ(½) = √π.
    expect(incompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 14)
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13)
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13)
  })
})

describe('seed statistics', () => {
  const a = [0.41, 0.42, 0.405, 0.415]
  const b = [0.38, 0.375, 0.39]

  it('mean, sample std and the t interval from their formulas', () => {
    const m = (0.41 + 0.42 + 0.405 + 0.415) / 4
    const s = Math.sqrt(
      ((0.41 - m) ** 2 + (0.42 - m) ** 2 + (0.405 - m) ** 2 + (0.415 - m) ** 2) / 3
    )
    expect(mean(a)).toBeCloseTo(m, 15)
    expect(sampleStd(a)).toBeCloseTo(s, 15)
    expect(sampleStd([0.5])).toBe(0)
    // scipy: stats.t.interval(0.95, 2, loc=mean, scale=sem) of [0.41, 0.42, 0.405].
    const [lo, hi] = ci95([0.41, 0.42, 0.405])
    expect(lo).toBeCloseTo(0.39269375149868285, 12)
    expect(hi).toBeCloseTo(0.4306395818346504, 12)
    expect(ci95([0.3])).toEqual([0.3, 0.3])
  })

  it("Welch's t, its degrees of freedom and p as scipy's ttest_ind(equal_var=False)", () => {
    const r = welch(a, b)
    const va = sampleStd(a) ** 2 / 4
    const vb = sampleStd(b) ** 2 / 3
    expect(r.t).toBeCloseTo((mean(a) - mean(b)) / Math.sqrt(va + vb), 13)
    expect(r.df).toBeCloseTo((va + vb) ** 2 / (va ** 2 / 3 + vb ** 2 / 2), 12)
    expect(r.t).toBeCloseTo(5.642447102306373, 10)
    expect(r.df).toBeCloseTo(3.959314775160589, 10)
    expect(r.p).toBeCloseTo(0.005008331152860718, 12)
    const close = welch([0.382, 0.391, 0.373], [0.38, 0.372, 0.389])
    expect(close.t).toBeCloseTo(0.2331262020600681, 10)
    expect(close.df).toBeCloseTo(3.9872618666264676, 10)
    expect(close.p).toBeCloseTo(0.8271419385035365, 12)
    // Swapping the sides flips t and keeps p.
    const swapped = welch(b, a)
    expect(swapped.t).toBeCloseTo(-r.t, 13)
    expect(swapped.p).toBeCloseTo(r.p, 14)
  })

  it('zero spread on both sides: equal means p = 1, different means p = 0; one value refused', () => {
    expect(welch([0.3, 0.3], [0.3, 0.3]).p).toBe(1)
    expect(welch([0.3, 0.3], [0.2, 0.2])).toMatchObject({ t: Infinity, p: 0 })
    expect(() => welch([0.3], [0.2, 0.25])).toThrow(/two values/)
  })
})
