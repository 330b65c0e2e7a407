/**
 * The Electron IPC adapter: one `ipcMain.handle` per contract call, events forwarded to the
 * window. Every handler checks that the message comes from our own window's main frame and
 * then hands the raw payload to LabService, which validates it against the contract's schema.
 * Takes its Electron objects as parameters, so it is tested without Electron.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron'
import { CALL_NAMES, type Envelope } from '../src-shared/contract'
import type { LabService } from './lab/service'

export interface IpcTarget {
  webContents: Pick<WebContents, 'send' | 'isDestroyed' | 'mainFrame' | 'id'>
  /** The URL our renderer was loaded from (file:// in production). */
  rendererUrl: string
}

/** True when the frame is the main frame of our window, showing our renderer. */
export function isTrustedSender(
  frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined,
  target: IpcTarget
): boolean {
  if (!frame || frame.parent !== null) return false
  if (frame !== (target.webContents.mainFrame as unknown)) return false
  try {
    const got = new URL(frame.url)
    const want = new URL(target.rendererUrl)
    return (
      got.protocol === want.protocol && got.host === want.host && got.pathname === want.pathname
    )
  } catch {
    return false
  }
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  service: LabService,
  target: IpcTarget
): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(
      name,
      async (event: IpcMainInvokeEvent, args: unknown): Promise<Envelope<unknown>> => {
        if (!isTrustedSender(event.senderFrame, target)) {
          return {
            ok: false,
            error: {
              code: 'forbidden-sender',
              message: `${name}: refused a message from an unknown frame`
            }
          }
        }
        return service.call(name, args)
      }
    )
  }
  const unsubscribe = service.on((name, payload) => {
    if (!target.webContents.isDestroyed()) target.webContents.send(name, payload)
  })
  return () => {
    unsubscribe()
    for (const name of CALL_NAMES) ipcMain.removeHandler(name)
  }
}
