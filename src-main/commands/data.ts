/**
 * `layerscope dataset` and `layerscope preprocess` (../shared/CLI.md), and `loadDatasetForCli`,
 * which any command's `--data PATH` uses to open a CIFAR-10 copy on the command's service
 * before starting its job. Opening is the service's `dataset` job, exactly as in the app.
 */
import type { ParseArgsConfig } from 'node:util'
import type { DatasetSummary, PreprocessJobResult } from '../../src-shared/datasets'
import { DatasetOpenConfig, PreprocessConfig } from '../../src-shared/experiments'
import { LabError } from '../../src-shared/errors'
import {
  configFromOptions,
  runJob,
  type CliCommand,
  type CommandContext,
  type OptionMap
} from './common'

/**
 * Opens the CIFAR-10 copy at `path` on the command's service (relative paths against the
 * working folder) and returns its summary. `option` names where the path came from in errors
 * (`data` for `--data`, `PATH` for a positional argument).
 */
export async function loadDatasetForCli(
  ctx: CommandContext,
  path: unknown,
  option = 'data'
): Promise<DatasetSummary> {
  const where = option === 'PATH' ? 'PATH' : `--${option}`
  if (typeof path !== 'string')
    throw new LabError(
      'invalid-option',
      `${where}: give the CIFAR-10 folder or .tar.gz to read (e.g. cifar-10-batches-bin)`
    )
  const parsed = DatasetOpenConfig.safeParse({ path })
  if (!parsed.success)
    throw new LabError(
      'invalid-option',
      `${where}: ${parsed.error.issues[0]?.message ?? 'not a usable path'}`
    )
  const done = await runJob(ctx, 'dataset', parsed.data)
  return done.result
}

/** The one positional PATH of `dataset` and `preprocess`. */
function pathArgument(ctx: CommandContext, usage: string): string {
  const [path, ...extra] = ctx.positionals
  if (path === undefined) throw new LabError('invalid-option', `PATH: missing; usage: ${usage}`)
  if (extra.length > 0)
    throw new LabError(
      'invalid-option',
      `unexpected argument '${extra[0]}': give one PATH; usage: ${usage}`
    )
  return path
}

const fmt = (xs: number[], digits = 2) => xs.map((x) => x.toFixed(digits)).join(', ')

function datasetText(s: DatasetSummary): string {
  const d = s.description
  const counts = (c: number[]) => c.map((n, i) => `${d.classes[i] ?? i} ${n}`).join(', ')
  return [
    `CIFAR-10 (${d.format}) from ${d.source}`,
    `train: ${d.splits.train.count} images in ${d.splits.train.files.join(', ')}`,
    `  per class: ${counts(d.splits.train.labelCounts)}`,
    `test: ${d.splits.test.count} images in ${d.splits.test.files.join(', ') || '(none)'}`,
    `  per class: ${counts(d.splits.test.labelCounts)}`,
    `training pixels (0-255): mean R, G, B ${fmt(d.stats.channelMean)}; std ${fmt(d.stats.channelStd)}`,
    `fingerprint ${s.fingerprint}`,
    ...d.warnings.map((w) => `warning: ${w}`)
  ].join('\n')
}

const DATASET_USAGE = 'layerscope dataset PATH [--json]'

export const datasetCommand: CliCommand = {
  name: 'dataset',
  summary: 'read a CIFAR-10 copy and describe it',
  usage: DATASET_USAGE,
  help:
    'PATH: a cifar-10-batches-bin or cifar-10-batches-py folder, cifar-10-binary.tar.gz or ' +
    'cifar-10-python.tar.gz, or a folder holding one. Prints { format, source, classes, ' +
    'splits: { train, test }: { count, files, labelCounts }, stats: { channelMean, channelStd }, ' +
    'warnings } (statistics over the training split, 0-255 scale). A partial copy loads with ' +
    'a warning.',
  options: {},
  async run(ctx) {
    const summary = await loadDatasetForCli(ctx, pathArgument(ctx, DATASET_USAGE), 'PATH')
    return { json: summary.description, text: datasetText(summary) }
  }
}

const preprocessMap: OptionMap = {
  mode: ['mode', 'string'],
  val: ['val', 'int'],
  epsilon: ['epsilon', 'float'],
  components: ['components', 'int']
}

const PREPROCESS_USAGE =
  'layerscope preprocess PATH --mode MODE [--val N] [--epsilon E] [--components K] [--json]'

function preprocessText(r: PreprocessJobResult): string {
  const { report } = r
  const line = (name: string, s: { count: number; mean: number; std: number } | undefined) =>
    s
      ? `${name}: ${s.count} images, mean ${s.mean.toPrecision(4)}, std ${s.std.toPrecision(4)}`
      : null
  return [
    `${report.mode}: fitted on ${String(report.fit.count)} training images`,
    typeof report.fit.components === 'number' && typeof report.fit.explainedVariance === 'number'
      ? `the top ${report.fit.components} eigenvectors keep ${(100 * report.fit.explainedVariance).toFixed(1)} % of the variance`
      : null,
    line('train', report.after.train),
    line('val', report.after.val),
    line('test', report.after.test)
  ]
    .filter((l): l is string => l !== null)
    .join('\n')
}

export const preprocessCommand: CliCommand = {
  name: 'preprocess',
  summary: 'what a preprocessing mode does to the data',
  usage: PREPROCESS_USAGE,
  help:
    'Modes: none, mean-image, channel-mean, standardize (3072 means and stds), ' +
    'channel-standardize (3 means and stds), zca, pca (projection onto the top --components K ' +
    'eigenvectors of the covariance, default 100: K features instead of 3072). Statistics are ' +
    'fitted on the training split minus the last --val N images (default 0) and applied to ' +
    'every split. Prints { mode, fit, after: { train, val?, test } }; values are on the 0-255 ' +
    'scale, except zca and pca, which divide by 255 first so that --epsilon (zca, default 0.1) ' +
    'and the eigenvalues are on the 0-1 scale.',
  options: {
    mode: { type: 'string' },
    val: { type: 'string' },
    epsilon: { type: 'string' },
    components: { type: 'string' }
  } satisfies ParseArgsConfig['options'],
  async run(ctx) {
    const path = pathArgument(ctx, PREPROCESS_USAGE)
    // Check the options before spending time on the data.
    const config = configFromOptions(PreprocessConfig, ctx.values, preprocessMap)
    if (config.components !== undefined && config.mode !== 'pca')
      throw new LabError('invalid-option', '--components applies to --mode pca only')
    if (config.epsilon !== undefined && config.mode !== 'zca')
      throw new LabError('invalid-option', '--epsilon applies to --mode zca only')
    await loadDatasetForCli(ctx, path, 'PATH')
    const done = await runJob(ctx, 'preprocess', config)
    const result = done.result
    return { json: result.report, text: preprocessText(result) }
  }
}
