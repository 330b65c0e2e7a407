/**
 * The one pass over raw pixel bytes that every statistic of the data and of its preprocessed
 * forms is computed from: per-feature sums Σx and Σx² (exact integers, held in float64) and
 * per-channel 256-bin histograms, over a range or a list of records.
 *
 * Every preprocessing mode except zca is a per-feature affine map x' = x·s + t, so the
 * statistics of the preprocessed values follow exactly from these sums (`affineSummary`)
 * without materialising a single float.
 *
 * The loops read the bytes four at a time through a 32-bit view, do integer work only (a
 * counter per byte value and feature, or int32 partial sums) and keep every constant local: an
 * imported binding compiles to a getter call per use when the sources run as CommonJS (tsx in
 * tests and benches), which made the previous loops about 4× slower there.
 */
import type { SplitRange } from './types'

const D = 3072
const P = 1024
/** Records per block of int32 partial sums: 2²³ × 255 < 2³¹. */
const BLOCK = 1 << 23

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

export interface RecordMoments {
  /** Records covered. */
  count: number
  /** Σx per feature (3072). */
  sum: Float64Array
  /** Σx² per feature (3072), or null when not asked for. */
  sumSq: Float64Array | null
  /** counts[c * 256 + v] = pixels of channel c with value v, or null when not asked for. */
  histogram: Uint32Array | null
}

/**
 * Moments of records `range.offset + i` for i < range.count, or of the records listed in
 * `records` (absolute record numbers).
 *
 * With squares or histograms asked for, each byte costs one counter increment: a 256-bin
 * histogram per feature (3 MB of int32), folded into Σx, Σx² and the channel histograms at the
 * end (exact integers). Sums alone go through int32 partial sums per block of records.
 */
export function recordMoments(
  pixels: Uint8Array,
  records: SplitRange | ArrayLike<number>,
  want: { squares: boolean; histogram: boolean }
): RecordMoments {
  const list = 'offset' in records && 'count' in records ? null : (records as ArrayLike<number>)
  const first = list ? 0 : (records as SplitRange).offset
  const count = list ? list.length : (records as SplitRange).count
  const recordAt = (i: number) => (list ? list[i]! : first + i)
  const words =
    LITTLE_ENDIAN && pixels.byteOffset % 4 === 0
      ? new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.byteLength >>> 2)
      : null
  const sum = new Float64Array(D)
  if (want.squares || want.histogram) {
    const perFeature = new Int32Array(D * 256)
    for (let i = 0; i < count; i++) {
      const r = recordAt(i)
      if (words) accumulatePerFeature(words, r * (D >>> 2), perFeature)
      else accumulateBytes(pixels, r * D, perFeature)
    }
    const sumSq = new Float64Array(D)
    const histogram = new Uint32Array(768)
    for (let f = 0; f < D; f++) {
      let a1 = 0
      let a2 = 0
      const h = ((f / P) | 0) << 8
      for (let v = 0; v < 256; v++) {
        const k = perFeature[(f << 8) | v]!
        a1 += k * v
        a2 += k * v * v
        histogram[h + v]! += k
      }
      sum[f] = a1
      sumSq[f] = a2
    }
    return {
      count,
      sum,
      sumSq: want.squares ? sumSq : null,
      histogram: want.histogram ? histogram : null
    }
  }
  const part = new Int32Array(D)
  for (let i0 = 0; i0 < count; i0 += BLOCK) {
    const i1 = Math.min(count, i0 + BLOCK)
    part.fill(0)
    for (let i = i0; i < i1; i++) {
      const r = recordAt(i)
      if (words) accumulateSums(words, r * (D >>> 2), part)
      else for (let f = 0; f < D; f++) part[f] = part[f]! + pixels[r * D + f]!
    }
    for (let f = 0; f < D; f++) sum[f]! += part[f]!
  }
  return { count, sum, sumSq: null, histogram: null }
}

/** perFeature[f * 256 + v] += 1 for the bytes v of one record, read four at a time. */
function accumulatePerFeature(words: Uint32Array, wBase: number, perFeature: Int32Array): void {
  for (let q = 0; q < D >>> 2; q++) {
    const w = words[wBase + q]!
    const f = q << 10
    perFeature[f | (w & 255)]!++
    perFeature[(f + 256) | ((w >>> 8) & 255)]!++
    perFeature[(f + 512) | ((w >>> 16) & 255)]!++
    perFeature[(f + 768) | (w >>> 24)]!++
  }
}

/** The same, byte by byte (a pixel view that is not 4-byte aligned). */
function accumulateBytes(pixels: Uint8Array, base: number, perFeature: Int32Array): void {
  for (let f = 0; f < D; f++) perFeature[(f << 8) | pixels[base + f]!]!++
}

function accumulateSums(words: Uint32Array, wBase: number, part: Int32Array): void {
  for (let q = 0; q < D >>> 2; q++) {
    const w = words[wBase + q]!
    const f = q << 2
    part[f] = part[f]! + (w & 255)
    part[f + 1] = part[f + 1]! + ((w >>> 8) & 255)
    part[f + 2] = part[f + 2]! + ((w >>> 16) & 255)
    part[f + 3] = part[f + 3]! + (w >>> 24)
  }
}

export interface AffineSummary {
  /** Records measured. */
  count: number
  mean: number
  std: number
  channelMean: number[]
  channelStd: number[]
}

/**
 * Population mean and std, overall and per channel, of x' = x·scale[f] + shift[f] over the
 * records `m` covers, from their exact Σx and Σx². Per feature, with a = Σx / n and
 * Q = Σ(x − a)² = (n·Σx² − (Σx)²) / n (an exact integer numerator below 2⁵³ for n ≤ 370 000):
 * the mean of x' is μ = a·s + t and Σ(x' − μ)² = s²·Q; a channel's variance is then the mean of
 * s²·Q/n + (μ − μ_channel)² over its features — sums of non-negative terms, no cancellation.
 */
export function affineSummary(
  m: RecordMoments,
  scale: Float64Array,
  shift: Float64Array
): AffineSummary {
  const n = m.count
  const sum = m.sum
  const sumSq = m.sumSq
  if (!sumSq) throw new Error('affineSummary: the moments need the sums of squares')
  if (n === 0)
    return {
      count: 0,
      mean: NaN,
      std: NaN,
      channelMean: [NaN, NaN, NaN],
      channelStd: [NaN, NaN, NaN]
    }
  const mu = new Float64Array(D)
  const within = new Float64Array(D)
  const channelMean = [0, 0, 0]
  for (let c = 0; c < 3; c++) {
    let acc = 0
    for (let f = c * P; f < (c + 1) * P; f++) {
      const a = sum[f]! / n
      const s = scale[f]!
      mu[f] = a * s + shift[f]!
      within[f] = (s * s * Math.max(0, n * sumSq[f]! - sum[f]! * sum[f]!)) / (n * n)
      acc += mu[f]!
    }
    channelMean[c] = acc / P
  }
  const mean = (channelMean[0]! + channelMean[1]! + channelMean[2]!) / 3
  const channelVar = [0, 0, 0]
  let total = 0
  for (let c = 0; c < 3; c++) {
    let acc = 0
    let accAll = 0
    const cm = channelMean[c]!
    for (let f = c * P; f < (c + 1) * P; f++) {
      const dc = mu[f]! - cm
      const da = mu[f]! - mean
      acc += within[f]! + dc * dc
      accAll += within[f]! + da * da
    }
    channelVar[c] = acc / P
    total += accAll
  }
  return {
    count: n,
    mean,
    std: Math.sqrt(total / D),
    channelMean,
    channelStd: channelVar.map((v) => Math.sqrt(v))
  }
}
