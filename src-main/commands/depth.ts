/** `layerscope depth` (../shared/CLI.md): activation and gradient statistics across depth. */
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import { DepthConfig } from '../../src-shared/experiments'
import type { DepthResult } from '../../src-shared/results'
import {
  defaultsHelp,
  activationParams,
  configFromOptions,
  noPositionals,
  optionsFor,
  PARAMS_HELP,
  paramsMap,
  stringOption,
  type CliCommand,
  type OptionMap
} from './common'
import { fmt, sci } from './format'
import { runOnDataAndRecord } from './run-on-data'
import { SESSION_HELP } from './session-option'

/** depth's options (compare depth takes the same, less --input). */
export const depthMap: OptionMap = {
  layers: ['layers', 'int'],
  width: ['width', 'int'],
  activation: ['activation', 'string'],
  init: ['init', 'string'],
  std: ['std', 'float'],
  gain: ['gain', 'float'],
  bias: ['bias', 'float'],
  samples: ['samples', 'int'],
  input: ['input', 'string'],
  preprocess: ['preprocess', 'string'],
  upstream: ['upstream', 'string'],
  bins: ['bins', 'int'],
  seed: ['seed', 'int'],
  dtype: ['dtype', 'string']
}

const DEPTH_DEFAULTS = DepthConfig.parse({})
const USAGE_FIELDS = [
  'layers',
  'width',
  'activation',
  'init',
  'std',
  'samples',
  'input',
  'upstream',
  'bins',
  'seed'
] as const

/** The seed's printout (cs231n, "Activation functions"): one line per layer. */
export function depthText(r: DepthResult): string {
  const lines = [`input layer had mean ${fmt(r.input.mean)} and std ${fmt(r.input.std)}`]
  for (const l of r.layers) {
    lines.push(`hidden layer ${l.layer} had mean ${fmt(l.mean)} and std ${fmt(l.std)}`)
  }
  lines.push('')
  lines.push('layer  saturated  dead     std(dW)     std(dX)')
  for (const l of r.layers) {
    lines.push(
      `${String(l.layer).padStart(5)}  ${fmt(l.saturated, 4).padStart(9)}  ${fmt(l.dead, 4).padStart(6)}` +
        `  ${sci(l.dW.std).padStart(10)}  ${sci(l.dX.std).padStart(10)}`
    )
  }
  lines.push(`loss ${fmt(r.loss)}`)
  return lines.join('\n')
}

export const depthCommand: CliCommand = {
  name: 'depth',
  summary: 'activation and gradient statistics across depth',
  usage: `layerscope depth ${defaultsHelp(DEPTH_DEFAULTS, depthMap, USAGE_FIELDS)} [--data PATH --preprocess MODE] [--session FILE] [--json]`,
  help: [
    'Pushes a batch through a stack of layers H_l = f(H_{l-1} W_l) and reports, per layer, the',
    'mean and std of the activations and pre-activations, a histogram, the saturated and dead',
    'fractions, and the statistics of dL/dW_l and dL/dH_{l-1}.',
    `Defaults: ${defaultsHelp(DEPTH_DEFAULTS, depthMap, [...USAGE_FIELDS, 'dtype'])}; no bias unless --bias B.`,
    '--gain G scales the orthogonal init. ' + PARAMS_HELP,
    SESSION_HELP
  ].join('\n'),
  options: {
    ...optionsFor(depthMap, paramsMap),
    data: { type: 'string' },
    session: { type: 'string' }
  },
  async run(ctx) {
    noPositionals(ctx, 'depth')
    const dataPath = stringOption(ctx, 'data')
    const input = stringOption(ctx, 'input')
    if (dataPath !== undefined && input !== undefined && input !== 'cifar') {
      throw new LabError('invalid-option', `--input ${input} cannot be combined with --data`)
    }
    if (input === 'cifar' && dataPath === undefined) {
      throw new LabError('invalid-option', '--input cifar needs --data PATH (a CIFAR-10 copy)')
    }
    if (dataPath === undefined && ctx.values.preprocess !== undefined) {
      throw new LabError('invalid-option', '--preprocess applies to --data input only')
    }
    const config = configFromOptions(jobKinds.depth.config, ctx.values, depthMap, {
      params: activationParams(ctx),
      ...(dataPath === undefined ? {} : { input: 'cifar' })
    })
    const result = await runOnDataAndRecord(ctx, 'depth', config, dataPath)
    return { json: result, text: depthText(result) }
  }
}
