import { spawn } from 'node:child_process'
import { lstat, mkdir, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { encodePayload } from '../../../src-main/lab/sessions/codec'
import { writeContainer } from '../../../src-main/lab/sessions/container'
import { SessionError, type SessionErrorCode } from '../../../src-main/lab/sessions/errors'
import {
  appendRun,
  createSession,
  encodeSession,
  newRun,
  openSession,
  saveSession
} from '../../../src-main/lab/sessions/store'
import type { JsonValue, SessionDoc } from '../../../src-shared/session'
import { depthResult, depthSession, exactlyEqual, trainResult } from '../../unit/sessions/fixtures'
import { deadPid, snapshot, tempDir } from './helpers'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

async function failure(p: Promise<unknown>): Promise<SessionError> {
  try {
    await p
  } catch (e) {
    if (e instanceof SessionError) return e
    throw e
  }
  throw new Error('expected a SessionError')
}

describe('save and open', () => {
  it('round-trips every number exactly through the disk', async () => {
    const doc = depthSession(5)
    doc.runs[1]!.result = {
      values: [-0, NaN, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, 1e-310],
      f32: Array.from({ length: 64 }, (_, i) => Math.fround(Math.exp(-i))),
      f64: Array.from({ length: 64 }, (_, i) => Math.exp(-i)),
      loss: NaN
    }
    doc.runs[2]!.net = {
      format: 'layerscope.net',
      version: 1,
      inputSize: 3,
      layers: [
        {
          type: 'affine',
          W: [
            [0.1, -0],
            [NaN, 3],
            [1e-300, -2]
          ],
          b: [0, 0]
        },
        { type: 'relu' }
      ],
      loss: 'softmax',
      reg: 0.05
    }
    const file = path.join(dir, 'a.layerscope')
    const saved = await saveSession(file, doc)
    const back = await openSession(file)
    expect(exactlyEqual(back, saved)).toBeNull()
    expect(exactlyEqual({ ...back, updatedAt: doc.updatedAt }, doc)).toBeNull()
    expect((await readdir(dir)).sort()).toEqual(['a.layerscope']) // no .bak, temp or lock
  })

  it('keeps the previous version as FILE.bak, and only an intact one', async () => {
    const file = path.join(dir, 's.layerscope')
    const v1 = await saveSession(file, depthSession(1))
    const bytes1 = await readFile(file)
    await saveSession(file, depthSession(2))
    expect((await readFile(`${file}.bak`)).equals(bytes1)).toBe(true)
    expect(exactlyEqual(await openSession(`${file}.bak`), v1)).toBeNull()
    const bytes2 = await readFile(file)
    await saveSession(file, depthSession(3))
    expect((await readFile(`${file}.bak`)).equals(bytes2)).toBe(true)
    // A damaged current file is replaced, but never rotated over the last good .bak.
    const damaged = Buffer.from(await readFile(file))
    damaged[damaged.length - 10]! ^= 0xff
    await writeFile(file, damaged)
    const v4 = await saveSession(file, depthSession(4))
    expect((await readFile(`${file}.bak`)).equals(bytes2)).toBe(true)
    expect(exactlyEqual(await openSession(file), v4)).toBeNull()
  })

  it('refuses an invalid document before touching anything', async () => {
    const file = path.join(dir, 's.layerscope')
    await saveSession(file, depthSession(1))
    const before = await snapshot(dir)
    const bad = depthSession(1) as unknown as { runs: { config: unknown }[] }
    bad.runs[0]!.config = { weights: new Float32Array(4) }
    const e = await failure(saveSession(file, bad as unknown as SessionDoc))
    expect(e.code).toBe('invalid-document')
    expect(e.path).toEqual(['runs', 0, 'config', 'weights'])
    expect(e.message).toMatch(/Float32Array is not JSON/)
    expect(await snapshot(dir)).toEqual(before)
  })

  it('merges runs another process appended since the document was opened', async () => {
    const file = path.join(dir, 's.layerscope')
    const opened = await saveSession(file, depthSession(2))
    const known = opened.runs.map((r) => r.id)
    await appendRun(
      file,
      { id: 'from-cli', kind: 'train', config: {}, result: trainResult(1) },
      {
        appVersion: 'cli'
      }
    )
    // The app deletes run-2 and adds its own; the CLI's run must survive, run-2 must not return.
    const edited: SessionDoc = {
      ...opened,
      runs: [opened.runs[0]!, newRun({ id: 'from-app', kind: 'loss', config: {}, result: 1 })]
    }
    const saved = await saveSession(file, edited, { knownRunIds: known })
    expect(saved.runs.map((r) => r.id)).toEqual(['run-1', 'from-app', 'from-cli'])
    expect((await openSession(file)).runs.map((r) => r.id)).toEqual([
      'run-1',
      'from-app',
      'from-cli'
    ])
  })
})

describe('appendRun', () => {
  it('follows a symlinked session: the real file gets the run, the link stays a link', async () => {
    await mkdir(path.join(dir, 'real'))
    const real = path.join(dir, 'real', 's.layerscope')
    await saveSession(real, depthSession(1))
    const link = path.join(dir, 'link.layerscope')
    await symlink(real, link)
    await appendRun(
      link,
      { kind: 'depth', config: {}, result: depthResult(2) },
      { appVersion: 'x' }
    )
    await saveSession(link, await openSession(link))
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect(await readlink(link)).toBe(real)
    expect((await openSession(real)).runs).toHaveLength(2)
    expect((await readdir(dir)).sort()).toEqual(['link.layerscope', 'real'])
    await symlink(path.join(dir, 'gone'), path.join(dir, 'dangling.layerscope'))
    const e = await failure(saveSession(path.join(dir, 'dangling.layerscope'), depthSession(1)))
    expect(e.code).toBe('not-found')
    expect(e.message).toMatch(/is a symlink to nothing/)
  })

  it('creates a missing file and appends to an existing one', async () => {
    const file = path.join(dir, 'new.layerscope')
    const dataset = { path: '/d', fingerprint: 'f', format: 'binary' }
    const r1 = await appendRun(
      file,
      { kind: 'depth', config: { seed: 1 }, result: depthResult(1) },
      {
        appVersion: '0.1.0',
        dataset
      }
    )
    const r2 = await appendRun(
      file,
      { kind: 'train', config: { seed: 2 }, result: trainResult(2) },
      {
        appVersion: '0.1.1'
      }
    )
    const doc = await openSession(file)
    expect(doc.runs.map((r) => r.id)).toEqual([r1.id, r2.id])
    expect(doc.dataset).toEqual(dataset)
    expect(doc.appVersion).toBe('0.1.1')
    expect(r1.title).toBe('depth')
    expect(exactlyEqual(doc.runs[0]!.result, depthResult(1))).toBeNull()
    const dup = await failure(
      appendRun(
        file,
        { id: r1.id, kind: 'depth', config: {}, result: 0 },
        {
          appVersion: 'x'
        }
      )
    )
    expect(dup).toMatchObject({ code: 'invalid-document', path: ['runs', 0, 'id'] })
  })

  it('rejects a malformed run with its path', async () => {
    const e = await failure(
      appendRun(
        path.join(dir, 'x.layerscope'),
        { kind: 'nope' as 'depth', config: {}, result: 0 },
        { appVersion: 'x' }
      )
    )
    expect(e).toMatchObject({ code: 'invalid-document', path: ['run', 'kind'] })
    expect(await readdir(dir)).toEqual([])
  })
})

describe('damaged-file corpus on disk', () => {
  const good = encodeSession(depthSession(3))
  const wrongShape = depthSession(1) as unknown as Record<string, unknown>
  wrongShape.runs = [{ id: 'a', kind: 'depth' }]
  const corpus: [string, Buffer | 'folder', SessionErrorCode][] = [
    ['empty', Buffer.alloc(0), 'empty-file'],
    ['truncated in the magic', good.subarray(0, 5), 'truncated'],
    ['truncated in the header', good.subarray(0, 40), 'truncated'],
    ['truncated after the header', good.subarray(0, 100), 'truncated'],
    ['truncated in the middle', good.subarray(0, good.length >> 1), 'truncated'],
    ['truncated by one byte', good.subarray(0, good.length - 1), 'truncated'],
    ['trailing bytes', Buffer.concat([good, Buffer.from('\n')]), 'trailing-data'],
    ['flipped magic byte', flip(good, 3), 'not-a-session'],
    ['flipped version byte', flip(good, 8), 'header-corrupt'],
    ['flipped length byte', flip(good, 17), 'header-corrupt'],
    ['flipped payload hash byte', flip(good, 50), 'header-corrupt'],
    ['flipped first payload byte', flip(good, 100), 'checksum-mismatch'],
    ['flipped middle byte', flip(good, good.length >> 1), 'checksum-mismatch'],
    ['flipped last byte', flip(good, good.length - 1), 'checksum-mismatch'],
    [
      'newer version',
      writeContainer(2, encodePayload(depthSession(1) as unknown as JsonValue)),
      'unsupported-version'
    ],
    [
      'valid container, wrong shape',
      writeContainer(1, encodePayload(wrongShape as JsonValue)),
      'invalid-document'
    ],
    [
      'JSON text of the wrong shape',
      Buffer.from(JSON.stringify({ version: 1, runs: [] })),
      'not-a-session'
    ],
    ['a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'not-a-session'],
    ['a folder', 'folder', 'is-a-folder']
  ]

  function flip(b: Buffer, at: number): Buffer {
    const c = Buffer.from(b)
    c[at]! ^= 0x5a
    return c
  }

  for (const [label, content, code] of corpus) {
    it(`${label} → ${code}, for open and append, and nothing changes`, async () => {
      const file = path.join(dir, 'bad.layerscope')
      if (content === 'folder') {
        await mkdir(file)
        await writeFile(path.join(file, 'inside'), 'x')
      } else await writeFile(file, content)
      await writeFile(`${file}.bak`, 'previous')
      const before = await snapshot(dir)
      const e = await failure(openSession(file))
      expect(e.code).toBe(code)
      expect(e.file).toBe(file)
      expect(e.message).toContain(file)
      if (code !== 'invalid-document' && code !== 'is-a-folder' && code !== 'unsupported-version') {
        expect(typeof e.offset).toBe('number')
      }
      if (code === 'invalid-document') expect(e.path?.slice(0, 2)).toEqual(['runs', 0])
      const a = await failure(
        appendRun(file, { kind: 'depth', config: {}, result: 1 }, { appVersion: 'x' })
      )
      expect(a.code).toBe(code)
      expect(await snapshot(dir)).toEqual(before)
    })
  }

  it('a missing file is NOT_FOUND for open', async () => {
    const e = await failure(openSession(path.join(dir, 'nope.layerscope')))
    expect(e.code).toBe('not-found')
    expect(await readdir(dir)).toEqual([])
  })

  it('a missing folder is IO_ERROR for save and append, naming the file', async () => {
    const file = path.join(dir, 'no', 'such', 's.layerscope')
    const e = await failure(saveSession(file, createSession({ appVersion: 'x' })))
    expect(e.code).toBe('session-io-failed')
    expect(e.message).toContain(file)
    expect(e.message).toMatch(/folder does not exist/)
    const a = await failure(
      appendRun(file, { kind: 'loss', config: {}, result: 1 }, { appVersion: 'x' })
    )
    expect(a.code).toBe('session-io-failed')
    expect(await readdir(dir)).toEqual([])
  })

  it('clears temporary files of dead writers on save, but not those of live ones', async () => {
    const file = path.join(dir, 's.layerscope')
    await saveSession(file, depthSession(1))
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'])
    try {
      const live = `.s.layerscope.${holder.pid}.0123abcd.tmp`
      const dead = `.s.layerscope.${await deadPid()}.89abcdef.tmp`
      const deadBak = `.s.layerscope.bak.${await deadPid()}.00000000.tmp`
      const other = `.other.layerscope.${await deadPid()}.11111111.tmp`
      for (const n of [live, dead, deadBak, other]) await writeFile(path.join(dir, n), 'partial')
      await saveSession(file, depthSession(2))
      expect((await readdir(dir)).sort()).toEqual(
        [other, live, 's.layerscope', 's.layerscope.bak'].sort()
      )
    } finally {
      holder.kill('SIGKILL')
    }
  })

  it('a folder path cannot be saved over', async () => {
    const file = path.join(dir, 'f.layerscope')
    await mkdir(file)
    const e = await failure(saveSession(file, createSession({ appVersion: 'x' })))
    expect(e.code).toBe('is-a-folder')
    expect(await readdir(dir)).toEqual(['f.layerscope'])
  })
})
