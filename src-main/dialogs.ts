/**
 * The desktop app's native file dialogs, built from Electron's `dialog` for one window.
 * The service calls them through `LabDialogs` (./lab/dialogs); nothing else imports this file.
 */
import { dialog, type BrowserWindow } from 'electron'
import type { LabDialogs } from './lab/dialogs'

export const SESSION_FILTERS = [{ name: 'Layerscope session', extensions: ['layerscope'] }]

/** Dialogs attached to `win` (null: no window left, every dialog answers "cancelled"). */
export function electronDialogs(win: () => BrowserWindow | null): LabDialogs {
  const first = (r: { canceled: boolean; filePaths: string[] }): string | null =>
    r.canceled ? null : (r.filePaths[0] ?? null)
  return {
    async openDataset() {
      const w = win()
      if (!w) return null
      // A CIFAR-10 copy is a batches folder or an official .tar.gz: allow picking either.
      return first(
        await dialog.showOpenDialog(w, {
          title: 'Open a CIFAR-10 copy',
          buttonLabel: 'Open',
          properties: ['openFile', 'openDirectory'],
          filters: [
            { name: 'CIFAR-10 archive or batches folder', extensions: ['gz', 'tgz'] },
            { name: 'All files', extensions: ['*'] }
          ]
        })
      )
    },
    async openSession() {
      const w = win()
      if (!w) return null
      return first(
        await dialog.showOpenDialog(w, {
          title: 'Open a session',
          properties: ['openFile'],
          filters: SESSION_FILTERS
        })
      )
    },
    async saveSession(defaultPath) {
      const w = win()
      if (!w) return null
      const r = await dialog.showSaveDialog(w, {
        title: 'Save the session as',
        filters: SESSION_FILTERS,
        properties: ['showOverwriteConfirmation', 'createDirectory'],
        ...(defaultPath === undefined ? {} : { defaultPath })
      })
      if (r.canceled || !r.filePath) return null
      return r.filePath.endsWith('.layerscope') ? r.filePath : `${r.filePath}.layerscope`
    }
  }
}
