import { afterAll, describe, expect, it } from 'vitest'
import type { IpcMainInvokeEvent } from 'electron'
import { CALL_NAMES } from '../../../src-shared/contract'
import { isTrustedSender, registerIpc, type IpcTarget } from '../../../src-main/ipc'
import { makeTestService } from '../../helpers/service'

const service = makeTestService(1)
afterAll(() => service.close())

type Handler = (event: IpcMainInvokeEvent, args: unknown) => Promise<unknown>

function setup() {
  const handlers = new Map<string, Handler>()
  const sent: [string, unknown][] = []
  const mainFrame = { url: 'file:///app/out/renderer/index.html', parent: null }
  const target: IpcTarget = {
    rendererUrl: 'file:///app/out/renderer/index.html',
    webContents: {
      id: 1,
      mainFrame: mainFrame as never,
      isDestroyed: () => false,
      send: (channel: string, payload: unknown) => void sent.push([channel, payload])
    } as never
  }
  const ipcMain = {
    handle: (name: string, h: Handler) => void handlers.set(name, h),
    removeHandler: (name: string) => void handlers.delete(name)
  }
  const unregister = registerIpc(ipcMain as never, service, target)
  const invoke = (name: string, args: unknown, frame: unknown = mainFrame) =>
    handlers.get(name)!({ senderFrame: frame } as IpcMainInvokeEvent, args)
  return { handlers, sent, mainFrame, target, invoke, unregister }
}

describe('IPC adapter', () => {
  it('registers exactly one handler per contract call and removes them all', () => {
    const s = setup()
    expect([...s.handlers.keys()].sort()).toEqual([...CALL_NAMES].sort())
    s.unregister()
    expect(s.handlers.size).toBe(0)
  })

  it('answers our own main frame and validates the payload', async () => {
    const s = setup()
    expect(await s.invoke('app:info', {})).toMatchObject({
      ok: true,
      value: { name: 'Layerscope' }
    })
    expect(await s.invoke('job:start', { kind: 'sample', config: { n: 0 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-args' }
    })
    s.unregister()
  })

  it('refuses every call from a foreign sender: other URL, subframe, other frame, no frame', async () => {
    const s = setup()
    const foreign = [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///app/out/renderer/index.html', parent: s.mainFrame },
      { url: 'file:///app/out/renderer/index.html', parent: null },
      null
    ]
    for (const frame of foreign) {
      for (const name of CALL_NAMES) {
        const r = await s.invoke(name, {}, frame)
        expect(r, `${name}`).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } })
      }
    }
    s.unregister()
  })

  it('forwards lab events to the window under their contract names', async () => {
    const s = setup()
    service.command('view:depth')
    expect(s.sent).toContainEqual(['app:command', { command: 'view:depth' }])
    s.unregister()
    service.command('view:sanity')
    expect(s.sent).not.toContainEqual(['app:command', { command: 'view:sanity' }])
  })

  it('isTrustedSender compares protocol, host and path of the main frame', () => {
    const frame = { url: 'file:///app/out/renderer/index.html#/depth', parent: null }
    const target = {
      rendererUrl: 'file:///app/out/renderer/index.html',
      webContents: { mainFrame: frame }
    } as never
    expect(isTrustedSender(frame as never, target)).toBe(true)
    const other = { url: 'file:///tmp/index.html', parent: null }
    expect(
      isTrustedSender(
        other as never,
        { ...(target as object), webContents: { mainFrame: other } } as never
      )
    ).toBe(false)
  })
})
