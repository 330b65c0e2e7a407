/**
 * Engine experiments as worker tasks: depth statistics, gradient checks, sanity checks and the
 * loss of a given net. Each maps the contract's configuration onto the engine's options and
 * returns the result shape of src-shared/results (checked here by the compiler).
 */
import type {
  ActivationCostConfig,
  DepthConfig,
  GradcheckConfig,
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
import type { ActivationConfig } from '../nn/build'
import { depthProbe } from '../nn/depth'
import { helpDepth, type DepthShare } from '../nn/depth-team'
import { gradcheckCommand, gradcheckNetData } from '../nn/gradcheck-command'
import type { InitSpec } from '../nn/init'
import { lossCommand } from '../nn/loss-command'
import { omegaDemo } from '../nn/omega'
import { scalarCheck as scalarCheckImpl } from '../nn/scalar-check'
import { sanityChecks } from '../nn/sanity'
import { makeSynthetic, type LabelledData } from '../nn/synthetic'
import type { Mat } from '../nn/tensor'
import type { TaskContext } from '../task'

type ActivationParams = DepthConfig['params']

export function activationOf(
  name: DepthConfig['activation'],
  p: ActivationParams
): ActivationConfig {
  return {
    type: name,
    slope: p.slope,
    alpha: name === 'prelu' ? p.preluAlpha : p.alpha,
    pieces: p.pieces
  }
}

export function initOf(c: { init: DepthConfig['init']; std: number; gain?: number }): InitSpec {
  return { name: c.init, std: c.std, ...(c.gain === undefined ? {} : { gain: c.gain }) }
}

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
  const result = depthProbe(
    {
      layers: c.layers,
      width: c.width,
      activation: activationOf(c.activation, c.params),
      init: initOf(c),
      samples: c.samples,
      upstream: c.upstream,
      bins: c.bins,
      seed: c.seed,
      bias: c.bias ?? null,
      dtype: c.dtype
    },
    {
      onProgress: (f) => ctx.progress(f),
      ...(input.data ? { data: input.data } : {}),
      ...(slices > 1 ? { slices, shareTeam: (share: unknown) => ctx.share?.(share) } : {})
    }
  )
  if (slices > 1) result.config.workers = slices
  return result
}

export function gradcheck(config: GradcheckConfig, ctx: TaskContext): GradcheckResult {
  ctx.progress(0)
  const r = gradcheckCommand({
    activation: activationOf(config.activation, config.params),
    layers: config.layers,
    width: config.width,
    input: config.input,
    classes: config.classes,
    samples: config.samples,
    h: config.h,
    reg: config.reg,
    seed: config.seed,
    dtype: config.dtype,
    loss: config.loss,
    burnIn: config.burnIn,
    excludeKinks: config.excludeKinks,
    ...(config.sample === undefined ? {} : { sample: config.sample })
  })
  ctx.progress(1)
  return r
}

export interface GradcheckNetInput {
  net: unknown
  data: unknown
  h: number
  dtype: 'float32' | 'float64'
  seed: number
  sample?: number
  excludeKinks?: boolean
}

export function gradcheckNet(input: GradcheckNetInput): GradcheckResult {
  return gradcheckNetData(input.net, input.data, {
    h: input.h,
    dtype: input.dtype,
    seed: input.seed,
    excludeKinks: input.excludeKinks ?? false,
    ...(input.sample === undefined ? {} : { sample: input.sample })
  })
}

export interface SanityTaskInput {
  hidden: number
  seed: number
  regConvention?: 'full' | 'half'
  targetLoss?: number
  maxEpochs?: number
  /** Labelled data, or the size of a synthetic set to draw. */
  data: LabelledData | { synthetic: number }
}

export function sanity(input: SanityTaskInput, ctx: TaskContext): SanityResult {
  const data =
    'synthetic' in input.data
      ? makeSynthetic(input.data.synthetic, 3072, 10, input.seed)
      : input.data
  return sanityChecks(data, {
    hidden: input.hidden,
    seed: input.seed,
    ...(input.regConvention ? { regConvention: input.regConvention } : {}),
    ...(input.targetLoss === undefined ? {} : { targetLoss: input.targetLoss }),
    ...(input.maxEpochs === undefined ? {} : { maxEpochs: input.maxEpochs }),
    onProgress: (f) => ctx.progress(f)
  })
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
  const r = scalarCheckImpl({
    fn: config.fn,
    perDecade: config.perDecade,
    ...(config.x === undefined ? {} : { x: config.x })
  })
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
