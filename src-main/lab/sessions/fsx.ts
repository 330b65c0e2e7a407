// Crash-safe file replacement and the small process facts the lock and recovery code need.
import { randomBytes } from 'node:crypto'
import { constants as FS, readFileSync } from 'node:fs'
import { copyFile, link, lstat, open, readdir, rename, stat, unlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SessionError } from './errors'

export function errnoCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | null)?.code
}

let linuxBootId: string | null | undefined

/**
 * Which boot of this machine we are in, to tell a pid recorded before a reboot from a live one:
 * Linux's random boot_id, elsewhere `t` + the boot time in minutes.
 */
export function bootId(): string {
  if (linuxBootId === undefined) {
    try {
      linuxBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null
    } catch {
      linuxBootId = null
    }
  }
  return linuxBootId ?? `t${Math.round((Date.now() - os.uptime() * 1000) / 60_000)}`
}

/** Whether a recorded bootId is this boot (unknown counts as yes: never break a live lock). */
export function sameBoot(recorded: unknown): boolean {
  if (typeof recorded !== 'string') return true
  const now = bootId()
  if (recorded.startsWith('t') && now.startsWith('t')) {
    // boot times derived from the wall clock drift a little: allow two minutes
    return Math.abs(Number(recorded.slice(1)) - Number(now.slice(1))) <= 2
  }
  return recorded === now
}

/** Whether a process with this pid exists on this machine. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errnoCode(e) === 'EPERM'
  }
}

export function ioError(e: unknown, file: string, doing: string): SessionError {
  if (e instanceof SessionError) return e
  const code = errnoCode(e)
  const why =
    code === 'ENOENT'
      ? 'the folder does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'EISDIR'
            ? 'a folder is in the way'
            : code === 'EROFS'
              ? 'the file system is read-only'
              : (e as Error).message
  return new SessionError('session-io-failed', `${file}: ${doing} failed: ${why}`, {
    file,
    cause: e
  })
}

async function fsyncDir(dir: string): Promise<void> {
  let fh
  try {
    fh = await open(dir, FS.O_RDONLY)
    await fh.sync()
  } catch (e) {
    // Windows cannot open or fsync a directory; rename is durable enough there.
    const code = errnoCode(e)
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e
  } finally {
    await fh?.close()
  }
}

function tempName(file: string, tag: string): string {
  const dir = path.dirname(file)
  return path.join(
    dir,
    `.${path.basename(file)}.${tag}${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  )
}

const TEMP_TAIL = /^(?:bak\.)?(\d+)\.[0-9a-f]{8}\.tmp$/

/**
 * Removes temporary files a killed writer of `file` left behind (only those whose process is
 * gone). Call it while holding the file's lock.
 */
export async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file)
  const base = path.basename(file)
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return
  }
  const prefix = `.${base}.`
  for (const name of names) {
    const m = name.startsWith(prefix) ? TEMP_TAIL.exec(name.slice(prefix.length)) : null
    if (!m) continue
    const pid = Number(m[1])
    if (pid === process.pid || pidAlive(pid)) continue
    await unlink(path.join(dir, name)).catch(() => undefined)
  }
}

/**
 * Replaces `file` with `data` so that, whatever moment the process dies at, `file` is either
 * the complete old content or the complete new one: write a temporary file in the same folder,
 * fsync it, rename it over `file`, fsync the folder. With `backup`, the old content is first
 * moved to `file.bak` the same way (a hard link, or a copy where links are not supported).
 */
export async function writeFileAtomic(
  file: string,
  data: Uint8Array,
  opts: { backup?: boolean } = {}
): Promise<void> {
  const tmp = tempName(file, '')
  let bakTmp: string | null = null
  try {
    let mode = 0o644
    try {
      const st = await stat(file)
      if (st.isDirectory()) {
        throw new SessionError('is-a-folder', `${file} is a folder, not a session file`, { file })
      }
      mode = st.mode & 0o777
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e
    }
    if (opts.backup) {
      // A folder (or FIFO, …) where the backup goes would fail the rename after the work.
      const bak = await lstat(`${file}.bak`).catch(() => null)
      if (bak !== null && !bak.isFile() && !bak.isSymbolicLink()) {
        throw new SessionError(
          'not-a-regular-file',
          `${file}.bak is ${bak.isDirectory() ? 'a folder' : 'not a regular file'}, where the ` +
            `session's backup goes; move it away`,
          { file: `${file}.bak` }
        )
      }
    }
    const fh = await open(tmp, 'wx', mode)
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    if (opts.backup) {
      bakTmp = tempName(file, 'bak.')
      try {
        await link(file, bakTmp)
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') bakTmp = null
        else {
          await copyFile(file, bakTmp, FS.COPYFILE_EXCL)
          const bh = await open(bakTmp, 'r+')
          await bh.sync().finally(() => bh.close())
        }
      }
      if (bakTmp !== null) {
        await rename(bakTmp, `${file}.bak`)
        bakTmp = null
      }
    }
    await rename(tmp, file)
    await fsyncDir(path.dirname(file))
  } catch (e) {
    await unlink(tmp).catch(() => undefined)
    if (bakTmp !== null) await unlink(bakTmp).catch(() => undefined)
    throw ioError(e, file, 'saving')
  }
}
