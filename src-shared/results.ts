/**
 * Result shapes of the experiments, as ../shared/CLI.md prints them and the UI shows them.
 * The engine's functions return these structurally (the worker tasks check it at compile time).
 */
import type { Histogram } from './contract'

export interface Moments {
  mean: number
  std: number
  norm?: number
}

export interface DepthLayer {
  layer: number
  mean: number
  std: number
  preMean: number
  preStd: number
  saturated: number
  dead: number
  hist: Histogram
  dW: Moments
  dX: Moments
}

export interface DepthResult {
  config: {
    layers: number
    width: number
    activation: string
    init: string
    std?: number
    samples: number
    inputWidth: number
    upstream: string
    bins: number
    seed: number
    bias: number | null
    dtype: string
  }
  input: { mean: number; std: number }
  layers: DepthLayer[]
  loss: number
}

export type Verdict = 'great' | 'check' | 'concern' | 'wrong'

export interface GradcheckParam {
  name: string
  relError: number
  normRelError: number
  verdict: Verdict
  kinks: number
  worst: { index: number[]; analytic: number; numeric: number }[]
}

export interface GradcheckResult {
  params: GradcheckParam[]
  maxRelError: number
  verdict: Verdict
  kinksExcluded?: true
}

export type SanityCheck =
  | { name: 'initial-loss'; value: number; expected: number; tolerance: number; pass: boolean }
  | { name: 'regularization-raises-loss'; values: { reg: number; loss: number }[]; pass: boolean }
  | {
      name: 'overfit-small-subset'
      examples: number
      epochs: number
      trainAcc: number
      finalLoss: number
      lr: number
      pass: boolean
      curve?: { epoch: number; loss: number; trainAcc: number }[]
    }

export interface SanityResult {
  checks: SanityCheck[]
  pass: boolean
}

export interface LossResult {
  scores: number[][]
  loss: number
  dataLoss: number
  regLoss: number
  grads: ({ dW: number[][]; db?: number[] } | { dalpha: number[] } | null)[]
}
