#!/usr/bin/env node
// `npm run serve`: build quietly, then browser mode. Its one line of output is the URL.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildApp } from './build-app.mjs'
import { supervise } from './supervise.mjs'

if (!buildApp()) process.exit(1)
const root = fileURLToPath(new URL('..', import.meta.url))
const child = spawn(process.execPath, ['out/main/serve.js', ...process.argv.slice(2)], {
  cwd: root,
  // The IPC channel is the server's lifeline: it stops when this script is gone, however it ended.
  stdio: ['inherit', 'inherit', 'inherit', 'ipc']
})
supervise(child)
