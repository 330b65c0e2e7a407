import { beforeEach, describe, expect, it, vi } from 'vitest'
import { CALL_NAMES } from '../../../src-shared/contract'

const exposed: Record<string, unknown> = {}
const invoke = vi.fn(async (name: string, args: unknown) => ({ ok: true, value: { name, args } }))
const on = vi.fn()
const removeListener = vi.fn()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: { invoke, on, removeListener }
}))

describe('preload', () => {
  beforeEach(async () => {
    await import('../../../src-main/preload')
  })

  it('exposes one named function per contract call, and on — never ipcRenderer', async () => {
    const api = exposed.layerscope as Record<string, unknown>
    expect(Object.keys(api).sort()).toEqual([...CALL_NAMES, 'on'].sort())
    for (const name of CALL_NAMES) expect(typeof api[name]).toBe('function')
    expect(Object.values(api)).not.toContain(invoke)
    const r = await (api['app:info'] as (a: unknown) => Promise<unknown>)({})
    expect(invoke).toHaveBeenCalledWith('app:info', {})
    expect(r).toEqual({ ok: true, value: { name: 'app:info', args: {} } })
  })

  it('subscribes only to contract events and unwraps the IPC event object', () => {
    const api = exposed.layerscope as { on: (n: string, l: (p: unknown) => void) => () => void }
    expect(() => api.on('fs:read', () => undefined)).toThrow('unknown event')
    const listener = vi.fn()
    const off = api.on('job:done', listener)
    const wrapped = on.mock.calls.at(-1)![1] as (e: unknown, p: unknown) => void
    wrapped({ sender: 'secret' }, { jobId: 'job-1' })
    expect(listener).toHaveBeenCalledWith({ jobId: 'job-1' })
    off()
    expect(removeListener).toHaveBeenCalledWith('job:done', wrapped)
  })
})
