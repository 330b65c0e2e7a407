/**
 * Opening a CIFAR-10 copy for a command: `loadDatasetForCli` (any command's `--data PATH`, and
 * the PATH of `dataset` and `preprocess`) runs the service's `dataset` job, exactly as in the
 * app; `datasetRefForCli` gives what a session records about it; `pathArgument` reads the one
 * positional PATH.
 */
import type { DatasetSummary } from '../../src-shared/datasets'
import { DatasetOpenConfig } from '../../src-shared/experiments'
import { LabError } from '../../src-shared/errors'
import type { DatasetRef } from '../../src-shared/session'
import { runJob, type CommandContext } from './common'

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

/** Opens `--data PATH` on the command's service; what a session records about that dataset. */
export async function datasetRefForCli(ctx: CommandContext, dataPath: string): Promise<DatasetRef> {
  const summary = await loadDatasetForCli(ctx, dataPath, 'data')
  return {
    path: summary.path,
    fingerprint: summary.fingerprint,
    format: summary.description.format
  }
}

/** The one positional PATH of `dataset` and `preprocess`. */
export function pathArgument(ctx: CommandContext, usage: string): string {
  const [path, ...extra] = ctx.positionals
  if (path === undefined) throw new LabError('invalid-option', `PATH: missing; usage: ${usage}`)
  if (extra.length > 0)
    throw new LabError(
      'invalid-option',
      `unexpected argument '${extra[0]}': give one PATH; usage: ${usage}`
    )
  return path
}
