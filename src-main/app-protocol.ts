/**
 * The renderer is served from a custom `app://layerscope/` scheme, not file:// (Electron's
 * security checklist, item 18): only files inside the built renderer folder can be reached,
 * and the page gets a real origin for its CSP ('self') and for the IPC sender check.
 */
import type { Net, Protocol } from 'electron'
import { normalize, sep } from 'node:path'
import { pathToFileURL } from 'node:url'

export const APP_SCHEME = 'app'
export const APP_HOST = 'layerscope'
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: false,
  corsEnabled: false,
  bypassCSP: false,
  allowServiceWorkers: false,
  stream: false
} as const

/** The file an app:// URL names, or null when it is not ours or escapes the renderer folder. */
export function resolveAppUrl(url: string, rendererDir: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null
  let rel: string
  try {
    rel = decodeURIComponent(u.pathname)
  } catch {
    return null
  }
  if (rel.includes('\0')) return null
  const root = normalize(rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep)
  const file = normalize(root + (rel === '/' ? 'index.html' : rel.replace(/^\/+/, '')))
  return file.startsWith(root) ? file : null
}

export function registerAppProtocol(
  protocol: Pick<Protocol, 'handle'>,
  net: Pick<Net, 'fetch'>,
  rendererDir: string
): void {
  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppUrl(request.url, rendererDir)
    if (!file) return new Response('not found', { status: 404 })
    return net.fetch(pathToFileURL(file).href)
  })
}
