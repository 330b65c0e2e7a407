/**
 * Running a depth or sanity job — on a CIFAR-10 copy given as `--data PATH` when there is one —
 * and appending it to the `--session` file with the dataset it used.
 */
import type { JobConfig, JobResult } from '../../src-shared/contract'
import type { JsonValue } from '../../src-shared/session'
import { runJob, type CommandContext } from './common'
import { datasetRefForCli } from './open-dataset'
import { asJsonObject, recordRun, sessionTarget } from './session-option'

/**
 * Runs a depth or sanity job — on the CIFAR-10 copy at `dataPath` when given — and appends it to
 * the --session file: the file is checked first, the dataset opened, the run recorded with it.
 */
export async function runOnDataAndRecord<K extends 'depth' | 'sanity'>(
  ctx: CommandContext,
  kind: K,
  config: JobConfig<K>,
  dataPath: string | undefined
): Promise<JobResult<K>> {
  const session = await sessionTarget(ctx)
  const dataset = dataPath === undefined ? undefined : await datasetRefForCli(ctx, dataPath)
  const result = (await runJob(ctx, kind, config)).result
  await recordRun(ctx, session, {
    kind,
    config: asJsonObject({ ...config, ...(dataset ? { dataPath: dataset.path } : {}) }),
    result: result as unknown as JsonValue,
    ...(dataset ? { dataset } : {})
  })
  return result
}
