/** What this machine can run end to end: a Chromium, and/or an Electron binary with a display. */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

export function chromiumPath(): string | null {
  const candidates = [
    process.env.LAYERSCOPE_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser'
  ]
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null
}

export function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url)
    const path = require('electron') as unknown
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

export function hasDisplay(): boolean {
  return process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY
}

export function electronAvailable(): boolean {
  return electronBinary() !== null && hasDisplay()
}
