import { spawn } from 'node:child_process'
import { mkdir, readdir, rmdir, symlink, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SessionError } from '../../../src-main/lab/sessions/errors'
import { bootId } from '../../../src-main/lab/sessions/fsx'
import { withFileLock } from '../../../src-main/lab/sessions/lock'
import { appendRun, openSession, saveSession } from '../../../src-main/lab/sessions/store'
import { depthSession } from '../../unit/sessions/fixtures'
import { deadPid, runChild, snapshot, tempDir } from './helpers'

let dir: string
let cleanup: () => Promise<void>
beforeEach(async () => ({ dir, cleanup } = await tempDir()))
afterEach(() => cleanup())

const lockOf = (pid: number, extra: object = {}) =>
  JSON.stringify({
    pid,
    host: os.hostname(),
    boot: bootId(),
    createdAt: new Date().toISOString(),
    token: 'feedfacefeedface',
    ...extra
  })

describe('two writers', () => {
  it('two processes appending 20 runs each at once lose nothing', async () => {
    const file = path.join(dir, 'shared.layerscope')
    const [a, b] = await Promise.all([
      runChild('append.ts', [file, 'a', '20']),
      runChild('append.ts', [file, 'b', '20'])
    ])
    expect(a.err + b.err).toBe('')
    expect([a.code, b.code]).toEqual([0, 0])
    const doc = await openSession(file)
    expect(doc.runs).toHaveLength(40)
    const ids = new Set(doc.runs.map((r) => r.id))
    for (const tag of ['a', 'b']) for (let i = 0; i < 20; i++) expect(ids).toContain(`${tag}-${i}`)
    // each writer's runs stay in its own order
    const order = (tag: string) =>
      doc.runs.filter((r) => r.id.startsWith(`${tag}-`)).map((r) => Number(r.id.slice(2)))
    expect(order('a')).toEqual([...Array(20).keys()])
    expect(order('b')).toEqual([...Array(20).keys()])
    expect((await readdir(dir)).sort()).toEqual(['shared.layerscope', 'shared.layerscope.bak'])
  })

  it('concurrent appends within one process are serialized too', async () => {
    const file = path.join(dir, 'one.layerscope')
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        appendRun(file, { id: `r${i}`, kind: 'loss', config: {}, result: i }, { appVersion: 'x' })
      )
    )
    expect((await openSession(file)).runs.map((r) => r.id).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `r${i}`).sort()
    )
  })

  it('takes over a stale lock left by a dead process', async () => {
    const file = path.join(dir, 's.layerscope')
    await saveSession(file, depthSession(1))
    await writeFile(`${file}.lock`, lockOf(await deadPid()))
    const t0 = Date.now()
    await appendRun(
      file,
      { id: 'after', kind: 'loss', config: {}, result: 1 },
      {
        appVersion: 'x',
        lockTimeoutMs: 5000
      }
    )
    expect(Date.now() - t0).toBeLessThan(2000)
    expect((await openSession(file)).runs.map((r) => r.id)).toEqual(['run-1', 'after'])
    expect(await readdir(dir)).not.toContain('s.layerscope.lock')
  })

  it('takes over a lock from before the last reboot, and an old unreadable one', async () => {
    const file = path.join(dir, 's.layerscope')
    await writeFile(`${file}.lock`, lockOf(process.ppid, { boot: 'a-boot-before-this-one' }))
    await withFileLock(file, async () => undefined, { timeoutMs: 2000 })
    await writeFile(`${file}.lock`, '')
    const old = new Date(Date.now() - 60_000)
    await utimes(`${file}.lock`, old, old)
    await withFileLock(file, async () => undefined, { timeoutMs: 2000 })
    expect(await readdir(dir)).toEqual([])
  })

  it('says clearly that the file is busy while a live process holds it, and changes nothing', async () => {
    const file = path.join(dir, 's.layerscope')
    await saveSession(file, depthSession(1))
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'])
    try {
      await writeFile(`${file}.lock`, lockOf(holder.pid!))
      const before = await snapshot(dir)
      const t0 = Date.now()
      let err: unknown
      try {
        await appendRun(
          file,
          { kind: 'loss', config: {}, result: 1 },
          {
            appVersion: 'x',
            lockTimeoutMs: 300
          }
        )
      } catch (e) {
        err = e
      }
      expect(Date.now() - t0).toBeGreaterThanOrEqual(280)
      expect(err).toBeInstanceOf(SessionError)
      expect(err).toMatchObject({ code: 'busy', file })
      expect((err as Error).message).toContain(`pid ${holder.pid}`)
      expect((err as Error).message).toMatch(/is busy/)
      expect(await snapshot(dir)).toEqual(before)
    } finally {
      holder.kill('SIGKILL')
    }
  })

  it('fails at once, not a spin, when the lock file is a folder or a dangling symlink', async () => {
    const file = path.join(dir, 's.layerscope')
    await mkdir(`${file}.lock`)
    let err: unknown
    const t0 = Date.now()
    await withFileLock(file, async () => undefined, { timeoutMs: 60_000 }).catch((e) => (err = e))
    expect(err).toMatchObject({ code: 'not-a-regular-file', file: `${file}.lock` })
    expect((err as Error).message).toMatch(/is a folder, not a regular file/)
    await rmdir(`${file}.lock`)
    await symlink(path.join(dir, 'nowhere'), `${file}.lock`)
    err = undefined
    await withFileLock(file, async () => undefined, { timeoutMs: 60_000 }).catch((e) => (err = e))
    expect(err).toMatchObject({ code: 'not-a-regular-file', file: `${file}.lock` })
    expect((err as Error).message).toMatch(/is a symlink/)
    expect(Date.now() - t0).toBeLessThan(2000)
  })

  it('treats a lock naming this process but not held by it as stale', async () => {
    const file = path.join(dir, 's.layerscope')
    await writeFile(`${file}.lock`, lockOf(process.pid, { token: 'not-held-here' }))
    const t0 = Date.now()
    await withFileLock(file, async () => undefined, { timeoutMs: 5000 })
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(await readdir(dir)).toEqual([])
  })
})
