/** Sanity-check charts: loss against regularization strength, and the overfitting curve. */
import type { EChartsCoreOption } from 'echarts/core'
import { colorOf, fmt } from './depth'

/** Loss at each regularization strength (a category axis: the sweep includes 0). */
export function regSweepOption(values: { reg: number; loss: number }[]): EChartsCoreOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    grid: { left: 70, right: 20, top: 24, bottom: 58 },
    xAxis: {
      type: 'category',
      name: 'regularization strength',
      nameLocation: 'middle',
      nameGap: 26,
      data: values.map((v) => String(v.reg))
    },
    yAxis: { type: 'value', name: 'loss', scale: true, axisLabel: { formatter: fmt } },
    legend: { top: 0 },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 14, bottom: 6 }],
    series: [
      {
        name: 'loss',
        type: 'line',
        symbolSize: 7,
        data: values.map((v) => v.loss),
        color: '#2f6fdb'
      }
    ]
  }
}

/** Loss (left axis) and train accuracy in % (right axis) per epoch, from init. */
export function overfitCurveOption(
  curve: { epoch: number; loss: number; trainAcc: number }[]
): EChartsCoreOption {
  return overfitCurvesOption([{ name: '', curve }])
}

/**
 * Several runs' overfitting curves on the same axes: loss solid, train accuracy dashed, one
 * colour per run (its palette index). A single unnamed run keeps the view's own red/green pair.
 */
export function overfitCurvesOption(
  runs: { name: string; curve: { epoch: number; loss: number; trainAcc: number }[] }[]
): EChartsCoreOption {
  const single = runs.length === 1 && !runs[0]!.name
  return {
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: fmt },
    legend: { top: 0 },
    grid: { left: 60, right: 60, top: 36, bottom: 58 },
    xAxis: {
      type: 'value',
      name: 'epoch',
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1,
      min: 0
    },
    yAxis: [
      { type: 'value', name: 'loss', min: 0, axisLabel: { formatter: fmt } },
      { type: 'value', name: 'train accuracy %', min: 0, max: 100, splitLine: { show: false } }
    ],
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 14, bottom: 6 }],
    series: runs.flatMap((r, i) => [
      {
        name: single ? 'loss' : `${r.name} · loss`,
        type: 'line',
        color: single ? '#d9534f' : colorOf(i),
        symbolSize: 6,
        data: r.curve.map((p) => [p.epoch, p.loss])
      },
      {
        name: single ? 'train accuracy' : `${r.name} · train accuracy`,
        type: 'line',
        yAxisIndex: 1,
        color: single ? '#2a9d5c' : colorOf(i),
        symbolSize: 6,
        ...(single ? {} : { symbol: 'triangle', lineStyle: { type: 'dashed' } }),
        data: r.curve.map((p) => [p.epoch, +(p.trainAcc * 100).toFixed(2)])
      }
    ])
  }
}

export function overfitCurvesRows(
  runs: { name: string; curve: { epoch: number; loss: number; trainAcc: number }[] }[]
): Record<string, string | number>[] {
  return runs.flatMap((r) =>
    r.curve.map((p) => ({ run: r.name, epoch: p.epoch, loss: p.loss, trainAcc: p.trainAcc }))
  )
}
