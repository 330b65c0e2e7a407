/**
 * Final accuracies of a comparison's runs as grouped bars (validation and test per mode). A run
 * that diverged (or failed) has no accuracy to rank: no bar, and its axis label says why.
 */
import type { EChartsCoreOption } from 'echarts/core'

export interface FinalAccuracyRun {
  name: string
  valAcc: number | null
  testAcc: number | null
  /** 'diverged', 'failed', … : anything but completed/stopped shows no bar. */
  status?: string
}

const trained = (r: FinalAccuracyRun): boolean =>
  r.status === undefined || r.status === 'completed' || r.status === 'stopped'

export function finalAccuracyOption(runs: FinalAccuracyRun[]): EChartsCoreOption {
  const pct = (r: FinalAccuracyRun, v: number | null): number | null =>
    v === null || !trained(r) ? null : +(v * 100).toFixed(2)
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '–' : `${v} %`) },
    legend: { top: 0 },
    grid: { left: 50, right: 12, top: 30, bottom: 44 },
    xAxis: {
      type: 'category',
      data: runs.map((r) => (trained(r) ? r.name : `${r.name}\n(${r.status ?? 'no result'})`))
    },
    yAxis: { type: 'value', name: 'accuracy %', min: 0 },
    series: [
      {
        name: 'validation',
        type: 'bar',
        data: runs.map((r) => pct(r, r.valAcc)),
        label: { show: true, position: 'top' }
      },
      {
        name: 'test',
        type: 'bar',
        data: runs.map((r) => pct(r, r.testAcc)),
        label: { show: true, position: 'top' }
      }
    ]
  }
}
