/**
 * A diverged run in words and in the comparison chart: the sentence is built from the run's
 * numbers and names a cause only when the run shows it; a diverged run gets no accuracy bar.
 */
import { describe, expect, it } from 'vitest'
import { finalAccuracyOption } from '../../src-renderer/src/charts/compare'
import { divergenceSentence } from '../../src-renderer/src/explain/divergence'

describe('divergenceSentence', () => {
  const exploded = {
    iteration: 12,
    reason: 'exploded' as const,
    loss: 9.4,
    first: 2.35,
    factor: 4
  }

  it('an explosion on 0–255 pixels says the factor, the iteration and the scale', () => {
    const s = divergenceSentence(exploded, { lr: 1e-3, preprocess: 'mean-image', init: 'he' })
    expect(s).toContain('The loss rose 4.0× above its start at iteration 12')
    expect(s).toContain('from 2.35 to 9.40')
    expect(s).toContain('too high for data on this scale')
    expect(s).toContain('mean-image leaves the pixels on the 0–255 scale')
    // The first loss (2.35) is near ln 10: nothing about a huge start.
    expect(s).not.toContain('already started')
  })

  it('standardized or synthetic data: no claim about the scale', () => {
    for (const ctx of [{ lr: 0.5, preprocess: 'channel-standardize' }, { lr: 0.5 }]) {
      const s = divergenceSentence(exploded, ctx)
      expect(s).not.toContain('scale')
      expect(s).toContain('the learning rate 0.500 is too high for this run')
    }
  })

  it('a first loss far above ln 10 is named, with lsuv offered unless it was used', () => {
    const big = { ...exploded, first: 1400, loss: 6e4 }
    const s = divergenceSentence(big, { lr: 1e-3, preprocess: 'channel-mean', init: 'he' })
    expect(s).toContain('rose 43× above its start')
    expect(s).toContain('already started at 1.40e+3, far above ln 10 ≈ 2.30')
    expect(s).toContain('--init lsuv')
    const l = divergenceSentence(big, { lr: 1e-3, preprocess: 'channel-mean', init: 'lsuv' })
    expect(l).toContain('the lsuv initialization')
    expect(l).not.toContain('--init lsuv')
  })

  it('non-finite names the layer block and does not claim an explosion factor', () => {
    const s = divergenceSentence(
      { iteration: 3, reason: 'non-finite', loss: NaN, first: 2.3, layer: 1 },
      { lr: 100 }
    )
    expect(s).toContain('A NaN or infinity appeared at iteration 3 in layer block 1')
    expect(s).not.toContain('×')
  })
})

describe('finalAccuracyOption', () => {
  it('gives a diverged run no bar and says so on its axis label', () => {
    const o = finalAccuracyOption([
      { name: 'mean-image', valAcc: 0.1, testAcc: 0.1, status: 'diverged' },
      { name: 'channel-standardize', valAcc: 0.35, testAcc: 0.33, status: 'completed' }
    ]) as {
      xAxis: { data: string[] }
      series: { data: (number | null)[] }[]
    }
    expect(o.xAxis.data).toEqual(['mean-image\n(diverged)', 'channel-standardize'])
    expect(o.series[0]!.data).toEqual([null, 35])
    expect(o.series[1]!.data).toEqual([null, 33])
  })
})
