#!/usr/bin/env node
// Electron security scan with @doyensec/electronegativity, offline (its one network check is
// skipped), as a gate: any finding that is not a documented review note fails.
// Usage: node scripts/electronegativity.mjs [DIR]   (default: this app's main process + index.html)
//
// Why package.json pins `commander` 5.1.0 (a devDependency nothing of ours imports):
// electronegativity 1.10.3 requires commander at run time without declaring it, and uses
// commander 5's API (`program.parse` filling `program.input` and friends); newer majors changed
// that API and the scan would fail to read its options. Drop the pin with electronegativity.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Findings we have reviewed and accept, with why. Everything else fails the scan. */
export const REVIEWED = {
  PRELOAD_JS_CHECK:
    'we use a preload: it exposes one named function per contract call and `on` for contract events, never ipcRenderer (tested in test/unit/electron/preload.test.ts)',
  CSP_GLOBAL_CHECK_DIRECTIVES:
    "csp-evaluator's generic note on script-src 'self'; ours allows no remote origin, no inline script and no eval (tested in security.test.ts)",
  ELECTRON_VERSION_JSON_CHECK: 'informational: reads the Electron version from package.json'
}

function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'ls-eneg-'))
  cpSync(join(root, 'src-main'), join(dir, 'src-main'), { recursive: true })
  cpSync(join(root, 'src-renderer', 'index.html'), join(dir, 'src-renderer', 'index.html'))
  cpSync(join(root, 'package.json'), join(dir, 'package.json'))
  return dir
}

export function scan(dir) {
  const out = join(mkdtempSync(join(tmpdir(), 'ls-eneg-out-')), 'findings.csv')
  const bin = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js')
  const r = spawnSync(
    process.execPath,
    [bin, '-i', dir, '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out],
    {
      encoding: 'utf8',
      timeout: 120_000
    }
  )
  if (r.status !== 0) throw new Error(`electronegativity failed to run: ${r.stderr}`)
  const lines = readFileSync(out, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
  // Each row ends with the check's wiki URL, whose last segment names the check.
  return lines.map((line) => {
    const id = /wiki\/([A-Z_]+)\s*$/.exec(line)?.[1] ?? 'UNKNOWN'
    const key =
      id === 'CSP_GLOBAL_CHECK' && /directives detected seems to be vulnerable/.test(line)
        ? 'CSP_GLOBAL_CHECK_DIRECTIVES'
        : id
    return { id, key, line }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2]
  const dir = target ?? stage()
  try {
    const findings = scan(dir)
    const bad = findings.filter((f) => !(f.key in REVIEWED))
    for (const f of findings) {
      console.log(
        `electronegativity: ${f.key in REVIEWED ? 'reviewed' : 'FINDING '} ${f.id}${f.key in REVIEWED ? ` — ${REVIEWED[f.key]}` : `: ${f.line}`}`
      )
    }
    console.log(
      `electronegativity: ${findings.length} findings, ${findings.length - bad.length} reviewed notes, ${bad.length} failing`
    )
    process.exitCode = bad.length === 0 ? 0 : 1
  } finally {
    if (!target) rmSync(dir, { recursive: true, force: true })
  }
}
