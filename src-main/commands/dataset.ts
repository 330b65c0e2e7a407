/** `layerscope dataset` (../shared/CLI.md): read a CIFAR-10 copy and describe it. */
import type { DatasetSummary } from '../../src-shared/datasets'
import type { CliCommand } from './common'
import { fixedList } from './format'
import { loadDatasetForCli, pathArgument } from './open-dataset'

function datasetText(s: DatasetSummary): string {
  const d = s.description
  const counts = (c: number[]) => c.map((n, i) => `${d.classes[i] ?? i} ${n}`).join(', ')
  return [
    `CIFAR-10 (${d.format}) from ${d.source}`,
    `train: ${d.splits.train.count} images in ${d.splits.train.files.join(', ')}`,
    `  per class: ${counts(d.splits.train.labelCounts)}`,
    `test: ${d.splits.test.count} images in ${d.splits.test.files.join(', ') || '(none)'}`,
    `  per class: ${counts(d.splits.test.labelCounts)}`,
    `training pixels (0-255): mean R, G, B ${fixedList(d.stats.channelMean)}; std ${fixedList(d.stats.channelStd)}`,
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
