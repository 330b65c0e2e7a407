/** Summary statistics of flat arrays, accumulated in float64 whatever the dtype. */

/** Mean, population standard deviation √(mean((x − mean)²)) and Euclidean norm ‖x‖. */
export function summary(a: ArrayLike<number>): { mean: number; std: number; norm: number } {
  const n = a.length
  if (n === 0) return { mean: 0, std: 0, norm: 0 }
  let sum = 0
  let sq = 0
  for (let i = 0; i < n; i++) {
    const v = a[i]!
    sum += v
    sq += v * v
  }
  const mean = sum / n
  // Two-pass variance: the one-pass formula cancels badly when |mean| ≫ std.
  let ss = 0
  for (let i = 0; i < n; i++) {
    const d = a[i]! - mean
    ss += d * d
  }
  return { mean, std: Math.sqrt(ss / n), norm: Math.sqrt(sq) }
}

/**
 * Histogram of `a` over [lo, hi] in `bins` equal bins: edges has bins + 1 entries, counts bins.
 * The last bin is closed ([e_{b−1}, e_b]); values outside [lo, hi] (and NaN) are not counted.
 */
export function histogram(
  a: ArrayLike<number>,
  bins: number,
  lo: number,
  hi: number
): { edges: number[]; counts: number[] } {
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`histogram: bins must be ≥ 1, got ${bins}`)
  const edges: number[] = []
  for (let b = 0; b <= bins; b++) edges.push(lo + ((hi - lo) * b) / bins)
  const counts: number[] = new Array<number>(bins).fill(0)
  const width = (hi - lo) / bins
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!
    if (!(v >= lo && v <= hi)) continue
    let b = Math.floor((v - lo) / width)
    if (b >= bins) b = bins - 1
    counts[b]!++
  }
  return { edges, counts }
}

/** Minimum and maximum of the finite entries (NaN, NaN when there are none). */
export function finiteRange(a: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!
    if (Number.isFinite(v)) {
      if (v < min) min = v
      if (v > max) max = v
    }
  }
  return min <= max ? { min, max } : { min: NaN, max: NaN }
}

/** Population standard deviation √(mean((x − mean)²)), two passes (summary's). */
export function std(a: ArrayLike<number>): number {
  return summary(a).std
}

/** Euclidean norm ‖x‖ (summary's). */
export function norm(a: ArrayLike<number>): number {
  return summary(a).norm
}
