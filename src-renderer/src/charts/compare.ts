/** Final accuracies of a comparison's runs as grouped bars (validation and test per mode). */
import type { EChartsCoreOption } from 'echarts/core'

export function finalAccuracyOption(
  runs: { name: string; valAcc: number | null; testAcc: number | null }[]
): EChartsCoreOption {
  const pct = (v: number | null): number | null => (v === null ? null : +(v * 100).toFixed(2))
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v} %` },
    legend: { top: 0 },
    grid: { left: 50, right: 12, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: runs.map((r) => r.name) },
    yAxis: { type: 'value', name: 'accuracy %', min: 0 },
    series: [
      {
        name: 'validation',
        type: 'bar',
        data: runs.map((r) => pct(r.valAcc)),
        label: { show: true, position: 'top' }
      },
      {
        name: 'test',
        type: 'bar',
        data: runs.map((r) => pct(r.testAcc)),
        label: { show: true, position: 'top' }
      }
    ]
  }
}
