/**
 * Reading the files of a CIFAR-10 copy safely: only regular files (a FIFO or a device would
 * block or never end), at most a known size (checked before anything is allocated), with
 * progress and cancellation between chunks. Every failure is a DatasetError naming the file.
 */
import { constants as FS } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { DatasetError } from './errors'
import type { LoadOptions } from './types'

const CHUNK = 8 << 20

const MB = (n: number) => `${(n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} MB`

/** The error for a path that exists but is not a regular file (after following symlinks). */
export function notRegular(path: string, what = 'a file'): DatasetError {
  return new DatasetError(
    'not-a-regular-file',
    `${path} is not a regular file (a FIFO, device or socket, or a symlink to one), but ${what} ` +
      `is expected; it was not opened.`,
    { file: path }
  )
}

/** The error for a file larger than `limit`, which no CIFAR-10 file can be. */
export function tooLarge(path: string, bytes: number, limit: number, what: string): DatasetError {
  return new DatasetError(
    'too-large',
    `${path} is ${MB(bytes)}, larger than ${what} can be (at most ${MB(limit)}); it is not ` +
      `a CIFAR-10 file, or it is damaged. Copy or download the dataset again.`,
    { file: path }
  )
}

/** A filesystem error on `path` as a DatasetError (a missing target, a loop, permissions). */
export function fsError(e: unknown, path: string): DatasetError {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new DatasetError('not-found', `${path} does not exist (or is a symlink to nothing).`, {
      file: path
    })
  if (code === 'ELOOP')
    return new DatasetError('io-error', `${path} is a symlink loop; it cannot be read.`, {
      file: path
    })
  if (code === 'EACCES' || code === 'EPERM')
    return new DatasetError('io-error', `${path} cannot be read: permission denied.`, {
      file: path
    })
  return new DatasetError('io-error', `${path} cannot be read (${code ?? 'I/O error'}).`, {
    file: path
  })
}

/**
 * The size of the regular file at `path` (symlinks followed), refusing anything else and
 * anything larger than `limit` (`what` says what it should have been).
 */
export async function regularFileSize(path: string, limit: number, what: string): Promise<number> {
  let st
  try {
    st = await stat(path)
  } catch (e) {
    throw fsError(e, path)
  }
  if (st.isDirectory())
    throw new DatasetError('not-a-file', `${path} is a folder, but ${what} is a file.`, {
      file: path
    })
  if (!st.isFile()) throw notRegular(path, what)
  if (st.size > limit) throw tooLarge(path, st.size, limit, what)
  return st.size
}

/** Opens without blocking (a FIFO would wait for a writer) and checks it is a regular file. */
async function openRegular(path: string, what: string): Promise<{ fh: FileHandle; size: number }> {
  let fh: FileHandle
  try {
    fh = await open(path, FS.O_RDONLY | FS.O_NONBLOCK)
  } catch (e) {
    throw fsError(e, path)
  }
  const st = await fh.stat()
  if (!st.isFile()) {
    await fh.close()
    throw notRegular(path, what)
  }
  return { fh, size: st.size }
}

/**
 * Reads the whole regular file at `path`, at most `limit` bytes (checked on the open file,
 * so a file swapped after listing is caught too), into `scratch` when it is large enough.
 */
export async function readRegularFile(
  path: string,
  limit: number,
  what: string,
  opts: LoadOptions = {},
  onBytes: (n: number) => void = () => {},
  scratch?: { buf: Buffer },
  /** The size the file had when it was listed: a file that changed since is an error. */
  expected?: number
): Promise<Buffer> {
  const { fh, size } = await openRegular(path, what)
  try {
    if (size > limit) throw tooLarge(path, size, limit, what)
    if (expected !== undefined && size !== expected)
      throw new DatasetError(
        'io-error',
        size < expected
          ? `${path} became shorter while it was read (${size} of ${expected} bytes).`
          : `${path} grew while it was read (${size} bytes, not ${expected}).`,
        { file: path, offset: Math.min(size, expected) }
      )
    let buf: Buffer
    if (scratch) {
      if (scratch.buf.length < size) scratch.buf = Buffer.allocUnsafe(size)
      buf = scratch.buf.subarray(0, size)
    } else buf = Buffer.allocUnsafe(size)
    let off = 0
    while (off < size) {
      opts.signal?.throwIfAborted()
      const { bytesRead } = await fh.read(buf, off, Math.min(CHUNK, size - off), off)
      if (bytesRead === 0)
        throw new DatasetError(
          'io-error',
          `${path} became shorter while it was read (${off} of ${size} bytes).`,
          { file: path, offset: off }
        )
      off += bytesRead
      onBytes(bytesRead)
    }
    return buf
  } finally {
    await fh.close()
  }
}

/** Up to `n` bytes from the start of the regular file at `path`. */
export async function readRegularPrefix(path: string, n: number, what: string): Promise<Buffer> {
  const { fh } = await openRegular(path, what)
  try {
    const buf = Buffer.allocUnsafe(n)
    const { bytesRead } = await fh.read(buf, 0, n, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

/** `count` bytes at `position` of the regular file at `path` (fewer at its end). */
export async function readRegularAt(
  path: string,
  position: number,
  count: number,
  what: string
): Promise<Buffer> {
  const { fh } = await openRegular(path, what)
  try {
    const buf = Buffer.alloc(count)
    const { bytesRead } = await fh.read(buf, 0, count, position)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}
