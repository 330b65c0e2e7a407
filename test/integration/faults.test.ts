/**
 * Fault injection (issue 9): the dataset removed or cut short while it loads, the disk full
 * while a session saves, configurations that would need absurd memory or time. Each ends as a
 * specific error, and nothing already loaded or saved is lost. (A worker killed in the middle
 * of a job: service.test.ts and train.test.ts; the page reloaded mid-run: e2e/engine.spec.ts.)
 */
import { readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Envelope } from '../../src-shared/contract'
import type { SessionView } from '../../src-shared/session-api'
import { loadDataset } from '../../src-workers/data'
import { LabService } from '../../src-main/lab/service'
import { cifarFiles, syntheticBatch, writeFiles } from '../helpers/data-writers'
import { WORKER_SOURCE } from '../helpers/service'

// Disk-full switch: when on, writing a session's temporary file fails with ENOSPC.
const disk = { full: false }
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  const open: typeof real.open = async (...args: Parameters<typeof real.open>) => {
    const fh = await real.open(...args)
    if (!disk.full || !String(args[0]).endsWith('.tmp')) return fh
    return new Proxy(fh, {
      get(target, prop, receiver) {
        if (prop === 'writeFile' || prop === 'write') {
          return async () => {
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC'
            })
          }
        }
        const v = Reflect.get(target, prop, receiver) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      }
    })
  }
  return { ...real, default: { ...real, open }, open }
})

let dir: string
let service: LabService

async function ok<T>(name: string, args: unknown = {}): Promise<T> {
  const r = (await service.call(name, args)) as Envelope<T>
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`)
  return r.value
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-faults-'))
  service = new LabService({
    pool: { workerFile: WORKER_SOURCE, threads: 1 },
    mode: 'test',
    version: '0.0.0-test',
    dataDir: path.join(dir, 'data')
  })
})
afterAll(async () => {
  await service.close()
  await rm(dir, { recursive: true, force: true })
})

async function finished(kind: string, config: unknown) {
  const { jobId } = await ok<{ jobId: string }>('job:start', { kind, config })
  return service.waitForJob(jobId)
}

async function writeCopy(name: string, batches = 3): Promise<string> {
  const train = Array.from({ length: batches }, (_, i) => syntheticBatch(400, 10 + i, true))
  return writeFiles(
    path.join(dir, name, 'cifar-10-batches-bin'),
    cifarFiles('binary', train, syntheticBatch(100, 3, true))
  )
}

describe('the dataset changes under the loader', () => {
  it('files removed while loading: a typed error naming the missing file', async () => {
    const folder = await writeCopy('removed')
    let removed = false
    const err = await loadDataset(folder, {
      onProgress: () => {
        if (removed) return
        removed = true
        for (const f of ['data_batch_2.bin', 'data_batch_3.bin', 'test_batch.bin'])
          rmSync(path.join(folder, f))
      }
    }).catch((e: unknown) => e)
    expect(removed).toBe(true)
    expect(err).toMatchObject({ code: 'not-found', file: path.join(folder, 'data_batch_2.bin') })
    expect((err as Error).message).toContain('data_batch_2.bin')
  })

  it('a file cut short after its size was taken: a typed error with the byte offset', async () => {
    const folder = await writeCopy('shrunk', 1)
    // Sizes are taken before reading; the test batch is read after the training batch.
    const file = path.join(folder, 'test_batch.bin')
    let cut = false
    const err = await loadDataset(folder, {
      onProgress: () => {
        if (cut) return
        cut = true
        truncateSync(file, 3073 * 10)
      }
    }).catch((e: unknown) => e)
    expect(cut).toBe(true)
    expect(err).toMatchObject({ code: 'io-error', file, offset: 3073 * 10 })
    expect((err as Error).message).toContain('became shorter')
  })

  it('a failed reload leaves the open dataset in place, usable', async () => {
    const good = await writeCopy('good')
    const opened = await finished('dataset', { path: good })
    const fingerprint = (opened.result as { fingerprint: string }).fingerprint
    rmSync(path.join(dir, 'good'), { recursive: true })
    await expect(finished('dataset', { path: good })).rejects.toMatchObject({
      code: 'not-found'
    })
    expect((await ok<{ fingerprint: string } | null>('dataset:current'))?.fingerprint).toBe(
      fingerprint
    )
    const images = await ok<{ labels: number[] }>('dataset:images', {
      split: 'train',
      offset: 0,
      count: 4
    })
    expect(images.labels).toHaveLength(4)
  })
})

describe('the disk fills up while a session saves', () => {
  it('reports it, keeps the last good file and every run in memory, and saves once space is back', async () => {
    const file = path.join(dir, 'full.layerscope')
    await ok('session:new')
    const a = await finished('gradcheck', { seed: 1 })
    await ok('session:add-run', { jobId: a.jobId })
    await ok('session:save-as', { file })
    const before = readFileSync(file)

    const b = await finished('gradcheck', { seed: 2 })
    await ok('session:add-run', { jobId: b.jobId })
    disk.full = true
    const r = await service.call('session:save', {})
    disk.full = false
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('session-io-failed')
      expect(r.error.message).toContain('the disk is full')
    }
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([])
    const view = await ok<SessionView>('session:current')
    expect(view.doc.runs).toHaveLength(2)
    expect(view.dirty).toBe(true)

    await ok('session:save')
    const reopened = await ok<SessionView>('session:open', { file })
    expect(reopened.doc.runs).toHaveLength(2)
  })
})

describe('resource limits: refused before anything is allocated', () => {
  const absurd: [string, unknown, string][] = [
    ['a layer a million wide', { kind: 'depth', config: { width: 1_000_000 } }, 'config.width'],
    ['ten thousand layers', { kind: 'depth', config: { layers: 10_000 } }, 'config.layers'],
    [
      'a huge activation matrix',
      { kind: 'depth', config: { width: 4096, samples: 50_000 } },
      'config.samples'
    ],
    ['a million hidden units', { kind: 'train', config: { hidden: [1_000_000] } }, 'config.hidden'],
    [
      'a thousand hidden layers',
      { kind: 'train', config: { hidden: Array(1000).fill(10) } },
      'config.hidden'
    ],
    [
      'a billion synthetic examples',
      { kind: 'train', config: { data: { type: 'synthetic', n: 1e9 } } },
      'config.data'
    ],
    [
      'a gradient check of a huge net',
      { kind: 'gradcheck', config: { width: 100_000 } },
      'config.width'
    ],
    ['50 million draws and more', { kind: 'sample', config: { n: 1e12 } }, 'config.n']
  ]
  it.each(absurd)('%s', async (_what, args, field) => {
    const jobs = service.listJobs().length
    const rss = process.memoryUsage().rss
    const t0 = performance.now()
    const r = await service.call('job:start', args)
    expect(performance.now() - t0).toBeLessThan(200)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-args')
      expect(r.error.message).toContain(field)
    }
    expect(service.listJobs().length).toBe(jobs)
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * 1024 * 1024)
  })
})
