import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const script = new URL('../../scripts/electronegativity.mjs', import.meta.url).pathname

function run(args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000 })
}

describe('electronegativity gate (offline)', () => {
  it('passes this app with only the documented review notes', () => {
    const r = run([])
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/, 0 failing/)
    expect(r.stdout).not.toContain('FINDING')
  })

  it('fails a window that enables Node and disables isolation and the sandbox', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-eneg-bad-'))
    mkdirSync(join(dir, 'src'))
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'bad', devDependencies: { electron: '41.7.1' } })
    )
    writeFileSync(
      join(dir, 'src', 'main.js'),
      "const { BrowserWindow } = require('electron')\n" +
        "new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } }).loadURL('http://example.com')\n"
    )
    const r = run([dir])
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/FINDING\s+SANDBOX_JS_CHECK/)
    expect(r.stdout).toMatch(/FINDING\s+CONTEXT_ISOLATION_JS_CHECK/)
  })
})
