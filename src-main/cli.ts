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
      `layerscope: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`
    )
    return 2
  }
  let parsed: {
    values: Record<string, string | boolean | string[] | undefined>
    positionals: string[]
  }
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...cmd.options },
      allowPositionals: true,
      strict: true
    }) as typeof parsed
  } catch (err) {
    io.stderr(`layerscope ${name}: ${(err as Error).message}\n`)
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
    else io.stdout(out.text.endsWith('\n') ? out.text : out.text + '\n')
    return out.exitCode ?? 0
  } catch (err) {
    const e = err instanceof LabError ? err : null
    if (e && isInputErrorCode(e.code)) {
      io.stderr(`layerscope ${name}: ${e.message}\n`)
      return 2
    }
    if (e?.code === 'cancelled') {
      io.stderr(`layerscope ${name}: cancelled\n`)
      return 1
    }
    io.stderr(
      `layerscope ${name}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
    )
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
