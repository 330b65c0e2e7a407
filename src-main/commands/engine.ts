/**
 * The engine's commands (../shared/CLI.md): depth, loss, gradcheck, sanity, bench, and
 * `session FILE` to inspect a session file. Options map onto the contract's zod configurations
 * (errors name the option); work runs on the service's worker pool; `--session FILE` appends
 * the run to a session file (./session-option).
 */
import path from 'node:path'
import type { ParseArgsConfig } from 'node:util'
import { z } from 'zod'
import { jobKinds, type JobConfig, type JobResult } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import { jsonTooDeepAt } from '../../src-shared/json-depth'
import { InputFileError, readRegularText } from '../lab/input-files'
import { GradcheckConfig } from '../../src-shared/experiments'
import type {
  DepthResult,
  GradcheckResult,
  LossResult,
  SanityResult
} from '../../src-shared/results'
import type { DatasetRef, JsonObject, JsonValue } from '../../src-shared/session'
import { benchAllCores } from '../lab/bench'
import type { BenchResult } from '../../src-workers/nn/bench'
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
import { sessionLabError } from '../lab/session-state'
import { openSession, sessionSummary } from '../lab/sessions'
import { loadDatasetForCli } from './data'
import {
  asJsonObject,
  netForSession,
  recordRun,
  SESSION_HELP,
  sessionTarget
} from './session-option'

type Options = NonNullable<ParseArgsConfig['options']>

/** The parseArgs options of several option maps together. */
function optionsFor(...maps: OptionMap[]): Options {
  return Object.assign({}, ...maps.map(optionsOf)) as Options
}

function noPositionals(ctx: CommandContext, command: string): void {
  const extra = ctx.positionals[0]
  if (extra !== undefined) {
    throw new LabError(
      'invalid-option',
      `unexpected argument '${extra}' (see layerscope ${command} --help)`
    )
  }
}

const fmt = (v: number, digits = 6): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v))
const sci = (v: number): string => (Number.isFinite(v) ? v.toExponential(2) : String(v))

// ---------------------------------------------------------------- files

/** Largest NET.json / DATA.json read (bytes). */
const MAX_JSON_BYTES = 256 * 1024 * 1024
/** Deepest nesting of arrays/objects in a NET.json / DATA.json (they nest about five). */
const MAX_JSON_NESTING = 64

/** Reads and parses a JSON file given as `--opt FILE`; every failure names the option and file. */
export async function readJsonOption(opt: string, file: string): Promise<unknown> {
  const abs = path.resolve(file)
  let text: string
  try {
    text = await readRegularText(abs, MAX_JSON_BYTES)
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e
    const code = e.problem === 'not-found' ? 'file-not-found' : 'invalid-file'
    throw new LabError(
      code,
      `--${opt}: ${abs}${e.problem === 'not-found' ? ':' : ''} ${e.message}`,
      {
        file: abs
      }
    )
  }
  if (jsonTooDeepAt(text, MAX_JSON_NESTING) >= 0) {
    throw new LabError(
      'invalid-json',
      `--${opt}: ${abs} nests deeper than ${MAX_JSON_NESTING} levels; a NET.json or DATA.json nests a few`,
      { file: abs }
    )
  }
  if (text.trim() === '') {
    throw new LabError('invalid-json', `--${opt}: ${abs} is empty (expected JSON)`, { file: abs })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    throw new LabError(
      'invalid-json',
      `--${opt}: ${abs} is not valid JSON: ${(e as Error).message}`,
      {
        file: abs
      }
    )
  }
}

/** The engine names the place in the net or data (`net.layers[2].W`); add which file it is. */
function inFiles(e: unknown, files: { net: string; data: string }): unknown {
  if (!(e instanceof LabError) || e.code !== 'invalid-input') return e
  const file = e.message.startsWith('data') ? files.data : files.net
  return new LabError(e.code, `${path.resolve(file)}: ${e.message}`, { file: path.resolve(file) })
}

// ---------------------------------------------------------------- depth

/** depth's options (compare depth takes the same, less --input). */
export const depthMap: OptionMap = {
  layers: ['layers', 'int'],
  width: ['width', 'int'],
  activation: ['activation', 'string'],
  init: ['init', 'string'],
  std: ['std', 'float'],
  gain: ['gain', 'float'],
  bias: ['bias', 'float'],
  samples: ['samples', 'int'],
  input: ['input', 'string'],
  preprocess: ['preprocess', 'string'],
  upstream: ['upstream', 'string'],
  bins: ['bins', 'int'],
  seed: ['seed', 'int'],
  dtype: ['dtype', 'string']
}

/** Opens `--data PATH` on the command's service; the session records which dataset it was. */
async function openDatasetForCli(ctx: CommandContext, dataPath: string): Promise<DatasetRef> {
  const summary = await loadDatasetForCli(ctx, dataPath, 'data')
  return {
    path: summary.path,
    fingerprint: summary.fingerprint,
    format: summary.description.format
  }
}

/**
 * Runs a depth or sanity job — on the CIFAR-10 copy at `dataPath` when given — and appends it to
 * the --session file: the file is checked first, the dataset opened, the run recorded with it.
 */
async function runOnDataAndRecord<K extends 'depth' | 'sanity'>(
  ctx: CommandContext,
  kind: K,
  config: JobConfig<K>,
  dataPath: string | undefined
): Promise<JobResult<K>> {
  const session = await sessionTarget(ctx)
  const dataset = dataPath === undefined ? undefined : await openDatasetForCli(ctx, dataPath)
  const result = (await runJob(ctx, kind, config)).result
  await recordRun(ctx, session, {
    kind,
    config: asJsonObject({ ...config, ...(dataset ? { dataPath: dataset.path } : {}) }),
    result: result as unknown as JsonValue,
    ...(dataset ? { dataset } : {})
  })
  return result
}

/** The seed's printout (cs231n, "Activation functions"): one line per layer. */
export function depthText(r: DepthResult): string {
  const lines = [`input layer had mean ${fmt(r.input.mean)} and std ${fmt(r.input.std)}`]
  for (const l of r.layers) {
    lines.push(`hidden layer ${l.layer} had mean ${fmt(l.mean)} and std ${fmt(l.std)}`)
  }
  lines.push('')
  lines.push('layer  saturated  dead     std(dW)     std(dX)')
  for (const l of r.layers) {
    lines.push(
      `${String(l.layer).padStart(5)}  ${fmt(l.saturated, 4).padStart(9)}  ${fmt(l.dead, 4).padStart(6)}` +
        `  ${sci(l.dW.std).padStart(10)}  ${sci(l.dX.std).padStart(10)}`
    )
  }
  lines.push(`loss ${fmt(r.loss)}`)
  return lines.join('\n')
}

export const depthCommand: CliCommand = {
  name: 'depth',
  summary: 'activation and gradient statistics across depth',
  usage:
    'layerscope depth --layers 10 --width 500 --activation tanh --init normal --std 0.01 --samples 1000 --input gaussian --upstream randn --bins 50 --seed 1 [--data PATH --preprocess MODE] [--session FILE] [--json]',
  help: [
    'Pushes a batch through a stack of layers H_l = f(H_{l-1} W_l) and reports, per layer, the',
    'mean and std of the activations and pre-activations, a histogram, the saturated and dead',
    'fractions, and the statistics of dL/dW_l and dL/dH_{l-1}.',
    'Defaults: --layers 10 --width 500 --activation tanh --init normal --std 0.01 --samples 1000',
    '--input gaussian --upstream randn --bins 50 --seed 1 --dtype float32; no bias unless --bias B.',
    '--gain G scales the orthogonal init. ' + PARAMS_HELP,
    SESSION_HELP
  ].join('\n'),
  options: {
    ...optionsFor(depthMap, paramsMap),
    data: { type: 'string' },
    session: { type: 'string' }
  },
  async run(ctx) {
    noPositionals(ctx, 'depth')
    const dataPath = stringOption(ctx, 'data')
    const input = stringOption(ctx, 'input')
    if (dataPath !== undefined && input !== undefined && input !== 'cifar') {
      throw new LabError('invalid-option', `--input ${input} cannot be combined with --data`)
    }
    if (input === 'cifar' && dataPath === undefined) {
      throw new LabError('invalid-option', '--input cifar needs --data PATH (a CIFAR-10 copy)')
    }
    if (dataPath === undefined && ctx.values.preprocess !== undefined) {
      throw new LabError('invalid-option', '--preprocess applies to --data input only')
    }
    const config = configFromOptions(jobKinds.depth.config, ctx.values, depthMap, {
      params: activationParams(ctx),
      ...(dataPath === undefined ? {} : { input: 'cifar' })
    })
    const result = await runOnDataAndRecord(ctx, 'depth', config, dataPath)
    return { json: result, text: depthText(result) }
  }
}

// ---------------------------------------------------------------- loss

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
      result = await ctx.service().pool.run('loss', { net, data, dtype })
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

// ---------------------------------------------------------------- gradcheck

const gradcheckMap: OptionMap = {
  activation: ['activation', 'string'],
  layers: ['layers', 'int'],
  width: ['width', 'int'],
  input: ['input', 'int'],
  classes: ['classes', 'int'],
  samples: ['samples', 'int'],
  h: ['h', 'float'],
  reg: ['reg', 'float'],
  loss: ['loss', 'string'],
  seed: ['seed', 'int'],
  dtype: ['dtype', 'string'],
  sample: ['sample', 'int'],
  burnIn: ['burn-in', 'int'],
  excludeKinks: ['exclude-kinks', 'flag']
}
/** What applies to a given --net/--data too; the rest describes the generated net. */
const gradcheckNetMap: OptionMap = {
  h: ['h', 'float'],
  seed: ['seed', 'int'],
  dtype: ['dtype', 'string'],
  sample: ['sample', 'int'],
  excludeKinks: ['exclude-kinks', 'flag']
}

export function gradcheckText(r: GradcheckResult): string {
  const w = Math.max(5, ...r.params.map((p) => p.name.length))
  const lines = [
    `${'param'.padEnd(w)}  ${'relError'.padStart(10)}  ${'normRelError'.padStart(12)}  kinks  verdict`
  ]
  for (const p of r.params) {
    lines.push(
      `${p.name.padEnd(w)}  ${sci(p.relError).padStart(10)}  ${sci(p.normRelError).padStart(12)}  ${String(p.kinks).padStart(5)}  ${p.verdict}`
    )
  }
  lines.push(
    `verdict: ${r.verdict} (max relError ${sci(r.maxRelError)}; bands on normRelError: great < 1e-7, check < 1e-4, concern < 1e-2, wrong above)` +
      (r.kinksExcluded ? '; entries at kinks excluded' : '')
  )
  const kinks = r.params.reduce((a, p) => a + p.kinks, 0)
  if (r.verdicts && kinks > 0)
    lines.push(
      `both ways: ${r.verdicts.allEntries} counting every entry, ${r.verdicts.excludingKinks} with the ${kinks} entr${kinks === 1 ? 'y' : 'ies'} at kinks left out`
    )
  return lines.join('\n')
}

export const gradcheckCommand: CliCommand = {
  name: 'gradcheck',
  summary: 'analytic vs numeric gradients',
  usage:
    'layerscope gradcheck [--activation relu --layers 2 --width 10 --input 4 --classes 3 --samples 5 --reg 0.05 | --net NET.json --data DATA.json] [--h 1e-5] [--sample K] [--exclude-kinks] [--dtype float64|float32] [--seed 1] [--session FILE] [--json]',
  help: [
    'Centred differences against the analytic gradient of every parameter (or --sample K random',
    'entries per parameter). A generated toy net (weights N(0, 0.1^2), biases 0, X = randn,',
    'uniform labels, all from --seed; --layers counts affine layers) or a given --net/--data.',
    'Defaults: --activation relu --layers 2 --width 10 --input 4 --classes 3 --samples 5',
    '--h 1e-5 --reg 0.05 --loss softmax --seed 1 --dtype float64. --burn-in K checks after K',
    'SGD steps. --exclude-kinks leaves entries whose ±h crossed a kink (ReLU-family units through',
    '0, maxout ties, SVM margins) out of the errors and verdicts; both verdicts are always in',
    '"verdicts": { allEntries, excludingKinks } and per parameter. ' + PARAMS_HELP,
    SESSION_HELP
  ].join('\n'),
  options: {
    ...optionsFor(gradcheckMap, paramsMap),
    net: { type: 'string' },
    data: { type: 'string' },
    session: { type: 'string' }
  },
  async run(ctx) {
    noPositionals(ctx, 'gradcheck')
    const netFile = stringOption(ctx, 'net')
    const dataFile = stringOption(ctx, 'data')
    let result: GradcheckResult
    let config: JsonObject
    let net: unknown
    const session = { file: null as string | null }
    if (netFile === undefined && dataFile === undefined) {
      const c = configFromOptions(jobKinds.gradcheck.config, ctx.values, gradcheckMap, {
        params: activationParams(ctx)
      })
      session.file = await sessionTarget(ctx)
      result = (await runJob(ctx, 'gradcheck', c)).result
      config = asJsonObject(c)
    } else {
      if (netFile === undefined) throw new LabError('invalid-option', '--data needs --net NET.json')
      if (dataFile === undefined)
        throw new LabError('invalid-option', '--net needs --data DATA.json')
      const own = new Set(Object.values(gradcheckNetMap).map(([o]) => o))
      for (const [opt] of [...Object.values(gradcheckMap), ...Object.values(paramsMap)]) {
        if (!own.has(opt) && ctx.values[opt] !== undefined) {
          throw new LabError(
            'invalid-option',
            `--${opt} describes a generated net; it cannot be combined with --net (the net file says it)`
          )
        }
      }
      const c = configFromOptions(
        GradcheckConfig.pick({
          h: true,
          seed: true,
          dtype: true,
          sample: true,
          excludeKinks: true
        }),
        ctx.values,
        gradcheckNetMap
      )
      net = await readJsonOption('net', netFile)
      const data = await readJsonOption('data', dataFile)
      session.file = await sessionTarget(ctx)
      try {
        result = await ctx.service().pool.run('gradcheckNet', {
          net,
          data,
          h: c.h,
          dtype: c.dtype,
          seed: c.seed,
          excludeKinks: c.excludeKinks,
          ...(c.sample === undefined ? {} : { sample: c.sample })
        })
      } catch (e) {
        throw inFiles(e, { net: netFile, data: dataFile })
      }
      config = asJsonObject({ net: path.resolve(netFile), data: path.resolve(dataFile), ...c })
    }
    const netJson = net === undefined ? undefined : netForSession(net)
    await recordRun(ctx, session.file, {
      kind: 'gradcheck',
      config,
      result: result as unknown as JsonValue,
      ...(netJson === undefined ? {} : { net: netJson })
    })
    return { json: result, text: gradcheckText(result) }
  }
}

// ---------------------------------------------------------------- sanity

const sanityMap: OptionMap = {
  hidden: ['hidden', 'int'],
  preprocess: ['preprocess', 'string'],
  seed: ['seed', 'int'],
  targetLoss: ['target-loss', 'float'],
  maxEpochs: ['max-epochs', 'int']
}

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
    'Defaults: --hidden 50 --seed 1 --target-loss 0.01 --max-epochs 2000',
    '(--preprocess mean-image applies to --data).',
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

// ---------------------------------------------------------------- bench

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: "speed of this machine's engine",
  usage: 'layerscope bench [--repeats 5] [--json]',
  help: [
    'GEMM GFLOP/s at three shapes in one worker thread; one epoch of the 3072-100-10 ReLU net',
    '(50,000 synthetic examples, batch 200, SGD) and forward+backward of the 10 x 500 tanh stack',
    'on 1000 samples, each on 1 worker and on every thread of the pool (--threads) through the',
    "engine's data-parallel paths; float32, after a warm-up; medians of --repeats (default 5).",
    'JSON: { kernel, gemm, workers, epochSeconds, depthMs (all workers), epochSecondsOneCore,',
    'depthMsOneCore, epochSecondsKernelLoop, depthMsKernelLoop (the one-thread loops on gemm).',
    'Progress lines go to stderr. `npm run bench` puts numpy beside these figures.'
  ].join('\n'),
  options: { repeats: { type: 'string' } },
  async run(ctx) {
    noPositionals(ctx, 'bench')
    const { repeats } = configFromOptions(
      z.strictObject({ repeats: z.number().int().min(1).max(50).default(5) }),
      ctx.values,
      { repeats: ['repeats', 'int'] }
    )
    const pool = ctx.service().pool
    const loops: BenchResult = await pool.run(
      'bench',
      { repeats },
      { onProgress: (p) => p.message !== undefined && ctx.io.stderr(`${p.message}\n`) }
    )
    const all = await benchAllCores(pool, { repeats, log: (l) => ctx.io.stderr(`${l}\n`) })
    const result = {
      kernel: loops.kernel,
      gemm: loops.gemm,
      workers: all.workers,
      epochSeconds: all.epochSeconds,
      depthMs: all.depthMs,
      epochSecondsOneCore: all.epochSecondsOneCore,
      depthMsOneCore: all.depthMsOneCore,
      epochSecondsKernelLoop: loops.epochSeconds,
      depthMsKernelLoop: loops.depthMs
    }
    const w = all.workers
    const text = [
      `kernel ${result.kernel}`,
      ...result.gemm.map((g) => `gemm ${g.shape}: ${g.gflops.toFixed(1)} GFLOP/s`),
      `epoch (3072-100-10 ReLU, 50,000 examples, batch 200): ${all.epochSeconds.toFixed(2)} s on ${w} workers, ${all.epochSecondsOneCore.toFixed(2)} s on 1 (${(all.epochSecondsOneCore / all.epochSeconds).toFixed(2)}x)`,
      `depth (10 x 500 tanh, 1000 samples, forward+backward): ${all.depthMs.toFixed(0)} ms on ${w} workers, ${all.depthMsOneCore.toFixed(0)} ms on 1 (${(all.depthMsOneCore / all.depthMs).toFixed(2)}x)`,
      `one-thread loops on gemm: epoch ${loops.epochSeconds.toFixed(2)} s, depth ${loops.depthMs.toFixed(0)} ms`
    ].join('\n')
    return { json: result, text }
  }
}

// ---------------------------------------------------------------- session

export const sessionCommand: CliCommand = {
  name: 'session',
  summary: 'inspect a session file',
  usage: 'layerscope session FILE [--json]',
  help: [
    'Lists the runs of a *.layerscope session file with their configuration and results.',
    'The file is only read; a damaged or foreign file is reported (exit 2) and left untouched.'
  ].join('\n'),
  options: {},
  async run(ctx) {
    const [file, extra] = ctx.positionals
    if (file === undefined) throw new LabError('invalid-option', 'give the session FILE to inspect')
    if (extra !== undefined) {
      throw new LabError('invalid-option', `unexpected argument '${extra}' (one FILE only)`)
    }
    let doc
    try {
      doc = await openSession(path.resolve(file))
    } catch (e) {
      throw sessionLabError(e)
    }
    const text = [
      `${path.resolve(file)}: session version ${doc.version}, ${doc.runs.length} run(s), saved ${doc.updatedAt}`,
      ...doc.runs.map((r) => `  ${r.id}  ${r.kind.padEnd(9)}  ${r.createdAt}  ${r.title}`)
    ].join('\n')
    return { json: sessionSummary(doc), text }
  }
}
