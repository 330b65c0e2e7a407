/** `layerscope gradcheck` (../shared/CLI.md): analytic against numeric gradients. */
import path from 'node:path'
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import { GradcheckConfig } from '../../src-shared/experiments'
import type { GradcheckResult } from '../../src-shared/results'
import type { JsonObject, JsonValue } from '../../src-shared/session'
import {
  defaultsHelp,
  activationParams,
  configFromOptions,
  noPositionals,
  optionsFor,
  PARAMS_HELP,
  paramsMap,
  runJob,
  stringOption,
  type CliCommand,
  type OptionMap
} from './common'
import { sci } from './format'
import { inFiles, readJsonOption } from './json-files'
import {
  asJsonObject,
  netForSession,
  recordRun,
  SESSION_HELP,
  sessionTarget
} from './session-option'
import { VERDICT_BANDS } from '../../src-shared/verdicts'

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

/** "great < 1e-7, check < 1e-4, concern < 1e-2, wrong above": the shared bands, in words. */
const BANDS_TEXT = VERDICT_BANDS.map((b) =>
  Number.isFinite(b.below) ? `${b.verdict} < ${b.below.toExponential(0)}` : `${b.verdict} above`
).join(', ')

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
    `verdict: ${r.verdict} (max relError ${sci(r.maxRelError)}; bands on normRelError: ${BANDS_TEXT})` +
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
    `Defaults: ${defaultsHelp(GradcheckConfig.parse({}), gradcheckMap, ['activation', 'layers', 'width', 'input', 'classes', 'samples', 'h', 'reg', 'loss', 'seed', 'dtype'])}.`,
    '--burn-in K checks after K SGD steps. --exclude-kinks leaves entries whose ±h crossed a kink (ReLU-family units through',
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
        result = (
          await runJob(ctx, 'gradcheck-net', {
            net,
            data,
            h: c.h,
            dtype: c.dtype,
            seed: c.seed,
            excludeKinks: c.excludeKinks,
            ...(c.sample === undefined ? {} : { sample: c.sample })
          })
        ).result
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
