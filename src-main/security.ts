/**
 * Electron hardening in one place (Electron's security checklist): isolated, sandboxed
 * renderers without Node; no navigation, no new windows, no permissions, no remote content.
 * Pure functions over Electron objects passed in, so they are unit-tested with mocks.
 */
import type { App, Session, WebContents } from 'electron'
import { APP_HOST, APP_SCHEME } from './app-protocol'

/** Deny every permission request and check (camera, notifications, …): the lab needs none. */
export function lockDownSession(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>
): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  // Offline always: nothing but the app's own files may load.
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isLocalUrl(details.url) })
  })
}

/** The app's own pages and what they make (data:, blob:), and devtools; nothing else. */
export function isLocalUrl(url: string): boolean {
  return (
    url.startsWith(`${APP_SCHEME}://${APP_HOST}/`) ||
    url.startsWith('devtools://') ||
    url.startsWith('data:') ||
    url.startsWith('blob:')
  )
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
