/**
 * Statistics of the raw pixels (0–255 scale) over a range of records, and the CLI's
 * `dataset` description. One pass over the bytes gives per-feature sums (the mean image) and
 * per-channel histograms; per-channel mean and std follow exactly from the histograms.
 */
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

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** Per-feature sums (and optionally sums of squares) and per-channel histograms. */
export function pixelMoments(
  pixels: Uint8Array,
  range: SplitRange,
  withSquares: boolean
): { sum: Float64Array; sumSq: Float64Array | null; histogram: Uint32Array } {
  const sum = new Float64Array(IMAGE_BYTES)
  const sumSq = withSquares ? new Float64Array(IMAGE_BYTES) : null
  const histogram = new Uint32Array(3 * 256)
  // Integer partial sums per block of records keep float adds off the hot loop; the pixels are
  // read four at a time through a 32-bit view when the buffer allows it (it always does for a
  // DatasetHandle: records are 3072 bytes from offset 0).
  const BLOCK = 1 << 16 // 65536 × 255 < 2^32
  const part = new Uint32Array(IMAGE_BYTES)
  // Four sub-histograms (one per byte lane) so consecutive increments rarely hit one counter.
  const lanes = new Uint32Array(4 * 768)
  const words =
    LITTLE_ENDIAN && pixels.byteOffset % 4 === 0
      ? new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.byteLength >>> 2)
      : null
  const end = range.offset + range.count
  for (let b0 = range.offset; b0 < end; b0 += BLOCK) {
    const b1 = Math.min(end, b0 + BLOCK)
    part.fill(0)
    for (let r = b0; r < b1; r++) {
      const base = r * IMAGE_BYTES
      for (let c = 0; c < 3; c++) {
        const hOff = c * 256
        const fOff = c * PLANE
        if (words) {
          const wBase = (base + fOff) >>> 2
          for (let q = 0; q < PLANE >>> 2; q++) {
            const w = words[wBase + q]!
            const v0 = w & 255
            const v1 = (w >>> 8) & 255
            const v2 = (w >>> 16) & 255
            const v3 = w >>> 24
            lanes[hOff + v0]!++
            lanes[768 + hOff + v1]!++
            lanes[1536 + hOff + v2]!++
            lanes[2304 + hOff + v3]!++
            const f = fOff + (q << 2)
            part[f]! += v0
            part[f + 1]! += v1
            part[f + 2]! += v2
            part[f + 3]! += v3
          }
        } else {
          const pBase = base + fOff
          for (let p = 0; p < PLANE; p++) {
            const v = pixels[pBase + p]!
            histogram[hOff + v]!++
            part[fOff + p]! += v
          }
        }
      }
      if (sumSq) {
        for (let f = 0; f < IMAGE_BYTES; f++) {
          const v = pixels[base + f]!
          sumSq[f]! += v * v
        }
      }
    }
    for (let f = 0; f < IMAGE_BYTES; f++) sum[f]! += part[f]!
  }
  for (let k = 0; k < 768; k++)
    histogram[k]! += lanes[k]! + lanes[768 + k]! + lanes[1536 + k]! + lanes[2304 + k]!
  return { sum, sumSq, histogram }
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
