import { describe, expect, it } from 'vitest'
import { encodePayload } from '../../../src-main/lab/sessions/codec'
import { writeContainer } from '../../../src-main/lab/sessions/container'
import { SessionError } from '../../../src-main/lab/sessions/errors'
import {
  MIGRATIONS,
  migrateDocument,
  type MigrationTable
} from '../../../src-main/lab/sessions/migrate'
import { decodeSession } from '../../../src-main/lab/sessions/store'
import { SESSION_FORMAT, type JsonValue } from '../../../src-shared/session'
import { depthResult } from './fixtures'

// A made-up version 0, shaped differently from version 1: experiments under `experiments`,
// numbers-only timestamps, no tags, no ui state.
const v0: JsonValue = {
  schema: 0,
  created: Date.UTC(2024, 5, 1),
  dataset: null,
  experiments: [
    { id: 'a', type: 'depth', options: { seed: 1 }, output: depthResult(1, 2) },
    { id: 'b', type: 'train', options: { seed: 2 }, output: { loss: NaN } }
  ]
}

const toV1 = (doc: unknown) => {
  const d = doc as { created: number; dataset: null; experiments: Record<string, JsonValue>[] }
  const at = new Date(d.created).toISOString()
  return {
    format: SESSION_FORMAT,
    version: 1,
    appVersion: '0.0.0',
    createdAt: at,
    updatedAt: at,
    dataset: d.dataset,
    notes: '',
    uiState: {},
    runs: d.experiments.map((e) => ({
      id: e.id,
      kind: e.type,
      title: String(e.type),
      notes: '',
      tags: [],
      createdAt: at,
      config: e.options,
      result: e.output
    }))
  }
}

const table: MigrationTable = new Map([[0, toV1]])
const v0File = writeContainer(0, encodePayload(v0))

describe('migration', () => {
  it('has no migrations yet: version 1 is the first format', () => {
    expect(MIGRATIONS.size).toBe(0)
  })

  it('opens a version-0 file through its migration and validates the result', () => {
    const doc = decodeSession(v0File, { migrations: table })
    expect(doc.version).toBe(1)
    expect(doc.runs.map((r) => [r.id, r.kind])).toEqual([
      ['a', 'depth'],
      ['b', 'train']
    ])
    expect(doc.runs[0]!.result).toEqual(depthResult(1, 2))
    expect(Object.is((doc.runs[1]!.result as { loss: number }).loss, NaN)).toBe(true)
  })

  it('chains migrations one version at a time', () => {
    const seen: number[] = []
    const chain: MigrationTable = new Map([
      [0, (d: unknown) => (seen.push(0), { ...(d as object), step: 1 })],
      [1, (d: unknown) => (seen.push(1), { ...(d as object), step: 2 })]
    ])
    expect(migrateDocument({}, 0, chain, 2)).toEqual({ step: 2 })
    expect(seen).toEqual([0, 1])
  })

  it('names the missing step, a failing migration, and a migration with a bad result', () => {
    const err = (f: () => unknown) => {
      try {
        f()
      } catch (e) {
        return e as SessionError
      }
      throw new Error('no error')
    }
    expect(err(() => decodeSession(v0File))).toMatchObject({ code: 'unsupported-version' })
    expect(err(() => decodeSession(v0File)).message).toMatch(/no migration from version 0/)
    const throwing: MigrationTable = new Map([
      [
        0,
        () => {
          throw new Error('experiments missing')
        }
      ]
    ])
    const e = err(() => decodeSession(v0File, { migrations: throwing }))
    expect(e.code).toBe('invalid-document')
    expect(e.message).toMatch(/version 0 failed: experiments missing/)
    const sloppy: MigrationTable = new Map([[0, (d: unknown) => ({ ...toV1(d), notes: 5 })]])
    expect(err(() => decodeSession(v0File, { migrations: sloppy }))).toMatchObject({
      code: 'invalid-document',
      path: ['notes']
    })
  })
})
