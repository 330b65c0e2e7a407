/**
 * `--session FILE` on experiment commands (../shared/CLI.md): the run — kind, configuration,
 * result — is appended to FILE (created if missing) under the file's lock, so two processes
 * appending at once lose nothing. A damaged, foreign or busy file, or one holding a run whose
 * result does not fit its kind (checked with the result schemas, as the app does on open), is
 * bad input (exit 2) and is left exactly as it was. Any command can use this: check the file before the work
 * (`sessionTarget`), append after it (`recordRun`).
 */
import { lstat, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { LabError } from '../../src-shared/errors'
import type { DatasetRef, JsonObject, JsonValue, NetJson, RunKind } from '../../src-shared/session'
import { netJsonSchema } from '../../src-shared/session'
import type { CommandContext } from './common'
import { sessionLabError } from '../lab/session-state'
import { appendRun, openSession, SessionError, withFileLock } from '../lab/sessions'
import { checkOwnResult, checkRunResults } from '../lab/sessions/results'
import { APP_VERSION } from '../version'

export const SESSION_HELP =
  '--session FILE appends this run (configuration and result) to a session file, creating it if missing.'

/** Lock wait before "busy" (ms): LAYERSCOPE_SESSION_LOCK_MS, else the library's 10 s. */
function lockTimeoutMs(): number | undefined {
  const raw = process.env.LAYERSCOPE_SESSION_LOCK_MS
  const v = raw === undefined ? NaN : Number(raw)
  return Number.isInteger(v) && v >= 0 ? v : undefined
}

/** Lock wait of the check before the work: a live writer is reported within seconds. */
const PRECHECK_LOCK_MS = 2_000

/**
 * The `--session` file of this command, checked before any work is done, so a run is never
 * computed only to be lost: it must be missing (it will be created, in a folder that exists
 * and takes new files) or an intact, writable session that no other process is writing. A
 * symlink is followed (the run goes to the real file; the link stays). Null when the option
 * is absent. Nothing is changed on disk (the lock is taken and released to prove it can be).
 */
export async function sessionTarget(ctx: CommandContext): Promise<string | null> {
  const raw = ctx.values.session
  if (raw === undefined) return null
  if (typeof raw !== 'string' || raw.length === 0) {
    throw new LabError('invalid-option', '--session needs a file name')
  }
  let file = path.resolve(raw)
  const link = await lstat(file).catch(() => null)
  if (link?.isSymbolicLink()) {
    try {
      file = await realpath(file)
    } catch {
      throw new LabError(
        'invalid-option',
        `--session: ${file} is a symlink to nothing; give the session file itself`,
        { file }
      )
    }
  }
  const dir = path.dirname(file)
  const folder = await stat(dir).catch(() => null)
  if (folder === null || !folder.isDirectory()) {
    throw new LabError(
      'invalid-option',
      folder === null
        ? `--session: cannot create ${file}: the folder ${dir} does not exist`
        : `--session: cannot create ${file}: ${dir} is not a folder`,
      { file }
    )
  }
  const timeoutMs = Math.min(lockTimeoutMs() ?? PRECHECK_LOCK_MS, PRECHECK_LOCK_MS)
  try {
    await withFileLock(
      file,
      async () => {
        try {
          checkRunResults(await openSession(file), file)
        } catch (e) {
          if (!(e instanceof SessionError && e.code === 'not-found')) throw e
          return
        }
        const st = await stat(file)
        if ((st.mode & 0o222) === 0) {
          throw new SessionError(
            'read-only',
            `${file} is read-only; make it writable to add runs to it, or give another file`,
            { file }
          )
        }
        const bak = await lstat(`${file}.bak`).catch(() => null)
        if (bak !== null && !bak.isFile()) {
          throw new SessionError(
            'not-a-regular-file',
            `${file}.bak is ${bak.isDirectory() ? 'a folder' : 'not a regular file'}, where the ` +
              `session's backup goes; move it away`,
            { file: `${file}.bak` }
          )
        }
      },
      { timeoutMs }
    )
  } catch (e) {
    if (e instanceof SessionError && e.code === 'session-io-failed') {
      // The folder takes no new files (read-only, permissions): bad input, said before the work.
      throw new LabError('invalid-option', `--session: ${e.message}`, { file })
    }
    throw sessionError(e)
  }
  return file
}

function sessionError(e: unknown): unknown {
  const err = sessionLabError(e)
  if (err instanceof LabError && !err.message.startsWith('--session')) {
    return new LabError(err.code, `--session: ${err.message}`, err.details)
  }
  return err
}

export interface RecordedRun {
  kind: RunKind
  config: JsonObject
  result: JsonValue
  net?: NetJson
  /** The dataset the run used: recorded when this run creates the session file. */
  dataset?: DatasetRef
}

/**
 * Appends the run to `file` (from sessionTarget; null: nothing to do). Waits for another
 * writer, saying so on stderr, and gives up with a clear "busy" (exit 2) after the timeout.
 */
export async function recordRun(
  ctx: CommandContext,
  file: string | null,
  run: RecordedRun
): Promise<void> {
  if (file === null) return
  // This build's own result, checked as any reader will read it: a mismatch is a bug (exit 1).
  checkOwnResult(run.kind, run.result)
  const lockFile = `${file}.lock`
  const locked = await lstat(lockFile).then(
    () => true,
    () => false
  )
  if (locked) {
    ctx.io.stderr(`layerscope: ${file} is being written by another process; waiting for it\n`)
  }
  const timeout = lockTimeoutMs()
  try {
    await appendRun(
      file,
      {
        kind: run.kind,
        config: run.config,
        result: run.result,
        ...(run.net === undefined ? {} : { net: run.net })
      },
      {
        appVersion: APP_VERSION,
        ...(run.dataset === undefined ? {} : { dataset: run.dataset }),
        ...(timeout === undefined ? {} : { lockTimeoutMs: timeout }),
        checkStored: (doc) => void checkRunResults(doc, file)
      }
    )
  } catch (e) {
    throw sessionError(e)
  }
}

/** The NET.json content if it fits the session schema (kept with the run), else undefined. */
export function netForSession(json: unknown): NetJson | undefined {
  const parsed = netJsonSchema.safeParse(json)
  return parsed.success ? parsed.data : undefined
}

/** A value as session JSON: configurations are plain data already; this drops `undefined`s. */
export function asJsonObject(value: object): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject
}
