/** `layerscope preprocess` (../shared/CLI.md): what a preprocessing mode does to the data. */
import type { ParseArgsConfig } from 'node:util'
import type { PreprocessJobResult } from '../../src-shared/datasets'
import { PreprocessConfig } from '../../src-shared/experiments'
import { LabError } from '../../src-shared/errors'
import { configFromOptions, runJob, type CliCommand, type OptionMap } from './common'
import { loadDatasetForCli, pathArgument } from './open-dataset'

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
