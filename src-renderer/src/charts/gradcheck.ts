/**
 * Gradient-check charts and the seed's verdict bands (CLI.md `gradcheck`): relative error ε
 * below 1e-7 is great, below 1e-4 check (fine only where kinks explain it), below 1e-2 a
 * concern, from 1e-2 up wrong.
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { Verdict } from '../../../src-shared/results'
import { VERDICT_BANDS, verdictFor } from '../../../src-shared/verdicts'
import type { SweepPoint } from '../stores/gradcheck'
import { colorOf, fmt } from './depth'
import { fmtLog } from '../format'

// The bands are the contract's (src-shared/verdicts), the ones the engine applies.
export { VERDICT_BANDS }

/** The band a relative error falls in (the same bands the engine applies to normRelError). */
export const verdictOf = verdictFor

const BAND_COLOR: Record<Verdict, string> = {
  great: '#1f8a4c',
  check: '#b7791f',
  concern: '#e8590c',
  wrong: '#c53030'
}

export { fmtLog }

const DTYPE_COLOR = { float64: '#2f6fdb', float32: '#d9534f' } as const

/** Worst relative error over the parameters against h, log–log, one line per dtype. */
export function hSweepOption(points: SweepPoint[]): EChartsCoreOption {
  const dtypes = (['float64', 'float32'] as const).filter((d) => points.some((p) => p.dtype === d))
  const tiny = 1e-16
  const hs = points.map((p) => p.h)
  const hMax = hs.length ? Math.max(...hs) : 1e-1
  const hMin = hs.length ? Math.min(...hs) : 1e-10
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    legend: { top: 0 },
    grid: { left: 70, right: 70, top: 36, bottom: 58 },
    xAxis: {
      type: 'log',
      name: 'h',
      nameLocation: 'middle',
      nameGap: 26,
      inverse: true,
      axisLabel: { formatter: fmtLog }
    },
    yAxis: { type: 'log', name: 'relative error ε', axisLabel: { formatter: fmtLog }, min: 1e-14 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 14, bottom: 6 }],
    series: [
      ...dtypes.map((d) => ({
        name: d,
        type: 'line',
        color: DTYPE_COLOR[d],
        symbolSize: 7,
        data: points
          .filter((p) => p.dtype === d)
          .sort((a, b) => b.h - a.h)
          .map((p) => [p.h, Math.max(p.normRelError, tiny)])
      })),
      // The verdict bands' edges as dotted lines across the whole h range.
      ...VERDICT_BANDS.filter((b) => Number.isFinite(b.below)).map((b) => ({
        name: `${b.verdict} below ${fmtLog(b.below)}`,
        type: 'line',
        symbol: 'none',
        silent: true,
        color: BAND_COLOR[b.verdict],
        lineStyle: { type: 'dotted', width: 1 },
        tooltip: { show: false },
        endLabel: { show: true, formatter: b.verdict, fontSize: 10 },
        data: [
          [hMax, b.below],
          [hMin, b.below]
        ]
      }))
    ]
  }
}

export function hSweepRows(points: SweepPoint[]): Record<string, string | number>[] {
  return points.map((p) => ({
    dtype: p.dtype,
    h: p.h,
    normRelError: p.normRelError,
    maxRelError: p.maxRelError,
    verdict: verdictOf(p.normRelError)
  }))
}

/** Exponent of the floor of the ε bars: ε at or below 1e-14 is drawn as a sliver at the floor. */
export const EPS_FLOOR_EXP = -14

/**
 * Each parameter's ε for several gradient checks as grouped bars (one colour per run), with the
 * verdict bands' edges as dotted lines, so A and B read against the same bands. The axis is
 * logarithmic in effect, but drawn as a value axis of decades above 1e-14: ECharts starts bars
 * on a log axis at 1, so small errors — the good ones — would hang from the top as long bars.
 */
export function paramErrorsOption(
  runs: { name: string; params: { name: string; eps: number }[] }[]
): EChartsCoreOption {
  const names = [...new Set(runs.flatMap((r) => r.params.map((p) => p.name)))]
  const height = (e: number): number => Math.max(0, Math.log10(e) - EPS_FLOOR_EXP)
  const toEps = (h: unknown): string =>
    typeof h === 'number' ? fmt(10 ** (h + EPS_FLOOR_EXP)) : String(h ?? '–')
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: toEps },
    legend: { top: 0 },
    grid: { left: 70, right: 112, top: 36, bottom: 40 },
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: {
      type: 'value',
      name: 'relative error ε',
      min: 0,
      max: -EPS_FLOOR_EXP,
      interval: 2,
      axisLabel: { formatter: (h: number) => fmtLog(10 ** (h + EPS_FLOOR_EXP)) }
    },
    series: runs.map((r, i) => ({
      name: r.name,
      type: 'bar',
      color: colorOf(i),
      barMinHeight: 2,
      data: names.map((n) => {
        const e = r.params.find((p) => p.name === n)?.eps
        // A missing ε is a gap; NaN or Infinity (no agreement at all) is drawn full height.
        if (e === undefined) return null
        return Number.isFinite(e) ? Math.min(height(e), -EPS_FLOOR_EXP) : -EPS_FLOOR_EXP
      }),
      ...(i === 0
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              label: { formatter: (p: { name: string }) => p.name, fontSize: 10 },
              data: VERDICT_BANDS.filter((b) => Number.isFinite(b.below)).map((b) => ({
                name: `${b.verdict} below ${fmtLog(b.below)}`,
                yAxis: height(b.below),
                lineStyle: { color: BAND_COLOR[b.verdict], type: 'dotted', width: 1 }
              }))
            }
          }
        : {})
    }))
  }
}

export function paramErrorsRows(
  runs: { name: string; params: { name: string; eps: number; verdict: Verdict }[] }[]
): Record<string, string | number>[] {
  return runs.flatMap((r) =>
    r.params.map((p) => ({ run: r.name, param: p.name, eps: p.eps, verdict: p.verdict }))
  )
}
