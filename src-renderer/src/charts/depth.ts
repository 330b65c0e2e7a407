/**
 * Chart options of the Depth view, each a pure function of the runs (unit-tested without a
 * browser), with a matching `…Rows` function giving the same numbers for CSV/JSON export.
 * Runs keep one colour across charts (their index in the palette).
 */
import { fmtLog } from '../format'
import type { EChartsCoreOption } from 'echarts/core'
import type { Histogram } from '../../../src-shared/contract'
import type { DepthResult } from '../../../src-shared/results'
import { binCentres } from './histogram'

export const PALETTE = [
  '#2f6fdb',
  '#d9534f',
  '#2a9d5c',
  '#b7791f',
  '#8a4fd1',
  '#1a9ab0',
  '#d6336c',
  '#6b7a2a',
  '#e8590c',
  '#495057',
  '#0c8599',
  '#9c36b5'
]

export function colorOf(i: number): string {
  return PALETTE[i % PALETTE.length]!
}

export interface NamedRun {
  name: string
  result: DepthResult
}

/** A value for a log axis: positive finite numbers only (ECharts cannot place 0 there). */
function onLog(v: number, log: boolean): number | null {
  if (!Number.isFinite(v)) return null
  return log && v <= 0 ? null : v
}

const ZOOM = [
  { type: 'inside', xAxisIndex: 0 },
  { type: 'slider', xAxisIndex: 0, height: 14, bottom: 6 }
]

/** Axis and tooltip numbers: 4 significant digits, exponent form when tiny or huge. */
export function fmt(v: unknown): string {
  if (typeof v !== 'number') return String(v ?? '–')
  if (v === 0) return '0'
  const a = Math.abs(v)
  return a >= 1e-3 && a < 1e4 ? String(+v.toPrecision(4)) : v.toExponential(2).replace('e+', 'e')
}

/** Counts on an axis: 1200 → "1.2k", 300000 → "300k". */
export function fmtCount(v: number): string {
  return Math.abs(v) >= 1000 ? `${+(v / 1000).toPrecision(3)}k` : String(v)
}

const axisTooltip = {
  trigger: 'axis',
  valueFormatter: fmt
}

/** std of each layer's activations (layer 0 = the input), one line per run. */
export function stdByLayerOption(runs: NamedRun[], opts: { log: boolean }): EChartsCoreOption {
  return {
    animation: false,
    color: runs.map((_, i) => colorOf(i)),
    tooltip: axisTooltip,
    legend: { type: 'scroll', top: 0 },
    grid: { left: 64, right: 20, top: 36, bottom: 58 },
    xAxis: {
      type: 'value',
      name: 'layer (0 = input)',
      nameLocation: 'middle',
      nameGap: 24,
      minInterval: 1,
      min: 0
    },
    yAxis: {
      type: opts.log ? 'log' : 'value',
      name: 'std of activations',
      axisLabel: { formatter: opts.log ? fmtLog : fmt }
    },
    dataZoom: ZOOM,
    series: runs.map((r) => ({
      name: r.name,
      type: 'line',
      symbolSize: 6,
      data: [
        [0, onLog(r.result.input.std, opts.log)],
        ...r.result.layers.map((l) => [l.layer, onLog(l.std, opts.log)])
      ]
    }))
  }
}

export function stdByLayerRows(runs: NamedRun[]): Record<string, string | number>[] {
  return runs.flatMap((r) => [
    { run: r.name, layer: 0, mean: r.result.input.mean, std: r.result.input.std },
    ...r.result.layers.map((l) => ({ run: r.name, layer: l.layer, mean: l.mean, std: l.std }))
  ])
}

/** std of ∂L/∂W_l (solid) and ∂L/∂H_{l−1} (dashed) per layer, log scale by default. */
export function gradByLayerOption(runs: NamedRun[], opts: { log: boolean }): EChartsCoreOption {
  return {
    animation: false,
    tooltip: axisTooltip,
    legend: { type: 'scroll', top: 0 },
    grid: { left: 64, right: 20, top: 36, bottom: 58 },
    xAxis: {
      type: 'value',
      name: 'layer',
      nameLocation: 'middle',
      nameGap: 24,
      minInterval: 1,
      min: 1
    },
    yAxis: {
      type: opts.log ? 'log' : 'value',
      // Beside the axis, not above it, where the (long) legend runs.
      name: 'gradient std',
      nameLocation: 'middle',
      nameRotate: 90,
      nameGap: 48,
      axisLabel: { formatter: opts.log ? fmtLog : fmt }
    },
    dataZoom: ZOOM,
    series: runs.flatMap((r, i) => [
      {
        name: `${r.name} · ∂L/∂W`,
        type: 'line',
        color: colorOf(i),
        symbol: 'circle',
        symbolSize: 6,
        data: r.result.layers.map((l) => [l.layer, onLog(l.dW.std, opts.log)])
      },
      {
        name: `${r.name} · ∂L/∂H`,
        type: 'line',
        color: colorOf(i),
        symbol: 'triangle',
        symbolSize: 6,
        lineStyle: { type: 'dashed' },
        data: r.result.layers.map((l) => [l.layer, onLog(l.dX.std, opts.log)])
      }
    ])
  }
}

export function gradByLayerRows(runs: NamedRun[]): Record<string, string | number>[] {
  return runs.flatMap((r) =>
    r.result.layers.map((l) => ({
      run: r.name,
      layer: l.layer,
      dW_mean: l.dW.mean,
      dW_std: l.dW.std,
      dH_mean: l.dX.mean,
      dH_std: l.dX.std
    }))
  )
}

/** Saturated entries (solid) and dead units (dashed) per layer, in percent. */
export function fractionsOption(runs: NamedRun[]): EChartsCoreOption {
  const pct = (v: number): number => +(v * 100).toFixed(4)
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${fmt(v)} %` },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 56, right: 20, top: 36, bottom: 58 },
    xAxis: {
      type: 'value',
      name: 'layer',
      nameLocation: 'middle',
      nameGap: 24,
      minInterval: 1,
      min: 1
    },
    yAxis: { type: 'value', name: '%', min: 0, max: 100 },
    dataZoom: ZOOM,
    series: runs.flatMap((r, i) => [
      {
        name: `${r.name} · saturated`,
        type: 'line',
        color: colorOf(i),
        symbolSize: 6,
        data: r.result.layers.map((l) => [l.layer, pct(l.saturated)])
      },
      {
        name: `${r.name} · dead`,
        type: 'line',
        color: colorOf(i),
        symbol: 'triangle',
        symbolSize: 6,
        lineStyle: { type: 'dashed' },
        data: r.result.layers.map((l) => [l.layer, pct(l.dead)])
      }
    ])
  }
}

export function fractionsRows(runs: NamedRun[]): Record<string, string | number>[] {
  return runs.flatMap((r) =>
    r.result.layers.map((l) => ({
      run: r.name,
      layer: l.layer,
      saturated: l.saturated,
      dead: l.dead
    }))
  )
}

/** Which layers the small multiples show: all up to `max`, else evenly spaced ones (first and last kept). */
export function pickLayers(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i + 1)
  return Array.from({ length: max }, (_, i) => 1 + Math.round((i * (count - 1)) / (max - 1)))
}

/**
 * Small multiples, one histogram per layer as in the lecture's figure: a grid of panels
 * (`columns` across), each with its own axes and the layer's mean and std in its title.
 */
export function layerHistogramsOption(
  result: DepthResult,
  opts: { columns?: number; maxPanels?: number; color?: string } = {}
): { option: EChartsCoreOption; height: number } {
  const layers = pickLayers(result.layers.length, opts.maxPanels ?? 20)
    .map((n) => result.layers[n - 1])
    .filter((l) => l !== undefined)
  const cols = Math.max(1, Math.min(opts.columns ?? 5, layers.length))
  const rows = Math.ceil(layers.length / cols)
  const cellH = 150
  const height = rows * cellH + 16
  const w = 100 / cols
  const cell = (i: number) => ({ c: i % cols, r: Math.floor(i / cols) })
  return {
    height,
    option: {
      animation: false,
      color: [opts.color ?? colorOf(0)],
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v: unknown) => `${fmt(v)} entries`
      },
      title: layers.map((l, i) => ({
        text: `layer ${l.layer} · std ${fmt(+l.std.toPrecision(3))}`,
        left: `${cell(i).c * w + w / 2}%`,
        top: cell(i).r * cellH + 4,
        textAlign: 'center',
        textStyle: { fontSize: 11, fontWeight: 'normal' }
      })),
      grid: layers.map((_, i) => ({
        left: `${cell(i).c * w + 3}%`,
        width: `${w - 5}%`,
        top: cell(i).r * cellH + 30,
        height: cellH - 58
      })),
      xAxis: layers.map((l, i) => ({
        type: 'category',
        gridIndex: i,
        data: binCentres(l.hist.edges).map((c) => +c.toPrecision(3)),
        axisLabel: { fontSize: 9, hideOverlap: true },
        axisTick: { show: false }
      })),
      yAxis: layers.map((_, i) => ({
        type: 'value',
        gridIndex: i,
        axisLabel: { fontSize: 9, formatter: fmtCount },
        splitNumber: 2
      })),
      dataZoom: [{ type: 'inside', xAxisIndex: layers.map((_, i) => i) }],
      series: layers.map((l, i) => ({
        name: `layer ${l.layer}`,
        type: 'bar',
        xAxisIndex: i,
        yAxisIndex: i,
        barCategoryGap: '0%',
        data: l.hist.counts
      }))
    }
  }
}

export function layerHistogramsRows(run: NamedRun): Record<string, string | number>[] {
  return run.result.layers.flatMap((l) =>
    l.hist.counts.map((count, i) => ({
      run: run.name,
      layer: l.layer,
      from: l.hist.edges[i]!,
      to: l.hist.edges[i + 1]!,
      count
    }))
  )
}

/**
 * Histograms over different bin edges compared as densities (count / (total · bin width)), drawn
 * as filled step lines on a shared value axis so two runs' layers line up.
 */
export function histogramOverlayOption(
  series: { name: string; hist: Histogram; color?: string }[],
  opts: { xLabel?: string } = {}
): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    legend: { top: 0 },
    grid: { left: 64, right: 20, top: 36, bottom: 58 },
    xAxis: {
      type: 'value',
      name: opts.xLabel ?? 'activation value',
      nameLocation: 'middle',
      nameGap: 24,
      scale: true
    },
    yAxis: { type: 'value', name: 'density' },
    dataZoom: ZOOM,
    series: series.map((s, i) => ({
      name: s.name,
      type: 'line',
      step: 'middle',
      symbol: 'none',
      color: s.color ?? colorOf(i),
      areaStyle: { opacity: 0.25 },
      data: densityPoints(s.hist)
    }))
  }
}

/** [bin centre, density] pairs; density integrates to 1 over the bins. */
export function densityPoints(h: Histogram): [number, number][] {
  const total = h.counts.reduce((a, b) => a + b, 0) || 1
  return binCentres(h.edges).map((c, i) => {
    const width = h.edges[i + 1]! - h.edges[i]! || 1
    return [c, h.counts[i]! / (total * width)]
  })
}

export interface HeatCell {
  row: string
  col: string
  value: number | null
}

/**
 * A heatmap of one number per (activation, init) cell on a log colour scale (log10 of the
 * value), so 1e-7 and 1 both read; the label and tooltip show the number itself.
 */
export function gridHeatmapOption(
  rows: string[],
  cols: string[],
  cells: HeatCell[],
  opts: { name: string }
): EChartsCoreOption {
  const logs = cells
    .map((c) => (c.value !== null && c.value > 0 ? Math.log10(c.value) : null))
    .filter((v): v is number => v !== null)
  const lo = logs.length ? Math.floor(Math.min(...logs)) : -1
  const hi = logs.length ? Math.ceil(Math.max(...logs)) : 1
  return {
    animation: false,
    tooltip: {
      formatter: (p: { data: [number, number, number | null, number | null] }) =>
        `${rows[p.data[1]]} + ${cols[p.data[0]]}<br/>${opts.name}: ${fmt(p.data[3])}`
    },
    grid: { left: 96, right: 96, top: 16, bottom: 40 },
    xAxis: {
      type: 'category',
      data: cols,
      name: 'init',
      nameLocation: 'middle',
      nameGap: 26,
      splitArea: { show: true }
    },
    yAxis: { type: 'category', data: rows, splitArea: { show: true } },
    visualMap: {
      min: lo === hi ? lo - 1 : lo,
      max: hi,
      calculable: true,
      orient: 'vertical',
      right: 4,
      top: 'middle',
      formatter: (v: number) => `1e${Math.round(v)}`,
      dimension: 2,
      inRange: { color: ['#313695', '#4575b4', '#74add1', '#fee090', '#f46d43', '#a50026'] }
    },
    series: [
      {
        name: opts.name,
        type: 'heatmap',
        label: { show: true, formatter: (p: { data: unknown[] }) => fmt(p.data[3]), fontSize: 11 },
        data: cells.map((c) => [
          cols.indexOf(c.col),
          rows.indexOf(c.row),
          c.value !== null && c.value > 0 ? Math.log10(c.value) : null,
          c.value
        ])
      }
    ]
  }
}
