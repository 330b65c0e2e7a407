/**
 * The Electron shell (src-main/index.ts) with the `electron` module mocked: the scheme, the
 * hardened window, IPC for every call, the menu wired to app commands, the app:// page, and the
 * unsaved-changes question when the window closes.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { CALL_NAMES } from '../../../src-shared/contract'

type Fn = (...args: unknown[]) => unknown
const h = vi.hoisted(() => {
  const userData = { dir: '' }
  const handlers = new Map<string, (e: unknown, a: unknown) => Promise<unknown>>()
  const windows: {
    opts: { webPreferences: Record<string, unknown> }
    events: Map<string, (e: { preventDefault: () => void }) => void>
    sent: [string, unknown][]
    loaded: string[]
    closed: number
    webContents: Record<string, unknown>
  }[] = []
  const menu: { template: MenuItemConstructorOptions[] | null } = { template: null }
  const calls = { schemes: [] as unknown[], protocols: [] as string[], messageBox: [] as number[] }
  return { userData, handlers, windows, menu, calls }
})

vi.mock('electron', () => {
  class BrowserWindow {
    events = new Map<string, (e: { preventDefault: () => void }) => void>()
    sent: [string, unknown][] = []
    loaded: string[] = []
    closed = 0
    webContents: Record<string, unknown>
    opts: { webPreferences: Record<string, unknown> }
    constructor(opts: { webPreferences: Record<string, unknown> }) {
      this.opts = opts
      const mainFrame = { url: 'app://layerscope/index.html', parent: null }
      this.webContents = {
        id: 1,
        mainFrame,
        isDestroyed: () => false,
        send: (c: string, p: unknown) => this.sent.push([c, p])
      }
      h.windows.push(this)
    }
    on(name: string, fn: (e: { preventDefault: () => void }) => void) {
      this.events.set(name, fn)
      return this
    }
    once(name: string, fn: (e: { preventDefault: () => void }) => void) {
      return this.on(name, fn)
    }
    async loadURL(url: string) {
      this.loaded.push(url)
    }
    show() {}
    isDestroyed() {
      return false
    }
    close() {
      this.closed++
    }
  }
  const noop = () => undefined
  return {
    BrowserWindow,
    app: {
      whenReady: () => Promise.resolve(),
      on: noop,
      getPath: () => h.userData.dir,
      exit: noop,
      quit: noop
    },
    dialog: {
      showMessageBox: async () => ({ response: h.calls.messageBox.shift() ?? 2 }),
      showErrorBox: noop,
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true })
    },
    ipcMain: {
      handle: (name: string, fn: (e: unknown, a: unknown) => Promise<unknown>) =>
        h.handlers.set(name, fn),
      removeHandler: (name: string) => h.handlers.delete(name)
    },
    Menu: {
      buildFromTemplate: (t: MenuItemConstructorOptions[]) => ({ t }),
      setApplicationMenu: (m: { t: MenuItemConstructorOptions[] }) => (h.menu.template = m.t)
    },
    nativeTheme: { shouldUseDarkColors: false },
    net: { fetch: async () => new Response('') },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => h.calls.schemes.push(s),
      handle: (scheme: string) => h.calls.protocols.push(scheme)
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: noop,
        setPermissionCheckHandler: noop,
        webRequest: { onBeforeRequest: noop }
      }
    }
  }
})

function win() {
  const w = h.windows[0]
  if (!w) throw new Error('no window')
  return w
}

async function invoke(name: string, args: unknown) {
  const w = win()
  return h.handlers.get(name)!({ senderFrame: w.webContents.mainFrame }, args)
}

function item(label: string): MenuItemConstructorOptions {
  const walk = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions | undefined => {
    for (const i of items) {
      if (i.label === label) return i
      if (Array.isArray(i.submenu)) {
        const hit = walk(i.submenu)
        if (hit) return hit
      }
    }
    return undefined
  }
  const found = walk(h.menu.template ?? [])
  if (!found) throw new Error(`no menu item ${label}`)
  return found
}

beforeAll(async () => {
  h.userData.dir = mkdtempSync(join(tmpdir(), 'ls-shell-'))
  await import('../../../src-main/index')
  for (let i = 0; i < 20 && h.windows[0]?.loaded.length !== 1; i++)
    await new Promise((r) => setTimeout(r, 10))
})
afterAll(async () => {
  win().events.get('closed')?.({ preventDefault: () => undefined })
})

describe('Electron shell', () => {
  it('registers app:// as a standard, secure scheme and serves the page from it', () => {
    expect(h.calls.schemes).toEqual([
      [{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]
    ])
    expect(h.calls.protocols).toEqual(['app'])
    expect(win().loaded).toEqual(['app://layerscope/index.html'])
  })

  it('opens one hardened window with the sandboxed CommonJS preload', () => {
    expect(h.windows).toHaveLength(1)
    const p = win().opts.webPreferences
    expect(p).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false })
    expect(String(p.preload)).toMatch(/preload[\\/]index\.cjs$/)
  })

  it('handles every contract call over IPC for its own page', async () => {
    expect([...h.handlers.keys()].sort()).toEqual([...CALL_NAMES].sort())
    expect(await invoke('app:info', {})).toMatchObject({ ok: true, value: { mode: 'electron' } })
  })

  it('wires the menu to app commands sent to the page', () => {
    ;(item('Open Session…').click as Fn)()
    ;(item('Gradient check').click as Fn)()
    expect(win().sent).toContainEqual(['app:command', { command: 'session:open' }])
    expect(win().sent).toContainEqual(['app:command', { command: 'view:gradcheck' }])
  })

  it("asks before closing with unsaved changes: Cancel keeps the window, Don't Save closes it", async () => {
    const close = win().events.get('close')!
    let prevented = 0
    const event = { preventDefault: () => void prevented++ }
    close(event) // nothing unsaved yet: closes without asking
    expect(prevented).toBe(0)

    expect(await invoke('session:update', { notes: 'unsaved thoughts' })).toMatchObject({
      ok: true
    })
    h.calls.messageBox.push(2) // Cancel
    close(event)
    await new Promise((r) => setTimeout(r, 20))
    expect(prevented).toBe(1)
    expect(win().closed).toBe(0)

    h.calls.messageBox.push(1) // Don't Save
    close(event)
    await new Promise((r) => setTimeout(r, 20))
    expect(prevented).toBe(2)
    expect(win().closed).toBe(1)
  })
})
