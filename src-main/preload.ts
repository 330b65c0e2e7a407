/**
 * Preload (sandboxed, CommonJS): exposes `window.layerscope`, one named function per contract
 * call and `on` for contract events — never ipcRenderer itself. Channel names come from the
 * contract; an unknown event name is refused here.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { CALL_NAMES, EVENT_NAMES, PRELOAD_GLOBAL, type EventName } from '../src-shared/contract'

const api: Record<string, unknown> = {}
for (const name of CALL_NAMES) {
  api[name] = (args: unknown) => ipcRenderer.invoke(name, args)
}
api.on = (name: EventName, listener: (payload: unknown) => void): (() => void) => {
  if (!EVENT_NAMES.includes(name)) throw new Error(`unknown event ${String(name)}`)
  if (typeof listener !== 'function') throw new Error('listener must be a function')
  const wrapped = (_event: IpcRendererEvent, payload: unknown): void => listener(payload)
  ipcRenderer.on(name, wrapped)
  return () => {
    ipcRenderer.removeListener(name, wrapped)
  }
}

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, api)
