#!/usr/bin/env node
// Runs the end-to-end specs against the built app, on whatever this machine can drive:
// Debian's Chromium (browser mode) and/or a real Electron binary with a display.
// Where neither exists (a user's fresh clone), says so in one line and skips — unless
// LAYERSCOPE_REQUIRE_E2E=1 (CI), where that is a failure.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const chromium = [
  process.env.LAYERSCOPE_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser'
].find((p) => p && existsSync(p))
let electron = null
try {
  const p = require('electron')
  if (typeof p === 'string' && existsSync(p)) electron = p
} catch {
  electron = null
}
const display =
  process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY
const canElectron = electron && display

if (!existsSync(new URL('../out/main/serve.js', import.meta.url))) {
  console.error('e2e: the app is not built; run `npm run build` first')
  process.exit(1)
}
if (!chromium && !canElectron) {
  const why = `no Chromium at /usr/bin/chromium (apt-get install chromium) and ${electron ? 'no display for Electron' : 'no Electron binary'}`
  if (process.env.LAYERSCOPE_REQUIRE_E2E === '1') {
    console.error(`e2e: FAILED — required, but ${why}`)
    process.exit(1)
  }
  console.log(`e2e: skipped — ${why}`)
  process.exit(0)
}
if (!canElectron)
  console.log(
    `e2e: browser mode in ${chromium}; Electron specs skipped (${electron ? 'no display' : 'no Electron binary'})`
  )
const result = spawnSync(
  process.execPath,
  [require.resolve('@playwright/test/cli'), 'test', ...process.argv.slice(2)],
  {
    stdio: 'inherit'
  }
)
process.exit(result.status ?? 1)
