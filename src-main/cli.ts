/**
 * The `layerscope` command line (../shared/CLI.md is its contract): the same LabService and
 * worker pool as the app, JSON out with --json. Exit codes: 0 success, 2 bad input (one
 * message on stderr naming the file or option, no stack trace), 1 internal error.
 *
 * `runCli` takes its I/O and worker file as parameters so tests drive it in-process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { isInputErrorCode, LabError } from '../src-shared/errors'
import { LabService } from './lab/service'
import { COMMANDS, type CliCommand, type CommandContext } from './cli-commands'
import { safeLine, safeText } from './commands/terminal'
import { APP_VERSION } from './version'

export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
}

export interface CliOptions {
  io: CliIo
  workerFile: string
  threads?: number
  env?: Record<string, string>
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  threads: { type: 'string' }
} as const satisfies ParseArgsConfig['options']

function usageAll(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'Usage: layerscope <command> [options]   (layerscope <command> --help for its options)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --json (one JSON document on stdout; progress on stderr).',
    'Exit codes: 0 success, 2 bad input, 1 internal error.',
    ''
  ].join('\n')
}

/**
 * `--opt -1` as `--opt=-1` for options that take a value: parseArgs would read `-1` as an
 * option and say "ambiguous" over three lines; a negative number is the value (and its schema
 * then says what range is allowed).
 */
function negativeValues(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>
): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const next = args[i + 1]
    const name = a.startsWith('--') ? a.slice(2) : undefined
    if (
      name !== undefined &&
      !name.includes('=') &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      /^-(\d|\.\d|Infinity)/.test(next)
    ) {
      out.push(`${a}=${next}`)
      i++
    } else out.push(a)
  }
  return out
}

/** An option given twice (`--layers 3 --layers 5`) is refused: which one was meant? */
function repeatedOption(
  tokens: readonly { kind: string; name?: string; rawName?: string; value?: string | undefined }[],
  options: NonNullable<ParseArgsConfig['options']>
): string | null {
  const seen = new Map<string, string | undefined>()
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined || options[t.name]?.multiple) continue
    if (seen.has(t.name)) {
      const before = seen.get(t.name)
      const values =
        before !== undefined && t.value !== undefined ? ` (${before}, then ${t.value})` : ''
      return `--${t.name} is given more than once${values}; give it once`
    }
    seen.set(t.name, t.value)
  }
  return null
}

/**
 * The service and the workers name a configuration field where a setting is wrong (`val 600:
 * …`, details.field `val`), never a command-line flag: the GUI has no flags. Here the field
 * becomes the flag that sets it (`--val 600: …`; `divergeAbove` → `--diverge-above`).
 */
export function withFlag(
  message: string,
  details: Record<string, unknown> | undefined,
  options: NonNullable<ParseArgsConfig['options']>
): string {
  const field = details?.field
  if (typeof field !== 'string' || field === '' || !message.startsWith(field)) return message
  const next = message.charAt(field.length)
  if (next !== ' ' && next !== ':') return message
  const kebab = field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
  const flag = [field, kebab].find((f) => options[f] !== undefined)
  return flag === undefined ? message : `--${flag}${message.slice(field.length)}`
}

function usageOf(cmd: CliCommand): string {
  return `Usage: ${cmd.usage}\n\n${cmd.summary}\n\n${cmd.help}\n`
}

export async function runCli(argv: string[], opts: CliOptions): Promise<number> {
  const { io } = opts
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usageAll())
    return name === undefined ? 2 : 0
  }
  if (name === '--version') {
    io.stdout(`${APP_VERSION}\n`)
    return 0
  }
  const cmd = COMMANDS.find((c) => c.name === name)
  if (!cmd) {
    io.stderr(
      `layerscope: unknown command '${safeLine(name)}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`
    )
    return 2
  }
  let parsed: {
    values: Record<string, string | boolean | string[] | undefined>
    positionals: string[]
  }
  const options = { ...COMMON_OPTIONS, ...cmd.options }
  try {
    const result = parseArgs({
      args: negativeValues(rest, options),
      options,
      allowPositionals: true,
      strict: true,
      tokens: true
    })
    const repeated = repeatedOption(result.tokens, options)
    if (repeated !== null) {
      io.stderr(`layerscope ${name}: ${safeLine(repeated)}\n`)
      return 2
    }
    parsed = result as unknown as typeof parsed
  } catch (err) {
    const first = (err as Error).message.split('\n')[0] ?? ''
    io.stderr(`layerscope ${name}: ${safeLine(first)}\n`)
    return 2
  }
  if (parsed.values.help) {
    io.stdout(usageOf(cmd))
    return 0
  }
  if (!cmd.run) {
    io.stderr(`layerscope ${name}: not implemented yet\n`)
    return 1
  }
  let service = null as LabService | null
  const threadsOpt = parsed.values.threads
  const threads = threadsOpt === undefined ? opts.threads : Number(threadsOpt)
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 256)) {
    io.stderr(`layerscope ${name}: --threads must be an integer from 1 to 256\n`)
    return 2
  }
  const ctx: CommandContext = {
    values: parsed.values,
    positionals: parsed.positionals,
    json: parsed.values.json === true,
    io,
    service: () => {
      service ??= new LabService({
        pool: {
          workerFile: opts.workerFile,
          ...(threads ? { threads } : {}),
          ...(opts.env ? { env: opts.env } : {})
        },
        mode: 'cli',
        version: APP_VERSION
      })
      return service
    }
  }
  try {
    const out = await cmd.run(ctx)
    if (ctx.json) io.stdout(JSON.stringify(out.json, jsonReplacer) + '\n')
    else io.stdout(safeText(out.text.endsWith('\n') ? out.text : out.text + '\n'))
    return out.exitCode ?? 0
  } catch (err) {
    const e = err instanceof LabError ? err : null
    if (e && isInputErrorCode(e.code)) {
      io.stderr(`layerscope ${name}: ${safeLine(withFlag(e.message, e.details, options))}\n`)
      return 2
    }
    if (e?.code === 'cancelled') {
      io.stderr(`layerscope ${name}: cancelled\n`)
      return 1
    }
    // A LabError's message is written for a person (a worker that died, a session the disk
    // refused): one line. Anything else is a bug in this process: its stack helps report it.
    const what = e
      ? safeLine(e.message)
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err)
    io.stderr(`layerscope ${name}: internal error: ${what}\n`)
    return 1
  } finally {
    await service?.close()
  }
}

/** JSON has no NaN or Infinity: write them as strings so a diverged run still says so. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return value
}
