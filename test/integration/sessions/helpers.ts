import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const CHILDREN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children')

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-sessions-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Every file under `dir` with its bytes (folders as markers), to prove nothing changed. */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const walk = async (d: string): Promise<void> => {
    for (const name of (await readdir(d)).sort()) {
      const p = path.join(d, name)
      if ((await stat(p)).isDirectory()) {
        out.set(p, '<dir>')
        await walk(p)
      } else out.set(p, (await readFile(p)).toString('base64'))
    }
  }
  await walk(dir)
  return out
}

/** A TypeScript child script run with `node --import tsx`. */
export function spawnChild(script: string, args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', path.join(CHILDREN, script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: path.resolve(CHILDREN, '../../../..')
  })
}

export function runChild(
  script: string,
  args: string[]
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(script, args)
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, out, err }))
  })
}

/** The pid of a process that has exited (for stale-lock tests). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'])
  const pid = child.pid!
  await new Promise((r) => child.on('close', r))
  return pid
}
