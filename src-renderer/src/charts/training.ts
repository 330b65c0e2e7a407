/**
 * Training charts as pure option builders: loss per iteration (raw, faint, and smoothed) and
 * accuracy per epoch for several runs overlaid, and layer × step heatmaps of the per-layer
 * statistics. Each has a `…Rows` twin for CSV/JSON export.
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { TrainEpoch } from '../../../src-shared/results'
import { colorOf } from './depth'

export interface CurveRun {
  name: string
  /** Palette index (keeps a run's colour across charts). */
  color: number
  losses: number[]
  epochs: TrainEpoch[]
  itersPerEpoch?: number
  lrChanges?: { iter: number; lr: number }[]
  /** Where a diverged run blew up. */
  diverged?: { iteration: number; layer: number; where: string } | null
}

/**
 * Exponential moving average with bias correction (TensorBoard's smoothing): weight `alpha`
 * on the past, 0 = raw. Non-finite values pass through and do not poison what follows.
 */
export function smooth(values: number[], alpha: number): (number | null)[] {
  if (alpha <= 0) return values.map((v) => (Number.isFinite(v) ? v : null))
  let acc = 0
  let weight = 0
  return values.map((v) => {
    if (!Number.isFinite(v)) return null
    acc = alpha * acc + (1 - alpha) * v
    weight = alpha * weight + (1 - alpha)
    return acc / weight
  })
}

/** Keep at most `max` points (every k-th, always the last) so long runs draw fast. */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points
  const k = Math.ceil(points.length / max)
  const out = points.filter((_, i) => i % k === 0)
  if ((points.length - 1) % k !== 0) out.push(points.at(-1)!)
  return out
}

const MAX_POINTS = 2000

export function lossOption(
  runs: CurveRun[],
  opts: { smoothing: number; log?: boolean }
): EChartsCoreOption {
  const series: Record<string, unknown>[] = []
  for (const r of runs) {
    const color = colorOf(r.color)
    const raw = r.losses.map((l, i) => [i + 1, Number.isFinite(l) ? l : null] as const)
    const sm = smooth(r.losses, opts.smoothing).map((l, i) => [i + 1, l] as const)
    const marks: Record<string, unknown>[] = (r.lrChanges ?? []).map((c) => ({
      xAxis: c.iter,
      label: { formatter: `lr ${c.lr.toPrecision(2)}`, position: 'insideEndTop' }
    }))
    if (r.diverged)
      marks.push({
        xAxis: r.diverged.iteration,
        lineStyle: { color: '#c53030', type: 'solid', width: 2 },
        label: {
          formatter: `diverged: iter ${r.diverged.iteration}, layer ${r.diverged.layer}`,
          color: '#c53030',
          position: 'insideEndTop'
        }
      })
    if (opts.smoothing > 0)
      series.push({
        name: r.name,
        type: 'line',
        showSymbol: false,
        silent: true,
        lineStyle: { width: 1, opacity: 0.25, color },
        itemStyle: { color },
        data: thin(raw as unknown as [number, number | null][], MAX_POINTS),
        tooltip: { show: false }
      })
    series.push({
      name: r.name,
      type: 'line',
      showSymbol: false,
      lineStyle: { width: 2, color },
      itemStyle: { color },
      data: thin(sm as unknown as [number, number | null][], MAX_POINTS),
      markLine: marks.length
        ? { symbol: 'none', lineStyle: { type: 'dashed', color }, data: marks, animation: false }
        : undefined
    })
  }
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => fmtNum(v) },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 60, right: 24, top: 34, bottom: 56 },
    xAxis: { type: 'value', name: 'iteration', nameLocation: 'middle', nameGap: 26, min: 1 },
    yAxis: {
      type: opts.log ? 'log' : 'value',
      name: 'loss',
      scale: true,
      axisLabel: { formatter: (v: number) => fmtNum(v) }
    },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 14, bottom: 6 }],
    series
  }
}

function fmtNum(v: unknown): string {
  if (typeof v !== 'number') return '–'
  const a = Math.abs(v)
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(+v.toPrecision(4))
}

export function lossRows(runs: CurveRun[], smoothing: number): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = []
  for (const r of runs) {
    const sm = smooth(r.losses, smoothing)
    r.losses.forEach((l, i) =>
      rows.push({ run: r.name, iter: i + 1, loss: l, smoothed: sm[i] ?? '' })
    )
  }
  return rows
}

/** Training (dashed) and validation (solid) accuracy per epoch. */
export function accuracyOption(runs: CurveRun[]): EChartsCoreOption {
  const series: Record<string, unknown>[] = []
  for (const r of runs) {
    const color = colorOf(r.color)
    series.push({
      name: r.name,
      type: 'line',
      symbolSize: 6,
      lineStyle: { width: 2, color },
      itemStyle: { color },
      data: r.epochs.map((e) => [e.epoch, e.valAcc])
    })
    series.push({
      name: r.name,
      type: 'line',
      symbol: 'emptyCircle',
      symbolSize: 5,
      lineStyle: { width: 1.5, type: 'dashed', color },
      itemStyle: { color },
      data: r.epochs.map((e) => [e.epoch, e.trainAcc])
    })
  }
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '–')
    },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 56, right: 24, top: 34, bottom: 40 },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
    yAxis: {
      type: 'value',
      name: 'accuracy',
      min: 0,
      max: 1,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)} %` }
    },
    series
  }
}

export function accuracyRows(runs: CurveRun[]): Record<string, string | number | null>[] {
  return runs.flatMap((r) =>
    r.epochs.map((e) => ({
      run: r.name,
      epoch: e.epoch,
      iter: e.iter,
      loss: e.loss,
      trainAcc: e.trainAcc,
      valAcc: e.valAcc,
      lr: e.lr
    }))
  )
}

/**
 * Layer × step heatmap: x = the iteration of each statistics row, y = layer block 1…L; the
 * colour is log10 of the value (std and gradient norms span decades). Non-finite cells are
 * left out (a diverged step shows as a gap). The colour scale spans whole decades and is
 * labelled only at its two ends (1e-2 … 1e1); its title sits above it, clear of the labels.
 */
export function layerHeatmapOption(
  iters: number[],
  matrix: number[][],
  opts: { name: string }
): EChartsCoreOption {
  const layers = matrix[0]?.length ?? 0
  const data: [number, number, number, number][] = []
  let lo = Infinity
  let hi = -Infinity
  matrix.forEach((row, s) =>
    row.forEach((v, l) => {
      if (!(v > 0) || !Number.isFinite(v)) return
      const lg = Math.log10(v)
      lo = Math.min(lo, lg)
      hi = Math.max(hi, lg)
      data.push([s, l, lg, v])
    })
  )
  if (!Number.isFinite(lo)) {
    lo = 0
    hi = 1
  }
  lo = Math.floor(lo)
  hi = Math.max(Math.ceil(hi), lo + 1)
  return {
    animation: false,
    tooltip: {
      position: 'top',
      formatter: (p: { value: [number, number, number, number] }) =>
        `iter ${iters[p.value[0]]}, layer ${p.value[1] + 1}<br>${opts.name} ${fmtNum(p.value[3])}`
    },
    grid: { left: 64, right: 90, top: 30, bottom: 44 },
    xAxis: {
      type: 'category',
      data: iters,
      name: 'iteration',
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { hideOverlap: true }
    },
    yAxis: {
      type: 'category',
      data: Array.from({ length: layers }, (_, l) =>
        l === layers - 1 ? `${l + 1} (scores)` : `${l + 1}`
      ),
      name: 'layer'
    },
    visualMap: {
      min: lo,
      max: hi,
      dimension: 2,
      calculable: false,
      orient: 'vertical',
      right: 24,
      top: 40,
      itemHeight: 120,
      text: [`1e${hi}`, `1e${lo}`],
      textGap: 6,
      inRange: { color: ['#0d0887', '#7e03a8', '#cc4778', '#f89540', '#f0f921'] }
    },
    title: {
      text: opts.name,
      right: 4,
      top: 8,
      textStyle: { fontSize: 11, fontWeight: 'normal', color: '#8a8f98' }
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }],
    series: [{ type: 'heatmap', name: opts.name, data, progressive: 0 }]
  }
}

export function layerHeatmapRows(
  iters: number[],
  matrix: number[][],
  name: string
): Record<string, number>[] {
  return matrix.flatMap((row, s) =>
    row.map((v, l) => ({ iter: iters[s]!, layer: l + 1, [name]: v }))
  )
}
