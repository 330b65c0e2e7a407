/**
 * The Electron shell: one window, the menu, the lifecycle. Everything else lives in the
 * Electron-free LabService; this file only wires it to IPC and hardens the window.
 */
import {
  app,
  dialog,
  ipcMain,
  Menu,
  nativeTheme,
  net,
  protocol,
  session,
  type BrowserWindow
} from 'electron'
import {
  APP_INDEX_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  registerAppProtocol
} from './app-protocol'
import { confirmClose } from './close-guard'
import { LabService } from './lab/service'
import { electronDialogs } from './dialogs'
import { registerIpc } from './ipc'
import { buildMenuTemplate } from './menu'
import { builtPreloadFile, builtRendererDir, builtWorkerFile } from './paths'
import { lockDownContents, lockDownSession } from './security'
import { APP_VERSION } from './version'
import { createMainWindow } from './window'

let service: LabService | null = null
let mainWindow: BrowserWindow | null = null

async function createWindow(): Promise<void> {
  lockDownSession(session.defaultSession)
  service = new LabService({
    pool: { workerFile: builtWorkerFile() },
    mode: 'electron',
    version: APP_VERSION,
    // Session autosave, crash recovery and the recent-sessions list live here.
    dataDir: app.getPath('userData'),
    dialogs: electronDialogs(() => mainWindow)
  })
  registerAppProtocol(protocol, net, builtRendererDir())
  const win = createMainWindow(builtPreloadFile(), nativeTheme.shouldUseDarkColors)
  mainWindow = win
  win.on('closed', () => {
    mainWindow = null
  })
  const rendererUrl = APP_INDEX_URL
  const unregister = registerIpc(ipcMain, service, { webContents: win.webContents, rendererUrl })
  const lab = service
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate((command) => lab.command(command), process.platform))
  )
  // Closing with unsaved changes asks first (Save / Don't save / Cancel).
  let closeConfirmed = false
  win.on('close', (event) => {
    if (closeConfirmed || !lab.sessions.status().dirty) return
    event.preventDefault()
    const dialogs = electronDialogs(() => win)
    void confirmClose({
      status: () => lab.sessions.status(),
      save: () => lab.sessions.save(),
      saveAs: (file) => lab.sessions.saveAs(file),
      ask: async () =>
        (
          await dialog.showMessageBox(win, {
            type: 'question',
            message: 'Save the changes to this session before closing?',
            detail: 'Runs and notes that are not saved are lost if you do not save them.',
            buttons: ['Save', "Don't Save", 'Cancel'],
            defaultId: 0,
            cancelId: 2
          })
        ).response,
      pickFile: () => dialogs.saveSession(),
      showError: (message) => dialog.showErrorBox('The session could not be saved', message)
    }).then((close) => {
      if (!close || win.isDestroyed()) return
      closeConfirmed = true
      win.close()
    })
  })
  win.once('ready-to-show', () => win.show())
  win.on('closed', unregister)
  await win.loadURL(rendererUrl)
}

// Before ready: the app:// scheme must be known as standard and secure (checklist item 18).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])
lockDownContents(app)
app.whenReady().then(createWindow, (err: unknown) => {
  console.error('Layerscope could not start:', err)
  app.exit(1)
})
app.on('window-all-closed', () => {
  void service?.close().finally(() => app.quit())
})
