/**
 * Runs one hostile-input case: the CLI in a child process, bounded in time and memory (killed
 * past either), with its exit code, output, peak resident memory and wall time, and a snapshot
 * of the case's folder before and after (lstat only: nothing is ever opened that could block).
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { lstat, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CHILD_SOURCE = fileURLToPath(new URL('./child.ts', import.meta.url))
const WORKER_SOURCE_TS = fileURLToPath(new URL('../../../src-workers/worker.ts', import.meta.url))
const CACHE = fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url))

export interface BuiltCli {
  child: string
  worker: string
  dir: string
}

/**
 * The CLI and its worker bundled from the sources with esbuild (as electron-vite bundles the
 * app), once per test run: a child then starts in well under a second instead of compiling
 * TypeScript through tsx on every start. Dependencies stay external and resolve from the
 * repository's node_modules, where the bundle is written.
 */
export async function buildCli(): Promise<BuiltCli> {
  const { build } = await import('esbuild')
  await mkdir(CACHE, { recursive: true })
  const dir = await mkdtemp(join(CACHE, 'layerscope-hostile-cli-'))
  await build({
    entryPoints: { child: CHILD_SOURCE, worker: WORKER_SOURCE_TS },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    packages: 'external',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
    }
  })
  return { child: join(dir, 'child.mjs'), worker: join(dir, 'worker.mjs'), dir }
}

export interface ChildRun {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
  /** Peak resident memory, MiB (the larger of the child's own report and /proc sampling). */
  peakMiB: number
  seconds: number
  /** Why the runner stopped the child, if it did. */
  killed: 'timeout' | 'memory' | null
}

export interface RunLimits {
  timeoutMs: number
  memoryMiB: number
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const m = /VmHWM:\s+(\d+) kB/.exec(status) ?? /VmRSS:\s+(\d+) kB/.exec(status)
    return m ? Number(m[1]) / 1024 : 0
  } catch {
    return 0
  }
}

export async function runChild(
  cli: BuiltCli,
  argv: string[],
  opts: { cwd: string; env?: Record<string, string>; limits: RunLimits }
): Promise<ChildRun> {
  const rssFile = join(opts.cwd, '..', `.rss-${process.pid}-${Math.random().toString(36).slice(2)}`)
  const started = performance.now()
  const child = spawn(process.execPath, [cli.child, ...argv], {
    cwd: opts.cwd,
    env: {
      ...process.env,
      ...opts.env,
      LAYERSCOPE_RSS_FILE: rssFile,
      LAYERSCOPE_TEST_WORKER: cli.worker
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t))
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t))
  let peak = 0
  let killed: ChildRun['killed'] = null
  const sampler = setInterval(() => {
    if (child.pid === undefined) return
    peak = Math.max(peak, rssOf(child.pid))
    if (peak > opts.limits.memoryMiB && !killed) {
      killed = 'memory'
      child.kill('SIGKILL')
    }
  }, 25)
  const timer = setTimeout(() => {
    killed ??= 'timeout'
    child.kill('SIGKILL')
  }, opts.limits.timeoutMs)
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.once('close', (c, s) => resolve([c, s]))
  )
  clearInterval(sampler)
  clearTimeout(timer)
  const seconds = (performance.now() - started) / 1000
  const reported = await readFile(rssFile, 'utf8').then(
    (t) => Number(t) / 1024,
    () => 0
  )
  await rm(rssFile, { force: true })
  return { code, signal, stdout, stderr, peakMiB: Math.max(peak, reported), seconds, killed }
}

/** Everything under `dir` as lstat facts (+ a hash of small regular files), by relative path. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const walk = async (rel: string): Promise<void> => {
    const abs = join(dir, rel)
    const st = await lstat(abs)
    // A folder's own mtime moves when a lock file is made and removed again; its entries
    // (walked below) say whether anything stayed.
    let fact = st.isDirectory()
      ? st.mode.toString(8)
      : `${st.mode.toString(8)} ${st.size} ${st.mtimeMs}`
    if (st.isFile() && st.size <= 64 << 20)
      fact +=
        ' ' +
        createHash('sha1')
          .update(await readFile(abs))
          .digest('hex')
    out.set(rel || '.', fact)
    if (st.isDirectory())
      for (const name of (await readdir(abs)).sort()) await walk(rel ? join(rel, name) : name)
  }
  await walk('')
  return out
}

/** What differs between two snapshots (added, removed, changed paths). */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = []
  for (const [k, v] of after) {
    if (!before.has(k)) out.push(`added ${k}`)
    else if (before.get(k) !== v) out.push(`changed ${k}`)
  }
  for (const k of before.keys()) if (!after.has(k)) out.push(`removed ${k}`)
  return out
}

/** At most `n` promises at once. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0
  const queue: (() => void)[] = []
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r))
    active++
    try {
      return await fn()
    } finally {
      active--
      queue.shift()?.()
    }
  }
}
