/**
 * Dataset charts as pure option builders: images per class (train and test side by side) and
 * per-channel pixel histograms (before/after preprocessing).
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { ChannelHistograms } from '../../../src-shared/datasets'
import { binCentres } from './histogram'

export const CHANNEL_COLORS = ['#d64545', '#2f9e44', '#2f6fdb'] as const
const CHANNELS = ['R', 'G', 'B'] as const

export function classCountsOption(
  classes: string[],
  train: number[],
  test: number[]
): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 48, right: 12, top: 30, bottom: 48 },
    xAxis: { type: 'category', data: classes, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', name: 'images', minInterval: 1 },
    series: [
      { name: 'train', type: 'bar', data: train, label: { show: true, position: 'top' } },
      { name: 'test', type: 'bar', data: test, label: { show: true, position: 'top' } }
    ]
  }
}

export function classCountRows(
  classes: string[],
  train: number[],
  test: number[]
): Record<string, string | number>[] {
  return classes.map((c, i) => ({ class: c, label: i, train: train[i] ?? 0, test: test[i] ?? 0 }))
}

/** The three channels' histograms over shared edges, as lines (a density when `normalize`). */
export function channelHistogramOption(
  h: ChannelHistograms,
  opts: { xLabel?: string; normalize?: boolean } = {}
): EChartsCoreOption {
  const centres = binCentres(h.edges)
  const width = h.edges.length > 1 ? h.edges[1]! - h.edges[0]! : 1
  // One row: values without colour channels (pca's K components): no legend, a neutral colour.
  const single = h.counts.length === 1
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: single ? undefined : { top: 0 },
    grid: { left: 60, right: 16, top: 30, bottom: 44 },
    xAxis: {
      type: 'value',
      name: opts.xLabel,
      nameLocation: 'middle',
      nameGap: 26,
      min: h.edges[0],
      max: h.edges.at(-1),
      // The range ends are data values (e.g. 19.546047894669364): 3 significant digits.
      axisLabel: { hideOverlap: true, formatter: (v: number) => String(Number(v.toPrecision(3))) }
    },
    yAxis: { type: 'value', name: opts.normalize ? 'density' : single ? 'values' : 'pixels' },
    dataZoom: [{ type: 'inside' }],
    series: h.counts.map((counts, c) => {
      const total = counts.reduce((a, b) => a + b, 0) || 1
      return {
        name: single ? 'all values' : (CHANNELS[c] ?? `channel ${c}`),
        type: 'line',
        step: 'middle',
        symbol: 'none',
        lineStyle: { width: 1.5, color: single ? '#555' : CHANNEL_COLORS[c] },
        itemStyle: { color: single ? '#555' : CHANNEL_COLORS[c] },
        areaStyle: { opacity: 0.08 },
        data: counts.map((n, i) => [centres[i]!, opts.normalize ? n / (total * width) : n])
      }
    })
  }
}

export function channelHistogramRows(
  h: ChannelHistograms,
  stage: string
): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = []
  h.counts.forEach((counts, c) =>
    counts.forEach((count, i) =>
      rows.push({
        stage,
        channel: h.counts.length === 1 ? 'all' : (CHANNELS[c] ?? c),
        from: h.edges[i]!,
        to: h.edges[i + 1]!,
        count
      })
    )
  )
  return rows
}
