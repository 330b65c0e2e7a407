/**
 * `layerscope train` and `layerscope compare` (../shared/CLI.md). Options map onto the
 * contract's TrainConfig / DepthConfig (errors name the option); `--data PATH` opens a CIFAR-10
 * copy on the command's service first, `--synthetic N` draws N training examples from the seed;
 * `--session FILE` appends the run. A diverged run is a result (`"status": "diverged"`, exit 0).
 */
import { pct } from './format'
import { z } from 'zod'
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import {
  CompareConfig,
  MAX_SYNTHETIC_TRAIN,
  compareGrid,
  type TrainConfig,
  type VaryValue
} from '../../src-shared/experiments'
import type { CompareResult, CompareRun, TrainResult } from '../../src-shared/results'
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
  type OptionKind,
  type OptionMap
} from './common'
import { loadDatasetForCli } from './data'
import { depthMap as depthCommandOptions } from './depth'
import { asJsonObject, recordRun, SESSION_HELP, sessionTarget } from './session-option'
import { isStudy, runStudyCommand, STUDY_HELP, STUDY_OPTIONS } from './study'

const trainMap: OptionMap = {
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

/** depth's options as `compare depth` takes them: the depth command's, less --input (--data decides). */
const { input: _input, ...depthMap } = depthCommandOptions

/** `--data PATH` or `--synthetic N` (exactly one), as a TrainConfig data source. */
function trainData(ctx: CommandContext): {
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

async function openData(ctx: CommandContext, path: string | undefined) {
  if (path === undefined) return undefined
  const s = await loadDatasetForCli(ctx, path, 'data')
  const ref: DatasetRef = { path: s.path, fingerprint: s.fingerprint, format: s.description.format }
  return ref
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
    const dataset = await openData(ctx, path)
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

// ---------------------------------------------------------------- compare

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
      return runStudyCommand(ctx, config as TrainConfig, vary, () => openData(ctx, path))
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
    const dataset = await openData(ctx, path)
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
