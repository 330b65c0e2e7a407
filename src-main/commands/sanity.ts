/** `layerscope sanity` (../shared/CLI.md): the checks before a long training. */
import { z } from 'zod'
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import { SanityConfig } from '../../src-shared/experiments'
import type { SanityResult } from '../../src-shared/results'
import {
  defaultsHelp,
  configFromOptions,
  noPositionals,
  optionsFor,
  stringOption,
  type CliCommand,
  type OptionMap
} from './common'
import { fmt, sci } from './format'
import { runOnDataAndRecord } from './run-on-data'
import { SESSION_HELP } from './session-option'

const sanityMap: OptionMap = {
  hidden: ['hidden', 'int'],
  preprocess: ['preprocess', 'string'],
  seed: ['seed', 'int'],
  targetLoss: ['target-loss', 'float'],
  maxEpochs: ['max-epochs', 'int']
}

const SANITY_DEFAULTS = SanityConfig.parse({})

export function sanityText(r: SanityResult): string {
  const mark = (pass: boolean) => (pass ? 'PASS' : 'FAIL')
  const lines = r.checks.map((c) => {
    switch (c.name) {
      case 'initial-loss':
        return `${mark(c.pass)} initial-loss: ${fmt(c.value, 4)} (expected ${fmt(c.expected)} = ln C, tolerance ${sci(c.tolerance)})`
      case 'regularization-raises-loss':
        return `${mark(c.pass)} regularization-raises-loss (penalty ${c.convention === 'half' ? '½·reg·ΣW²' : 'reg·ΣW²'}): ${c.values.map((v) => `reg ${v.reg} → ${fmt(v.loss, 4)}`).join(', ')}`
      case 'overfit-small-subset': {
        const when = (e: number | null | undefined): string =>
          e === null || e === undefined ? 'never' : `epoch ${e}`
        return (
          `${mark(c.pass)} overfit-small-subset: ${c.examples} examples, train accuracy ${fmt(c.trainAcc, 2)} ` +
          `(1.0 at ${when(c.epochsToFullAccuracy)}), loss ${fmt(c.finalLoss, 4)} after ${c.epochs} epochs ` +
          `(below ${c.targetLoss ?? ''} at ${when(c.epochsToTarget)}; budget ${c.maxEpochs ?? ''} epochs, lr ${sci(c.lr)})`
        )
      }
    }
    return ''
  })
  lines.push(r.pass ? 'all checks passed' : 'some checks FAILED')
  return lines.join('\n')
}

export const sanityCommand: CliCommand = {
  name: 'sanity',
  summary: 'checks before a long training',
  usage:
    'layerscope sanity (--data PATH | --synthetic N) [--hidden 50] [--preprocess mean-image] [--reg-half] [--target-loss 0.01] [--max-epochs 2000] [--seed 1] [--session FILE] [--json]',
  help: [
    'On a freshly initialized two-layer net: the initial loss against ln(C); the loss over a',
    'regularization sweep reg = 0, 1e-3, …, 1e3 (must rise); overfitting 20 examples with',
    'full-batch SGD until the loss is below --target-loss ("zero cost") or --max-epochs ran.',
    "The penalty is reg·ΣW² (the engine's convention); --reg-half uses ½·reg·ΣW², the",
    'lecture\'s (its "reg 1e3 → 3.0686"); the choice is stored in the run\'s config.',
    '--synthetic N draws N random 3072-wide examples of 10 classes from --seed.',
    `Defaults: ${defaultsHelp(SANITY_DEFAULTS, sanityMap, ['hidden', 'seed', 'targetLoss', 'maxEpochs'])}`,
    `(--preprocess ${SANITY_DEFAULTS.preprocess} applies to --data).`,
    SESSION_HELP
  ].join('\n'),
  options: {
    ...optionsFor(sanityMap),
    data: { type: 'string' },
    synthetic: { type: 'string' },
    'reg-half': { type: 'boolean' },
    session: { type: 'string' }
  },
  async run(ctx) {
    noPositionals(ctx, 'sanity')
    const dataPath = stringOption(ctx, 'data')
    const synthetic = ctx.values.synthetic
    if (dataPath !== undefined && synthetic !== undefined) {
      throw new LabError('invalid-option', '--data and --synthetic exclude each other: give one')
    }
    if (dataPath === undefined && synthetic === undefined) {
      throw new LabError('invalid-option', 'give --data PATH (CIFAR-10) or --synthetic N')
    }
    let data: { type: 'synthetic'; n: number } | { type: 'dataset' }
    if (dataPath === undefined) {
      const { n } = configFromOptions(
        z.strictObject({ n: z.number().int().min(20).max(100_000) }),
        ctx.values,
        { n: ['synthetic', 'int'] }
      )
      data = { type: 'synthetic', n }
    } else {
      data = { type: 'dataset' }
    }
    const config = configFromOptions(jobKinds.sanity.config, ctx.values, sanityMap, {
      data,
      regConvention: ctx.values['reg-half'] === true ? 'half' : 'full'
    })
    const result = await runOnDataAndRecord(ctx, 'sanity', config, dataPath)
    return { json: result, text: sanityText(result) }
  }
}
