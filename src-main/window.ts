/**
 * The main window, with its hardened web preferences written out in full where
 * static checkers (electronegativity) and readers see them: isolated, sandboxed, no Node.
 */
import { BrowserWindow } from 'electron'

export function createMainWindow(preload: string, dark: boolean): BrowserWindow {
  return new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Layerscope',
    backgroundColor: dark ? '#14171c' : '#f6f7f9',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick'
    }
  })
}
