// Upgrading documents written by older versions. Each migration takes the decoded document of
// version v (plain JSON, not yet validated) and returns version v + 1; opening chains them up
// to SESSION_VERSION and then validates the result like any other document.
import { SESSION_VERSION } from '../../../src-shared/session'
import { SessionError } from './errors'

export type Migration = (doc: unknown) => unknown

/** Keyed by the version a migration upgrades *from*. */
export type MigrationTable = ReadonlyMap<number, Migration>

/** Version 1 is the first released format, so there is nothing to migrate from yet. */
export const MIGRATIONS: MigrationTable = new Map()

export function migrateDocument(
  doc: unknown,
  from: number,
  table: MigrationTable = MIGRATIONS,
  to: number = SESSION_VERSION
): unknown {
  if (from > to) {
    throw new SessionError(
      'unsupported-version',
      `written by a newer Layerscope (format version ${from}; this one reads up to ${to})`,
      { offset: 8 }
    )
  }
  let current = doc
  for (let v = from; v < to; v++) {
    const step = table.get(v)
    if (!step) {
      throw new SessionError(
        'unsupported-version',
        `format version ${from} is too old: no migration from version ${v} to ${v + 1}`,
        { offset: 8 }
      )
    }
    try {
      current = step(current)
    } catch (e) {
      throw new SessionError(
        'invalid-document',
        `upgrading from format version ${v} failed: ${(e as Error).message}`,
        { cause: e }
      )
    }
  }
  return current
}
