/**
 * The train–validation gap sentence against the binomial sampling error it claims: a gap is
 * called overfitting (or absent) only outside ±2 standard errors of the difference, and the
 * "bigger net / more epochs" advice appears only when the numbers support it.
 */
import { describe, expect, it } from 'vitest'
import { gapSentence, gapStandardError } from '../../src-renderer/src/explain/gap'
import type { TrainEpoch } from '../../src-shared/results'

const epoch = (over: Partial<TrainEpoch>): TrainEpoch => ({
  epoch: 3,
  iter: 750,
  loss: 1.5,
  trainAcc: 0.5,
  valAcc: 0.48,
  trainAccExamples: 1000,
  valAccExamples: 1000,
  lr: 0.01,
  seconds: 10,
  ...over
})

describe('gapStandardError', () => {
  it('is the binomial standard error of a difference of two independent proportions', () => {
    // p = 0.5 on 1000 and 0.4 on 500: √(0.25/1000 + 0.24/500)
    expect(gapStandardError(0.5, 1000, 0.4, 500)).toBeCloseTo(
      Math.sqrt(0.25 / 1000 + 0.24 / 500),
      15
    )
  })

  it('keeps a perfect score half an example away from zero variance', () => {
    const se = gapStandardError(1, 20, 1, 20)
    const q = 0.5 / 20
    expect(se).toBeCloseTo(Math.sqrt((2 * q * (1 - q)) / 20), 15)
    expect(se).toBeGreaterThan(0)
  })
})

describe('gapSentence', () => {
  it('calls a 2-point gap on 1000 + 1000 examples noise (2 SE ≈ 4.5 points), not overfitting', () => {
    const t = gapSentence(epoch({ trainAcc: 0.5, valAcc: 0.48 }), false)!
    expect(t).toContain('within the noise')
    expect(t).toContain('±4.5 pts')
    expect(t).not.toMatch(/overfitting has begun|— overfitting/)
    expect(t).toContain('a bigger net could fit more')
    expect(t).not.toContain('more epochs')
  })

  it('calls a 20-point gap overfitting and names the measured sizes', () => {
    const t = gapSentence(epoch({ trainAcc: 0.7, valAcc: 0.5 }), true)!
    expect(t).toContain('Train is 20.0 pts above validation')
    expect(t).toContain('overfitting')
    expect(t).toContain('1,000 examples')
    expect(t).not.toContain('bigger net')
  })

  it('calls a 6-point gap on 10,000 validation examples some overfitting (beyond 2 SE), not large', () => {
    const t = gapSentence(epoch({ trainAcc: 0.56, valAcc: 0.5, valAccExamples: 10_000 }), false)!
    const noise = 2 * gapStandardError(0.56, 1000, 0.5, 10_000)
    expect(0.06).toBeGreaterThan(noise)
    expect(t).toContain('some overfitting has begun')
  })

  it('the same 6-point gap on 100 + 100 examples is within the noise', () => {
    const t = gapSentence(
      epoch({ trainAcc: 0.56, valAcc: 0.5, trainAccExamples: 100, valAccExamples: 100 }),
      false
    )!
    expect(t).toContain('within the noise')
  })

  it('advises more epochs only while the loss was still falling, a bigger net only below 90 % train', () => {
    const falling = gapSentence(epoch({ trainAcc: 0.95, valAcc: 0.94 }), true)!
    expect(falling).toContain('more epochs could help')
    expect(falling).not.toContain('bigger net')
    const flat = gapSentence(epoch({ trainAcc: 0.95, valAcc: 0.94 }), false)!
    expect(flat).toMatch(/no overfitting is measurable\.$/)
  })

  it('says validation above train plainly when it is beyond the noise', () => {
    const t = gapSentence(epoch({ trainAcc: 0.4, valAcc: 0.5 }), false)!
    expect(t).toContain('Validation is 10.0 pts above train')
  })

  it('an older run without the sizes makes no noise claim either way', () => {
    const t = gapSentence(
      epoch({ trainAcc: 0.7, valAcc: 0.5, trainAccExamples: undefined, valAccExamples: undefined }),
      false
    )!
    expect(t).toContain('cannot be said')
    expect(t).not.toMatch(/overfitting|bigger net/)
  })

  it('is null without a validation accuracy', () => {
    expect(gapSentence(epoch({ valAcc: null, valAccExamples: 0 }), false)).toBeNull()
  })
})
