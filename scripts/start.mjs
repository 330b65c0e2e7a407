#!/usr/bin/env node
// `npm start`: build, then open the Layerscope desktop window (Electron). Where Electron cannot
// start — its binary is missing and cannot be downloaded, or there is no display — say why in
// one sentence and start browser mode instead (the same UI at http://127.0.0.1:PORT).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { buildApp } from './build-app.mjs'
import { supervise } from './supervise.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)

// 1. Build (a few seconds): the WebAssembly kernels, then main, preload and renderer.
if (!buildApp()) process.exit(1)

// 2. Can Electron start here?
function electronPath() {
  try {
    const p = require('electron')
    return typeof p === 'string' && existsSync(p) ? p : null
  } catch {
    return null
  }
}

let reason = null
let exe = electronPath()
if (!exe && process.env.ELECTRON_SKIP_BINARY_DOWNLOAD !== '1') {
  // npm may not have run electron's install script (e.g. npm's allowScripts); fetch the binary now.
  const installer = fileURLToPath(new URL('../node_modules/electron/install.js', import.meta.url))
  spawnSync(process.execPath, [installer], { cwd: root, stdio: 'ignore', timeout: 180_000 })
  exe = electronPath()
}
if (!exe) reason = 'the Electron binary is not installed and could not be downloaded'
else if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  reason = 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)'
}

// 3. Start the desktop app, or browser mode.
const child = reason
  ? (console.log(`Electron cannot start here because ${reason}; starting browser mode instead.`),
    spawn(process.execPath, ['out/main/serve.js', ...process.argv.slice(2)], {
      cwd: root,
      // The IPC channel is the server's lifeline: it stops when this script is gone.
      stdio: ['inherit', 'inherit', 'inherit', 'ipc']
    }))
  : spawn(exe, ['.'], { cwd: root, stdio: 'inherit' })
supervise(child)
