/**
 * A session's runs checked against their kind's result schema (src-shared/result-schemas.ts),
 * and migrated by it: numbers spelled as JSON-text strings ("NaN", …) become numbers, fields
 * older builds did not write get what "not measured" means. The app does this on every open,
 * so every view reads results of the declared types; the file library itself (store.ts) keeps
 * any JSON result, as the CLI's `--session` appends them.
 */
import { RESULT_SCHEMAS } from '../../../src-shared/result-schemas'
import type { JsonValue, SessionDoc } from '../../../src-shared/session'
import { invalid } from './store'

/** The document with every run's result validated and migrated; SessionError INVALID_DOCUMENT naming the run's field otherwise. */
export function checkRunResults(doc: SessionDoc, file?: string): SessionDoc {
  const runs = doc.runs.map((run, i) => {
    const parsed = RESULT_SCHEMAS[run.kind].safeParse(run.result)
    if (!parsed.success) {
      const err = invalid(['runs', i, 'result'], parsed.error.issues)
      throw file === undefined ? err : err.withFile(file)
    }
    return { ...run, result: parsed.data as JsonValue }
  })
  return { ...doc, runs }
}
