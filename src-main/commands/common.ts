/**
 * What every `layerscope` command shares: the command shape, its context (parsed options, the
 * lab service, I/O), mapping CLI options onto the app's zod configurations (errors name the
 * option), and running a job with progress on stderr.
 */
import type { ParseArgsConfig } from 'node:util'
import type { z } from 'zod'
import type { JobConfig, JobDoneEvent, JobKind } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import { ACTIVATION_PARAM_DEFAULTS, ActivationParams } from '../../src-shared/experiments'
import type { CliIo } from '../cli'
import type { LabService } from '../lab/service'

type Values = Record<string, string | boolean | string[] | undefined>

export interface CommandContext {
  values: Values
  positionals: string[]
  json: boolean
  io: CliIo
  service(): LabService
}

export interface CommandOutput {
  json: unknown
  text: string
  /** Exit code when the command ran but its checks did not all hold (default 0). */
  exitCode?: number
}

export interface CliCommand {
  name: string
  summary: string
  usage: string
  help: string
  options: ParseArgsConfig['options']
  run?: (ctx: CommandContext) => Promise<CommandOutput>
}

// ---------------------------------------------------------------- option → config mapping

export type OptionKind = 'int' | 'float' | 'string' | 'int-list' | 'flag'

/** Map of config field → [CLI option name, kind]. */
export type OptionMap = Record<string, [string, OptionKind]>

function convert(opt: string, kind: OptionKind, raw: string | boolean): unknown {
  if (kind === 'flag') return raw === true
  if (typeof raw !== 'string') throw new LabError('invalid-option', `--${opt} needs a value`)
  if (kind === 'string') return raw
  if (kind === 'int-list') {
    return raw.split(',').map((part) => {
      const v = Number(part.trim())
      if (!Number.isInteger(v))
        throw new LabError(
          'invalid-option',
          `--${opt}: '${part}' is not a whole number (expected e.g. 100,100)`
        )
      return v
    })
  }
  const v = Number(raw)
  if (raw.trim() === '' || Number.isNaN(v))
    throw new LabError('invalid-option', `--${opt}: '${raw}' is not a number`)
  if (kind === 'int' && !Number.isInteger(v))
    throw new LabError('invalid-option', `--${opt}: '${raw}' is not a whole number`)
  return v
}

/** Build and validate a configuration from CLI options; errors name the option. */
export function configFromOptions<S extends z.ZodType>(
  schema: S,
  values: Values,
  map: OptionMap,
  base: Record<string, unknown> = {}
): z.infer<S> {
  const raw: Record<string, unknown> = { ...base }
  for (const [field, [opt, kind]] of Object.entries(map)) {
    const v = values[opt]
    if (v === undefined || Array.isArray(v)) continue
    raw[field] = convert(opt, kind, v)
  }
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  // A whole-number schema also reports the safe-integer bound (2^53 − 1) for a huge value;
  // the schema's own bound (e.g. the seed's 2^32 − 1) is the true one to name.
  const issues = parsed.error.issues
  const issue =
    issues.find((i) => !(i.code === 'too_big' && i.maximum === Number.MAX_SAFE_INTEGER)) ??
    issues[0]
  const field = issue?.path[0]
  const opt = typeof field === 'string' ? (map[field]?.[0] ?? field) : undefined
  throw new LabError(
    'invalid-option',
    `${opt ? `--${opt}` : 'options'}: ${issue ? issueText(issue, opt ? values[opt] : undefined) : 'invalid'}`
  )
}

// ---------------------------------------------------------------- activation parameters

/** The activation parameters' options (depth, gradcheck, train, compare). */
export const paramsMap: OptionMap = {
  slope: ['slope', 'float'],
  alpha: ['alpha', 'float'],
  preluAlpha: ['prelu-alpha', 'float'],
  pieces: ['pieces', 'int']
}

/**
 * "--layers 10 --width 500 …": the defaults of `fields` (from the contract's `Schema.parse({})`)
 * written as the options that set them, for help texts; tiny numbers in exponent form (1e-5).
 */
export function defaultsHelp(
  defaults: Record<string, unknown>,
  map: OptionMap,
  fields: readonly string[]
): string {
  return fields
    .map((f) => {
      const opt = map[f]
      const v = defaults[f]
      if (!opt || v === undefined) throw new Error(`defaultsHelp: no option or default for '${f}'`)
      const text =
        typeof v === 'number' && v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v)
      return `--${opt[0]} ${text}`
    })
    .join(' ')
}

const D = ACTIVATION_PARAM_DEFAULTS
export const PARAMS_HELP =
  `Activation parameters: --slope S (leaky-relu, default ${D.slope}), --alpha A (elu, default ${D.alpha}), ` +
  `--prelu-alpha A (prelu's initial α for every unit, default ${D.preluAlpha} as in He et al. 2015; 1 would make it the identity), ` +
  `--pieces K (maxout, default ${D.pieces}).`

/** The activation parameters given as options, every other one at its default. */
export function activationParams(ctx: { values: Values }): ActivationParams {
  return configFromOptions(ActivationParams, ctx.values, paramsMap)
}

/** A zod issue in words for a command line: the bound and the value given. */
function issueText(issue: z.core.$ZodIssue, given: unknown): string {
  const got = typeof given === 'string' ? ` (got ${given})` : ''
  if (issue.code === 'too_small' && typeof issue.minimum === 'number')
    return `must be at least ${issue.minimum}${got}`
  if (issue.code === 'too_big' && typeof issue.maximum === 'number')
    return `must be at most ${issue.maximum}${got}`
  return issue.message
}

type Options = NonNullable<ParseArgsConfig['options']>

/** The parseArgs options of several option maps together. */
export function optionsFor(...maps: OptionMap[]): Options {
  return Object.assign({}, ...maps.map(optionsOf)) as Options
}

/** Refuses a positional argument where a command takes none (naming it and the command). */
export function noPositionals(ctx: CommandContext, command: string): void {
  const extra = ctx.positionals[0]
  if (extra !== undefined) {
    throw new LabError(
      'invalid-option',
      `unexpected argument '${extra}' (see layerscope ${command} --help)`
    )
  }
}

export function optionsOf(map: OptionMap): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {}
  for (const [opt, kind] of Object.values(map))
    out[opt] = { type: kind === 'flag' ? 'boolean' : 'string' }
  return out
}

/**
 * Run a job on the service and wait for it, with progress on stderr when it is a terminal; with
 * `onMessage`, the job's progress messages (e.g. bench's log lines) go there instead.
 */
export async function runJob<K extends JobKind>(
  ctx: CommandContext,
  kind: K,
  config: JobConfig<K>,
  opts: { onMessage?: (message: string) => void } = {}
): Promise<JobDoneEvent<K>> {
  const service = ctx.service()
  const jobId = service.startJob(kind, config)
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true && !opts.onMessage
  const off = service.on((name, payload) => {
    if (name !== 'job:progress') return
    const p = payload as { jobId: string; fraction: number; message?: string }
    if (p.jobId !== jobId) return
    if (opts.onMessage) {
      if (p.message !== undefined) opts.onMessage(p.message)
    } else if (tty) ctx.io.stderr(`\r${kind}: ${Math.round(p.fraction * 100)}%   `)
  })
  try {
    return await service.waitForJob(jobId, kind)
  } finally {
    off()
    if (tty) ctx.io.stderr('\r\x1b[K')
  }
}

// ---------------------------------------------------------------- commands

/** A string option's value (undefined when absent); an empty value is bad input naming it. */
export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v.length === 0)
    throw new LabError('invalid-option', `--${name} needs a value`)
  return v
}
