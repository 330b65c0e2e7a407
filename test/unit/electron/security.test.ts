import { describe, expect, it, vi } from 'vitest'
import { lockDownContents, lockDownSession } from '../../../src-main/security'
import { createMainWindow } from '../../../src-main/window'

const constructed: unknown[] = []
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(opts: unknown) {
      constructed.push(opts)
    }
  }
}))
import { CSP_DIRECTIVES, cspHeader } from '../../../src-main/csp'
import { readFileSync } from 'node:fs'

describe('window and session hardening', () => {
  it('isolates and sandboxes the renderer without Node', () => {
    createMainWindow('/x/preload.cjs', false)
    const p = (constructed.at(-1) as { webPreferences: Record<string, unknown> }).webPreferences
    expect(p).not.toHaveProperty('enableBlinkFeatures')
    expect(p).not.toHaveProperty('preload', undefined)
    expect(p).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick'
    })
  })

  it('denies every permission and every non-local request', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined
    let check: (() => boolean) | undefined
    let before: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined
    lockDownSession({
      setPermissionRequestHandler: (h: never) => (request = h),
      setPermissionCheckHandler: (h: never) => (check = h),
      webRequest: { onBeforeRequest: (h: never) => (before = h) }
    } as never)
    const cb = vi.fn()
    request!(null, 'media', cb)
    expect(cb).toHaveBeenCalledWith(false)
    expect(check!()).toBe(false)
    const decide = (url: string) => {
      let cancel: boolean | undefined
      before!({ url }, (r) => (cancel = r.cancel))
      return cancel
    }
    expect(decide('https://fonts.example/x.woff2')).toBe(true)
    expect(decide('http://127.0.0.1:8080/')).toBe(true)
    expect(decide('file:///etc/passwd')).toBe(true)
    expect(decide('app://layerscope/index.html')).toBe(false)
    expect(decide('app://other/index.html')).toBe(true)
    expect(decide('data:image/png;base64,AA==')).toBe(false)
  })

  it('prevents navigation, redirects, webviews and window.open in every web contents', () => {
    const listeners: Record<string, (e: { preventDefault: () => void }) => void> = {}
    let openHandler: (() => { action: string }) | undefined
    let created: ((e: unknown, wc: unknown) => void) | undefined
    lockDownContents({ on: (_name: string, fn: never) => (created = fn) } as never)
    created!(
      {},
      {
        on: (name: string, fn: (e: { preventDefault: () => void }) => void) =>
          (listeners[name] = fn),
        setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn)
      }
    )
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn()
      listeners[name]!({ preventDefault })
      expect(preventDefault, name).toHaveBeenCalled()
    }
    expect(openHandler!()).toEqual({ action: 'deny' })
  })

  it('uses one strict CSP in index.html and in the browser-mode header', () => {
    const html = readFileSync(new URL('../../../src-renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBe(cspHeader())
    expect(CSP_DIRECTIVES['default-src']).toBe("'none'")
    expect(cspHeader()).not.toMatch(/unsafe-eval|unsafe-inline|https?:/)
  })
})
