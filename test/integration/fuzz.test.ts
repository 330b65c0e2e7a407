/**
 * Every API call, through the service (what the IPC adapter hands it) and through the browser
 * bridge's WebSocket, with generated malformed payloads: wrong types, missing and extra fields,
 * huge, negative and non-finite numbers, huge arrays, path-traversal strings and
 * prototype-pollution keys. Each must come back as a typed `invalid-args` error; nothing may
 * crash, start a job or write a file.
 */
import fc from 'fast-check'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CALL_NAMES, calls, type CallName } from '../../src-shared/contract'
import { startServer, type RunningServer } from '../../src-main/serve'
import { makeTestService } from '../helpers/service'

const RUNS_PER_CALL = 1000

const nasty = fc.oneof(
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53,
    '../../../../etc/passwd',
    '..\\..\\windows\\system32',
    '/dev/zero',
    '\u0000',
    '',
    'job-99999999999999',
    '__proto__',
    'constructor',
    null,
    true
  ),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.double(), { maxLength: 2000 })
)

const pollution = fc.constantFrom(
  JSON.parse('{"__proto__": {"polluted": true}}') as object,
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as object,
  { prototype: { polluted: true } }
)

/** A payload shaped like the call's (top-level keys of a valid one, mutated), or anything. */
function payloads(name: CallName): fc.Arbitrary<unknown> {
  const keys = [
    'kind',
    'config',
    'jobId',
    'path',
    'file',
    'label',
    'split',
    'offset',
    'count',
    'runId',
    'notes',
    'n',
    'seed'
  ]
  const mutated = fc.dictionary(fc.constantFrom(...keys), fc.oneof(nasty, fc.anything()), {
    maxKeys: 5
  })
  const configLike = fc.record({
    kind: fc.oneof(
      fc.constantFrom('sample', 'depth', 'gradcheck', 'sanity', 'train', 'dataset', '__proto__'),
      nasty
    ),
    config: fc.oneof(
      fc.dictionary(
        fc.constantFrom('n', 'layers', 'width', 'samples', 'seed', 'h', 'path', 'hidden', 'lr'),
        nasty,
        { maxKeys: 6 }
      ),
      pollution,
      nasty
    )
  })
  return fc
    .oneof(fc.anything(), mutated, configLike, pollution, nasty)
    .filter((p) => !calls[name].args.safeParse(p).success)
}

const service = makeTestService(1)
let server: RunningServer
let cwdBefore: string[]
const scratch = mkdtempSync(join(tmpdir(), 'ls-fuzz-'))

beforeAll(async () => {
  process.chdir(scratch)
  cwdBefore = readdirSync(scratch)
  server = await startServer({ service, rendererDir: scratch, port: 0 })
})
afterAll(async () => {
  await server.close()
  await service.close()
})

describe(`fuzzing every API call with ${RUNS_PER_CALL} malformed payloads`, () => {
  it.each(CALL_NAMES)('%s through the service (the IPC path)', async (name) => {
    const jobsBefore = service.listJobs().length
    await fc.assert(
      fc.asyncProperty(payloads(name), async (payload) => {
        const r = await service.call(name, payload)
        expect(r.ok).toBe(false)
        if (!r.ok) {
          expect(r.error.code).toBe('invalid-args')
          expect(r.error.message.startsWith(`${name}: `)).toBe(true)
        }
      }),
      { numRuns: RUNS_PER_CALL }
    )
    expect(service.listJobs().length).toBe(jobsBefore)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(readdirSync(scratch)).toEqual(cwdBefore)
  })

  it.each(CALL_NAMES)('%s through the browser bridge', async (name) => {
    const sock = await new Promise<WebSocket>((resolve, reject) => {
      const s = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, {
        origin: `http://127.0.0.1:${server.port}`
      })
      s.once('open', () => resolve(s))
      s.once('error', reject)
    })
    const pending = new Map<number, (m: { ok: boolean; error?: { code: string } }) => void>()
    sock.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id: number; ok: boolean; error?: { code: string } }
      pending.get(m.id)?.(m)
      pending.delete(m.id)
    })
    let id = 0
    const jobsBefore = service.listJobs().length
    await fc.assert(
      fc.asyncProperty(payloads(name), async (payload) => {
        const text = JSON.stringify({ t: 'call', id: ++id, name, args: payload })
        // JSON cannot carry NaN/undefined; what arrives is what a page could send.
        if (calls[name].args.safeParse(JSON.parse(text).args).success) return
        const reply = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) => {
          pending.set(id, resolve)
          sock.send(text)
        })
        expect(reply.ok).toBe(false)
        expect(reply.error?.code).toBe('invalid-args')
      }),
      { numRuns: RUNS_PER_CALL }
    )
    sock.close()
    expect(service.listJobs().length).toBe(jobsBefore)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
