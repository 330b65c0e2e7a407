/** The explanation panels: the lecture's arithmetic, with the run's own numbers. */
import { describe, expect, it } from 'vitest'
import {
  explainDepth,
  initStd,
  meanStdRatio,
  seedSentence
} from '../../../src-renderer/src/explain/depth'
import { explainGradcheck, survivingDigits } from '../../../src-renderer/src/explain/gradcheck'
import { pct, seedFixed, sig } from '../../../src-renderer/src/format'
import { depthResult } from './fixtures'

describe('depth explanation', () => {
  it('init rules give the std of a weight entry', () => {
    expect(initStd('normal', 500, 500, 0.01)).toBe(0.01)
    expect(initStd('xavier', 500, 500)).toBeCloseTo(1 / Math.sqrt(500), 15)
    expect(initStd('glorot', 300, 100)).toBeCloseTo(Math.sqrt(2 / 400), 15)
    expect(initStd('he', 500, 500)).toBeCloseTo(Math.sqrt(2 / 500), 15)
    expect(initStd('lsuv', 500, 500)).toBeNull()
  })

  it('the per-layer ratio is the geometric mean of std_l / std_(l−1)', () => {
    expect(meanStdRatio(depthResult({ ratio: 0.22, layers: 10 }))).toBeCloseTo(0.22, 12)
  })

  it('tanh with N(0, 0.01) on 500 units: σ·√n = 0.01·√500 ≈ 0.22 and the measured ratio', () => {
    const text = explainDepth(depthResult({ ratio: 0.2236, layers: 10 })).join(' ')
    expect(text).toContain('σ·√n = 0.01·√500 ≈ 0.22')
    expect(text).toContain('measured 0.22×')
    expect(text).toContain('collapse towards zero')
    // dX std goes from 10^-1 at layer 10 to 10^-10 at layer 1: 1e9× smaller.
    expect(text).toContain('1.0e9× smaller (vanishing)')
  })

  it('ReLU with He explains √(2/n) and the kept half of the second moment', () => {
    // (tanh with N(0, 1) and every other case: test/unit/explain/depth-cases.test.ts, real runs)
    const relu = explainDepth(depthResult({ activation: 'relu', init: 'he', ratio: 1 })).join(' ')
    expect(relu).toContain('He: √(2/500)')
    expect(relu).toContain('σ·√n·√½ = 1.0')
  })

  it("speaks the seed's words", () => {
    expect(seedSentence(3, '0.000008', '0.010624')).toBe(
      'hidden layer 3 had mean 0.000008 and std 0.010624'
    )
    expect(seedSentence('input', '0.0', '1.0')).toBe('input layer had mean 0.0 and std 1.0')
  })
})

describe('gradient check explanation', () => {
  it('digits surviving the difference: log10(h / ε_mach)', () => {
    expect(survivingDigits('float64', 1e-5)).toBeCloseTo(10.65, 2)
    expect(survivingDigits('float32', 1e-5)).toBeCloseTo(1.92, 2)
  })
  it('names the worst parameter and explains kinks', () => {
    const text = explainGradcheck(
      {
        params: [
          { name: 'W1', relError: 1e-3, normRelError: 2e-6, verdict: 'check', kinks: 2, worst: [] },
          { name: 'b1', relError: 1e-9, normRelError: 1e-10, verdict: 'great', kinks: 0, worst: [] }
        ],
        maxRelError: 1e-3,
        verdict: 'check'
      },
      { dtype: 'float64', h: 1e-5, burnIn: 10 }
    ).join(' ')
    expect(text).toContain('worst parameter is W1 with ε = 2.00e-6 (check)')
    expect(text).toContain('about 11 significant digits')
    expect(text).toContain('2 entries crossed a kink')
    expect(text).toContain('10 burn-in steps')
  })
})

describe('formats', () => {
  it('sig, seedFixed and pct', () => {
    expect(sig(0.213524)).toBe('0.214')
    expect(sig(3.022e-7)).toBe('3.02e-7')
    expect(sig(null)).toBe('–')
    expect(seedFixed(0.213524)).toBe('0.213524')
    expect(seedFixed(7.939e-6)).toBe('7.94e-6')
    expect(pct(0)).toBe('0 %')
    expect(pct(0.066)).toBe('6.6 %')
    expect(pct(0.5)).toBe('50 %')
  })
})
