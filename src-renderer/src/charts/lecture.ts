/**
 * The Lecture view's charts: the scalar gradient check (error against h on log–log axes, forward
 * and centred, float64 and float32 — or, at a kink, the estimates themselves) and the W = ωI
 * demonstration (‖δˡ‖/‖δᴸ‖ per layer, measured points on the predicted ω^(L−l) lines).
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { OmegaResult, ScalarCheckResult } from '../../../src-shared/results'
import { fmtLog } from '../format'
import { colorOf, fmt } from './depth'

const DTYPE_COLOR = { float64: '#2f6fdb', float32: '#d9534f' } as const

/** Errors of both differences against h (log–log, h decreasing to the right). */
export function scalarCheckOption(r: ScalarCheckResult): EChartsCoreOption {
  const kink = r.exact === null
  const series = r.series.flatMap((s) =>
    (['forward', 'centred'] as const).map((kind) => ({
      name: `${kind} · ${s.dtype}`,
      type: 'line',
      color: DTYPE_COLOR[s.dtype],
      symbol: kind === 'forward' ? 'triangle' : 'circle',
      symbolSize: 5,
      lineStyle: { type: kind === 'forward' ? 'dashed' : 'solid', width: 1.5 },
      data: s.points
        .map((p) => {
          const y = kink ? p[kind] : kind === 'forward' ? p.forwardError : p.centredError
          // A zero error has no place on a log axis: left out (the table keeps it).
          return [p.h, y] as [number, number | null]
        })
        .filter(([, y]) => y !== null && (kink || y > 0))
    }))
  )
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    legend: { top: 0 },
    grid: { left: 76, right: 24, top: 40, bottom: 58 },
    xAxis: {
      type: 'log',
      name: 'step h',
      nameLocation: 'middle',
      nameGap: 28,
      inverse: true,
      min: 1e-16,
      max: 1,
      axisLabel: { formatter: fmtLog }
    },
    yAxis: kink
      ? { type: 'value', name: 'estimate of f′(x)', axisLabel: { formatter: fmt } }
      : { type: 'log', name: '|estimate − f′(x)|', axisLabel: { formatter: fmtLog } },
    series
  }
}

/** ‖δˡ‖/‖δᴸ‖ per layer on a log axis: measured markers over the predicted ω^(L−l) lines. */
export function omegaOption(r: OmegaResult): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    // Two lines of legend for five ω: the plot starts below them, clear of the axis title.
    legend: { top: 0 },
    grid: { left: 76, right: 24, top: 30 + 22 * Math.ceil(r.series.length / 2.5), bottom: 58 },
    xAxis: {
      type: 'value',
      name: 'layer l',
      nameLocation: 'middle',
      nameGap: 28,
      min: 1,
      max: r.config.layers,
      minInterval: 1
    },
    yAxis: { type: 'log', name: '‖δˡ‖ / ‖δᴸ‖', axisLabel: { formatter: fmtLog } },
    series: r.series.flatMap((s, i) => [
      {
        name: `ω = ${s.omega} · ω^(L−l)`,
        type: 'line',
        symbol: 'none',
        color: colorOf(i),
        lineStyle: { type: 'dashed', width: 1.5 },
        data: s.layers.map((l) => [l.layer, l.predicted])
      },
      {
        name: `ω = ${s.omega} · measured`,
        type: 'scatter',
        color: colorOf(i),
        symbolSize: 8,
        data: s.layers.map((l) => [l.layer, l.ratio])
      }
    ])
  }
}
