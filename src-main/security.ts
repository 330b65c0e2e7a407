/**
 * Electron hardening in one place (Electron's security checklist): isolated, sandboxed
 * renderers without Node; no navigation, no new windows, no permissions, no remote content.
 * Pure functions over Electron objects passed in, so they are unit-tested with mocks.
 */
import type { App, BrowserWindowConstructorOptions, Session, WebContents } from 'electron'

export function secureWebPreferences(
  preload: string
): BrowserWindowConstructorOptions['webPreferences'] {
  return {
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
    disableBlinkFeatures: 'Auxclick'
  }
}

/** Deny every permission request and check (camera, notifications, …): the lab needs none. */
export function lockDownSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>
): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  // Offline always: nothing but the app's own files may load.
  session.webRequest.onBeforeRequest((details, callback) => {
    const ok =
      details.url.startsWith('file://') ||
      details.url.startsWith('devtools://') ||
      details.url.startsWith('data:') ||
      details.url.startsWith('blob:')
    callback({ cancel: !ok })
  })
}

/** Every web contents: no navigation away, no window.open, no <webview>. */
export function lockDownContents(app: Pick<App, 'on'>): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })
}
