/**
 * Histogram chart options, built as a pure function of the data (unit-tested without a browser).
 * Bars sit between their edges; the tooltip gives the bin range and count.
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { Histogram } from '../../../src-shared/contract'

export interface HistogramSeries {
  name: string
  hist: Histogram
}

export function binCentres(edges: number[]): number[] {
  return edges.slice(0, -1).map((e, i) => (e + edges[i + 1]!) / 2)
}

/** One or more histograms over the same edges, overlaid (bars, semi-transparent). */
export function histogramOption(
  series: HistogramSeries[],
  opts: { title?: string; xLabel?: string; normalize?: boolean } = {}
): EChartsCoreOption {
  const first = series[0]
  const centres = first ? binCentres(first.hist.edges) : []
  const width =
    first && first.hist.edges.length > 1 ? first.hist.edges[1]! - first.hist.edges[0]! : 1
  return {
    animation: false,
    title: opts.title
      ? { text: opts.title, left: 'center', textStyle: { fontSize: 13 } }
      : undefined,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: series.length > 1 ? { top: 22 } : undefined,
    grid: { left: 56, right: 16, top: series.length > 1 ? 52 : 36, bottom: 40 },
    xAxis: {
      type: 'category',
      data: centres.map((c) => +c.toPrecision(3)),
      name: opts.xLabel,
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { hideOverlap: true }
    },
    yAxis: { type: 'value', name: opts.normalize ? 'density' : 'count' },
    dataZoom: [{ type: 'inside' }],
    series: series.map((s) => {
      const total = s.hist.counts.reduce((a, b) => a + b, 0) || 1
      return {
        name: s.name,
        type: 'bar',
        barGap: '-100%',
        barCategoryGap: '0%',
        itemStyle: { opacity: series.length > 1 ? 0.55 : 0.9 },
        data: s.hist.counts.map((c) => (opts.normalize ? c / (total * width) : c))
      }
    })
  }
}

/** The same data as rows, for CSV/JSON export. */
export function histogramRows(series: HistogramSeries[]): Record<string, number | string>[] {
  const rows: Record<string, number | string>[] = []
  for (const s of series) {
    s.hist.counts.forEach((count, i) => {
      rows.push({ series: s.name, from: s.hist.edges[i]!, to: s.hist.edges[i + 1]!, count })
    })
  }
  return rows
}
