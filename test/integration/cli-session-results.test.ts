/**
 * The CLI's session paths read stored results as the app does (src-shared/result-schemas.ts):
 * `session FILE` and `--session FILE` refuse a file holding a run whose result does not fit
 * its kind — exit 2, one line naming the file, the run (index, id, kind) and the field — and
 * leave the file's bytes as they were; results are migrated on the way out, and every number
 * printed follows the one convention of `--json` ("NaN", "Infinity", "-Infinity").
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendRun, openSession } from '../../src-main/lab/sessions'
import type { CommandContext } from '../../src-main/commands/common'
import { recordRun } from '../../src-main/commands/session-option'
import type { JsonObject, JsonValue } from '../../src-shared/session'
import { cli } from '../helpers/cli'

let dir: string
const at = (name: string) => path.join(dir, name)

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-cli-session-results-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** What `layerscope CMD … --json` printed, as stored JSON (non-finite numbers as strings). */
async function printed(...argv: string[]): Promise<JsonObject> {
  const r = await cli(...argv, '--json')
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as JsonObject
}

const sample = (over: JsonObject = {}): JsonObject => ({
  n: 1,
  seed: 1,
  mean: 0,
  std: 1,
  hist: { edges: [], counts: [] },
  ...over
})

/** A file whose first run is a real gradcheck (via the CLI) and whose second is `bad`. */
async function fileWithBadRun(
  name: string,
  bad: { id: string; kind: 'depth' | 'train' | 'sample'; result: JsonValue }
): Promise<string> {
  const file = at(name)
  const r = await cli('gradcheck', '--layers', '1', '--session', file, '--json')
  expect(r.code).toBe(0)
  // The library keeps any JSON result: this is how an older or foreign writer leaves a file.
  await appendRun(
    file,
    { id: bad.id, kind: bad.kind, config: {}, result: bad.result },
    {
      appVersion: 'elsewhere'
    }
  )
  return file
}

let depth: JsonObject

describe('a stored run whose result does not fit its kind', () => {
  beforeAll(async () => {
    depth = await printed('depth', '--layers', '2', '--width', '10', '--samples', '20')
  })

  it('session FILE: exit 2, one line naming file, run and field; stdout empty; bytes unchanged', async () => {
    const layers = (depth.layers as JsonObject[]).map((l, i) => (i === 0 ? { ...l, std: 'x' } : l))
    const file = await fileWithBadRun('bad-depth.layerscope', {
      id: 'bad-depth',
      kind: 'depth',
      result: { ...depth, layers }
    })
    const before = await readFile(file)
    for (const json of [[], ['--json']]) {
      const r = await cli('session', file, ...json)
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr).toBe(
        `layerscope session: ${file}: not a valid session: runs[1].result.layers[0].std: expected a number (run "bad-depth", kind depth)\n`
      )
    }
    expect(Buffer.compare(await readFile(file), before)).toBe(0)
  })

  it('--session FILE: refused before the run (nothing printed), the file byte-identical', async () => {
    const file = await fileWithBadRun('bad-sample.layerscope', {
      id: 'old-sample',
      kind: 'sample',
      result: sample({ hist: { edges: [0, 1], counts: 'many' } })
    })
    const before = await readFile(file)
    const r = await cli('gradcheck', '--layers', '1', '--session', file, '--json')
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(
      `layerscope gradcheck: --session: ${file}: not a valid session: runs[1].result.hist.counts: Invalid input: expected array, received string (run "old-sample", kind sample)\n`
    )
    expect(Buffer.compare(await readFile(file), before)).toBe(0)
    expect((await openSession(file)).runs).toHaveLength(2)
  })

  it('a training run names the field of the kind of run it is (completed or diverged), not "invalid input"', async () => {
    const train = await printed(
      'train',
      '--synthetic',
      '60',
      '--hidden',
      '8',
      '--epochs',
      '1',
      '--batch',
      '20',
      '--val',
      '20'
    )
    const history = (train.history as JsonObject[]).map((h) => ({ ...h, loss: null }))
    const file = await fileWithBadRun('bad-train.layerscope', {
      id: 'bad-train',
      kind: 'train',
      result: { ...train, history }
    })
    const before = await readFile(file)
    const r = await cli('session', file)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      `layerscope session: ${file}: not a valid session: runs[1].result.history[0].loss: expected a number (run "bad-train", kind train)\n`
    )
    expect(Buffer.compare(await readFile(file), before)).toBe(0)
  }, 60_000)

  it("--session's append checks the stored runs again under the lock (a bad run written after the first check): refused, bytes unchanged", async () => {
    const file = await fileWithBadRun('raced.layerscope', {
      id: 'late',
      kind: 'sample',
      result: sample({ mean: true })
    })
    const before = await readFile(file)
    let stderr = ''
    const ctx = {
      values: {},
      positionals: [],
      json: false,
      io: { stdout: () => undefined, stderr: (t: string) => (stderr += t) },
      service: () => {
        throw new Error('no service needed')
      }
    } satisfies CommandContext
    // recordRun is what a command calls after its work, once sessionTarget passed.
    await expect(
      recordRun(ctx, file, { kind: 'sample', config: {}, result: sample() })
    ).rejects.toMatchObject({
      code: 'invalid-document',
      message: `--session: ${file}: not a valid session: runs[1].result.mean: expected a number (run "late", kind sample)`
    })
    expect(stderr).toBe('')
    expect(Buffer.compare(await readFile(file), before)).toBe(0)
    // A result of this build's own that does not fit its kind is a bug (internal, exit 1), not
    // bad input; nothing is appended either.
    const good = at('own.layerscope')
    await appendRun(good, { kind: 'sample', config: {}, result: sample() }, { appVersion: 't' })
    const goodBefore = await readFile(good)
    await expect(
      recordRun(ctx, good, { kind: 'sample', config: {}, result: sample({ n: 'one' }) })
    ).rejects.toMatchObject({
      code: 'internal',
      message: 'the sample result does not fit its schema (result.n: expected a number)'
    })
    expect(Buffer.compare(await readFile(good), goodBefore)).toBe(0)
  })
})

describe('numbers on the session paths: one convention', () => {
  it('session --json spells stored NaN/Infinity — exact numbers or the strings older CLIs wrote — as every --json does; text stays text', async () => {
    const file = at('numbers.layerscope')
    await appendRun(
      file,
      {
        id: 'nan',
        kind: 'sample',
        title: 'NaN',
        config: { note: 'Infinity' },
        result: sample({ mean: NaN, std: 'Infinity', hist: { edges: [-Infinity, 0], counts: [1] } })
      },
      { appVersion: 'test' }
    )
    const r = await cli('session', file, '--json')
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    const out = JSON.parse(r.stdout) as { runs: { config: JsonObject; result: JsonObject }[] }
    expect(out.runs[0]!.result).toEqual(
      sample({ mean: 'NaN', std: 'Infinity', hist: { edges: ['-Infinity', 0], counts: [1] } })
    )
    expect(out.runs[0]!.config).toEqual({ note: 'Infinity' })
  })

  it('session --json prints a run the CLI recorded byte for byte as the command printed it', async () => {
    const file = at('printed.layerscope')
    const r = await cli(
      'depth',
      '--layers',
      '2',
      '--width',
      '10',
      '--samples',
      '20',
      '--session',
      file,
      '--json'
    )
    expect(r.code).toBe(0)
    const out = JSON.parse((await cli('session', file, '--json')).stdout) as {
      runs: { result: unknown }[]
    }
    expect(JSON.stringify(out.runs[0]!.result)).toBe(r.stdout.trim())
  })

  it('an older depth result is printed migrated, as the app shows it (unmeasured statistics NaN, layers numbered)', async () => {
    const file = at('old-depth.layerscope')
    const old = {
      ...depth,
      layers: (depth.layers as JsonObject[]).map((l) => ({ mean: l.mean!, std: l.std! }))
    }
    await appendRun(file, { kind: 'depth', config: {}, result: old }, { appVersion: 'old' })
    const before = await readFile(file)
    const out = JSON.parse((await cli('session', file, '--json')).stdout) as {
      runs: { result: { layers: JsonObject[] } }[]
    }
    // Stored keys first, in their order; what the migration added after them.
    expect(Object.keys(out.runs[0]!.result.layers[1]!).slice(0, 3)).toEqual([
      'mean',
      'std',
      'layer'
    ])
    expect(out.runs[0]!.result.layers[1]).toMatchObject({
      layer: 2,
      preStd: 'NaN',
      dead: 'NaN',
      hist: { edges: [], counts: [] },
      dW: { mean: 'NaN', std: 'NaN', norm: 'NaN' }
    })
    // Reading migrates nothing on disk.
    expect(Buffer.compare(await readFile(file), before)).toBe(0)
  })

  it('--session appends to a file holding "NaN" strings and keeps that run as it was stored', async () => {
    const file = at('strings.layerscope')
    await appendRun(
      file,
      { id: 'strings', kind: 'sample', config: {}, result: sample({ mean: 'NaN' }) },
      { appVersion: 'old' }
    )
    const r = await cli('gradcheck', '--layers', '1', '--session', file)
    expect(r.code).toBe(0)
    const doc = await openSession(file)
    expect(doc.runs.map((x) => x.kind)).toEqual(['sample', 'gradcheck'])
    expect(doc.runs[0]!.result).toEqual(sample({ mean: 'NaN' }))
  })
})
