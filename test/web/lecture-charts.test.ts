/** The Lecture view's chart builders: pure options from results. */
import { describe, expect, it } from 'vitest'
import { omegaOption, scalarCheckOption } from '../../src-renderer/src/charts/lecture'
import type { OmegaResult, ScalarCheckResult } from '../../src-shared/results'

const fit = {
  slope: 1,
  fitFrom: 1e-6,
  fitTo: 1,
  predictedBestH: 1e-8,
  floor: { h: 1e-8, error: 1e-7 }
}

describe('lecture charts', () => {
  it('scalar check: four series on log–log axes; zero errors left out; at a kink the estimates', () => {
    const r: ScalarCheckResult = {
      fn: 'x4',
      label: 'x⁴',
      x: 3,
      value: 81,
      exact: 108,
      left: 108,
      right: 108,
      series: (['float64', 'float32'] as const).map((dtype) => ({
        dtype,
        points: [
          { h: 1, forward: 175, centred: 120, forwardError: 67, centredError: 12 },
          { h: 0.1, forward: 113.5, centred: 108.12, forwardError: 5.5, centredError: 0 }
        ],
        forward: fit,
        centred: fit
      }))
    }
    const o = scalarCheckOption(r) as {
      series: { name: string; data: number[][] }[]
      yAxis: { type: string }
    }
    expect(o.series.map((s) => s.name)).toEqual([
      'forward · float64',
      'centred · float64',
      'forward · float32',
      'centred · float32'
    ])
    expect(o.yAxis.type).toBe('log')
    expect(o.series[1]!.data).toEqual([[1, 12]])
    const kink = scalarCheckOption({
      ...r,
      exact: null,
      series: r.series.map((s) => ({
        ...s,
        points: s.points.map((p) => ({ ...p, forwardError: null, centredError: null }))
      }))
    }) as { series: { data: number[][] }[]; yAxis: { type: string } }
    expect(kink.yAxis.type).toBe('value')
    expect(kink.series[0]!.data).toEqual([
      [1, 175],
      [0.1, 113.5]
    ])
  })

  it('omega: a predicted line and measured points per ω', () => {
    const r: OmegaResult = {
      config: { layers: 3, width: 2, omegas: [0.5], samples: 1, seed: 1, dtype: 'float64' },
      series: [
        {
          omega: 0.5,
          layers: [1, 2, 3].map((l) => ({
            layer: l,
            ratio: 0.5 ** (3 - l),
            predicted: 0.5 ** (3 - l),
            dWRatio: 0.25
          })),
          first: { ratio: 0.25, predicted: 0.25 },
          maxRelError: 0
        }
      ]
    }
    const o = omegaOption(r) as { series: { name: string; type: string; data: number[][] }[] }
    expect(o.series.map((s) => [s.name, s.type])).toEqual([
      ['ω = 0.5 · ω^(L−l)', 'line'],
      ['ω = 0.5 · measured', 'scatter']
    ])
    expect(o.series[0]!.data).toEqual([
      [1, 0.25],
      [2, 0.5],
      [3, 1]
    ])
  })
})
