/**
 * Statistics of the raw pixels (0–255 scale) over a range of records, and the CLI's
 * `dataset` description. One pass over the bytes gives per-feature sums (the mean image) and
 * per-channel histograms; per-channel mean and std follow exactly from the histograms.
 */
import { recordMoments } from './moments'
import type { DatasetHandle, SplitRange } from './types'
import { IMAGE_BYTES, NUM_CLASSES, PLANE } from './types'

export interface PixelStats {
  /** Records the statistics cover. */
  count: number
  /** Population mean and std per channel (R, G, B), 0–255 scale. */
  channelMean: [number, number, number]
  channelStd: [number, number, number]
  /** Mean of each of the 3072 features, in the files' channel-major order. */
  meanImage: Float64Array
  /** The mean image as 32×32 RGB bytes (row-major, R G B interleaved) for display. */
  meanImageRgb: Uint8Array
  /** 256 bins per channel: counts[c * 256 + v] = pixels of channel c with value v. */
  histogram: Uint32Array
  /** Records per class. */
  labelCounts: number[]
}

/** Per-feature sums (and optionally sums of squares) and per-channel histograms. */
export function pixelMoments(
  pixels: Uint8Array,
  range: SplitRange,
  withSquares: boolean
): { sum: Float64Array; sumSq: Float64Array | null; histogram: Uint32Array } {
  const m = recordMoments(pixels, range, { squares: withSquares, histogram: true })
  return { sum: m.sum, sumSq: m.sumSq, histogram: m.histogram! }
}

/** Mean and population std of channel c from its 256-bin histogram. */
export function histogramMoments(histogram: Uint32Array, c: number): { mean: number; std: number } {
  let n = 0
  let s1 = 0
  let s2 = 0
  for (let v = 0; v < 256; v++) {
    const k = histogram[c * 256 + v]!
    n += k
    s1 += k * v
    s2 += k * v * v
  }
  if (n === 0) return { mean: NaN, std: NaN }
  const mean = s1 / n
  return { mean, std: Math.sqrt(Math.max(0, s2 / n - mean * mean)) }
}

/** The mean image (channel-major, 3072) as 32×32 interleaved RGB bytes. */
export function meanImageToRgb(meanImage: Float64Array): Uint8Array {
  const rgb = new Uint8Array(IMAGE_BYTES)
  for (let p = 0; p < PLANE; p++)
    for (let c = 0; c < 3; c++)
      rgb[p * 3 + c] = Math.max(0, Math.min(255, Math.round(meanImage[c * PLANE + p]!)))
  return rgb
}

export function labelCounts(labels: Uint8Array, range: SplitRange): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0)
  for (let i = range.offset; i < range.offset + range.count; i++) counts[labels[i]!]!++
  return counts
}

/** Statistics of the raw pixels over `range` (default: the training split). */
export function pixelStats(handle: DatasetHandle, range: SplitRange = handle.train): PixelStats {
  const pixels = new Uint8Array(handle.pixels)
  const { sum, histogram } = pixelMoments(pixels, range, false)
  const meanImage = new Float64Array(IMAGE_BYTES)
  for (let f = 0; f < IMAGE_BYTES; f++) meanImage[f] = range.count ? sum[f]! / range.count : NaN
  const m = [0, 1, 2].map((c) => histogramMoments(histogram, c))
  return {
    count: range.count,
    channelMean: [m[0]!.mean, m[1]!.mean, m[2]!.mean],
    channelStd: [m[0]!.std, m[1]!.std, m[2]!.std],
    meanImage,
    meanImageRgb: meanImageToRgb(meanImage),
    histogram,
    labelCounts: labelCounts(new Uint8Array(handle.labels), range)
  }
}

/** Exactly the JSON of `layerscope dataset PATH --json` (../shared/CLI.md). */
export interface DatasetDescription {
  format: DatasetHandle['format']
  source: string
  classes: string[]
  splits: {
    train: { count: number; files: string[]; labelCounts: number[] }
    test: { count: number; files: string[]; labelCounts: number[] }
  }
  stats: { channelMean: number[]; channelStd: number[] }
  warnings: string[]
}

/** The CLI `dataset` description; pass `stats` if already computed for the training split. */
export function describeDataset(handle: DatasetHandle, stats?: PixelStats): DatasetDescription {
  const s = stats ?? pixelStats(handle)
  const labels = new Uint8Array(handle.labels)
  const files = (split: 'train' | 'test') =>
    handle.files.filter((f) => f.split === split).map((f) => f.name)
  return {
    format: handle.format,
    source: handle.source,
    classes: [...handle.classes],
    splits: {
      train: { count: handle.train.count, files: files('train'), labelCounts: s.labelCounts },
      test: {
        count: handle.test.count,
        files: files('test'),
        labelCounts: labelCounts(labels, handle.test)
      }
    },
    stats: { channelMean: [...s.channelMean], channelStd: [...s.channelStd] },
    warnings: [...handle.warnings]
  }
}
