/**
 * The pipeline check: draw N samples from the engine's seeded normal RNG and describe them.
 * Small, real, and reproducible — the same seed gives the same numbers in any worker — so it
 * exercises every door (UI, browser bridge, CLI) end to end before any experiment exists.
 */
import type { SampleResult } from '../../src-shared/contract'
import type { SampleConfig } from '../../src-shared/experiments'
import { createRng, normal } from '../nn/rng'
import type { TaskContext } from '../task'

/** Histogram range: ±5σ covers all but ~6e-7 of N(0, 1); the rest is clamped into the end bins. */
const RANGE = 5

export function sample(config: SampleConfig, ctx: TaskContext): SampleResult {
  const { n, seed, bins } = config
  const rng = createRng(seed)
  const counts = new Array<number>(bins).fill(0)
  const width = (2 * RANGE) / bins
  // Welford's update: stable mean and variance in one pass without storing the samples.
  let mean = 0
  let m2 = 0
  const chunk = 1 << 16
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk)
    for (let i = start; i < end; i++) {
      const x = normal(rng)
      const d = x - mean
      mean += d / (i + 1)
      m2 += d * (x - mean)
      const b = Math.min(bins - 1, Math.max(0, Math.floor((x + RANGE) / width)))
      counts[b]!++
    }
    ctx.progress(end / n)
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => -RANGE + i * width)
  return { n, seed, mean, std: Math.sqrt(m2 / n), hist: { edges, counts } }
}
