/**
 * Reading a file the user named (NET.json, DATA.json): only a regular file — a FIFO or a
 * device (or a symlink to one) would block or never end, and its size says nothing — opened
 * without blocking, checked on the open handle, and read only up to a known limit.
 */
import { constants as FS } from 'node:fs'
import { open } from 'node:fs/promises'

export type InputFileProblem = 'not-found' | 'folder' | 'not-regular' | 'too-large' | 'unreadable'

export class InputFileError extends Error {
  constructor(
    readonly problem: InputFileProblem,
    message: string
  ) {
    super(message)
    this.name = 'InputFileError'
  }
}

function why(e: unknown): InputFileError {
  const code = (e as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new InputFileError('not-found', 'no such file')
  if (code === 'EISDIR') return new InputFileError('folder', 'is a folder, not a file')
  if (code === 'ELOOP') return new InputFileError('unreadable', 'is a symlink loop')
  if (code === 'EACCES' || code === 'EPERM')
    return new InputFileError('unreadable', 'cannot be read: permission denied')
  return new InputFileError('unreadable', `cannot be read (${code ?? 'I/O error'})`)
}

/** The UTF-8 text of the regular file `abs`, at most `limit` bytes; InputFileError otherwise. */
export async function readRegularText(abs: string, limit: number): Promise<string> {
  let fh
  try {
    fh = await open(abs, FS.O_RDONLY | FS.O_NONBLOCK)
  } catch (e) {
    throw why(e)
  }
  try {
    const st = await fh.stat()
    if (st.isDirectory()) throw new InputFileError('folder', 'is a folder, not a file')
    if (!st.isFile())
      throw new InputFileError(
        'not-regular',
        'is not a regular file (a FIFO, device or socket, or a symlink to one); it was not read'
      )
    if (st.size > limit)
      throw new InputFileError(
        'too-large',
        `is ${st.size} bytes, larger than the ${limit}-byte limit`
      )
    const buf = Buffer.alloc(st.size)
    let off = 0
    while (off < st.size) {
      const { bytesRead } = await fh.read(buf, off, st.size - off, off)
      if (bytesRead === 0) break
      off += bytesRead
    }
    return buf.subarray(0, off).toString('utf8')
  } catch (e) {
    throw e instanceof InputFileError ? e : why(e)
  } finally {
    await fh.close()
  }
}
