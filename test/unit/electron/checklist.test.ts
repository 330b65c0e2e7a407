/**
 * Electron's security checklist, item by item, as far as code can enforce it. Each item names
 * where it is enforced and checks it here or points to the test that does.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { FuseV1Options } from '@electron/fuses'
import type { BrowserWindowConstructorOptions } from 'electron'
import { FUSES } from '../../../src-main/fuses'
import { createMainWindow } from '../../../src-main/window'

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8')

// The window is created with a recording BrowserWindow: the checks below are on the options
// object the app really passes, not on its source text.
const created = vi.hoisted(() => [] as unknown[])
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(opts: unknown) {
      created.push(opts)
    }
  }
}))

function windowOptions(dark: boolean): BrowserWindowConstructorOptions {
  created.length = 0
  createMainWindow('/app/preload/index.cjs', dark)
  expect(created).toHaveLength(1)
  return created[0] as BrowserWindowConstructorOptions
}

describe('Electron security checklist', () => {
  it('1. only secure, local content: the window loads app://layerscope/ and nothing remote', () => {
    expect(read('src-main/index.ts')).toContain('APP_INDEX_URL')
    expect(read('src-main/security.ts')).toContain('onBeforeRequest')
  })
  it('2–4, 6, 8, 9. no Node, isolation, sandbox, webSecurity, no insecure content, no experimental features', () => {
    for (const dark of [false, true]) {
      expect(windowOptions(dark).webPreferences).toMatchObject({
        preload: '/app/preload/index.cjs',
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        contextIsolation: true,
        sandbox: true,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false
      })
    }
  })
  it('10. no enableBlinkFeatures: not in the window options, nowhere in the main process', () => {
    expect(windowOptions(false).webPreferences).not.toHaveProperty('enableBlinkFeatures')
    for (const f of ['src-main/index.ts', 'src-main/security.ts']) {
      expect(read(f)).not.toContain('enableBlinkFeatures')
    }
  })
  it('11, 12. no <webview>: the tag is disabled and will-attach-webview is prevented', () => {
    expect(windowOptions(false).webPreferences?.webviewTag).toBe(false)
    expect(read('src-main/security.ts')).toContain('will-attach-webview')
  })
  it('15. shell.openExternal is never used', () => {
    for (const f of [
      'src-main/index.ts',
      'src-main/security.ts',
      'src-main/window.ts',
      'src-main/menu.ts'
    ]) {
      expect(read(f)).not.toContain('openExternal')
    }
  })
  it('16. a current Electron, pinned exactly', () => {
    const pkg = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> }
    expect(pkg.devDependencies.electron).toMatch(/^4[1-9]\.\d+\.\d+$/)
  })
  it('18. a custom protocol, not file:// (the protocol module is tested in app-protocol.test.ts)', () => {
    expect(read('src-main/index.ts')).toContain('registerSchemesAsPrivileged')
    expect(read('src-main/index.ts')).not.toContain('file://')
  })
  it('19. fuses for packaging: no run-as-node, no NODE_OPTIONS, no inspect, asar only with integrity', () => {
    expect(FUSES[FuseV1Options.RunAsNode]).toBe(false)
    expect(FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    expect(FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
  })
  it('20. no Electron API reaches the page: the preload exposes contract functions only', () => {
    const p = read('src-main/preload.ts')
    expect(p).toContain('exposeInMainWorld(PRELOAD_GLOBAL, api)')
    expect(p).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/)
  })
  // 5 (permission handler), 7 (CSP), 13 (navigation), 14 (new windows): security.test.ts.
  // 17 (IPC sender validation): ipc.test.ts, for every call and four kinds of foreign sender.
})
