/** Building a sequential net from a compact configuration (hidden widths, activation, init). */
import {
  ACTIVATION_PARAM_DEFAULTS,
  ACTIVATIONS,
  type ActivationParams
} from '../../src-shared/experiments'
import type { ElementwiseActivation } from './activations'
import { initWeights, type InitSpec } from './init'
import { lsuvInit } from './lsuv'
import type { LayerSpec, LossName, Net } from './net'
import type { Rng } from './rng'
import { alloc, type Dtype, type FloatArray, type Mat } from './tensor'

// The names are the contract's (src-shared/experiments): one list for engine, CLI and UI.
export type ActivationName = (typeof ACTIVATIONS)[number]
export const ACTIVATION_NAMES: readonly ActivationName[] = ACTIVATIONS

/** An activation with its options; defaults: slope 0.01, ELU α 1, PReLU α₀ 0.25, maxout 2 pieces. */
export interface ActivationConfig {
  type: ActivationName
  /** leaky-relu slope. */
  slope?: number
  /** ELU α, or PReLU's initial α for every unit (He et al. 2015 use 0.25). */
  alpha?: number
  /** maxout pieces k. */
  pieces?: number
  /** gelu form. */
  approximate?: 'none' | 'tanh'
}

export interface NetConfig {
  inputSize: number
  /** Widths of the hidden layers (the output width of each hidden unit layer). */
  hidden: number[]
  classes: number
  activation: ActivationName | ActivationConfig
  init: InitSpec
  /** Whether affine layers have biases (default true). */
  bias?: boolean
  /** Initial bias value (default 0; 0.01 is a common choice for ReLU). */
  biasInit?: number
  loss?: LossName
  reg?: number
}

/**
 * The contract's activation (a name and its parsed parameters: the one place they are resolved)
 * as the engine's layer configuration; GELU is the exact form (the contract has no other).
 */
export function activationOf(
  name: ActivationName,
  p: ActivationParams
): Required<ActivationConfig> {
  return {
    type: name,
    slope: p.slope,
    alpha: name === 'prelu' ? p.preluAlpha : p.alpha,
    pieces: p.pieces,
    approximate: 'none'
  }
}

/** Normalizes an activation name or config to a config with every default filled in. */
export function activationConfig(a: ActivationName | ActivationConfig): Required<ActivationConfig> {
  const c = typeof a === 'string' ? { type: a } : a
  return {
    type: c.type,
    slope: c.slope ?? ACTIVATION_PARAM_DEFAULTS.slope,
    alpha:
      c.alpha ??
      (c.type === 'prelu' ? ACTIVATION_PARAM_DEFAULTS.preluAlpha : ACTIVATION_PARAM_DEFAULTS.alpha),
    pieces: c.pieces ?? ACTIVATION_PARAM_DEFAULTS.pieces,
    approximate: c.approximate ?? 'none'
  }
}

/** The elementwise descriptor of a parameter-free activation, or null for prelu / maxout. */
export function elementwiseOf(a: Required<ActivationConfig>): ElementwiseActivation | null {
  switch (a.type) {
    case 'leaky-relu':
      return { type: 'leaky-relu', slope: a.slope }
    case 'elu':
      return { type: 'elu', alpha: a.alpha }
    case 'gelu':
      return { type: 'gelu', approximate: a.approximate }
    case 'prelu':
    case 'maxout':
      return null
    default:
      return { type: a.type }
  }
}

/**
 * Layer descriptors for fan-in → width → activation, numbering parameters from `affineIndex`
 * and `preluIndex` (1-based). Maxout makes the affine k·width wide.
 */
export function hiddenBlock(
  fanIn: number,
  width: number,
  act: Required<ActivationConfig>,
  bias: boolean,
  affineIndex: number,
  preluIndex: number
): LayerSpec[] {
  const fanOut = act.type === 'maxout' ? act.pieces * width : width
  const layers: LayerSpec[] = [
    { type: 'affine', fanIn, fanOut, W: `W${affineIndex}`, b: bias ? `b${affineIndex}` : null }
  ]
  if (act.type === 'maxout') layers.push({ type: 'maxout', pieces: act.pieces })
  else if (act.type === 'prelu')
    layers.push({ type: 'prelu', units: width, alpha: `alpha${preluIndex}` })
  else layers.push(elementwiseOf(act)!)
  return layers
}

/**
 * Builds [affine → activation] × hidden.length → affine(classes), drawing weights in layer order
 * from `rng` by `config.init` (biases = biasInit, PReLU α = its initial α). For init `lsuv`,
 * `data` (a batch of inputs) is required: LSUV rescales each layer on it.
 */
export function buildNet(config: NetConfig, rng: Rng, dtype: Dtype, data?: Mat): Net<FloatArray> {
  const act = activationConfig(config.activation)
  const bias = config.bias ?? true
  const layers: LayerSpec[] = []
  let fanIn = config.inputSize
  let prelus = 0
  config.hidden.forEach((width, i) => {
    if (act.type === 'prelu') prelus++
    layers.push(...hiddenBlock(fanIn, width, act, bias, i + 1, prelus))
    fanIn = width
  })
  const last = config.hidden.length + 1
  layers.push({
    type: 'affine',
    fanIn,
    fanOut: config.classes,
    W: `W${last}`,
    b: bias ? `b${last}` : null
  })
  const params: Record<string, FloatArray> = {}
  for (const l of layers) {
    if (l.type === 'affine') {
      params[l.W] = initWeights(config.init, l.fanIn, l.fanOut, rng, dtype)
      if (l.b) params[l.b] = alloc(dtype, l.fanOut).fill(config.biasInit ?? 0)
    } else if (l.type === 'prelu') {
      params[l.alpha] = alloc(dtype, l.units).fill(act.alpha)
    }
  }
  const net: Net<FloatArray> = {
    inputSize: config.inputSize,
    layers,
    params,
    loss: config.loss ?? 'softmax',
    reg: config.reg ?? 0
  }
  const initName = typeof config.init === 'string' ? config.init : config.init.name
  if (initName === 'lsuv') {
    if (!data) throw new RangeError('buildNet: init lsuv needs a data batch')
    lsuvInit(net, data)
  }
  return net
}
