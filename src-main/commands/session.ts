/** `layerscope session FILE` (../shared/CLI.md): inspect a session file. */
import path from 'node:path'
import { LabError } from '../../src-shared/errors'
import { sessionLabError } from '../lab/session-state'
import { openSession, sessionSummary } from '../lab/sessions'
import type { CliCommand } from './common'

export const sessionCommand: CliCommand = {
  name: 'session',
  summary: 'inspect a session file',
  usage: 'layerscope session FILE [--json]',
  help: [
    'Lists the runs of a *.layerscope session file with their configuration and results.',
    'The file is only read; a damaged or foreign file is reported (exit 2) and left untouched.'
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
      doc = await openSession(path.resolve(file))
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
