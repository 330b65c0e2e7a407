/**
 * The README's first command, `npm start`, on a machine without an Electron binary or display:
 * it must say why in one sentence and start browser mode, printing the URL line.
 * (Runs scripts/start.mjs itself: it builds the app first, so this takes a few seconds.)
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { electronBinary, hasDisplay } from '../e2e/env'

const root = join(import.meta.dirname, '..', '..')

describe('npm start', () => {
  it.skipIf(electronBinary() !== null && hasDisplay())(
    'without Electron says why in one sentence and starts browser mode',
    async () => {
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
        LAYERSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), 'ls-start-'))
      }
      delete env.DISPLAY
      delete env.WAYLAND_DISPLAY
      const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
        cwd: root,
        env
      })
      let out = ''
      let status = 0
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      child.stderr.on('data', (d: Buffer) => (out += d.toString()))
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no URL within 120 s:\n${out}`)), 120_000)
          child.stdout.on('data', () => {
            if (/Layerscope is running at http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.test(out)) {
              clearTimeout(timer)
              resolve()
            }
          })
          child.on('exit', (code) => reject(new Error(`start exited with ${code}:\n${out}`)))
        })
        // The server it started refuses a request without the token.
        const base = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!
        status = (await fetch(`${base}/`)).status
      } finally {
        child.kill('SIGTERM')
      }
      const lines = out.trim().split('\n')
      expect(lines).toHaveLength(2)
      expect(lines[0]).toMatch(
        /^Electron cannot start here because .+; starting browser mode instead\.$/
      )
      expect(lines[1]).toMatch(/^Layerscope is running at http:\/\/127\.0\.0\.1:\d+\/\?token=\S+$/)
      expect(status).toBe(401)
    },
    150_000
  )
})
