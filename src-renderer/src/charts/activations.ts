/**
 * The Activations chart: f (top) and f′ (bottom) of the chosen activations over one x range,
 * as two stacked grids sharing a legend (a legend click toggles both curves of an activation).
 */
import type { EChartsCoreOption } from 'echarts/core'
import { sampleActivation, type ActivationName, type ActivationParams } from '../math/activations'
import { colorOf, fmt } from './depth'

export interface CurveSpec {
  names: ActivationName[]
  params: ActivationParams
  from: number
  to: number
  /** Segments across the range (points = segments + 1). */
  segments?: number
}

/** Colour of an activation, stable whatever else is shown. */
export function activationColor(name: ActivationName, all: readonly ActivationName[]): string {
  return colorOf(Math.max(0, all.indexOf(name)))
}

export function activationCurvesOption(
  spec: CurveSpec,
  all: readonly ActivationName[]
): EChartsCoreOption {
  const n = spec.segments ?? 400
  const curves = spec.names.map((name) => ({
    name,
    pts: sampleActivation(name, spec.from, spec.to, n, spec.params)
  }))
  const axisX = (gridIndex: number) => ({
    type: 'value',
    gridIndex,
    min: spec.from,
    max: spec.to,
    name: gridIndex === 1 ? 'x' : '',
    nameLocation: 'middle',
    nameGap: 24
  })
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    legend: { top: 0, data: spec.names },
    grid: [
      { left: 56, right: 20, top: 40, height: '36%' },
      { left: 56, right: 20, top: '58%', bottom: 60 }
    ],
    xAxis: [axisX(0), axisX(1)],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'f(x)', scale: true },
      { type: 'value', gridIndex: 1, name: 'f′(x)', scale: true }
    ],
    dataZoom: [
      { type: 'inside', xAxisIndex: [0, 1] },
      { type: 'slider', xAxisIndex: [0, 1], height: 14, bottom: 6 }
    ],
    series: curves.flatMap((c) => [
      {
        name: c.name,
        type: 'line',
        xAxisIndex: 0,
        yAxisIndex: 0,
        showSymbol: false,
        color: activationColor(c.name, all),
        data: c.pts.map((p) => [p.x, p.f])
      },
      {
        name: c.name,
        type: 'line',
        xAxisIndex: 1,
        yAxisIndex: 1,
        showSymbol: false,
        color: activationColor(c.name, all),
        lineStyle: { type: 'dashed' },
        data: c.pts.map((p) => [p.x, p.df])
      }
    ])
  }
}

export function activationCurvesRows(spec: CurveSpec): Record<string, string | number>[] {
  const n = spec.segments ?? 400
  return spec.names.flatMap((name) =>
    sampleActivation(name, spec.from, spec.to, n, spec.params).map((p) => ({
      activation: name,
      x: p.x,
      f: p.f,
      df: p.df
    }))
  )
}
