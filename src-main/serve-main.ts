/**
 * `npm run serve`: browser mode. Prints exactly one line with the URL (token included) on
 * stdout; warnings go to stderr. Options: --port N (default a free port), --host H
 * (default 127.0.0.1; anything else is allowed only explicitly, with a warning), --threads N,
 * --data-dir DIR (autosave, recovery and recent sessions; default the desktop app's folder).
 */
import { parseArgs } from 'node:util'
import { LabService } from './lab/service'
import { builtRendererDir, builtWorkerFile } from './paths'
import { startServer } from './serve'
import { APP_VERSION } from './version'
import { appDataDir } from './data-dir'

async function main(): Promise<void> {
  let values: {
    port?: string
    host?: string
    threads?: string
    'data-dir'?: string
    help?: boolean
  }
  try {
    values = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        threads: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      },
      strict: true
    }).values
  } catch (err) {
    process.stderr.write(`layerscope serve: ${(err as Error).message}\n`)
    process.exit(2)
  }
  if (values.help) {
    process.stdout.write(
      'Usage: npm run serve -- [--port N] [--host 127.0.0.1] [--threads N] [--data-dir DIR]\n' +
        'Serves the Layerscope UI and lab on http://127.0.0.1:PORT with a per-launch token.\n'
    )
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `layerscope serve: --port must be an integer from 0 to 65535, got ${values.port}\n`
    )
    process.exit(2)
  }
  const threads = values.threads === undefined ? undefined : Number(values.threads)
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 256)) {
    process.stderr.write(`layerscope serve: --threads must be an integer from 1 to 256\n`)
    process.exit(2)
  }
  const host = values.host ?? '127.0.0.1'
  if (values.host !== undefined && values.host !== '127.0.0.1' && values.host !== 'localhost') {
    process.stderr.write(
      `layerscope serve: warning: listening on ${host}, not only on this machine's loopback; anyone who can reach it and has the token can use the lab\n`
    )
  }
  const service = new LabService({
    pool: { workerFile: builtWorkerFile(), ...(threads ? { threads } : {}) },
    mode: 'browser',
    version: APP_VERSION,
    dataDir: values['data-dir'] ?? appDataDir()
  })
  const server = await startServer({ service, rendererDir: builtRendererDir(), host, port })
  process.stdout.write(`Layerscope is running at ${server.url}\n`)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void server
      .close()
      .then(() => service.close())
      .finally(() => process.exit(0))
  }
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop)
  // Started by `npm start` / `npm run serve` (scripts/supervise.mjs) with an IPC channel: when
  // the script that started us is gone, however it ended, the channel closes and so do we.
  if (process.channel) {
    process.on('disconnect', stop)
    process.channel.unref()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`layerscope serve: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
