/**
 * The verdict sentence is true of its numbers: "no difference beyond seed-to-seed noise" exactly
 * when Welch's p ≥ 0.05, a lead in points (recomputed here) when p < 0.05, which comparison it is
 * with more than two modes, the init it was made under, and no test with one seed.
 */
import { describe, expect, it } from 'vitest'
import type { StudyMode } from '../../../src-shared/results'
import { mean, sampleStd, welch } from '../../../src-workers/study/stats'
import { studyVerdict } from '../../../src-workers/study/verdict'

function mode(name: string, test: number[] | null): StudyMode {
  const seeds = (test ?? [0.1, 0.1]).map((t, i) => ({
    seed: i + 1,
    lr: 1e-3,
    status: test ? ('completed' as const) : ('diverged' as const),
    valAcc: test ? t : null,
    testAcc: test ? t : null,
    losses: []
  }))
  return {
    mode: name,
    trials: [],
    bestLr: test ? 1e-3 : null,
    searchBestLr: null,
    note: null,
    seeds,
    mean: test ? { valAcc: mean(test), testAcc: mean(test) } : null,
    std: test ? { valAcc: sampleStd(test), testAcc: sampleStd(test) } : null,
    ci95: null,
    discarded: []
  }
}

describe('studyVerdict', () => {
  it('p ≥ 0.05: no difference beyond seed-to-seed noise, with both means ± std and the init', () => {
    const a = [0.382, 0.391, 0.373]
    const b = [0.38, 0.372, 0.389]
    const v = studyVerdict([mode('channel-mean', b), mode('mean-image', a)], 'he')
    const p = welch(a, b).p
    expect(p).toBeGreaterThan(0.05)
    expect(v.p).toBeCloseTo(p, 14)
    expect(v.compared).toEqual(['mean-image', 'channel-mean'])
    expect(v.text).toContain('mean-image 38.2 ± 0.9 % vs channel-mean 38.0 ± 0.9 %')
    expect(v.text).toContain('no difference beyond seed-to-seed noise')
    expect(v.text).toContain(`p = ${p.toFixed(2)}`)
    expect(v.text).toContain('init he')
    expect(v.test).toMatch(/Welch/)
  })

  it('p < 0.05: the leader, its lead in points, beyond the noise, and p', () => {
    const a = [0.41, 0.42, 0.405, 0.415]
    const b = [0.38, 0.375, 0.39, 0.385]
    const v = studyVerdict([mode('mean-image', b), mode('channel-standardize', a)], 'lsuv')
    expect(v.p).toBeLessThan(0.05)
    const lead = ((mean(a) - mean(b)) * 100).toFixed(1)
    expect(v.text).toContain(`channel-standardize leads mean-image by ${lead} points`)
    expect(v.text).toContain('beyond the seed-to-seed noise')
    expect(v.text).toContain('init lsuv')
    expect(v.text).not.toContain('no difference')
  })

  it('three modes: says it compares best vs runner-up and gives the other pairs', () => {
    const v = studyVerdict(
      [
        mode('none', [0.2, 0.21, 0.19]),
        mode('zca', [0.4, 0.41, 0.39]),
        mode('channel-mean', [0.39, 0.4, 0.41])
      ],
      'he'
    )
    expect(v.text.startsWith('Best vs runner-up: zca')).toBe(true)
    expect(v.compared).toEqual(['zca', 'channel-mean'])
    expect(v.pairs).toHaveLength(3)
    expect(v.text).toContain('Other pairs: zca vs none p')
    const none = v.pairs.find((q) => q.b === 'none' && q.a === 'zca')!
    expect(none.p).toBeCloseTo(welch([0.4, 0.41, 0.39], [0.2, 0.21, 0.19]).p, 14)
  })

  it('one seed: no test, and it says one seed cannot separate a difference from noise', () => {
    const v = studyVerdict([mode('a', [0.4]), mode('b', [0.3])], 'he')
    expect(v.p).toBeNull()
    expect(v.test).toBe('none')
    expect(v.text).toContain(
      'one seed per mode cannot separate a difference from seed-to-seed noise'
    )
  })

  it('modes without results are named; none at all gives no verdict', () => {
    const v = studyVerdict([mode('a', [0.4, 0.41]), mode('b', null)], 'he')
    expect(v.text).toContain('Only a trained')
    expect(v.text).toContain('b: no result')
    const none = studyVerdict([mode('a', null), mode('b', null)], 'he')
    expect(none.text).toContain('no verdict')
    expect(none.p).toBeNull()
  })
})
