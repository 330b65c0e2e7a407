/**
 * What a fitted mode does to the data: the statistics of each split after preprocessing (the
 * `preprocess` CLI report) and the before/after pixel histograms of the Preprocessing view.
 */
import type { ResolvedPreprocessing } from '../../../src-shared/experiments'
import { affineSummary, recordMoments, type RecordMoments } from '../moments'
import { IMAGE_BYTES, PLANE, type DatasetHandle } from '../types'
import {
  fitPreprocessing,
  outputWidth,
  sampleIndices,
  splitRange,
  type FittedPreprocessing,
  type PreprocessMode,
  type PreprocessOptions,
  type Split
} from './fit'
import { gatherSample } from './gather'

/** Records per split measured for the `after` statistics of zca and pca (the others use all). */
export const ZCA_AFTER_SAMPLES = 1000

/** zca and pca go through a matrix: their `after` is measured on gathered records. */
function throughMatrix(fitted: FittedPreprocessing): boolean {
  return fitted.zcaMatrix !== null || fitted.pcaBasis !== null
}

export interface SplitSummary {
  /** Records measured. */
  count: number
  mean: number
  std: number
  /** Per colour channel (R, G, B); empty for pca, whose K components have no channels. */
  channelMean: number[]
  channelStd: number[]
}

/**
 * Statistics of the preprocessed values of a split, over at most `maxRecords` evenly spaced
 * records. The affine modes follow exactly from the split's raw Σx and Σx² (see moments.ts
 * `affineSummary`; `fitMoments` of the fit records are reused for the training split); zca
 * gathers and whitens the records and accumulates in float64.
 */
export function measureSplit(
  handle: DatasetHandle,
  split: Split,
  fitted: FittedPreprocessing,
  maxRecords = Infinity,
  fitMoments: RecordMoments | null = fitted.moments
): SplitSummary {
  const range = splitRange(handle, split, fitted.val)
  const m = Math.min(range.count, maxRecords)
  const idx = sampleIndices(range.count, m)
  if (throughMatrix(fitted))
    return summarizeValues(gatherSample(handle, split, fitted, idx), m, outputWidth(fitted))
  const whole = m === range.count
  const moments =
    whole && split === 'train' && fitMoments?.sumSq && fitMoments.count === m
      ? fitMoments
      : recordMoments(
          new Uint8Array(handle.pixels),
          whole ? range : idx.map((i) => range.offset + i),
          { squares: true, histogram: false }
        )
  return affineSummary(moments, fitted.scale, fitted.shift)
}

/**
 * Mean and std, overall and per channel, of m gathered records of width d (float64
 * accumulation). Records of another width than 3072 (pca's K components) have no channels.
 */
function summarizeValues(vals: Float64Array, m: number, d = IMAGE_BYTES): SplitSummary {
  if (d !== IMAGE_BYTES) {
    let a1 = 0
    let a2 = 0
    for (let k = 0; k < m * d; k++) {
      const v = vals[k]!
      a1 += v
      a2 += v * v
    }
    const mean = a1 / (m * d)
    const std = Math.sqrt(Math.max(0, a2 / (m * d) - mean * mean))
    return { count: m, mean, std, channelMean: [], channelStd: [] }
  }
  const plane = PLANE
  const s1 = [0, 0, 0]
  const s2 = [0, 0, 0]
  for (let b = 0; b < m; b++)
    for (let c = 0; c < 3; c++) {
      let a1 = 0
      let a2 = 0
      const o = b * d + c * plane
      for (let p = 0; p < plane; p++) {
        const v = vals[o + p]!
        a1 += v
        a2 += v * v
      }
      s1[c]! += a1
      s2[c]! += a2
    }
  const per = m * plane
  const channelMean = s1.map((s) => s / per)
  const channelStd = s2.map((s, c) => Math.sqrt(Math.max(0, s / per - channelMean[c]! ** 2)))
  const mean = (s1[0]! + s1[1]! + s1[2]!) / (3 * per)
  const std = Math.sqrt(Math.max(0, (s2[0]! + s2[1]! + s2[2]!) / (3 * per) - mean * mean))
  return { count: m, mean, std, channelMean, channelStd }
}

/** Exactly the JSON of `layerscope preprocess PATH --mode MODE --json` (../shared/CLI.md). */
export interface PreprocessReport {
  mode: PreprocessMode
  fit: Record<string, unknown>
  after: { train: SplitSummary; val?: SplitSummary; test: SplitSummary }
}

export function preprocessReport(
  handle: DatasetHandle,
  spec: ResolvedPreprocessing,
  opts: PreprocessOptions = {},
  fitted: FittedPreprocessing = fitPreprocessing(handle, spec, opts)
): PreprocessReport {
  return measurePreprocessing(handle, fitted, { histograms: false }).report
}

export interface Histograms {
  /** bins + 1 edges, shared by the three channels. */
  edges: number[]
  /** counts[c][bin], c = R, G, B; one row (all K components) for pca. */
  counts: number[][]
}

/** Records measured for the `after` histogram (all of them when the fit range is smaller). */
function histogramRecords(fitted: FittedPreprocessing): number {
  return throughMatrix(fitted) ? ZCA_AFTER_SAMPLES : 5000
}

/**
 * Pixel histograms of the fit records before (raw bytes: 256 bins, edges 0..256) and after
 * preprocessing (`bins` bins over the observed range). At most `maxRecords` evenly spaced
 * records are measured after (all for `before`).
 */
export function pixelHistograms(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  bins = 256,
  maxRecords = histogramRecords(fitted)
): { before: Histograms; after: Histograms } {
  const histogram =
    fitted.moments?.histogram ??
    recordMoments(new Uint8Array(handle.pixels), fitted.fitRange, {
      squares: false,
      histogram: true
    }).histogram!
  const m = Math.min(fitted.fitRange.count, maxRecords)
  const idx = sampleIndices(fitted.fitRange.count, m)
  return {
    before: beforeHistograms(histogram),
    after: throughMatrix(fitted)
      ? valueHistograms(gatherSample(handle, 'train', fitted, idx), m, bins, outputWidth(fitted))
      : affineHistograms(handle, fitted, idx, bins)
  }
}

function beforeHistograms(histogram: Uint32Array): Histograms {
  return {
    edges: Array.from({ length: 257 }, (_, i) => i),
    counts: [0, 1, 2].map((c) => Array.from(histogram.subarray(c * 256, c * 256 + 256)))
  }
}

/**
 * `bins` equal bins over [min, max] of the values of m records of width d; the maximum falls in
 * the last bin. One row per channel for images (d = 3072), one row for pca's K components.
 */
function valueHistograms(vals: Float64Array, m: number, bins: number, d = IMAGE_BYTES): Histograms {
  const rows = d === IMAGE_BYTES ? 3 : 1
  const plane = d / rows
  let lo = Infinity
  let hi = -Infinity
  for (let k = 0; k < m * d; k++) {
    const v = vals[k]!
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (!(hi > lo)) hi = lo + 1
  const width = (hi - lo) / bins
  const counts = Array.from({ length: rows }, () => new Array<number>(bins).fill(0))
  for (let r = 0; r < m; r++)
    for (let c = 0; c < rows; c++) {
      const row = counts[c]!
      const o = r * d + c * plane
      for (let p = 0; p < plane; p++) {
        const b = Math.min(bins - 1, Math.floor((vals[o + p]! - lo) / width))
        row[b]!++
      }
    }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width)
  return { edges, counts }
}

/**
 * valueHistograms of the affine modes without gathering: a 256-bin histogram of the raw bytes
 * per feature, then each (feature, byte) that occurs is mapped once, by the same float64
 * arithmetic as gatherBatch — the same edges and counts.
 */
function affineHistograms(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  idx: number[],
  bins: number
): Histograms {
  const d = IMAGE_BYTES
  const plane = PLANE
  const pixels = new Uint8Array(handle.pixels)
  const { scale, shift } = fitted
  const perFeature = new Int32Array(d * 256)
  const offset = fitted.fitRange.offset
  for (const i of idx) {
    const base = (offset + i) * d
    for (let f = 0; f < d; f++) perFeature[(f << 8) | pixels[base + f]!]!++
  }
  let lo = Infinity
  let hi = -Infinity
  for (let f = 0; f < d; f++)
    for (let v = 0; v < 256; v++) {
      if (perFeature[(f << 8) | v] === 0) continue
      const x = v * scale[f]! + shift[f]!
      if (x < lo) lo = x
      if (x > hi) hi = x
    }
  if (!(hi > lo)) hi = lo + 1
  const width = (hi - lo) / bins
  const counts = [0, 1, 2].map(() => new Array<number>(bins).fill(0))
  for (let f = 0; f < d; f++) {
    const row = counts[(f / plane) | 0]!
    for (let v = 0; v < 256; v++) {
      const k = perFeature[(f << 8) | v]!
      if (k === 0) continue
      const x = v * scale[f]! + shift[f]!
      row[Math.min(bins - 1, Math.floor((x - lo) / width))]! += k
    }
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width)
  return { edges, counts }
}

/** What the Preprocessing view shows for a fitted mode. */
export interface PreprocessingMeasures {
  report: PreprocessReport
  /** null when only the report was asked for. */
  histograms: { before: Histograms; after: Histograms } | null
  /** Mean of the raw fit records per feature (3072, channel-major). */
  meanImage: Float64Array
}

/**
 * The `preprocess` report, the histograms of pixelHistograms (default bins and records) and
 * the raw mean image of the fit records, sharing passes: the fit's own moments serve the
 * training split, the before histogram and the mean image (one pass when the fit made none),
 * and for zca and pca the gathered training sample of the report is the histogram's sample.
 */
export function measurePreprocessing(
  handle: DatasetHandle,
  fitted: FittedPreprocessing,
  opts: { histograms?: boolean; bins?: number } = {}
): PreprocessingMeasures {
  const withHistograms = opts.histograms ?? true
  const bins = opts.bins ?? 256
  const zca = throughMatrix(fitted)
  const fitMoments =
    fitted.moments?.histogram && (zca || fitted.moments.sumSq)
      ? fitted.moments
      : recordMoments(new Uint8Array(handle.pixels), fitted.fitRange, {
          squares: !zca,
          histogram: true
        })
  const max = zca ? ZCA_AFTER_SAMPLES : Infinity
  let train: SplitSummary
  let after: Histograms | null = null
  const trainRange = splitRange(handle, 'train', fitted.val)
  const m = Math.min(trainRange.count, max)
  if (zca && withHistograms && m === Math.min(fitted.fitRange.count, histogramRecords(fitted))) {
    const vals = gatherSample(handle, 'train', fitted, sampleIndices(trainRange.count, m))
    train = summarizeValues(vals, m, outputWidth(fitted))
    after = valueHistograms(vals, m, bins, outputWidth(fitted))
  } else train = measureSplit(handle, 'train', fitted, max, fitMoments)
  const report: PreprocessReport = {
    mode: fitted.mode,
    fit: fitted.fit,
    after: { train, test: measureSplit(handle, 'test', fitted, max) }
  }
  if (fitted.val > 0) report.after.val = measureSplit(handle, 'val', fitted, max)
  let histograms: PreprocessingMeasures['histograms'] = null
  if (withHistograms) {
    after ??= pixelHistograms(handle, { ...fitted, moments: fitMoments }, bins).after
    histograms = { before: beforeHistograms(fitMoments.histogram!), after }
  }
  const n = fitMoments.count
  return { report, histograms, meanImage: fitMoments.sum.map((s) => (n ? s / n : NaN)) }
}
