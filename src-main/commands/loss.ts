/** `layerscope loss` (../shared/CLI.md): forward and backward of a given net on given data. */
import path from 'node:path'
import { z } from 'zod'
import { LabError } from '../../src-shared/errors'
import { GradcheckConfig } from '../../src-shared/experiments'
import type { LossResult } from '../../src-shared/results'
import type { JsonValue } from '../../src-shared/session'
import { configFromOptions, noPositionals, runJob, stringOption, type CliCommand } from './common'
import { fmt } from './format'
import { inFiles, readJsonOption } from './json-files'
import { netForSession, recordRun, SESSION_HELP, sessionTarget } from './session-option'

export const lossCommand: CliCommand = {
  name: 'loss',
  summary: 'forward and backward of a given net on given data',
  usage:
    'layerscope loss --net NET.json --data DATA.json [--dtype float64|float32] [--session FILE] [--json]',
  help: [
    'Scores, loss (data + regularization) and every parameter gradient of the net in NET.json',
    'on the examples in DATA.json ({ "X": [[...]], "y": [...] }). The NET.json format is in',
    'the CLI reference. float64 unless --dtype float32.',
    SESSION_HELP
  ].join('\n'),
  options: {
    net: { type: 'string' },
    data: { type: 'string' },
    dtype: { type: 'string' },
    session: { type: 'string' }
  },
  async run(ctx) {
    noPositionals(ctx, 'loss')
    const netFile = stringOption(ctx, 'net')
    const dataFile = stringOption(ctx, 'data')
    if (netFile === undefined) throw new LabError('invalid-option', '--net NET.json is required')
    if (dataFile === undefined) throw new LabError('invalid-option', '--data DATA.json is required')
    const { dtype } = configFromOptions(
      z.strictObject({ dtype: GradcheckConfig.shape.dtype }),
      ctx.values,
      { dtype: ['dtype', 'string'] }
    )
    const net = await readJsonOption('net', netFile)
    const data = await readJsonOption('data', dataFile)
    const session = await sessionTarget(ctx)
    let result: LossResult
    try {
      result = (await runJob(ctx, 'loss', { net, data, dtype })).result
    } catch (e) {
      throw inFiles(e, { net: netFile, data: dataFile })
    }
    const netJson = netForSession(net)
    await recordRun(ctx, session, {
      kind: 'loss',
      config: { net: path.resolve(netFile), data: path.resolve(dataFile), dtype },
      result: result as unknown as JsonValue,
      ...(netJson === undefined ? {} : { net: netJson })
    })
    const text = [
      `loss ${fmt(result.loss, 10)} (data ${fmt(result.dataLoss, 10)} + regularization ${fmt(result.regLoss, 10)})`,
      `${result.scores.length} examples × ${result.scores[0]?.length ?? 0} scores; gradients for ${result.grads.filter((g) => g !== null).length} layers (--json prints them)`
    ].join('\n')
    return { json: result, text }
  }
}
