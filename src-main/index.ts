/**
 * The Electron shell: one window, the menu, the lifecycle. Everything else lives in the
 * Electron-free LabService; this file only wires it to IPC and hardens the window.
 */
import { app, BrowserWindow, ipcMain, Menu, nativeTheme, session } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { LabService } from './lab/service'
import { electronDialogs } from './dialogs'
import { registerIpc } from './ipc'
import { buildMenuTemplate } from './menu'
import { builtPreloadFile, builtRendererDir, builtWorkerFile } from './paths'
import { lockDownContents, lockDownSession, secureWebPreferences } from './security'
import { APP_VERSION } from './version'

let service: LabService | null = null
let mainWindow: BrowserWindow | null = null

async function createWindow(): Promise<void> {
  lockDownSession(session.defaultSession)
  service = new LabService({
    pool: { workerFile: builtWorkerFile() },
    mode: 'electron',
    version: APP_VERSION,
    dialogs: electronDialogs(() => mainWindow)
  })
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Layerscope',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14171c' : '#f6f7f9',
    webPreferences: secureWebPreferences(builtPreloadFile())
  })
  mainWindow = win
  win.on('closed', () => {
    mainWindow = null
  })
  const rendererUrl = pathToFileURL(join(builtRendererDir(), 'index.html')).href
  const unregister = registerIpc(ipcMain, service, { webContents: win.webContents, rendererUrl })
  const lab = service
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate((command) => lab.command(command), process.platform))
  )
  win.once('ready-to-show', () => win.show())
  win.on('closed', unregister)
  await win.loadURL(rendererUrl)
}

lockDownContents(app)
app.whenReady().then(createWindow, (err: unknown) => {
  console.error('Layerscope could not start:', err)
  app.exit(1)
})
app.on('window-all-closed', () => {
  void service?.close().finally(() => app.quit())
})
