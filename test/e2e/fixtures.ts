/**
 * The `app` fixture every spec uses: a page showing Layerscope, either browser mode in Chromium
 * (a fresh `out/main/serve.js` per test file, its URL read from the one line it prints) or the
 * real Electron app. `shot(name)` saves a screenshot under test-results/screenshots/.
 */
import { test as base, expect, _electron, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { electronBinary } from './env'

export interface AppHandle {
  page: Page
  kind: 'browser' | 'electron'
  /** The browser-mode origin and token (browser only). */
  url?: string
  shot(name: string): Promise<void>
}

interface Server {
  url: string
  process: ChildProcess
}

const root = join(import.meta.dirname, '..', '..')
const shotsDir = join(root, 'test-results', 'screenshots')

export function startServe(
  extraArgs: string[] = [],
  env: Record<string, string> = {}
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'out', 'main', 'serve.js'), '--port', '0', ...extraArgs],
      {
        cwd: root,
        // A fresh data folder per server: tests never touch the user's autosave or recent list.
        env: {
          ...process.env,
          LAYERSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), 'ls-e2e-data-')),
          ...env
        },
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`serve did not start in time: ${err}`)), 20_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Layerscope is running at (http:\/\/\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve({ url: m[1], process: child })
      }
    })
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}: ${err}`))
    })
  })
}

export const test = base.extend<{
  app: AppHandle
  appKind: 'browser' | 'electron'
  server: Server | null
}>({
  appKind: ['browser', { option: true }],
  // A fresh lab for every test (its own server, pool, session and data folder), so no spec
  // depends on what an earlier one left open.
  server: async ({ appKind }, use) => {
    if (appKind === 'electron') {
      await use(null)
      return
    }
    const server = await startServe()
    await use(server)
    server.process.kill('SIGTERM')
  },
  app: async ({ page, server, appKind }, use, testInfo) => {
    mkdirSync(shotsDir, { recursive: true })
    const prefix = testInfo.project.name
    if (appKind === 'electron') {
      const exe = electronBinary()
      if (!exe) throw new Error('no Electron binary')
      const electronApp = await _electron.launch({
        executablePath: exe,
        args: [join(root, 'out', 'main', 'index.js')],
        cwd: root
      })
      const win = await electronApp.firstWindow()
      await use({
        page: win,
        kind: 'electron',
        shot: (n) =>
          win.screenshot({ path: join(shotsDir, `${prefix}-${n}.png`) }).then(() => undefined)
      })
      await electronApp.close()
      return
    }
    if (!server) throw new Error('browser mode server missing')
    await page.goto(server.url)
    await use({
      page,
      kind: 'browser',
      url: server.url,
      shot: (n) =>
        page
          .screenshot({ path: join(shotsDir, `${prefix}-${n}.png`), fullPage: true })
          .then(() => undefined)
    })
  }
})

export { expect }
