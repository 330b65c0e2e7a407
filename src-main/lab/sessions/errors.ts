import { LabError } from '../../../src-shared/errors'

/**
 * Every way opening, saving or appending to a session can fail: a LabError (one error family)
 * whose code says what is wrong and whose `offset` (a byte offset into the file) or `path` (a
 * JSON path into the document) says where; `details` carries both as plain data.
 */
export type SessionErrorCode =
  | 'not-found' // no such file
  | 'is-a-folder' // a folder where a session file was expected
  | 'not-a-regular-file' // a FIFO, device or socket (or a symlink to one; a symlink as the lock file)
  | 'too-large' // larger than a session file may be (the file, or its declared payload)
  | 'read-only' // a session file without write permission: refused, never replaced
  | 'empty-file' // a zero-byte file
  | 'not-a-session' // a foreign file: the magic bytes are not ours
  | 'truncated' // shorter than its header says
  | 'trailing-data' // longer than its header says
  | 'header-corrupt' // the header fails its own checksum
  | 'checksum-mismatch' // the payload fails its SHA-256: damaged
  | 'unsupported-version' // written by a newer Layerscope, or an old version with no migration
  | 'corrupt-payload' // checksum fine but the payload does not decode (a bad writer)
  | 'invalid-document' // decodes, but is not a valid session (zod), or a migration failed
  | 'busy' // another process holds the session's lock past the timeout
  | 'session-io-failed' // the operating system refused (permissions, disk full, …)

export class SessionError extends LabError {
  declare readonly code: SessionErrorCode
  readonly file: string | undefined
  readonly offset: number | undefined
  readonly path: (string | number)[] | undefined

  constructor(
    code: SessionErrorCode,
    message: string,
    where: {
      file?: string | undefined
      offset?: number | undefined
      path?: (string | number)[] | undefined
      cause?: unknown
    } = {}
  ) {
    const details: Record<string, unknown> = {}
    if (where.file !== undefined) details.file = where.file
    if (where.offset !== undefined) details.offset = where.offset
    if (where.path !== undefined) details.path = formatJsonPath(where.path)
    super(code, message, Object.keys(details).length > 0 ? details : undefined)
    this.name = 'SessionError'
    if (where.cause !== undefined) this.cause = where.cause
    this.file = where.file
    this.offset = where.offset
    this.path = where.path
  }

  /** The same error, now naming the file it is about. */
  withFile(file: string): SessionError {
    if (this.file !== undefined) return this
    const e = new SessionError(this.code, `${file}: ${this.message}`, {
      file,
      offset: this.offset,
      path: this.path,
      cause: this.cause
    })
    return e
  }
}

/** `runs[3].result.layers[0]` from zod-style path segments. */
export function formatJsonPath(path: readonly (string | number | symbol)[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `[${JSON.stringify(String(seg))}]`
  }
  return out || '(root)'
}

export function isSessionError(e: unknown): e is SessionError {
  return e instanceof SessionError
}
