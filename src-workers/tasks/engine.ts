/**
 * Engine experiments as worker tasks: depth statistics, gradient checks, sanity checks and the
 * loss of a given net. Each maps the contract's configuration onto the engine's options and
 * returns the result shape of src-shared/results (checked here by the compiler).
 */
import type {
  ActivationCostConfig,
  DepthConfig,
  GradcheckConfig,
  GradcheckNetConfig,
  OmegaConfig,
  ScalarCheckConfig
} from '../../src-shared/experiments'
import type {
  ActivationCostResult,
  DepthResult,
  GradcheckResult,
  LossResult,
  OmegaResult,
  SanityResult,
  ScalarCheckResult
} from '../../src-shared/results'
import { activationCost as measureActivationCost } from '../nn/activation-cost'
import { depthProbe } from '../nn/depth'
import { helpDepth, type DepthShare } from '../nn/depth-team'
import { gradcheckCommand, gradcheckNetData } from '../nn/gradcheck-command'
import { lossCommand } from '../nn/loss-command'
import { omegaDemo } from '../nn/omega'
import { scalarCheck as scalarCheckImpl } from '../nn/scalar-check'
import { sanityChecks, type SanitySettings } from '../nn/sanity'
import { makeSynthetic, type LabelledData } from '../nn/synthetic'
import type { Mat } from '../nn/tensor'
import type { TaskContext } from '../task'

export interface DepthTaskInput {
  config: DepthConfig
  /** A preprocessed batch (samples × inputWidth) when the input is not Gaussian. */
  data?: Mat
  /** Slices of the samples for a team of threads (default 1: this thread); see depth-team.ts. */
  slices?: number
}

export interface DepthHelperInput {
  share: DepthShare
  /** 0-based; helper i stays while the pool wants more than i helpers on the team. */
  index: number
}

/** A helper of a depth probe on every core: works its slices until released or the probe ends. */
export function depthHelper(input: DepthHelperInput): null {
  helpDepth(input.share, input.index)
  return null
}

export function depth(input: DepthTaskInput, ctx: TaskContext): DepthResult {
  const c = input.config
  const slices = input.slices ?? 1
  const result = depthProbe(c, {
    onProgress: (f) => ctx.progress(f),
    ...(input.data ? { data: input.data } : {}),
    ...(slices > 1 ? { slices, shareTeam: (share: unknown) => ctx.share?.(share) } : {})
  })
  if (slices > 1) result.config.workers = slices
  return result
}

export function gradcheck(config: GradcheckConfig, ctx: TaskContext): GradcheckResult {
  ctx.progress(0)
  const r = gradcheckCommand(config)
  ctx.progress(1)
  return r
}

export function gradcheckNet(config: GradcheckNetConfig): GradcheckResult {
  return gradcheckNetData(config.net, config.data, config)
}

/** The checks' settings (the contract's, parsed) and their data. */
export interface SanityTaskInput extends SanitySettings {
  /** Labelled data, or the size of a synthetic set to draw. */
  data: LabelledData | { synthetic: number }
}

export function sanity(input: SanityTaskInput, ctx: TaskContext): SanityResult {
  const data =
    'synthetic' in input.data
      ? makeSynthetic(input.data.synthetic, 3072, 10, input.seed)
      : input.data
  return sanityChecks(data, input, { onProgress: (f) => ctx.progress(f) })
}

export function loss(input: {
  net: unknown
  data: unknown
  dtype: 'float32' | 'float64'
}): LossResult {
  return lossCommand(input.net, input.data, input.dtype)
}

export function scalarCheck(config: ScalarCheckConfig, ctx: TaskContext): ScalarCheckResult {
  ctx.progress(0)
  const r = scalarCheckImpl(config)
  ctx.progress(1)
  return r
}

export function omega(config: OmegaConfig, ctx: TaskContext): OmegaResult {
  return omegaDemo(config, (f) => ctx.progress(f))
}

export function activationCost(
  config: ActivationCostConfig,
  ctx: TaskContext
): ActivationCostResult {
  const rows = measureActivationCost({
    activations: config.activations,
    elements: config.elements,
    repeats: config.repeats,
    dtype: config.dtype,
    seed: config.seed,
    ...config.params,
    onProgress: (f) => ctx.progress(f)
  })
  const cols = 1000
  return {
    elements: Math.max(1, Math.round(config.elements / cols)) * cols,
    repeats: config.repeats,
    dtype: config.dtype,
    rows
  }
}
