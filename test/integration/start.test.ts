/**
 * The README's first command, `npm install && npm start`, as a new user runs it: on a fresh
 * clone, with none of our environment variables (no ELECTRON_SKIP_BINARY_DOWNLOAD, no CI, no
 * npm_config_*), on a machine without a display. It must install without downloading anything
 * but registry packages, say in one sentence why Electron cannot start, and serve the app in
 * browser mode at the URL it prints. And the server must never outlive the command: SIGTERM or
 * SIGHUP to the npm process (as a terminal or a script sends), or SIGKILL to our launcher
 * script, ends it.
 *
 * Network-free: the install never runs electron's download (package.json `allowScripts`); for
 * `npm start`, which tries the download itself, ELECTRON_MIRROR points at a closed loopback port
 * so that the attempt fails at once instead of depending on this machine's network.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const isGitCheckout = existsSync(join(root, '.git'))
const work = mkdtempSync(join(tmpdir(), 'ls-fresh-'))
const clone = join(work, 'layerscope')

/** The environment of a new user's shell: ours minus everything that steers npm, Electron or CI. */
function userEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue
    if (/^(npm_|ELECTRON_|LAYERSCOPE_|VITEST|CI$|DISPLAY$|WAYLAND_DISPLAY$|NODE_OPTIONS$)/i.test(k))
      continue
    env[k] = v
  }
  env.LAYERSCOPE_DATA_DIR = join(work, 'data') // not the user's real recent-sessions folder
  return env
}

/** Processes (other than us) whose working folder is inside the clone: what the command left. */
function processesInClone(): number[] {
  if (process.platform !== 'linux') return []
  const pids: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    try {
      if (readlinkSync(`/proc/${name}/cwd`).startsWith(clone)) pids.push(Number(name))
    } catch {
      // gone, or not ours to read
    }
  }
  return pids
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await ok()) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}

interface Started {
  npm: ChildProcess
  out: () => string
  url: string
  base: string
}

/** `npm <args>` in the clone until it prints the browser-mode URL. */
async function startNpm(args: string[]): Promise<Started> {
  const npm = spawn('npm', args, {
    cwd: clone,
    env: { ...userEnv(), ELECTRON_MIRROR: 'http://127.0.0.1:9/' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  npm.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  npm.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  let exited: number | null | undefined
  npm.on('exit', (code) => (exited = code))
  const urlRe = /Layerscope is running at (http:\/\/127\.0\.0\.1:\d+)\/\?token=\S+/
  await waitFor(
    `the URL from npm ${args.join(' ')}`,
    () => {
      if (exited !== undefined) throw new Error(`npm ${args.join(' ')} exited ${exited}:\n${out}`)
      return urlRe.test(out)
    },
    150_000
  )
  const m = urlRe.exec(out)!
  return { npm, out: () => out, url: m[0].slice('Layerscope is running at '.length), base: m[1]! }
}

async function answers(base: string): Promise<boolean> {
  try {
    await fetch(`${base}/`, { signal: AbortSignal.timeout(2000) })
    return true
  } catch {
    return false
  }
}

/** Send `signal` to `pid`, then: the server stops answering and nothing of ours is left. */
async function expectEnded(s: Started, pid: number, signal: NodeJS.Signals) {
  process.kill(pid, signal)
  await waitFor(
    `the server at ${s.base} to close after ${signal}`,
    async () => !(await answers(s.base)),
    15_000
  )
  await waitFor(
    `no process left in the clone after ${signal} (left: ${processesInClone().join(', ')})`,
    () => processesInClone().length === 0,
    15_000
  )
}

describe.skipIf(!isGitCheckout)(
  'the README on a fresh clone, without environment variables',
  () => {
    beforeAll(() => {
      const r = spawnSync('git', ['clone', '--quiet', root, clone], { encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`git clone failed: ${r.stderr}`)
    })
    afterAll(async () => {
      for (const pid of processesInClone()) process.kill(pid, 'SIGKILL')
      rmSync(work, { recursive: true, force: true })
    })

    it('`npm install` succeeds offline and downloads no Electron binary', () => {
      const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
        cwd: clone,
        env: userEnv(),
        encoding: 'utf8',
        timeout: 240_000
      })
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0)
      expect(r.stderr).not.toMatch(/ENOTFOUND|install\.js/)
      expect(existsSync(join(clone, 'node_modules', 'electron', 'dist'))).toBe(false)
    }, 250_000)

    it('`npm start` says why in one sentence, serves the app at its URL, and ends with SIGTERM to npm', async () => {
      const s = await startNpm(['start'])
      const page = await fetch(s.url)
      expect(page.status).toBe(200)
      expect(await page.text()).toMatch(/<title>Layerscope<\/title>/)
      expect((await fetch(`${s.base}/`)).status).toBe(401) // no token, no page
      const lines = s
        .out()
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('>') && l.trim() !== '')
      expect(lines).toEqual([
        expect.stringMatching(
          /^Electron cannot start here because .+; starting browser mode instead\.$/
        ),
        expect.stringMatching(/^Layerscope is running at http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/)
      ])
      await expectEnded(s, s.npm.pid!, 'SIGTERM')
    }, 200_000)

    it('`npm start` ends its server with SIGHUP to npm', async () => {
      const s = await startNpm(['start'])
      await expectEnded(s, s.npm.pid!, 'SIGHUP')
    }, 200_000)

    it('`npm run serve` ends its server with SIGTERM to npm', async () => {
      const s = await startNpm(['run', 'serve'])
      expect(s.out()).not.toMatch(/Electron cannot start/)
      await expectEnded(s, s.npm.pid!, 'SIGTERM')
    }, 200_000)

    it('`npm run serve` ends its server with SIGHUP to npm', async () => {
      const s = await startNpm(['run', 'serve'])
      await expectEnded(s, s.npm.pid!, 'SIGHUP')
    }, 200_000)

    it.runIf(process.platform === 'linux')(
      'the server ends even when its launcher script is killed outright (SIGKILL)',
      async () => {
        const s = await startNpm(['run', 'serve'])
        const launcher = processesInClone().find((pid) => {
          try {
            return (
              readlinkSync(`/proc/${pid}/exe`).includes('node') &&
              cmdline(pid).includes('scripts/serve.mjs')
            )
          } catch {
            return false
          }
        })
        expect(launcher, 'the scripts/serve.mjs process').toBeDefined()
        await expectEnded(s, launcher!, 'SIGKILL')
      },
      200_000
    )
  }
)

function cmdline(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
}
