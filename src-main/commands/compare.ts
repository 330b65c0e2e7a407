/**
 * `layerscope compare` (../shared/CLI.md): the base experiment (train or depth, with its own
 * options) once per combination of the `--vary` settings, all on the worker pool at once; with
 * `--search` / `--seeds` a preprocessing study (./study). `--session FILE` appends the run.
 */
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import {
  CompareConfig,
  compareGrid,
  type TrainConfig,
  type VaryValue
} from '../../src-shared/experiments'
import type { CompareResult, CompareRun } from '../../src-shared/results'
import type { JsonValue } from '../../src-shared/session'
import {
  activationParams,
  configFromOptions,
  optionsOf,
  PARAMS_HELP,
  paramsMap,
  runJob,
  stringOption,
  type CliCommand,
  type OptionKind,
  type OptionMap
} from './common'
import { depthMap as depthCommandOptions } from './depth'
import { pct } from './format'
import { asJsonObject, recordRun, SESSION_HELP, sessionTarget } from './session-option'
import { isStudy, runStudyCommand, STUDY_HELP, STUDY_OPTIONS } from './study'
import { openTrainData, trainData, trainMap } from './train'

/** depth's options as `compare depth` takes them: the depth command's, less --input (--data decides). */
const { input: _input, ...depthMap } = depthCommandOptions

function varyValue(opt: string, kind: OptionKind, raw: string): VaryValue {
  const num = (s: string, int: boolean): number => {
    const v = Number(s)
    if (s.trim() === '' || Number.isNaN(v) || (int && !Number.isInteger(v)))
      throw new LabError(
        'invalid-option',
        `--vary ${opt}: '${s}' is not a ${int ? 'whole number' : 'number'}`
      )
    return v
  }
  switch (kind) {
    case 'int':
      return num(raw, true)
    case 'float':
      return num(raw, false)
    case 'int-list':
      return raw.split('/').map((s) => num(s, true))
    case 'flag':
      if (raw !== 'true' && raw !== 'false')
        throw new LabError('invalid-option', `--vary ${opt}: '${raw}' is not true or false`)
      return raw === 'true'
    default:
      return raw
  }
}

/** `--vary OPTION=V1,V2,…` (repeatable, one or two): config field → values. */
export function parseVary(raw: unknown, map: OptionMap, base: string): Record<string, VaryValue[]> {
  const items = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  if (items.length === 0)
    throw new LabError(
      'invalid-option',
      '--vary: give one or two, e.g. --vary preprocess=none,mean-image'
    )
  const byOption = new Map(
    Object.entries(map).map(([field, [opt, kind]]) => [opt, { field, kind }])
  )
  const out: Record<string, VaryValue[]> = {}
  for (const item of items) {
    if (typeof item !== 'string') throw new LabError('invalid-option', '--vary needs a value')
    const eq = item.indexOf('=')
    if (eq <= 0 || eq === item.length - 1)
      throw new LabError(
        'invalid-option',
        `--vary '${item}': write OPTION=VALUE,VALUE (e.g. preprocess=none,mean-image)`
      )
    const opt = item.slice(0, eq)
    const spec = byOption.get(opt)
    if (!spec)
      throw new LabError(
        'invalid-option',
        `--vary ${opt}: ${base} has no option --${opt} (options: ${[...byOption.keys()].join(', ')})`
      )
    if (spec.field in out) throw new LabError('invalid-option', `--vary ${opt} is given twice`)
    out[spec.field] = item
      .slice(eq + 1)
      .split(',')
      .map((v) => varyValue(opt, spec.kind, v))
  }
  return out
}

function compareText(r: CompareResult): string {
  const line = <R>(run: CompareRun<R>, text: (result: R) => string): string => {
    const label = Object.entries(run.vary)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('/') : String(v)}`)
      .join(' ')
    return 'error' in run
      ? `${label}: failed: ${run.error.message}`
      : `${label}: ${text(run.result)}`
  }
  const lines =
    r.base === 'train'
      ? r.runs.map((run) =>
          line(run, (t) =>
            t.status === 'diverged'
              ? t.message
              : `val ${pct(t.final.valAcc)}, test ${pct(t.final.testAcc)} (${t.seconds.toFixed(1)} s)`
          )
        )
      : r.runs.map((run) =>
          line(run, (d) => {
            const last = d.layers.at(-1)
            return `last layer std ${last ? last.std.toPrecision(4) : '–'}, loss ${d.loss.toPrecision(4)}`
          })
        )
  return lines.join('\n')
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'the same experiment under several settings, in parallel',
  usage:
    "layerscope compare (train | depth) --vary OPTION=V1,V2[,…] [--vary OPTION=…] [the base command's options] [--search lr=LO:HI] [--trials 8] [--search-epochs 1] [--refine 0] [--search-seed S] [--seeds 3] [--session FILE] [--json]",
  help: [
    'Runs the base experiment (train or depth, with its own options) once per combination of',
    'the varied settings (one --vary, or two for a grid), all on the worker pool at once.',
    'Examples: compare train --data PATH --vary preprocess=none,mean-image,channel-mean,standardize',
    '          compare depth --vary activation=tanh,relu --vary init=xavier,he',
    'List values (--hidden) use / between layers: --vary hidden=100,100/100.',
    'JSON: { base, runs: [ { vary, result } | { vary, error } ] }. At most 16 runs.',
    PARAMS_HELP,
    ...STUDY_HELP,
    SESSION_HELP
  ].join('\n'),
  options: {
    ...optionsOf(trainMap),
    ...optionsOf(depthMap),
    ...optionsOf(paramsMap),
    vary: { type: 'string', multiple: true },
    ...STUDY_OPTIONS,
    data: { type: 'string' },
    synthetic: { type: 'string' },
    session: { type: 'string' }
  },
  async run(ctx) {
    const [base, ...extra] = ctx.positionals
    if (base !== 'train' && base !== 'depth')
      throw new LabError(
        'invalid-option',
        `give the experiment to compare first: compare train … or compare depth … (got ${base === undefined ? 'nothing' : `'${base}'`})`
      )
    if (extra[0] !== undefined)
      throw new LabError('invalid-option', `unexpected argument '${extra[0]}'`)
    const map = base === 'train' ? trainMap : depthMap
    const foreign = Object.keys(base === 'train' ? depthMap : trainMap)
      .map((f) => (base === 'train' ? depthMap : trainMap)[f]![0])
      .filter((o) => !Object.values(map).some(([own]) => own === o))
      .find((o) => ctx.values[o] !== undefined)
    if (foreign) throw new LabError('invalid-option', `--${foreign} is not an option of ${base}`)
    let path: string | undefined
    let config: Record<string, unknown>
    if (base === 'train') {
      const d = trainData(ctx)
      path = d.path
      config = configFromOptions(jobKinds.train.config, ctx.values, trainMap, {
        data: d.data,
        params: activationParams(ctx)
      })
    } else {
      if (ctx.values.synthetic !== undefined)
        throw new LabError('invalid-option', '--synthetic is not an option of depth')
      path = stringOption(ctx, 'data')
      config = configFromOptions(jobKinds.depth.config, ctx.values, depthMap, {
        params: activationParams(ctx),
        ...(path === undefined ? {} : { input: 'cifar' })
      })
    }
    const vary = parseVary(ctx.values.vary, map, base)
    if (
      base === 'train' &&
      (config.components !== undefined || vary.components !== undefined) &&
      !compareGrid(config, vary).some((r) => r.config.preprocess === 'pca')
    )
      throw new LabError('invalid-option', '--components applies to runs with preprocess pca only')
    if (isStudy(ctx)) {
      if (base !== 'train')
        throw new LabError(
          'invalid-option',
          '--search and --seeds make a study: compare train only'
        )
      return runStudyCommand(ctx, config as TrainConfig, vary, () => openTrainData(ctx, path))
    }
    const parsed = CompareConfig.safeParse({ base, config, vary })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue?.path[1]
      const opt = typeof field === 'string' ? (map[field]?.[0] ?? field) : undefined
      throw new LabError(
        'invalid-option',
        `--vary${opt ? ` ${opt}` : ''}: ${issue?.message ?? 'invalid comparison'}`
      )
    }
    const session = await sessionTarget(ctx)
    const dataset = await openTrainData(ctx, path)
    const result = (await runJob(ctx, 'compare', parsed.data)).result
    await recordRun(ctx, session, {
      kind: 'compare',
      config: asJsonObject({ ...parsed.data, ...(dataset ? { dataPath: dataset.path } : {}) }),
      result: result as unknown as JsonValue,
      ...(dataset ? { dataset } : {})
    })
    return { json: result, text: compareText(result) }
  }
}
