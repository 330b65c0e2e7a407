/**
 * Chart options for the Preprocessing view's pictures, as pure builders: the two-feature scatter
 * at each stage (raw → zero-centred → normalized, decorrelated → whitened), pca's eigenvalue
 * spectrum on a log axis and its cumulative explained variance.
 */
import type { EChartsCoreOption } from 'echarts/core'
import type { PreprocessPicturesJson, ScatterStageJson } from '../../../src-shared/datasets'

export type ScatterStageName = 'raw' | 'centred' | 'normalized' | 'decorrelated' | 'whitened'
export const SCATTER_STAGES: readonly ScatterStageName[] = [
  'raw',
  'centred',
  'normalized',
  'decorrelated',
  'whitened'
]
export const STAGE_TITLES: Record<ScatterStageName, string> = {
  raw: 'Original data',
  centred: 'Zero-centred',
  normalized: 'Normalized',
  decorrelated: 'Decorrelated (PCA-rotated)',
  whitened: 'Whitened'
}

const CHANNEL = ['R', 'G', 'B'] as const

/** "R(16,15)": the channel and (row, column) of a pixel feature. */
export function featureName(f: { channel: number; row: number; col: number }): string {
  return `${CHANNEL[f.channel] ?? f.channel}(${f.row},${f.col})`
}

/** Axis names of a stage: pixel features before the rotation, principal axes after. */
export function stageAxes(
  scatter: PreprocessPicturesJson['scatter'],
  stage: ScatterStageName
): [string, string] {
  const [a, b] = scatter.features
  if (stage === 'decorrelated' || stage === 'whitened')
    return ['principal axis 1', 'principal axis 2']
  if (!a || !b) return ['x', 'y']
  return [featureName(a), featureName(b)]
}

/**
 * The square axis range of a stage: raw bytes on 0…255; every other stage symmetric about 0
 * with the same range on both axes, so a round cloud looks round and an elongated one elongated.
 */
export function stageRange(stage: ScatterStageName, s: ScatterStageJson): [number, number] {
  if (stage === 'raw') return [0, 255]
  let r = 0
  for (const v of s.x) r = Math.max(r, Math.abs(v))
  for (const v of s.y) r = Math.max(r, Math.abs(v))
  const nice = niceCeil(r || 1)
  return [-nice, nice]
}

/** The smallest of 1, 2, 3, 4, 5, 6, 8 × 10ᵏ that is ≥ x (its half is a round tick step). */
export function niceCeil(x: number): number {
  const e = Math.pow(10, Math.floor(Math.log10(x)))
  for (const m of [1, 2, 3, 4, 5, 6, 8, 10]) if (m * e >= x * (1 - 1e-12)) return m * e
  return 10 * e
}

export function scatterStageOption(
  scatter: PreprocessPicturesJson['scatter'],
  stage: ScatterStageName
): EChartsCoreOption {
  const s = scatter[stage]
  const [lo, hi] = stageRange(stage, s)
  const [xName, yName] = stageAxes(scatter, stage)
  const axis = (name: string) => ({
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 24,
    min: lo,
    max: hi,
    // Ticks at 0, ±half, ±full (raw: every 50, without a "255" crowding "250").
    interval: stage === 'raw' ? 50 : hi / 2,
    axisLabel: { fontSize: 10, hideOverlap: true, showMaxLabel: stage !== 'raw' }
  })
  return {
    animation: false,
    grid: { left: 46, right: 10, top: 10, bottom: 40 },
    tooltip: { trigger: 'item' },
    xAxis: axis(xName),
    yAxis: { ...axis(yName), nameGap: 32 },
    series: [
      {
        type: 'scatter',
        name: STAGE_TITLES[stage],
        symbolSize: 3,
        itemStyle: { color: '#2f6fdb', opacity: 0.45 },
        data: s.x.map((x, i) => [x, s.y[i]!])
      }
    ]
  }
}

export function scatterRows(
  scatter: PreprocessPicturesJson['scatter']
): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = []
  for (const stage of SCATTER_STAGES)
    scatter[stage].x.forEach((x, i) => rows.push({ stage, point: i, x, y: scatter[stage].y[i]! }))
  return rows
}

/** Eigenvalues at most this fraction of the largest are zero up to rounding (not drawn on log). */
export const ZERO_EIGENVALUE = 1e-12

/**
 * The cumulative explained variance after k components, k = 1…n: Σᵢ≤ₖ λᵢ / Σ λ (negative
 * rounding residues counted as 0). The last value is 1.
 */
export function cumulativeVariance(eigenvalues: number[]): number[] {
  let total = 0
  for (const l of eigenvalues) total += Math.max(0, l)
  let acc = 0
  return eigenvalues.map((l) => {
    acc += Math.max(0, l)
    return total > 0 ? acc / total : NaN
  })
}

/** The fewest components whose cumulative explained variance reaches `fraction`. */
export function componentsFor(eigenvalues: number[], fraction: number): number {
  const c = cumulativeVariance(eigenvalues)
  const i = c.findIndex((v) => v >= fraction - 1e-12)
  return i < 0 ? eigenvalues.length : i + 1
}

/** How many eigenvalues are above ZERO_EIGENVALUE × λ₁ (the rest are 0 up to rounding). */
export function nonzeroEigenvalues(eigenvalues: number[]): number {
  const top = eigenvalues[0] ?? 0
  return eigenvalues.filter((l) => l > ZERO_EIGENVALUE * top).length
}

const kLine = (k: number) => ({
  silent: true,
  symbol: 'none',
  lineStyle: { type: 'dashed', color: '#d64545' },
  label: { formatter: `K = ${k}`, position: 'insideEndTop' },
  data: [{ xAxis: k }]
})

/** λ₁ ≥ λ₂ ≥ … on a log axis (the non-zero ones), with the cut at K marked. */
export function spectrumOption(eigenvalues: number[], k: number): EChartsCoreOption {
  const n = nonzeroEigenvalues(eigenvalues)
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 64, right: 16, top: 32, bottom: 44 },
    xAxis: {
      type: 'value',
      name: 'component (by decreasing eigenvalue)',
      nameLocation: 'middle',
      nameGap: 26,
      min: 1,
      max: Math.max(2, n)
    },
    yAxis: { type: 'log', name: 'eigenvalue λ (0–1 scale)', nameGap: 8 },
    series: [
      {
        type: 'line',
        name: 'eigenvalue',
        symbol: 'none',
        lineStyle: { width: 1.5, color: '#2f6fdb' },
        data: eigenvalues.slice(0, n).map((l, i) => [i + 1, l]),
        markLine: kLine(k)
      }
    ]
  }
}

/** The cumulative explained variance against the number of components, with K marked. */
export function cumulativeVarianceOption(eigenvalues: number[], k: number): EChartsCoreOption {
  const c = cumulativeVariance(eigenvalues)
  const n = Math.max(2, nonzeroEigenvalues(eigenvalues))
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 64, right: 16, top: 32, bottom: 44 },
    xAxis: {
      type: 'value',
      name: 'components kept',
      nameLocation: 'middle',
      nameGap: 26,
      min: 1,
      max: n
    },
    yAxis: { type: 'value', name: 'explained variance', min: 0, max: 1 },
    series: [
      {
        type: 'line',
        name: 'cumulative explained variance',
        symbol: 'none',
        lineStyle: { width: 1.5, color: '#2f9e44' },
        data: c.slice(0, n).map((v, i) => [i + 1, v]),
        markLine: kLine(k)
      }
    ]
  }
}

export function spectrumRows(eigenvalues: number[]): Record<string, number>[] {
  const c = cumulativeVariance(eigenvalues)
  return eigenvalues.map((l, i) => ({ component: i + 1, eigenvalue: l, cumulative: c[i]! }))
}
