/**
 * `layerscope session FILE` (../shared/CLI.md): inspect a session file. Every run's result is
 * read with its kind's schema, as the app reads it on open: migrated ("NaN" strings become
 * numbers, fields older builds did not write filled in), or refused with the run and field
 * named. `--json` spells non-finite numbers as every `--json` does ("NaN", "Infinity").
 */
import path from 'node:path'
import { LabError } from '../../src-shared/errors'
import { sessionLabError } from '../lab/session-state'
import { openSession, sessionSummary } from '../lab/sessions'
import { asSessionDoc, checkRunResults, inStoredOrder } from '../lab/sessions/results'
import type { CheckedSessionDoc } from '../../src-shared/session'
import type { CliCommand } from './common'

export const sessionCommand: CliCommand = {
  name: 'session',
  summary: 'inspect a session file',
  usage: 'layerscope session FILE [--json]',
  help: [
    'Lists the runs of a *.layerscope session file with their configuration and results.',
    'Results are read as the app reads them: a run whose result does not fit its kind is',
    'reported with its index, id and field (exit 2). The file is only read; a damaged or',
    'foreign file is reported (exit 2) and left untouched. --json: non-finite numbers as',
    '"NaN", "Infinity", "-Infinity", as in every --json.'
  ].join('\n'),
  options: {},
  async run(ctx) {
    const [file, extra] = ctx.positionals
    if (file === undefined) throw new LabError('invalid-option', 'give the session FILE to inspect')
    if (extra !== undefined) {
      throw new LabError('invalid-option', `unexpected argument '${extra}' (one FILE only)`)
    }
    let doc
    try {
      const abs = path.resolve(file)
      const stored = await openSession(abs)
      const read = checkRunResults(stored, abs)
      // Printed as written: the keys in their stored order, what migration added after them.
      const runs = read.runs.map((r, i) => ({
        ...r,
        result: inStoredOrder(stored.runs[i]!.result, r.result)
      }))
      doc = asSessionDoc({ ...read, runs } as CheckedSessionDoc)
    } catch (e) {
      throw sessionLabError(e)
    }
    const text = [
      `${path.resolve(file)}: session version ${doc.version}, ${doc.runs.length} run(s), saved ${doc.updatedAt}`,
      ...doc.runs.map((r) => `  ${r.id}  ${r.kind.padEnd(9)}  ${r.createdAt}  ${r.title}`)
    ].join('\n')
    return { json: sessionSummary(doc), text }
  }
}
