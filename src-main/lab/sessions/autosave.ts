// Autosave: the open session is written every 30 s (when it changed) and on quit to
// `<dataDir>/recovery/`, one file per app process. A clean close removes it; after a crash the
// next start finds it with findRecovery() and offers it back.
import { mkdir, readFile, readdir, stat, unlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { SessionDoc } from '../../../src-shared/session'
import { bootId, pidAlive, removeStaleTemps, sameBoot, writeFileAtomic } from './fsx'
import { encodeSession } from './store'

export const RECOVERY_DIR = 'recovery'
export const AUTOSAVE_INTERVAL_MS = 30_000

interface RecoveryMeta {
  pid: number
  host: string
  boot: string
  /** Where the user saved the session, or null for an untitled one. */
  sourceFile: string | null
  savedAt: string
}

export interface RecoveryCandidate {
  /** The autosaved session; open it with openSession (it is validated like any file). */
  file: string
  sourceFile: string | null
  savedAt: string
  pid: number
}

export interface AutosaverOptions {
  dataDir: string
  intervalMs?: number
  /** Called with any error of a background save (the timer never throws). */
  onError?: (e: unknown) => void
}

function recoveryPaths(dataDir: string, stem: string) {
  const dir = path.join(dataDir, RECOVERY_DIR)
  return { dir, file: path.join(dir, `${stem}.layerscope`), meta: path.join(dir, `${stem}.json`) }
}

export class Autosaver {
  readonly file: string
  private readonly metaFile: string
  private readonly dir: string
  private readonly intervalMs: number
  private readonly onError: (e: unknown) => void
  private timer: ReturnType<typeof setInterval> | null = null
  private pending: { doc: SessionDoc; sourceFile: string | null } | null = null
  private writing: Promise<void> = Promise.resolve()
  private closed = false

  constructor(opts: AutosaverOptions) {
    const stem = `session-${process.pid}-${Date.now().toString(36)}`
    const p = recoveryPaths(opts.dataDir, stem)
    this.dir = p.dir
    this.file = p.file
    this.metaFile = p.meta
    this.intervalMs = opts.intervalMs ?? AUTOSAVE_INTERVAL_MS
    this.onError = opts.onError ?? (() => undefined)
  }

  /** The session changed: remember it; the next tick (or flush) writes it. Starts the timer. */
  update(doc: SessionDoc, sourceFile: string | null): void {
    if (this.closed) return
    this.pending = { doc, sourceFile }
    if (this.timer === null) {
      this.timer = setInterval(() => {
        this.flush().catch(this.onError)
      }, this.intervalMs)
      this.timer.unref?.()
    }
  }

  /** Writes the latest change now, if there is one (call on quit); resolves when on disk. */
  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const job = this.pending
      if (job === null || this.closed) return
      this.pending = null
      const bytes = encodeSession(job.doc)
      await mkdir(this.dir, { recursive: true })
      await writeFileAtomic(this.file, bytes)
      const meta: RecoveryMeta = {
        pid: process.pid,
        host: os.hostname(),
        boot: bootId(),
        sourceFile: job.sourceFile,
        savedAt: new Date().toISOString()
      }
      await writeFileAtomic(this.metaFile, Buffer.from(JSON.stringify(meta)))
    })
    const done = this.writing
    this.writing = done.catch(() => undefined)
    return done
  }

  /** The user saved (or discarded) the session: nothing to recover until it changes again. */
  async markSaved(): Promise<void> {
    this.pending = null
    await this.writing
    await this.remove()
  }

  /** Clean close: stop the timer and remove this process's recovery file. */
  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    this.pending = null
    await this.writing
    this.closed = true
    await this.remove()
  }

  private async remove(): Promise<void> {
    await unlink(this.file).catch(() => undefined)
    await unlink(this.metaFile).catch(() => undefined)
  }
}

async function readMeta(file: string): Promise<Partial<RecoveryMeta> | null> {
  try {
    const v: unknown = JSON.parse(await readFile(file, 'utf8'))
    return typeof v === 'object' && v !== null ? (v as Partial<RecoveryMeta>) : null
  } catch {
    return null
  }
}

/**
 * Autosaved sessions left by app processes that did not close cleanly (crashed, killed, power
 * lost), newest first. Files of processes still running (another app window) are skipped.
 */
export async function findRecovery(dataDir: string): Promise<RecoveryCandidate[]> {
  const dir = path.join(dataDir, RECOVERY_DIR)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return []
  }
  const out: RecoveryCandidate[] = []
  for (const name of names) {
    const m = /^(session-(\d+)-[0-9a-z]+)\.layerscope$/.exec(name)
    if (!m) continue
    const file = path.join(dir, name)
    await removeStaleTemps(file) // a crash mid-autosave leaves one behind
    const meta = await readMeta(path.join(dir, `${m[1]}.json`))
    const pid = Number(m[2])
    const sameHost = meta?.host === undefined || meta.host === os.hostname()
    if (pid === process.pid || (sameHost && sameBoot(meta?.boot) && pidAlive(pid))) continue
    let savedAt = meta?.savedAt
    if (typeof savedAt !== 'string') {
      const st = await stat(file).catch(() => null)
      if (st === null) continue
      savedAt = st.mtime.toISOString()
    }
    const sourceFile = typeof meta?.sourceFile === 'string' ? meta.sourceFile : null
    out.push({ file, sourceFile, savedAt, pid })
  }
  return out.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0))
}

/** Deletes a recovery candidate (recovered and saved, or declined by the user). */
export async function discardRecovery(candidate: RecoveryCandidate): Promise<void> {
  await unlink(candidate.file).catch(() => undefined)
  await unlink(candidate.file.replace(/\.layerscope$/, '.json')).catch(() => undefined)
}
