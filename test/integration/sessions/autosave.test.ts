import { readdir, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Autosaver, discardRecovery, findRecovery } from '../../../src-main/lab/sessions/autosave'
import { openSession } from '../../../src-main/lab/sessions/store'
import { depthSession, exactlyEqual } from '../../unit/sessions/fixtures'
import { spawnChild, tempDir } from './helpers'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('autosave and recovery', () => {
  it('writes on its timer only when the session changed, and clears on clean close', async () => {
    const saver = new Autosaver({ dataDir: dir, intervalMs: 40 })
    const doc = depthSession(2)
    saver.update(doc, '/home/u/study.layerscope')
    await sleep(150)
    expect(exactlyEqual(await openSession(saver.file), doc)).toBeNull()
    const first = await stat(saver.file)
    await sleep(150) // several ticks, no change: nothing is rewritten
    const still = await stat(saver.file)
    expect([still.ino, still.mtimeMs]).toEqual([first.ino, first.mtimeMs])
    const doc2 = { ...doc, notes: 'edited' }
    saver.update(doc2, '/home/u/study.layerscope')
    await sleep(150)
    expect((await openSession(saver.file)).notes).toBe('edited')
    // Our own file is not a crash to recover from.
    expect(await findRecovery(dir)).toEqual([])
    await saver.close()
    expect(await readdir(path.join(dir, 'recovery'))).toEqual([])
  })

  it('flush() writes at once; markSaved() removes the recovery file', async () => {
    const saver = new Autosaver({ dataDir: dir, intervalMs: 60_000 })
    saver.update(depthSession(1), null)
    await saver.flush()
    expect((await openSession(saver.file)).runs).toHaveLength(1)
    await saver.markSaved()
    expect(await readdir(path.join(dir, 'recovery'))).toEqual([])
    await saver.flush() // nothing pending: writes nothing
    expect(await readdir(path.join(dir, 'recovery'))).toEqual([])
    await saver.close()
  })

  it('after a crash, the next start finds the autosaved session and where it came from', async () => {
    const child = spawnChild('autosave.ts', [dir, '/home/u/study.layerscope'])
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('autosaved') && resolve())
      child.on('exit', (c) => reject(new Error(`exited ${c}`)))
    })
    const exited = new Promise((r) => child.on('exit', r))
    expect(await findRecovery(dir)).toEqual([]) // still running: not a crash
    child.kill('SIGKILL')
    await exited
    const found = await findRecovery(dir)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ sourceFile: '/home/u/study.layerscope', pid: child.pid })
    expect(exactlyEqual(await openSession(found[0]!.file), depthSession(2))).toBeNull()
    await discardRecovery(found[0]!)
    expect(await findRecovery(dir)).toEqual([])
    expect(await readdir(path.join(dir, 'recovery'))).toEqual([])
  })

  it('finds nothing in an empty or missing data folder, and ignores stray files', async () => {
    expect(await findRecovery(path.join(dir, 'missing'))).toEqual([])
    const saver = new Autosaver({ dataDir: dir })
    saver.update(depthSession(1), null)
    await saver.flush()
    await writeFile(path.join(dir, 'recovery', 'notes.txt'), 'x')
    expect(await findRecovery(dir)).toEqual([])
    await saver.close()
  })
})
