/**
 * `layerscope train` (../shared/CLI.md). Options map onto the contract's TrainConfig (errors
 * name the option); `--data PATH` opens a CIFAR-10 copy on the command's service first,
 * `--synthetic N` draws N training examples from the seed; `--session FILE` appends the run.
 * A diverged run is a result (`"status": "diverged"`, exit 0).
 */
import { z } from 'zod'
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import { MAX_SYNTHETIC_TRAIN } from '../../src-shared/experiments'
import type { TrainResult } from '../../src-shared/results'
import type { DatasetRef, JsonValue } from '../../src-shared/session'
import {
  activationParams,
  configFromOptions,
  optionsOf,
  PARAMS_HELP,
  paramsMap,
  runJob,
  stringOption,
  type CliCommand,
  type CommandContext,
  type OptionMap
} from './common'
import { pct } from './format'
import { datasetRefForCli } from './open-dataset'
import { asJsonObject, recordRun, SESSION_HELP, sessionTarget } from './session-option'

/** train's options (compare train takes the same). */
export const trainMap: OptionMap = {
  preprocess: ['preprocess', 'string'],
  components: ['components', 'int'],
  hidden: ['hidden', 'int-list'],
  activation: ['activation', 'string'],
  init: ['init', 'string'],
  std: ['std', 'float'],
  bias: ['bias', 'float'],
  optimizer: ['optimizer', 'string'],
  lr: ['lr', 'float'],
  lrDecay: ['lr-decay', 'float'],
  momentum: ['momentum', 'float'],
  reg: ['reg', 'float'],
  epochs: ['epochs', 'int'],
  batch: ['batch', 'int'],
  val: ['val', 'int'],
  statsEvery: ['stats-every', 'int'],
  seed: ['seed', 'int'],
  divergeAbove: ['diverge-above', 'float'],
  workers: ['workers', 'int']
}

/** `--data PATH` or `--synthetic N` (exactly one), as a TrainConfig data source. */
export function trainData(ctx: CommandContext): {
  data: { type: 'synthetic'; n: number } | { type: 'dataset' }
  path?: string
} {
  const path = stringOption(ctx, 'data')
  const synthetic = ctx.values.synthetic
  if (path !== undefined && synthetic !== undefined)
    throw new LabError('invalid-option', '--data and --synthetic exclude each other: give one')
  if (path === undefined && synthetic === undefined)
    throw new LabError('invalid-option', 'give --data PATH (CIFAR-10) or --synthetic N')
  if (path !== undefined) return { data: { type: 'dataset' }, path }
  const { n } = configFromOptions(
    z.strictObject({ n: z.number().int().min(20).max(MAX_SYNTHETIC_TRAIN) }),
    ctx.values,
    { n: ['synthetic', 'int'] }
  )
  return { data: { type: 'synthetic', n } }
}

/** The dataset a run used, opened on the command's service (`--data`); undefined for --synthetic. */
export async function openTrainData(
  ctx: CommandContext,
  path: string | undefined
): Promise<DatasetRef | undefined> {
  return path === undefined ? undefined : datasetRefForCli(ctx, path)
}

export function trainText(r: TrainResult): string {
  const lines = r.history.map(
    (h) =>
      `epoch ${h.epoch} (iteration ${h.iter}): loss ${h.loss.toFixed(4)}, train ${pct(h.trainAcc)}, val ${pct(h.valAcc)}, lr ${h.lr.toExponential(2)}`
  )
  if (r.status === 'diverged') lines.push(r.message)
  else
    lines.push(
      `${r.status === 'stopped' ? 'stopped early' : 'final'}: train ${pct(r.final.trainAcc)}, val ${pct(r.final.valAcc)}, test ${pct(r.final.testAcc)}`
    )
  if (r.status !== 'diverged' && r.units) {
    const u = r.units
    lines.push(
      `units on ${u.examples} probe examples, start → end: ` +
        u.width
          .map(
            (w, l) =>
              `layer ${l + 1}: dead ${pct(u.deadAtStart[l] ?? 0)} → ${pct(u.deadAtEnd[l] ?? 0)}, distinct ${u.distinctAtStart[l]} → ${u.distinctAtEnd[l]} of ${w}`
          )
          .join('; ')
    )
  }
  lines.push(
    `${r.seconds.toFixed(1)} s, ${Math.round(r.examplesPerSecond)} examples/s (${r.iterations} iterations, ${r.workers} worker${r.workers === 1 ? '' : 's'})`
  )
  return lines.join('\n')
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a net',
  usage:
    'layerscope train (--data PATH | --synthetic N) [--preprocess MODE] [--components K] [--hidden 100[,100…]] [--activation relu] [--slope S | --alpha A | --prelu-alpha A | --pieces K] [--init he] [--std 0.01] [--bias 0] [--optimizer momentum] [--epochs 1] [--batch 200] [--lr 1e-3] [--lr-decay 1] [--momentum 0.9] [--reg 1e-3] [--val 1000] [--stats-every 50] [--seed 1] [--diverge-above 4] [--workers N] [--session FILE] [--json]',
  help: [
    'Minibatch training of a fully-connected net (softmax loss + reg·Σ‖W‖²), float32, on the',
    'worker pool. --data: a CIFAR-10 copy; validation is the last --val training images and the',
    'preprocessing is fitted on the rest (--preprocess pca --components K: the net sees the K',
    'top principal components, input width K; default 100). --synthetic N: N training examples of 10 Gaussian',
    'classes in 3072 dimensions, plus --val validation and 1000 test examples, from --seed.',
    'Optimizers: sgd, momentum, nesterov, adam. --lr-decay multiplies the rate after each epoch.',
    'Inits: zeros, normal (--std), xavier, glorot, he, orthogonal, lsuv, constant (every weight',
    '= --std: all units equal, so they stay copies). --bias B: every bias starts at B (default 0;',
    'the lecture suggests slightly positive, e.g. 0.01, for ReLU). Completed runs report "units":',
    '{ examples, width, deadAtStart, deadAtEnd, distinctAtStart, distinctAtEnd } per hidden layer',
    '(dead: exactly 0 on every probe example; distinct: units that differ from one another).',
    PARAMS_HELP,
    'JSON: { status, history: [{ epoch, iter, loss, trainAcc, valAcc, lr, seconds }], final:',
    '{ trainAcc, valAcc, testAcc }, seconds, examplesPerSecond, losses, stats, … }. --lr: any',
    'finite rate > 0. A run whose loss turns NaN/Infinity, or whose loss averaged over 5',
    'iterations exceeds --diverge-above K × its first value (default 4, 0 = off), ends with',
    '"status": "diverged" and "divergence": { iteration, reason: "non-finite" | "exploded",',
    'loss, first, layer? } (exit 0).',
    '--workers N: cut every minibatch into N slices computed on N worker threads and summed in',
    'order (default: every thread of the pool; the JSON says "workers"). The same --seed and',
    '--workers give the same numbers.',
    SESSION_HELP
  ].join('\n'),
  options: {
    ...optionsOf(trainMap),
    ...optionsOf(paramsMap),
    data: { type: 'string' },
    synthetic: { type: 'string' },
    session: { type: 'string' }
  },
  async run(ctx) {
    if (ctx.positionals[0] !== undefined)
      throw new LabError('invalid-option', `unexpected argument '${ctx.positionals[0]}'`)
    const { data, path } = trainData(ctx)
    const config = configFromOptions(jobKinds.train.config, ctx.values, trainMap, {
      data,
      params: activationParams(ctx)
    })
    if (config.components !== undefined && config.preprocess !== 'pca')
      throw new LabError('invalid-option', '--components applies to --preprocess pca only')
    if (config.components !== undefined && data.type === 'synthetic')
      throw new LabError(
        'invalid-option',
        '--components applies to --data only (pca is fitted on CIFAR-10)'
      )
    const session = await sessionTarget(ctx)
    const dataset = await openTrainData(ctx, path)
    const result = (await runJob(ctx, 'train', config)).result
    await recordRun(ctx, session, {
      kind: 'train',
      config: asJsonObject({ ...config, ...(dataset ? { dataPath: dataset.path } : {}) }),
      result: result as unknown as JsonValue,
      ...(dataset ? { dataset } : {})
    })
    return { json: result, text: trainText(result) }
  }
}
