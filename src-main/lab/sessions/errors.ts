/**
 * Every way opening, saving or appending to a session can fail. The code says what is wrong,
 * `offset` (a byte offset into the file) or `path` (a JSON path into the document) says where.
 */
export type SessionErrorCode =
  | 'NOT_FOUND' // no such file
  | 'IS_DIRECTORY' // a folder where a session file was expected
  | 'EMPTY' // a zero-byte file
  | 'NOT_A_SESSION' // a foreign file: the magic bytes are not ours
  | 'TRUNCATED' // shorter than its header says
  | 'TRAILING_DATA' // longer than its header says
  | 'HEADER_CORRUPT' // the header fails its own checksum
  | 'CHECKSUM_MISMATCH' // the payload fails its SHA-256: damaged
  | 'UNSUPPORTED_VERSION' // written by a newer Layerscope, or an old version with no migration
  | 'CORRUPT_PAYLOAD' // checksum fine but the payload does not decode (a bad writer)
  | 'INVALID_DOCUMENT' // decodes, but is not a valid session (zod), or a migration failed
  | 'BUSY' // another process holds the session's lock past the timeout
  | 'IO_ERROR' // the operating system refused (permissions, disk full, …)

export class SessionError extends Error {
  override readonly name = 'SessionError'
  readonly code: SessionErrorCode
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
    super(message, where.cause === undefined ? undefined : { cause: where.cause })
    this.code = code
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
