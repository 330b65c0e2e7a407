/** Chart option builders: the numbers drawn are the numbers given, placed where they belong. */
import { describe, expect, it } from 'vitest'
import {
  activationCurvesOption,
  activationCurvesRows
} from '../../../src-renderer/src/charts/activations'
import {
  colorOf,
  densityPoints,
  fmt,
  fractionsOption,
  gradByLayerOption,
  gradByLayerRows,
  gridHeatmapOption,
  histogramOverlayOption,
  layerHistogramsOption,
  layerHistogramsRows,
  pickLayers,
  stdByLayerOption,
  stdByLayerRows
} from '../../../src-renderer/src/charts/depth'
import {
  fmtLog,
  hSweepOption,
  hSweepRows,
  verdictOf
} from '../../../src-renderer/src/charts/gradcheck'
import { overfitCurveOption, regSweepOption } from '../../../src-renderer/src/charts/sanity'
import { ACTIVATIONS } from '../../../src-shared/experiments'
import { depthResult } from './fixtures'

/* eslint-disable @typescript-eslint/no-explicit-any */
const series = (o: any): any[] => o.series

describe('depth charts', () => {
  const a = { name: 'A', result: depthResult({ ratio: 0.5 }) }
  const b = { name: 'B', result: depthResult({ ratio: 0.1, layers: 2 }) }

  it('std by layer: one line per run, layer 0 is the input, log axis on request', () => {
    const o = stdByLayerOption([a, b], { log: true }) as any
    expect(o.yAxis.type).toBe('log')
    expect(series(o).map((s) => s.name)).toEqual(['A', 'B'])
    expect(series(o)[0].data).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 0.25],
      [3, 0.125]
    ])
    expect(o.color).toEqual([colorOf(0), colorOf(1)])
    expect(o.dataZoom.length).toBeGreaterThan(0)
    expect((stdByLayerOption([a], { log: false }) as any).yAxis.type).toBe('value')
    expect(stdByLayerRows([a, b])).toHaveLength(4 + 3)
  })

  it('a zero std has no place on a log axis (null), but stays on a linear one', () => {
    const r = depthResult()
    r.layers[0]!.std = 0
    expect(series(stdByLayerOption([{ name: 'z', result: r }], { log: true }))[0].data[1]).toEqual([
      1,
      null
    ])
    expect(series(stdByLayerOption([{ name: 'z', result: r }], { log: false }))[0].data[1]).toEqual(
      [1, 0]
    )
  })

  it('gradients: ∂L/∂W solid and ∂L/∂H dashed per run, in the run colour', () => {
    const s = series(gradByLayerOption([a, b], { log: true }))
    expect(s.map((x) => x.name)).toEqual(['A · ∂L/∂W', 'A · ∂L/∂H', 'B · ∂L/∂W', 'B · ∂L/∂H'])
    expect(s[0].data).toEqual([1, 2, 3].map((l) => [l, 1e-5 * l]))
    expect(s[1].data[0]).toEqual([1, 1e-3])
    expect(s[1].lineStyle.type).toBe('dashed')
    expect(s[2].color).toBe(colorOf(1))
    expect(gradByLayerRows([a])[2]).toMatchObject({ layer: 3, dW_std: 1e-5 * 3, dH_std: 0.1 })
  })

  it('fractions are drawn in percent', () => {
    const s = series(fractionsOption([a]))
    expect(s[0].data).toEqual([
      [1, 0],
      [2, 10],
      [3, 20]
    ])
    expect(s[1].data[2]).toEqual([3, 25])
  })

  it('small multiples: one panel per layer, evenly spaced layers past the maximum', () => {
    expect(pickLayers(3, 20)).toEqual([1, 2, 3])
    expect(pickLayers(100, 5)).toEqual([1, 26, 51, 75, 100])
    const { option, height } = layerHistogramsOption(depthResult({ layers: 7 }), { columns: 5 })
    const o = option as any
    expect(o.grid).toHaveLength(7)
    expect(o.series).toHaveLength(7)
    expect(o.series[6]).toMatchObject({ xAxisIndex: 6, yAxisIndex: 6, data: [1, 3, 5, 1] })
    expect(o.xAxis[0].data).toEqual([-0.75, -0.25, 0.25, 0.75])
    expect(height).toBe(2 * 150 + 16)
    expect(layerHistogramsRows({ name: 'A', result: depthResult({ layers: 2 }) })).toHaveLength(8)
  })

  it('overlaid histograms are densities that integrate to 1', () => {
    const h = { edges: [0, 1, 3], counts: [2, 6] }
    expect(densityPoints(h)).toEqual([
      [0.5, 0.25],
      [2, 0.375]
    ])
    const total = densityPoints(h).reduce(
      (acc, [, d], i) => acc + d * (h.edges[i + 1]! - h.edges[i]!),
      0
    )
    expect(total).toBeCloseTo(1, 15)
    const o = histogramOverlayOption([
      { name: 'A', hist: h },
      { name: 'B', hist: { edges: [-1, 1], counts: [4] } }
    ]) as any
    expect(o.series[1].data).toEqual([[0, 0.5]])
    expect(o.series[0].step).toBe('middle')
  })

  it('grid heatmap: cells at their row and column, coloured by log10, labelled by value', () => {
    const o = gridHeatmapOption(
      ['tanh', 'ReLU'],
      ['N(0, 0.01)', 'He'],
      [
        { row: 'tanh', col: 'He', value: 1e-3 },
        { row: 'ReLU', col: 'N(0, 0.01)', value: 100 },
        { row: 'ReLU', col: 'He', value: null }
      ],
      { name: 'std' }
    ) as any
    expect(o.series[0].data).toEqual([
      [1, 0, -3, 1e-3],
      [0, 1, 2, 100],
      [1, 1, null, null]
    ])
    expect(o.visualMap).toMatchObject({ min: -3, max: 2, dimension: 2 })
  })

  it('formats tiny and huge numbers in exponent form', () => {
    expect(fmt(0.22360679)).toBe('0.2236')
    expect(fmt(3.02e-7)).toBe('3.02e-7')
    expect(fmt(123456)).toBe('1.23e5')
    expect(fmt(0)).toBe('0')
  })
})

describe('gradient check charts', () => {
  it("verdict bands are CLI.md's: <1e-7 great, <1e-4 check, <1e-2 concern, else wrong", () => {
    expect(verdictOf(9.9e-8)).toBe('great')
    expect(verdictOf(1e-7)).toBe('check')
    expect(verdictOf(9.9e-5)).toBe('check')
    expect(verdictOf(1e-4)).toBe('concern')
    expect(verdictOf(1e-2)).toBe('wrong')
    expect(verdictOf(NaN)).toBe('wrong')
  })

  it('h sweep: log–log, h decreasing left to right, one line per dtype plus the band edges', () => {
    const pts = [
      { dtype: 'float64' as const, h: 1e-5, normRelError: 1e-10, maxRelError: 2e-9 },
      { dtype: 'float64' as const, h: 1e-1, normRelError: 1e-3, maxRelError: 1e-2 },
      { dtype: 'float32' as const, h: 1e-5, normRelError: 2e-4, maxRelError: 1e-3 }
    ]
    const o = hSweepOption(pts) as any
    expect(o.xAxis).toMatchObject({ type: 'log', inverse: true })
    expect(o.yAxis.type).toBe('log')
    expect(o.series[0]).toMatchObject({
      name: 'float64',
      data: [
        [1e-1, 1e-3],
        [1e-5, 1e-10]
      ]
    })
    expect(o.series[1]).toMatchObject({ name: 'float32', data: [[1e-5, 2e-4]] })
    expect(o.series.slice(2).map((s: any) => s.data[0][1])).toEqual([1e-7, 1e-4, 1e-2])
    expect(hSweepRows(pts)[2]).toMatchObject({ verdict: 'concern' })
    expect(fmtLog(1e-4)).toBe('1e-4')
    expect(fmtLog(0.01)).toBe('0.01')
  })
})

describe('sanity charts', () => {
  it('regularization sweep on a category axis (it includes 0)', () => {
    const o = regSweepOption([
      { reg: 0, loss: 2.3 },
      { reg: 10, loss: 2.4 }
    ]) as any
    expect(o.xAxis.data).toEqual(['0', '10'])
    expect(o.series[0].data).toEqual([2.3, 2.4])
  })
  it('overfit curve: loss on the left axis, accuracy in percent on the right', () => {
    const o = overfitCurveOption([
      { epoch: 0, loss: 2.5, trainAcc: 0.1 },
      { epoch: 1, loss: 0.1, trainAcc: 1 }
    ]) as any
    expect(o.series[0].data).toEqual([
      [0, 2.5],
      [1, 0.1]
    ])
    expect(o.series[1]).toMatchObject({
      yAxisIndex: 1,
      data: [
        [0, 10],
        [1, 100]
      ]
    })
  })
})

describe('activation curves', () => {
  it('f on the top grid and f′ on the bottom, one legend entry per activation', () => {
    const spec = {
      names: ['relu', 'tanh'] as const,
      params: { slope: 0.01, alpha: 1, preluAlpha: 0.25, pieces: 2 },
      from: -1,
      to: 1,
      segments: 2
    }
    const o = activationCurvesOption({ ...spec, names: [...spec.names] }, ACTIVATIONS) as any
    expect(o.legend.data).toEqual(['relu', 'tanh'])
    expect(o.series).toHaveLength(4)
    expect(o.series[0]).toMatchObject({
      name: 'relu',
      xAxisIndex: 0,
      data: [
        [-1, 0],
        [0, 0],
        [1, 1]
      ]
    })
    expect(o.series[1]).toMatchObject({
      name: 'relu',
      xAxisIndex: 1,
      data: [
        [-1, 0],
        [0, 0],
        [1, 1]
      ]
    })
    expect(o.series[3].data[1]).toEqual([0, 1])
    expect(activationCurvesRows({ ...spec, names: [...spec.names] })).toHaveLength(6)
  })
})
