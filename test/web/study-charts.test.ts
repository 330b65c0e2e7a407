/**
 * The study's chart builders: the numbers on screen are the result's (percentages, intervals,
 * every seed), diverged trials are marked apart from the ones that trained, the chosen rate is
 * marked, a mode without a result has no bar, and the loss axis is logarithmic.
 */
import { describe, expect, it } from 'vitest'
import type { StudyMode, StudyResult } from '../../src-shared/results'
import {
  studyAccuracyOption,
  studyAccuracyRows,
  studyLossOption,
  studyTrialsOption,
  studyTrialsRows
} from '../../src-renderer/src/charts/study'

const mode = (name: string, ok: boolean): StudyMode => ({
  mode: name,
  trials: [
    { lr: 1e-6, round: 1, status: 'completed', valAcc: 0.2, loss: 2.2, iterations: 10 },
    { lr: 1e-4, round: 1, status: 'completed', valAcc: 0.3, loss: 2.0, iterations: 10 },
    {
      lr: 1e-2,
      round: 1,
      status: 'diverged',
      valAcc: null,
      loss: null,
      iterations: 3,
      reason: 'exploded'
    }
  ],
  bestLr: ok ? 1e-4 : null,
  searchBestLr: null,
  note: ok ? null : 'the full-length runs diverged at every rate the search ranked',
  seeds: [1, 2, 3].map((seed) => ({
    seed,
    lr: 1e-4,
    status: ok ? ('completed' as const) : ('diverged' as const),
    valAcc: ok ? 0.3 + seed / 100 : null,
    testAcc: ok ? 0.28 + seed / 100 : null,
    losses: [2.3, 2.1, 1.9, 0, NaN]
  })),
  mean: ok ? { valAcc: 0.32, testAcc: 0.3 } : null,
  std: ok ? { valAcc: 0.01, testAcc: 0.01 } : null,
  ci95: ok ? { valAcc: [0.295, 0.345], testAcc: [0.275, 0.325] } : null,
  discarded: []
})

const result: StudyResult = {
  base: {},
  search: { lo: 1e-7, hi: 1e-1, trials: 3, epochs: 1, refine: 0, seed: 1 },
  seedsPerMode: 3,
  modes: [mode('mean-image', true), mode('zca', false)],
  verdict: {
    text: 'x',
    test: 'none',
    p: null,
    t: null,
    df: null,
    compared: null,
    pairs: [],
    init: 'he'
  },
  seconds: 1
}

type Series = {
  name: string
  type: string
  data: unknown[]
  symbol?: string
  symbolOffset?: number[]
}

describe('study charts', () => {
  it('accuracy per mode: mean bars, 95 % error bars, every seed; no bar for a mode without result', () => {
    const o = studyAccuracyOption(result) as { xAxis: { data: string[] }; series: Series[] }
    expect(o.xAxis.data).toEqual(['mean-image', 'zca\n(no result)'])
    const bars = o.series.find((s) => s.type === 'bar')!
    expect(bars.data.map((d) => (d as { value: number } | null)?.value ?? null)).toEqual([30, null])
    const err = o.series.filter((s) => s.name === '95 % interval')
    expect(err).toHaveLength(1)
    expect(err[0]!.data).toEqual([
      [0, 27.5],
      [0, 32.5]
    ])
    const dots = o.series.find((s) => s.name === 'seeds')!
    expect(dots.data).toEqual([
      [0, 29],
      [0, 30],
      [0, 31]
    ])
    expect(studyAccuracyRows(result)[0]).toMatchObject({
      mode: 'mean-image',
      meanTest: 0.3,
      ci95TestLow: 0.275
    })
  })

  it('trials: log lr axis, trained trials as a line, diverged as crosses at 0, the chosen rate marked', () => {
    const o = studyTrialsOption(result) as {
      xAxis: { type: string; min: number; max: number }
      series: Series[]
    }
    expect(o.xAxis).toMatchObject({ type: 'log', min: 1e-7, max: 1e-1 })
    const line = o.series.filter((s) => s.name === 'mean-image')
    expect(line[0]!.data).toEqual([
      [1e-6, 20],
      [1e-4, 30]
    ])
    const crosses = o.series.filter((s) => s.name === 'diverged')
    expect(crosses).toHaveLength(2)
    expect(crosses[0]!.data).toEqual([[1e-2, 0]])
    expect(crosses[0]!.symbol).toMatch(/^path:/)
    // Two modes' crosses at the same rate are drawn one above the other, both at the value 0.
    expect(crosses.map((c) => c.symbolOffset)).toEqual([
      [0, 0],
      [0, -12]
    ])
    expect(crosses[1]!.data).toEqual([[1e-2, 0]])
    const chosen = o.series.filter((s) => s.name === 'chosen rate')
    expect(chosen).toHaveLength(1) // zca has no chosen rate
    expect(chosen[0]!.data).toEqual([[1e-4, 30]])
    expect(studyTrialsRows(result).filter((r) => r.chosen)).toHaveLength(1)
  })

  it('seed losses: one line per seed, log axis, non-positive and non-finite losses left out', () => {
    const o = studyLossOption(result) as { yAxis: { type: string }; series: Series[] }
    expect(o.yAxis.type).toBe('log')
    expect(o.series).toHaveLength(6)
    expect(o.series[0]!.data).toEqual([
      [1, 2.3],
      [2, 2.1],
      [3, 1.9],
      [4, null],
      [5, null]
    ])
  })
})
