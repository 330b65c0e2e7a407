/**
 * Electron's security checklist, item by item, as far as code can enforce it. Each item names
 * where it is enforced and checks it here or points to the test that does.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FuseV1Options } from '@electron/fuses'
import { FUSES } from '../../../src-main/fuses'

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), 'utf8')

describe('Electron security checklist', () => {
  it('1. only secure, local content: the window loads app://layerscope/ and nothing remote', () => {
    expect(read('src-main/index.ts')).toContain('APP_INDEX_URL')
    expect(read('src-main/security.ts')).toContain('onBeforeRequest')
  })
  it('2–4, 6, 8, 9. no Node, isolation, sandbox, webSecurity, no insecure content, no experimental features', () => {
    const w = read('src-main/window.ts')
    for (const flag of [
      'nodeIntegration: false',
      'contextIsolation: true',
      'sandbox: true',
      'webSecurity: true',
      'allowRunningInsecureContent: false',
      'experimentalFeatures: false'
    ]) {
      expect(w).toContain(flag)
    }
  })
  it('10. no enableBlinkFeatures anywhere in the main process', () => {
    for (const f of ['src-main/window.ts', 'src-main/index.ts', 'src-main/security.ts']) {
      expect(read(f)).not.toContain('enableBlinkFeatures')
    }
  })
  it('11, 12. no <webview>: the tag is disabled and will-attach-webview is prevented', () => {
    expect(read('src-main/window.ts')).toContain('webviewTag: false')
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
