// Session files on disk: open (verify, decode, migrate, validate), save (atomic, with .bak),
// append a run under the file lock, and the pure helpers that build documents and runs.
import { randomUUID } from 'node:crypto'
import { constants as FS } from 'node:fs'
import { lstat, open, realpath } from 'node:fs/promises'
import path from 'node:path'
import {
  SESSION_FORMAT,
  SESSION_VERSION,
  sessionDocSchema,
  sessionRunSchema,
  type DatasetRef,
  type JsonObject,
  type JsonValue,
  type NetJson,
  type RunKind,
  type SessionDoc,
  type SessionRun
} from '../../../src-shared/session'
import { decodePayload, encodePayload } from './codec'
import { MAX_SESSION_BYTES, readContainer, verifyContainer, writeContainer } from './container'
import { SessionError, formatJsonPath } from './errors'
import { errnoCode, ioError, removeStaleTemps, writeFileAtomic } from './fsx'
import { withFileLock } from './lock'
import { MIGRATIONS, migrateDocument, type MigrationTable } from './migrate'

/** What a caller supplies for a new run; the rest gets defaults. */
export interface RunInput {
  kind: RunKind
  config: JsonObject
  result: JsonValue
  id?: string
  title?: string
  notes?: string
  tags?: string[]
  createdAt?: string
  net?: NetJson
}

export interface OpenOptions {
  /** Migrations to apply to older files (tests pass synthetic ones). */
  migrations?: MigrationTable
}

export interface SaveOptions {
  /** Stamped into the document as the version of the app that last wrote it. */
  appVersion?: string
  /** Wait this long for another writer before failing with BUSY (default 10 s). */
  lockTimeoutMs?: number
  /**
   * The run ids this copy of the document has seen (when it was opened or last saved). Runs
   * found in the file that are neither in `doc` nor in this set were appended by another
   * process meanwhile (a CLI run with `--session`) and are kept, after the document's own.
   * Without it, the file is simply replaced by `doc`.
   */
  knownRunIds?: Iterable<string>
  /**
   * With knownRunIds: called under the lock with the document on disk when it holds runs to
   * keep; throwing refuses the save and leaves the file exactly as it was.
   */
  checkStored?: (doc: SessionDoc) => void
  /** Clock for updatedAt (tests). */
  now?: Date
}

export interface AppendOptions {
  /** Used when the file does not exist yet and is created. */
  appVersion: string
  /** Recorded when the session is created by this call. */
  dataset?: DatasetRef | null
  lockTimeoutMs?: number
  now?: Date
  /**
   * Called under the lock with the document read from disk (a new file: the empty one);
   * throwing refuses the append and leaves the file exactly as it was. The CLI checks every
   * stored run's result here (./results.ts), as the app does on open.
   */
  checkStored?: (doc: SessionDoc) => void
}

export function createSession(opts: {
  appVersion: string
  dataset?: DatasetRef | null
  now?: Date
}): SessionDoc {
  const at = (opts.now ?? new Date()).toISOString()
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    appVersion: opts.appVersion,
    createdAt: at,
    updatedAt: at,
    dataset: opts.dataset ?? null,
    notes: '',
    uiState: {},
    runs: []
  }
}

export function invalid(
  prefix: (string | number)[],
  issues: readonly { path: PropertyKey[]; message: string }[]
) {
  const first = issues[0]!
  const where = [...prefix, ...(first.path as (string | number)[])]
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : ''
  return new SessionError(
    'invalid-document',
    `not a valid session: ${formatJsonPath(where)}: ${first.message}${more}`,
    { path: where }
  )
}

/** A complete, validated run from `input` (id: a UUID, title: the kind, createdAt: now). */
export function newRun(input: RunInput, now: Date = new Date()): SessionRun {
  const run: SessionRun = {
    id: input.id ?? randomUUID(),
    kind: input.kind,
    title: input.title ?? input.kind,
    notes: input.notes ?? '',
    tags: input.tags ?? [],
    createdAt: input.createdAt ?? now.toISOString(),
    config: input.config,
    result: input.result
  }
  if (input.net !== undefined) run.net = input.net
  const parsed = sessionRunSchema.safeParse(run)
  if (!parsed.success) throw invalid(['run'], parsed.error.issues)
  return parsed.data
}

/** Validates a document (zod), throwing INVALID_DOCUMENT with the JSON path of the problem. */
export function validateSession(doc: unknown): SessionDoc {
  const parsed = sessionDocSchema.safeParse(doc)
  if (!parsed.success) throw invalid([], parsed.error.issues)
  return parsed.data
}

/** The bytes of a `*.layerscope` file for `doc` (validated first). */
export function encodeSession(doc: SessionDoc): Buffer {
  const valid = validateSession(doc)
  return writeContainer(SESSION_VERSION, encodePayload(valid as unknown as JsonValue))
}

/** Decodes and validates a whole file's bytes; throws SessionError (no `file`) otherwise. */
export function decodeSession(bytes: Uint8Array, opts: OpenOptions = {}): SessionDoc {
  const { version, raw, headerLength } = readContainer(bytes)
  let value: unknown
  try {
    value = decodePayload(raw)
  } catch (e) {
    // Payload offsets are into the inflated data; report where the payload starts instead.
    if (e instanceof SessionError) {
      throw new SessionError(e.code, e.message, { offset: headerLength, cause: e })
    }
    throw e
  }
  const migrated = migrateDocument(value, version, opts.migrations ?? MIGRATIONS)
  return validateSession(migrated)
}

/**
 * The bytes of a session file: only a regular file (a FIFO or device is refused without
 * blocking or reading), at most MAX_SESSION_BYTES (checked on the open file before reading).
 */
async function readSessionBytes(file: string): Promise<Buffer> {
  let fh
  try {
    fh = await open(file, FS.O_RDONLY | FS.O_NONBLOCK)
  } catch (e) {
    const code = errnoCode(e)
    if (code === 'ENOENT') {
      throw new SessionError('not-found', `${file}: no such file`, { file, cause: e })
    }
    if (code === 'EISDIR') {
      throw new SessionError('is-a-folder', `${file} is a folder, not a session file`, { file })
    }
    if (code === 'ENOTDIR') {
      throw new SessionError('not-found', `${file}: no such file (a part of the path is a file)`, {
        file
      })
    }
    throw ioError(e, file, 'reading')
  }
  try {
    const st = await fh.stat()
    if (st.isDirectory()) {
      throw new SessionError('is-a-folder', `${file} is a folder, not a session file`, { file })
    }
    if (!st.isFile()) {
      throw new SessionError(
        'not-a-regular-file',
        `${file} is not a regular file (a FIFO, device or socket, or a symlink to one); it was not read`,
        { file }
      )
    }
    if (st.size > MAX_SESSION_BYTES) {
      const mb = (n: number) => (n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })
      throw new SessionError(
        'too-large',
        `${file} is ${mb(st.size)} MB, larger than a session file may be (at most ${mb(MAX_SESSION_BYTES)} MB)`,
        { file }
      )
    }
    const buf = Buffer.alloc(st.size)
    let off = 0
    while (off < st.size) {
      const { bytesRead } = await fh.read(buf, off, st.size - off, off)
      if (bytesRead === 0) break
      off += bytesRead
    }
    return off === st.size ? buf : buf.subarray(0, off)
  } catch (e) {
    if (e instanceof SessionError) throw e
    throw ioError(e, file, 'reading')
  } finally {
    await fh.close()
  }
}

/**
 * Opens a session file: checks every byte against the file's checksums, decodes, migrates an
 * older version and validates the whole document before returning it. Reads only; on any
 * problem throws a SessionError whose code says what and whose offset/path says where.
 */
export async function openSession(file: string, opts: OpenOptions = {}): Promise<SessionDoc> {
  const bytes = await readSessionBytes(file)
  try {
    return decodeSession(bytes, opts)
  } catch (e) {
    throw e instanceof SessionError ? e.withFile(file) : e
  }
}

/** Whether the current file is an intact session container (worth keeping as .bak). */
async function intactOnDisk(file: string): Promise<boolean> {
  try {
    verifyContainer(await readSessionBytes(file))
    return true
  } catch {
    return false
  }
}

async function saveLocked(file: string, doc: SessionDoc, opts: SaveOptions): Promise<SessionDoc> {
  await removeStaleTemps(file)
  let runs = doc.runs
  if (opts.knownRunIds !== undefined) {
    const known = new Set(opts.knownRunIds)
    const mine = new Set(doc.runs.map((r) => r.id))
    let onDisk: SessionDoc | null = null
    try {
      onDisk = await openSession(file)
    } catch (e) {
      if (!(e instanceof SessionError && e.code === 'not-found')) throw e
    }
    const theirs = onDisk?.runs.filter((r) => !mine.has(r.id) && !known.has(r.id)) ?? []
    if (theirs.length > 0) {
      opts.checkStored?.(onDisk!)
      runs = [...runs, ...theirs]
    }
  }
  const next: SessionDoc = {
    ...doc,
    appVersion: opts.appVersion ?? doc.appVersion,
    updatedAt: (opts.now ?? new Date()).toISOString(),
    runs
  }
  const bytes = encodeSession(next)
  await writeFileAtomic(file, bytes, { backup: await intactOnDisk(file) })
  return next
}

/**
 * A session path that is a symlink means the file it points to: writing goes there (the rename
 * of an atomic save would otherwise replace the link with a regular file, and the linked session
 * would never get the change). A link to nothing is refused.
 */
async function followLink(file: string): Promise<string> {
  const st = await lstat(file).catch(() => null)
  if (st === null || !st.isSymbolicLink()) return file
  try {
    return await realpath(file)
  } catch (e) {
    throw new SessionError('not-found', `${file} is a symlink to nothing`, { file, cause: e })
  }
}

/**
 * Saves `doc` to `file` atomically (temporary file, fsync, rename, fsync of the folder); an
 * intact previous version is kept as `file.bak`. Waits for the file's lock. Returns the document
 * as written (updatedAt stamped; runs appended by other processes merged when `knownRunIds`).
 */
export async function saveSession(
  file: string,
  doc: SessionDoc,
  opts: SaveOptions = {}
): Promise<SessionDoc> {
  const abs = await followLink(path.resolve(file))
  validateSession(doc) // fail before touching anything
  return withFileLock(abs, () => saveLocked(abs, doc, opts), { timeoutMs: opts.lockTimeoutMs })
}

/**
 * Appends one run to a session file, creating the file if it does not exist (`--session FILE`
 * on the CLI). Safe against other processes doing the same: read-modify-write under the lock.
 * A damaged or foreign file is reported (SessionError) and left exactly as it was.
 */
export async function appendRun(
  file: string,
  input: RunInput,
  opts: AppendOptions
): Promise<SessionRun> {
  const abs = await followLink(path.resolve(file))
  const run = newRun(input, opts.now)
  return withFileLock(
    abs,
    async () => {
      let doc: SessionDoc
      try {
        doc = await openSession(abs)
      } catch (e) {
        if (!(e instanceof SessionError && e.code === 'not-found')) throw e
        doc = createSession({ appVersion: opts.appVersion, dataset: opts.dataset, now: opts.now })
      }
      opts.checkStored?.(doc)
      const clash = doc.runs.findIndex((r) => r.id === run.id)
      if (clash >= 0) {
        throw new SessionError(
          'invalid-document',
          `${abs}: a run with id "${run.id}" is already in the session`,
          { file: abs, path: ['runs', clash, 'id'] }
        )
      }
      await saveLocked(
        abs,
        { ...doc, runs: [...doc.runs, run] },
        { now: opts.now, appVersion: opts.appVersion }
      )
      return run
    },
    { timeoutMs: opts.lockTimeoutMs }
  )
}
