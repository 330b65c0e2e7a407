// A lock file beside the session (`FILE.lock`) so that read-modify-write cycles from several
// processes (the app, CLI runs) take turns. Created with O_EXCL; holds the owner's pid, host,
// boot id and a random token. A lock whose owner is gone (dead pid on this host, or a pid
// from before the last reboot) is stale and is taken over.
import { randomBytes } from 'node:crypto'
import { lstat, open, readFile, stat, unlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SessionError } from './errors'
import { bootId, errnoCode, ioError, pidAlive, sameBoot } from './fsx'

export interface LockOptions {
  /** How long to wait for another process to finish before giving up with BUSY. */
  timeoutMs?: number
}

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000
/** A lock file that stays unreadable this long was left by a writer that died creating it. */
const UNREADABLE_STALE_MS = 5_000

interface LockInfo {
  pid: number
  host: string
  boot: string
  createdAt: string
  token: string
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Same-process callers queue here first: the lock file cannot tell them apart. */
const localQueues = new Map<string, Promise<unknown>>()

async function readLock(lockFile: string): Promise<{ info: LockInfo | null; raw: string } | null> {
  let raw: string
  try {
    raw = await readFile(lockFile, 'utf8')
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return null
    throw e
  }
  try {
    const v = JSON.parse(raw) as Partial<LockInfo>
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.token === 'string') {
      return { info: v as LockInfo, raw }
    }
  } catch {
    // fall through: unreadable
  }
  return { info: null, raw }
}

async function isStale(lockFile: string, info: LockInfo | null): Promise<boolean> {
  if (info === null) {
    try {
      return Date.now() - (await stat(lockFile)).mtimeMs > UNREADABLE_STALE_MS
    } catch {
      return false
    }
  }
  if (info.host !== os.hostname()) return false // cannot see that machine's processes
  if (!sameBoot(info.boot)) return true
  if (info.pid === process.pid) return !held.has(info.token)
  return !pidAlive(info.pid)
}

const held = new Set<string>()

/**
 * Removes a stale lock — but only the one we judged stale: a short-lived `.break` lock makes
 * sure two waiters cannot both break it and then delete each other's fresh lock.
 */
async function breakStale(lockFile: string, raw: string): Promise<void> {
  const breaker = `${lockFile}.break`
  try {
    const fh = await open(breaker, 'wx')
    await fh.close()
  } catch (e) {
    if (errnoCode(e) !== 'EEXIST') throw e
    const age = await stat(breaker).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0
    )
    if (age > UNREADABLE_STALE_MS) await unlink(breaker).catch(() => undefined)
    return
  }
  try {
    const now = await readLock(lockFile)
    if (now !== null && now.raw === raw) await unlink(lockFile).catch(() => undefined)
  } finally {
    await unlink(breaker).catch(() => undefined)
  }
}

function describe(info: LockInfo | null): string {
  if (info === null) return 'another process'
  const host = info.host === os.hostname() ? '' : ` on ${info.host}`
  return `another Layerscope process (pid ${info.pid}${host}, since ${info.createdAt})`
}

function busy(file: string, lockFile: string, info: LockInfo | null, timeoutMs: number) {
  return new SessionError(
    'busy',
    `${file} is busy: ${describe(info)} is writing it; gave up after ${timeoutMs} ms` +
      ` (if no other Layerscope is running, delete ${lockFile})`,
    { file }
  )
}

/**
 * The existing lock must be a regular file: a dangling symlink, a FIFO or a folder there is
 * never ours and would block or spin; it is reported, never opened or removed.
 */
async function checkLockFile(lockFile: string, file: string): Promise<void> {
  let st
  try {
    st = await lstat(lockFile)
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return
    throw ioError(e, file, 'checking the lock file')
  }
  if (st.isFile()) return
  const what = st.isDirectory()
    ? 'a folder'
    : st.isSymbolicLink()
      ? 'a symlink'
      : 'not a regular file (a FIFO, device or socket)'
  throw new SessionError(
    'not-a-regular-file',
    `${lockFile} is ${what}${st.isDirectory() || st.isSymbolicLink() ? ', not a regular file' : ''}` +
      `, where the session's lock file goes; remove it if no Layerscope is running`,
    { file: lockFile }
  )
}

/** Why the lock file could not be created, in words true of this folder. */
async function lockCreateError(e: unknown, file: string, lockFile: string): Promise<SessionError> {
  const code = errnoCode(e)
  if (code !== 'ENOENT') return ioError(e, file, `creating ${lockFile}`)
  const dir = path.dirname(lockFile)
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false
  )
  return new SessionError(
    'session-io-failed',
    exists
      ? `${file}: cannot create ${lockFile}: the folder takes no new files (${dir})`
      : `${file}: cannot create ${lockFile}: the folder does not exist (${dir})`,
    { file, cause: e }
  )
}

async function acquire(file: string, timeoutMs: number): Promise<string> {
  const lockFile = `${file}.lock`
  const info: LockInfo = {
    pid: process.pid,
    host: os.hostname(),
    boot: bootId(),
    createdAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex')
  }
  const deadline = Date.now() + timeoutMs
  let wait = 5
  for (;;) {
    let created = false
    try {
      const fh = await open(lockFile, 'wx')
      created = true
      try {
        await fh.writeFile(JSON.stringify(info))
      } finally {
        await fh.close()
      }
      held.add(info.token)
      return info.token
    } catch (e) {
      if (created) await unlink(lockFile).catch(() => undefined)
      if (errnoCode(e) !== 'EEXIST') throw await lockCreateError(e, file, lockFile)
    }
    await checkLockFile(lockFile, file)
    let current: Awaited<ReturnType<typeof readLock>>
    try {
      current = await readLock(lockFile)
    } catch (e) {
      throw ioError(e, file, 'reading the lock file')
    }
    if (current === null) {
      // Released between our attempts: try again, but never spin.
      if (Date.now() >= deadline) throw busy(file, lockFile, null, timeoutMs)
      await sleep(1)
      continue
    }
    if (await isStale(lockFile, current.info)) {
      await breakStale(lockFile, current.raw).catch(() => undefined)
      continue
    }
    if (Date.now() >= deadline) throw busy(file, lockFile, current.info, timeoutMs)
    await sleep(Math.min(wait + Math.random() * wait, Math.max(1, deadline - Date.now())))
    wait = Math.min(wait * 2, 100)
  }
}

async function release(file: string, token: string): Promise<void> {
  held.delete(token)
  const lockFile = `${file}.lock`
  const current = await readLock(lockFile).catch(() => null)
  if (current?.info?.token === token) await unlink(lockFile).catch(() => undefined)
}

/** Runs `fn` while holding `file`'s lock (in this process and across processes). */
export async function withFileLock<T>(
  file: string,
  fn: () => Promise<T>,
  opts: LockOptions = {}
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  const before = localQueues.get(file) ?? Promise.resolve()
  const run = before
    .catch(() => undefined)
    .then(async () => {
      const token = await acquire(file, timeoutMs)
      try {
        return await fn()
      } finally {
        await release(file, token)
      }
    })
  localQueues.set(file, run)
  try {
    return await run
  } finally {
    if (localQueues.get(file) === run) localQueues.delete(file)
  }
}
