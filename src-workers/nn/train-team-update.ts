/**
 * The arithmetic of a data-parallel run (train-team.ts) over chunks of the flat parameter vector:
 * the update step's chunk (the slots summed in slice order, + 2·reg·W on weights, the optimizer's
 * rule on the shared weights and moments — every element's arithmetic the single-thread step's,
 * whichever thread takes the chunk) and a pass slice's Σw² of its chunk of the weights (the
 * penalty reg·Σ‖W‖² as the slices' partial sums added in slice order).
 *
 * SGD on 2 slices (the 2-thread case) runs as one pass over memory: in WebAssembly on the team
 * block itself when it is a shared wasm memory (wasm/assembly/update.ts, the same roundings), else
 * the TypeScript loop sgd2 below; both give the same bits.
 */
import { gradName, type Net } from './net'
import { optimizerStep, type OptimizerConfig } from './optim'
import { OPTIMIZERS, sliceRows, W_NORMS, W_T, type TeamViews } from './train-team-layout'

/**
 * Update chunk k of K of the flat parameter vector: sum = Σ_s slot_s (slice order), + 2·reg·W
 * on weights, then the optimizer's rule on the shared weights with the shared moments.
 */
export function updateChunk(v: TeamViews, net: Net<Float32Array>, k: number, K: number): void {
  const [lo, hi] = sliceRows(v.params.length, K, k)
  const c = v.control
  const config: OptimizerConfig = {
    name: OPTIMIZERS[c[2]!]!,
    lr: c[0]!,
    momentum: c[3]!,
    beta1: c[4]!,
    beta2: c[5]!,
    eps: c[6]!
  }
  const twoReg = c[1]!
  const t = v.words[W_T]!
  let off = 0
  for (const [name, p] of Object.entries(net.params)) {
    const a = Math.max(lo, off)
    const b = Math.min(hi, off + p.length)
    off += p.length
    if (a >= b) continue
    const sum = v.sum.subarray(a, b)
    const w = v.params.subarray(a, b)
    const reg = twoReg !== 0 && isWeight(net, name) ? twoReg : 0
    // SGD on 2 slices: the sum and the step in one pass; otherwise the optimizer's own rule.
    if (config.name === 'sgd' && v.slices === 2) {
      const keep = v.words[W_NORMS] !== 0
      const kernel = v.sgd2
      if (kernel) {
        const at = v.at
        kernel(
          at.slot(0) + 4 * a,
          at.slot(1) + 4 * a,
          at.params + 4 * a,
          keep ? at.sum + 4 * a : 0,
          b - a,
          reg,
          config.lr
        )
      } else sgd2(v, a, b, keep ? sum : null, reg, w, config.lr)
      continue
    }
    sumSlots(v, a, b, sum, reg, w)
    optimizerStep(
      { [name]: w },
      { [gradName(name)]: sum },
      { t: t - 1, m: { [name]: v.m.subarray(a, b) }, v: { [name]: v.v.subarray(a, b) } },
      config
    )
  }
}

/**
 * sum[i] = ((slot₀ + slot₁) + …) + twoReg·w[i] for elements [a, b) of the flat vector: the slots
 * in slice order, each partial sum rounded to float32 as the element-by-element passes over
 * Float32Arrays did (the same bits). Two slots (the 2-thread case) take one pass over memory
 * instead of three; more slots, S + 1 passes.
 */
function sumSlots(
  v: TeamViews,
  a: number,
  b: number,
  sum: Float32Array,
  twoReg: number,
  w: Float32Array
): void {
  const fr = Math.fround
  const s0 = v.slot(0).subarray(a, b)
  const n = b - a
  if (v.slices === 2) {
    const s1 = v.slot(1).subarray(a, b)
    if (twoReg === 0) for (let i = 0; i < n; i++) sum[i] = s0[i]! + s1[i]!
    else for (let i = 0; i < n; i++) sum[i] = fr(s0[i]! + s1[i]!) + twoReg * w[i]!
    return
  }
  sum.set(s0)
  for (let s = 1; s < v.slices; s++) {
    const slot = v.slot(s)
    for (let i = 0; i < n; i++) sum[i]! += slot[a + i]!
  }
  if (twoReg !== 0) for (let i = 0; i < n; i++) sum[i]! += twoReg * w[i]!
}

/**
 * sumSlots for 2 slices and the SGD rule (optim.ts: w ← w − lr·dw) in one pass over memory:
 * g = (slot₀ + slot₁) + twoReg·w rounded to float32 as sumSlots stores it, then w − lr·g rounded
 * as the rule's `w[i] -= lr * dw[i]` — the same bits as sumSlots followed by optimizerStep. The
 * sum is stored only when asked for (`sum` not null: the trainer wants the gradient's norms):
 * SGD itself needs no copy of it, and an update without it moves 4 arrays through memory, not 5.
 */
export function sgd2(
  v: TeamViews,
  a: number,
  b: number,
  sum: Float32Array | null,
  twoReg: number,
  w: Float32Array,
  lr: number
): void {
  const fr = Math.fround
  const s0 = v.slot(0).subarray(a, b)
  const s1 = v.slot(1).subarray(a, b)
  const n = b - a
  if (!sum) {
    if (twoReg === 0) for (let i = 0; i < n; i++) w[i] = w[i]! - lr * fr(s0[i]! + s1[i]!)
    else
      for (let i = 0; i < n; i++) {
        const wi = w[i]!
        w[i] = wi - lr * fr(fr(s0[i]! + s1[i]!) + twoReg * wi)
      }
    return
  }
  if (twoReg === 0) {
    // no + 0·w: it would turn a −0 sum into +0 and an infinite w into NaN
    for (let i = 0; i < n; i++) {
      const g = fr(s0[i]! + s1[i]!)
      sum[i] = g
      w[i] = w[i]! - lr * g
    }
    return
  }
  for (let i = 0; i < n; i++) {
    const wi = w[i]!
    const g = fr(fr(s0[i]! + s1[i]!) + twoReg * wi)
    sum[i] = g
    w[i] = wi - lr * g
  }
}

/**
 * Σw² (float64) over the weights (not biases) in chunk s of S of the flat shared parameters: each
 * pass slice takes one chunk, so the penalty reg·Σ‖W‖² costs the leader nothing serial.
 */
export function sumSquares(v: TeamViews, net: Net, s: number): number {
  const [lo, hi] = sliceRows(v.params.length, v.slices, s)
  const w = v.params
  const kernel = v.sumSquares
  let sum = 0
  let off = 0
  for (const [name, p] of Object.entries(net.params)) {
    const a = Math.max(lo, off)
    const b = Math.min(hi, off + p.length)
    off += p.length
    if (a >= b || !isWeight(net, name)) continue
    sum += kernel ? kernel(v.at.params + 4 * a, b - a) : rangeSquares(w, a, b)
  }
  return sum
}

/**
 * Σw² (float64) of w[a…b) in four running sums (i mod 4, the tail in the first), added
 * s0 + s1 + (s2 + s3): four independent add chains instead of one (nearly 2× faster); a fixed
 * order, so the same bits whichever thread — and as update.ts sumSquares, lane for lane.
 */
export function rangeSquares(w: Float32Array, a: number, b: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let i = a
  for (; i + 4 <= b; i += 4) {
    const w0 = w[i]!
    const w1 = w[i + 1]!
    const w2 = w[i + 2]!
    const w3 = w[i + 3]!
    s0 += w0 * w0
    s1 += w1 * w1
    s2 += w2 * w2
    s3 += w3 * w3
  }
  for (; i < b; i++) s0 += w[i]! * w[i]!
  return s0 + s1 + (s2 + s3)
}

function isWeight(net: Net, name: string): boolean {
  return net.layers.some((l) => l.type === 'affine' && l.W === name)
}
