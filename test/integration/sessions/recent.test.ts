import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  RECENT_FILE,
  addRecent,
  readRecent,
  removeRecent
} from '../../../src-main/lab/sessions/recent'
import { tempDir } from './helpers'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s))

describe('recent sessions', () => {
  it('keeps the last 10, most recent first, without duplicates', async () => {
    expect(await readRecent(dir)).toEqual([])
    for (let i = 0; i < 12; i++) await addRecent(dir, `/s/${i}.layerscope`, at(i))
    await addRecent(dir, '/s/5.layerscope', at(30))
    const list = await readRecent(dir)
    expect(list.map((r) => r.path)).toEqual(
      ['5', '11', '10', '9', '8', '7', '6', '4', '3', '2'].map((n) => `/s/${n}.layerscope`)
    )
    expect(list[0]!.openedAt).toBe(at(30).toISOString())
    expect(await removeRecent(dir, '/s/11.layerscope')).toHaveLength(9)
  })

  it('stores absolute paths', async () => {
    const list = await addRecent(dir, 'relative.layerscope')
    expect(list[0]!.path).toBe(path.resolve('relative.layerscope'))
  })

  it('survives a damaged list file: reads what is valid, then rewrites it whole', async () => {
    const file = path.join(dir, RECENT_FILE)
    await writeFile(file, '{"version":1,"sessions":[{"path":"/a.layerscope","ope')
    expect(await readRecent(dir)).toEqual([])
    await writeFile(
      file,
      JSON.stringify({
        sessions: [
          { path: '/a.layerscope', openedAt: 'x' },
          { path: 7 },
          null,
          { path: 'not/absolute', openedAt: 'x' }
        ]
      })
    )
    expect((await readRecent(dir)).map((r) => r.path)).toEqual(['/a.layerscope'])
    await writeFile(file, '\u0000\u0001garbage')
    await addRecent(dir, '/b.layerscope', at(1))
    expect((await readRecent(dir)).map((r) => r.path)).toEqual(['/b.layerscope'])
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1 })
  })
})
