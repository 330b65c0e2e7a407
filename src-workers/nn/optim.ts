/**
 * Optimizers with one signature: `optimizerStep(params, grads, state, config, epoch)` updates the
 * parameters in place from gradients keyed `d<name>`. The rules live in a table; the state is
 * plain data (per-parameter moment arrays and a step count), so it can be saved or moved.
 */
import { MOMENTUM_DEFAULT, OPTIMIZERS } from '../../src-shared/experiments'
import { gradName } from './net'
import { allocLike, type FloatArray } from './tensor'

// The names are the contract's (src-shared/experiments).
export type OptimizerName = (typeof OPTIMIZERS)[number]
export const OPTIMIZER_NAMES: readonly OptimizerName[] = OPTIMIZERS

export interface OptimizerConfig {
  name: OptimizerName
  /** Base learning rate. */
  lr: number
  /** Multiply the learning rate by this after every epoch: lr_e = lr · decay^e (default 1). */
  decay?: number
  /** Momentum μ for momentum and nesterov (absent: the contract's MOMENTUM_DEFAULT). */
  momentum?: number
  /** Adam β₁, β₂, ε (absent: ADAM_DEFAULTS). */
  beta1?: number
  beta2?: number
  eps?: number
}

/** Adam's β₁, β₂, ε (Kingma & Ba's; the contract has no setting for them). */
export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const

/** Every hyper-parameter of `config`'s rules, the absent ones at their defaults. */
export function hyperParameters(config: OptimizerConfig): {
  momentum: number
  beta1: number
  beta2: number
  eps: number
} {
  return {
    momentum: config.momentum ?? MOMENTUM_DEFAULT,
    beta1: config.beta1 ?? ADAM_DEFAULTS.beta1,
    beta2: config.beta2 ?? ADAM_DEFAULTS.beta2,
    eps: config.eps ?? ADAM_DEFAULTS.eps
  }
}

export interface OptimizerState<T extends FloatArray = FloatArray> {
  /** Steps taken so far (Adam's bias correction uses it). */
  t: number
  /** First-moment / velocity per parameter. */
  m: Record<string, T>
  /** Second moment per parameter (Adam). */
  v: Record<string, T>
}

/** A fresh state (zero moments). */
export function createOptimizerState<T extends FloatArray>(): OptimizerState<T> {
  return { t: 0, m: {}, v: {} }
}

/** The learning rate for a 0-based epoch: lr · decay^epoch. */
export function learningRate(config: OptimizerConfig, epoch: number): number {
  return config.lr * (config.decay ?? 1) ** epoch
}

interface Slot {
  w: FloatArray
  dw: FloatArray
  /** Lazily allocated moment arrays (same dtype and length as w). */
  m: () => FloatArray
  v: () => FloatArray
}

type Rule = (s: Slot, lr: number, c: OptimizerConfig, t: number) => void

const RULES: Record<OptimizerName, Rule> = {
  /** w ← w − lr·dw */
  sgd: ({ w, dw }, lr) => {
    for (let i = 0; i < w.length; i++) w[i]! -= lr * dw[i]!
  },
  /** v ← μv − lr·dw; w ← w + v */
  momentum: (s, lr, c) => {
    const mu = hyperParameters(c).momentum
    const v = s.m()
    for (let i = 0; i < s.w.length; i++) {
      v[i] = mu * v[i]! - lr * s.dw[i]!
      s.w[i]! += v[i]!
    }
  },
  /** Nesterov in the cs231n form: v' = μv − lr·dw; w ← w − μv + (1 + μ)v' */
  nesterov: (s, lr, c) => {
    const mu = hyperParameters(c).momentum
    const v = s.m()
    for (let i = 0; i < s.w.length; i++) {
      const prev = v[i]!
      v[i] = mu * prev - lr * s.dw[i]!
      s.w[i]! += -mu * prev + (1 + mu) * v[i]!
    }
  },
  /** Adam: m ← β₁m + (1−β₁)dw; v ← β₂v + (1−β₂)dw²; w ← w − lr·m̂/(√v̂ + ε), hats bias-corrected. */
  adam: (s, lr, c, t) => {
    const { beta1: b1, beta2: b2, eps } = hyperParameters(c)
    const m = s.m()
    const v = s.v()
    const c1 = 1 - b1 ** t
    const c2 = 1 - b2 ** t
    for (let i = 0; i < s.w.length; i++) {
      const g = s.dw[i]!
      m[i] = b1 * m[i]! + (1 - b1) * g
      v[i] = b2 * v[i]! + (1 - b2) * g * g
      s.w[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps)
    }
  }
}

/**
 * One update of every parameter in `params` that has a gradient `d<name>` in `grads`, by the
 * rule `config.name` at learning rate lr·decay^epoch. Mutates params and state (nothing else).
 */
export function optimizerStep<T extends FloatArray>(
  params: Record<string, T>,
  grads: Record<string, T>,
  state: OptimizerState<T>,
  config: OptimizerConfig,
  epoch = 0
): void {
  const rule = RULES[config.name]
  if (!rule) throw new RangeError(`unknown optimizer ${String(config.name)}`)
  state.t++
  const lr = learningRate(config, epoch)
  for (const [name, w] of Object.entries(params)) {
    const dw = grads[gradName(name)]
    if (!dw) continue
    rule(
      {
        w,
        dw,
        m: () => (state.m[name] ??= allocLike(w, w.length)),
        v: () => (state.v[name] ??= allocLike(w, w.length))
      },
      lr,
      config,
      state.t
    )
  }
}
