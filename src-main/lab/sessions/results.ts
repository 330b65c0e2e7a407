/**
 * A session's runs checked against their kind's result schema (src-shared/result-schemas.ts),
 * and migrated by it: numbers spelled as JSON-text strings ("NaN", …) become numbers, fields
 * older builds did not write get what "not measured" means. The app does this on every open,
 * and the CLI on `session FILE` and before it appends to a `--session` file, so every reader
 * gets results of the declared types and a malformed one is refused with its run and field
 * named. The file library itself (store.ts) keeps any JSON result.
 */
import { LabError } from '../../../src-shared/errors'
import { parseRunResult, type ResultProblem } from '../../../src-shared/result-schemas'
import type {
  CheckedRun,
  CheckedSessionDoc,
  RunKind,
  RunResult,
  SessionDoc,
  SessionRun
} from '../../../src-shared/session'
import { SessionError, formatJsonPath } from './errors'

/**
 * The error for run `index` whose result does not fit its kind:
 * `not a valid session: runs[3].result.layers[0].std: expected a number (run "…", kind depth)`.
 */
function resultError(run: SessionRun, index: number, problems: ResultProblem[]): SessionError {
  const first = problems[0]!
  const where = ['runs', index, 'result', ...first.path]
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ''
  return new SessionError(
    'invalid-document',
    `not a valid session: ${formatJsonPath(where)}: ${first.message}${more} ` +
      `(run ${JSON.stringify(run.id)}, kind ${run.kind})`,
    { path: where }
  )
}

/** One run with its result read by its kind's schema; SessionError naming the field otherwise. */
export function checkRun(run: SessionRun, index: number): CheckedRun {
  const parsed = parseRunResult(run.kind, run.result)
  if (!parsed.ok) throw resultError(run, index, parsed.problems)
  return { ...run, result: parsed.result } as CheckedRun
}

/**
 * The result of a run this build made (a finished job), read by its kind's schema like every
 * stored result: one that does not fit is this build's bug — LabError `internal` naming the
 * field — not a bad file.
 */
export function checkOwnResult<K extends RunKind>(kind: K, result: unknown): RunResult<K> {
  const parsed = parseRunResult(kind, result)
  if (!parsed.ok) {
    const p = parsed.problems[0]!
    throw new LabError(
      'internal',
      `the ${kind} result does not fit its schema (${formatJsonPath(['result', ...p.path])}: ${p.message})`
    )
  }
  return parsed.result
}

/**
 * The document with every run's result validated and migrated; SessionError INVALID_DOCUMENT
 * naming the file (when given), the run (index, id, kind) and the field otherwise.
 */
export function checkRunResults(doc: SessionDoc, file?: string): CheckedSessionDoc {
  try {
    return { ...doc, runs: doc.runs.map(checkRun) }
  } catch (e) {
    throw file !== undefined && e instanceof SessionError ? e.withFile(file) : e
  }
}

/**
 * A checked document as the file library takes it. Sound: a result schema's output is plain
 * JSON (its transforms give numbers), so a checked run is a session run.
 */
export function asSessionDoc(doc: CheckedSessionDoc): SessionDoc {
  return doc as unknown as SessionDoc
}

/** A checked run as the file library takes it (see asSessionDoc). */
export function asSessionRun(run: CheckedRun): SessionRun {
  return run as unknown as SessionRun
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * `read` (a result as its schema gives it back: keys in the schema's order) with the keys of
 * every object in the order `stored` had them, and keys the migration added after those: what
 * the CLI prints of a stored run then reads as it was written.
 */
export function inStoredOrder(stored: unknown, read: unknown): unknown {
  if (Array.isArray(read)) {
    if (!Array.isArray(stored)) return read
    return read.map((v, i) => (typeof v === 'object' ? inStoredOrder(stored[i], v) : v))
  }
  if (!isObject(read) || !isObject(stored)) return read
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(stored)) if (k in read) out[k] = inStoredOrder(stored[k], read[k])
  for (const k of Object.keys(read)) if (!(k in out)) out[k] = read[k]
  return out
}
