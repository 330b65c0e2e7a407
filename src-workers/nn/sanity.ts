/**
 * Sanity checks before a long training (CLI.md `sanity`), on a two-layer ReLU net
 * (dim → hidden → classes, softmax):
 *
 * 1. initial-loss: weights N(0, 1e-4²), biases 0, reg 0, on the first min(n, 500) examples; the
 *    mean cross-entropy must be ln C. Tolerance, derived: for any score row s and label y,
 *    ln C + mean(s) ≤ logΣe^s ≤ ln C + max(s), so loss_i − ln C = logΣe^s − ln C − s_y lies in
 *    [mean(s) − max(s), max(s) − min(s)] and |loss − ln C| ≤ mean over rows of (max s − min s).
 *    That bound is the tolerance; the check also requires it to be below 0.05·ln C, i.e. that the
 *    weights really are small for this data (otherwise "≈ ln C" would mean nothing).
 * 2. regularization-raises-loss: the same net and batch with reg ∈ {0, 1e-3, …, 1e3} (the
 *    lecture's 1e3 included); the loss must rise strictly at every step. The penalty is
 *    reg·ΣW² (`convention: 'full'`, the engine's) or ½·reg·ΣW² (`'half'`, the lecture's and
 *    cs231n's: its "reg 1e3 → 3.0686" is ln 10 + ½·1e3·ΣW² with ΣW² ≈ 3072·50·1e-8).
 * 3. overfit-small-subset: 20 examples drawn by the seed, He weights, no regularization, vanilla
 *    full-batch SGD with lr = 0.1 / mean(x²) (mean over the subset's entries: the first layer's
 *    effective step scales with ‖x‖², so this makes the check indifferent to the data's scale),
 *    until the loss is below `targetLoss` (the contract's default 0.01: "make sure you can achieve
 *    zero cost"; the lecture prints 0.0026 after 200 epochs) or the budget of `maxEpochs` (default
 *    2000) is spent. It reports both: the epoch train accuracy first reached 1.0 and the epoch the
 *    loss first went below the target; it passes when both happened within the budget.
 */
import type { REG_CONVENTIONS, SanityConfig } from '../../src-shared/experiments'
import { buildNet } from './build'
import { accuracy, l2Penalty, lossAndGrads, lossOnly, netForward, type Net } from './net'
import { createOptimizerState, optimizerStep } from './optim'
import { createRng, randInt } from './rng'
import type { LabelledData } from './synthetic'
import { alloc, type Dtype, type FloatArray, type Mat } from './tensor'

export interface InitialLossCheck {
  name: 'initial-loss'
  value: number
  expected: number
  tolerance: number
  pass: boolean
}

/** How reg turns into a penalty: reg·ΣW² (`full`) or ½·reg·ΣW² (`half`, the lecture's). */
export type RegConvention = (typeof REG_CONVENTIONS)[number]

export interface RegularizationCheck {
  name: 'regularization-raises-loss'
  values: { reg: number; loss: number }[]
  pass: boolean
  convention: RegConvention
  /** ΣW² of the small net's weights (biases excluded): loss(reg) = loss(0) + c·reg·ΣW². */
  sumW2: number
}

export interface OverfitCheck {
  name: 'overfit-small-subset'
  examples: number
  epochs: number
  trainAcc: number
  finalLoss: number
  lr: number
  pass: boolean
  /** Loss and train accuracy after each epoch (epoch 0 = at init): the overfitting curve. */
  curve: { epoch: number; loss: number; trainAcc: number }[]
  /** The loss the check runs down to ("zero cost"), and the epoch budget. */
  targetLoss: number
  maxEpochs: number
  /** First epoch with train accuracy 1.0, and first epoch with loss < targetLoss (null: never). */
  epochsToFullAccuracy: number | null
  epochsToTarget: number | null
}

export interface SanityResult {
  checks: [InitialLossCheck, RegularizationCheck, OverfitCheck]
  pass: boolean
}

/**
 * The checks' settings: the contract's (parsed; the data source and preprocessing are the
 * caller's, who hands over the rows).
 */
export type SanitySettings = Pick<
  SanityConfig,
  'hidden' | 'seed' | 'regConvention' | 'targetLoss' | 'maxEpochs'
>

export interface SanityHooks {
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}

/** The regularization sweep, up to the lecture's 1e3. */
export const SANITY_REGS = [0, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000]
/** Examples the overfit check draws. */
export const OVERFIT_EXAMPLES = 20
/** The checks' arithmetic. */
const DTYPE: Dtype = 'float64'

/** Rows `idx` of data as an X matrix (in `dtype`) and labels. */
function rows(
  data: LabelledData,
  idx: number[],
  dtype: Dtype
): { X: Mat<FloatArray>; y: Int32Array } {
  const X = alloc(dtype, idx.length * data.dim)
  const y = new Int32Array(idx.length)
  idx.forEach((r, i) => {
    X.set(data.X.subarray(r * data.dim, (r + 1) * data.dim), i * data.dim)
    y[i] = data.y[r]!
  })
  return { X: { data: X, rows: idx.length, cols: data.dim }, y }
}

/** Mean over rows of (max score − min score). */
function meanRowRange(s: Mat): number {
  let t = 0
  for (let i = 0; i < s.rows; i++) {
    let lo = Infinity
    let hi = -Infinity
    for (let j = 0; j < s.cols; j++) {
      const v = s.data[i * s.cols + j]!
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
    t += hi - lo
  }
  return t / s.rows
}

/** Runs the three checks on `data` (any LabelledData: CIFAR-10 rows or makeSynthetic). */
export function sanityChecks(
  data: LabelledData,
  opts: SanitySettings,
  hooks: SanityHooks = {}
): SanityResult {
  const hidden = opts.hidden
  const dtype = DTYPE
  const rng = createRng(opts.seed)
  const C = data.classes
  const progress = (f: number): void => {
    hooks.signal?.throwIfAborted()
    hooks.onProgress?.(f)
  }

  // 1 and 2: small weights.
  const small = buildNet(
    {
      inputSize: data.dim,
      hidden: [hidden],
      classes: C,
      activation: 'relu',
      init: { name: 'normal', std: 1e-4 }
    },
    rng,
    dtype
  )
  const batch = rows(
    data,
    Array.from({ length: Math.min(data.n, 500) }, (_, i) => i),
    dtype
  )
  const scores = netForward(small, batch.X).scores
  const value = lossOnly(small, batch.X, batch.y, 0)
  const expected = Math.log(C)
  const tolerance = meanRowRange(scores)
  const initial: InitialLossCheck = {
    name: 'initial-loss',
    value,
    expected,
    tolerance,
    pass: Math.abs(value - expected) <= tolerance && tolerance < 0.05 * expected
  }
  progress(0.1)
  const convention = opts.regConvention
  const factor = convention === 'half' ? 0.5 : 1
  const values = SANITY_REGS.map((reg) => ({
    reg,
    loss: lossOnly(small, batch.X, batch.y, factor * reg)
  }))
  const regCheck: RegularizationCheck = {
    name: 'regularization-raises-loss',
    values,
    pass: values.every((v, i) => i === 0 || v.loss > values[i - 1]!.loss),
    convention,
    sumW2: l2Penalty(small, 1)
  }
  progress(0.2)

  // 3: overfit a few examples.
  const k = Math.min(OVERFIT_EXAMPLES, data.n)
  const pool = Array.from({ length: data.n }, (_, i) => i)
  for (let i = 0; i < k; i++) {
    const j = i + randInt(rng, data.n - i)
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  const sub = rows(data, pool.slice(0, k), dtype)
  let m2 = 0
  for (let i = 0; i < sub.X.data.length; i++) m2 += sub.X.data[i]! ** 2
  m2 /= sub.X.data.length
  const lr = 0.1 / (m2 > 0 ? m2 : 1)
  const net: Net = buildNet(
    { inputSize: data.dim, hidden: [hidden], classes: C, activation: 'relu', init: 'he' },
    rng,
    dtype
  )
  const state = createOptimizerState()
  const { maxEpochs, targetLoss } = opts
  let epochs = 0
  let r = lossAndGrads(net, sub.X, sub.y, 0)
  let acc = accuracy(r.scores, sub.y)
  let toAcc: number | null = acc === 1 ? 0 : null
  let toTarget: number | null = r.loss < targetLoss ? 0 : null
  const curve = [{ epoch: 0, loss: r.loss, trainAcc: acc }]
  while (toTarget === null && epochs < maxEpochs && Number.isFinite(r.loss)) {
    optimizerStep(net.params, r.grads, state, { name: 'sgd', lr })
    epochs++
    r = lossAndGrads(net, sub.X, sub.y, 0)
    acc = accuracy(r.scores, sub.y)
    if (toAcc === null && acc === 1) toAcc = epochs
    if (r.loss < targetLoss) toTarget = epochs
    curve.push({ epoch: epochs, loss: r.loss, trainAcc: acc })
    if (epochs % 10 === 0) progress(0.2 + (0.8 * epochs) / maxEpochs)
  }
  const overfit: OverfitCheck = {
    name: 'overfit-small-subset',
    examples: k,
    epochs,
    trainAcc: acc,
    finalLoss: r.loss,
    lr,
    pass: acc === 1 && toTarget !== null,
    curve,
    targetLoss,
    maxEpochs,
    epochsToFullAccuracy: toAcc,
    epochsToTarget: toTarget
  }
  progress(1)
  return {
    checks: [initial, regCheck, overfit],
    pass: initial.pass && regCheck.pass && overfit.pass
  }
}
