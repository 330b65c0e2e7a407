/** Sanity-check charts: loss against regularization strength, and the overfitting curve. */
import type { EChartsCoreOption } from 'echarts/core'
import { fmt } from './depth'

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
    series: [
      {
        name: 'loss',
        type: 'line',
        color: '#d9534f',
        symbolSize: 6,
        data: curve.map((p) => [p.epoch, p.loss])
      },
      {
        name: 'train accuracy',
        type: 'line',
        yAxisIndex: 1,
        color: '#2a9d5c',
        symbolSize: 6,
        data: curve.map((p) => [p.epoch, +(p.trainAcc * 100).toFixed(2)])
      }
    ]
  }
}
