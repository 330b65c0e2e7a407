/**
 * Chart options of a preprocessing study, pure functions of its result (unit-tested without a
 * browser), each with a `…Rows` twin holding the same numbers for CSV/JSON export. A mode keeps
 * one colour in every chart (its index in the study).
 * - accuracy per mode: mean test accuracy (bars), its 95 % t interval (error bars) and every
 *   seed (dots); a mode without a result gets no bar and says so on its axis label;
 * - the learning-rate trials: validation accuracy against lr on a log axis, diverged trials as
 *   crosses on the axis floor, the rate each mode's seeds ran at as a diamond;
 * - the seeds' loss curves (log axis), one colour per mode.
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { StudyResult } from '../../../src-shared/results'
import { colorOf } from './depth'

const pct = (v: number): number => +(v * 100).toFixed(2)
/** An accuracy's interval end, kept inside [0, 1]. */
export const clip01 = (v: number): number => Math.min(1, Math.max(0, v))
/** An ×, for diverged trials. */
const CROSS_SYMBOL = 'path://M1,0L5,4L9,0L10,1L6,5L10,9L9,10L5,6L1,10L0,9L4,5L0,1Z'

export function studyAccuracyOption(r: StudyResult): EChartsCoreOption {
  const names = r.modes.map((m) => (m.mean ? m.mode : `${m.mode}\n(no result)`))
  const errorBars = r.modes.flatMap((m, i) =>
    m.ci95 && m.seeds.length >= 2
      ? [
          {
            name: '95 % interval',
            type: 'line',
            // An accuracy lies in [0, 100] %: the interval is drawn inside it.
            data: [
              [i, pct(clip01(m.ci95.testAcc[0]))],
              [i, pct(clip01(m.ci95.testAcc[1]))]
            ],
            symbol: 'rect',
            symbolSize: [14, 2],
            lineStyle: { color: '#222', width: 2 },
            itemStyle: { color: '#222' },
            z: 5,
            tooltip: { show: false }
          }
        ]
      : []
  )
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: { top: 0, data: ['mean test accuracy', 'seeds', '95 % interval'] },
    grid: { left: 56, right: 16, top: 34, bottom: 48 },
    xAxis: { type: 'category', data: names },
    yAxis: { type: 'value', name: 'test accuracy %', min: 0 },
    series: [
      {
        name: 'mean test accuracy',
        type: 'bar',
        barMaxWidth: 60,
        data: r.modes.map((m, i) =>
          m.mean
            ? { value: pct(m.mean.testAcc), itemStyle: { color: colorOf(i), opacity: 0.55 } }
            : null
        )
      },
      ...errorBars,
      {
        name: 'seeds',
        type: 'scatter',
        symbolSize: 7,
        itemStyle: { color: '#222' },
        data: r.modes.flatMap((m, i) =>
          m.mean ? m.seeds.map((s) => [i, pct(s.testAcc ?? 0)]) : []
        ),
        z: 6
      }
    ]
  }
}

export function studyAccuracyRows(r: StudyResult): Record<string, unknown>[] {
  return r.modes.map((m) => ({
    mode: m.mode,
    lr: m.bestLr,
    seeds: m.seeds.length,
    meanTest: m.mean?.testAcc ?? null,
    stdTest: m.std?.testAcc ?? null,
    ci95TestLow: m.ci95?.testAcc[0] ?? null,
    ci95TestHigh: m.ci95?.testAcc[1] ?? null,
    meanVal: m.mean?.valAcc ?? null,
    stdVal: m.std?.valAcc ?? null
  }))
}

export function studyTrialsOption(r: StudyResult): EChartsCoreOption {
  const series: Record<string, unknown>[] = []
  let divergedRows = 0
  r.modes.forEach((m, i) => {
    const ok = m.trials.filter((t) => t.valAcc !== null).sort((a, b) => a.lr - b.lr)
    series.push({
      name: m.mode,
      type: 'line',
      symbol: 'circle',
      symbolSize: 7,
      lineStyle: { width: 1, opacity: 0.5 },
      itemStyle: { color: colorOf(i) },
      data: ok.map((t) => [t.lr, pct(t.valAcc!)])
    })
    const bad = m.trials.filter((t) => t.valAcc === null)
    if (bad.length)
      series.push({
        name: 'diverged',
        type: 'scatter',
        symbol: CROSS_SYMBOL,
        symbolSize: 11,
        // The modes share the search's rates: each mode's crosses sit a row above the one
        // before (drawn only; the value stays 0), so two modes diverging at one rate show two.
        symbolOffset: [0, -12 * divergedRows++ || 0],
        itemStyle: { color: colorOf(i) },
        data: bad.map((t) => [t.lr, 0])
      })
    if (m.bestLr !== null) {
      const chosen = m.trials.find((t) => t.lr === m.bestLr)
      series.push({
        name: 'chosen rate',
        type: 'scatter',
        symbol: 'diamond',
        symbolSize: 16,
        itemStyle: { color: colorOf(i), borderColor: '#222', borderWidth: 1.5 },
        data: [[m.bestLr, chosen?.valAcc != null ? pct(chosen.valAcc) : 0]],
        z: 4
      })
    }
  })
  return {
    animation: false,
    tooltip: { trigger: 'item' },
    legend: {
      top: 0,
      data: [...r.modes.map((m) => m.mode), 'diverged', 'chosen rate']
    },
    grid: { left: 56, right: 24, top: 56, bottom: 44 },
    xAxis: {
      type: 'log',
      // The whole range searched, so an untried region shows as such.
      ...(r.search ? { min: r.search.lo, max: r.search.hi } : {}),
      name: 'learning rate',
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: (v: number) => v.toExponential(0).replace('e+', 'e') }
    },
    yAxis: { type: 'value', name: 'validation accuracy %', min: 0 },
    series
  }
}

export function studyTrialsRows(r: StudyResult): Record<string, unknown>[] {
  return r.modes.flatMap((m) =>
    m.trials.map((t) => ({
      mode: m.mode,
      round: t.round,
      lr: t.lr,
      status: t.status,
      reason: t.reason ?? null,
      valAcc: t.valAcc,
      chosen: t.lr === m.bestLr
    }))
  )
}

export function studyLossOption(r: StudyResult): EChartsCoreOption {
  const series = r.modes.flatMap((m, i) =>
    m.seeds.map((s) => ({
      name: m.mode,
      type: 'line',
      showSymbol: false,
      lineStyle: { width: 1.2, color: colorOf(i) },
      itemStyle: { color: colorOf(i) },
      data: s.losses.map((l, k) => [k + 1, Number.isFinite(l) && l > 0 ? l : null])
    }))
  )
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: r.modes.map((m) => m.mode) },
    grid: { left: 56, right: 16, top: 34, bottom: 44 },
    xAxis: { type: 'value', name: 'iteration', nameLocation: 'middle', nameGap: 26, min: 1 },
    yAxis: { type: 'log', name: 'loss' },
    series
  }
}

export function studyLossRows(r: StudyResult): Record<string, unknown>[] {
  return r.modes.flatMap((m) =>
    m.seeds.flatMap((s) =>
      s.losses.map((loss, k) => ({ mode: m.mode, seed: s.seed, iter: k + 1, loss }))
    )
  )
}
