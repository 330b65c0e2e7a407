/**
 * The hostile inputs through the service, as the UI meets them (issue 16 §2: "the UI shows the
 * same specific message"): opening a dataset whose batch is a FIFO, a session that is a FIFO or
 * symlinked to /dev/zero, and a tar bomb answer at once with the same typed error (code,
 * message naming the file, details.file) the CLI prints — nothing blocks, nothing is read.
 */
import { mkdir, rm, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobFailedEvent, LabErrorData } from '../../src-shared/contract'
import type { LabService } from '../../src-main/lab/service'
import {
  cifarFiles,
  makeTempDir,
  removeDir,
  syntheticBatch,
  writeFiles
} from '../helpers/data-writers'
import { deflateBomb, gzipOf, mkfifo, put, tarHeader } from '../helpers/hostile/build'
import { makeTestService } from '../helpers/service'

let service: LabService
let root: string

beforeAll(async () => {
  service = makeTestService(1)
  root = await makeTempDir('layerscope-hostile-service-')
})
afterAll(async () => {
  await service.close()
  await removeDir(root)
})

async function datasetFailure(path: string): Promise<LabErrorData> {
  const failures: JobFailedEvent[] = []
  const off = service.on((name, payload) => {
    if (name === 'job:failed') failures.push(payload as JobFailedEvent)
  })
  try {
    const r = await service.call('job:start', { kind: 'dataset', config: { path } })
    if (!r.ok) throw new Error(r.error.message)
    const { jobId } = r.value as { jobId: string }
    await service.waitForJob(jobId).then(
      () => {
        throw new Error('opened')
      },
      () => undefined
    )
    const f = failures.find((e) => e.jobId === jobId)
    if (!f) throw new Error('no job:failed event')
    return f.error
  } finally {
    off()
  }
}

describe('hostile inputs through the service (what the UI shows)', () => {
  it('a FIFO as data_batch_1.bin: not-a-regular-file naming it, at once', async () => {
    const d = await writeFiles(
      join(root, 'fifo', 'cifar-10-batches-bin'),
      cifarFiles('binary', [syntheticBatch(4, 1)], syntheticBatch(2, 2))
    )
    const f = join(d, 'data_batch_1.bin')
    await rm(f)
    mkfifo(f)
    const t0 = Date.now()
    const e = await datasetFailure(d)
    expect(Date.now() - t0).toBeLessThan(10_000)
    expect(e.code).toBe('not-a-regular-file')
    expect(e.message).toContain(`${f} is not a regular file`)
    expect(e.details).toEqual({ file: f })
  })

  it('a 2 GiB tar member built from 2 MiB of gzip: too-large before any allocation', async () => {
    const size = 2 ** 31 - 3073
    const f = await put(
      join(root, 'bomb', 'cifar-10-binary.tar.gz'),
      gzipOf(deflateBomb(tarHeader('cifar-10-batches-bin/data_batch_1.bin', size), 2048), 0)
    )
    const e = await datasetFailure(f)
    expect(e.code).toBe('too-large')
    expect(e.message).toContain(`${f}/cifar-10-batches-bin/data_batch_1.bin is 2,147.5 MB`)
    expect(e.details).toMatchObject({ file: f, field: 'cifar-10-batches-bin/data_batch_1.bin' })
  })

  it('session:open of a FIFO or of a symlink to /dev/zero: not-a-regular-file, never read', async () => {
    await mkdir(join(root, 's'), { recursive: true })
    const fifo = join(root, 's', 'fifo.layerscope')
    mkfifo(fifo)
    const zero = join(root, 's', 'zero.layerscope')
    await symlink('/dev/zero', zero)
    for (const file of [fifo, zero]) {
      const r = await service.call('session:open', { file })
      expect(r.ok).toBe(false)
      if (r.ok) continue
      expect(r.error.code).toBe('not-a-regular-file')
      expect(r.error.message).toContain(`${file} is not a regular file`)
      expect(r.error.details).toEqual({ file })
    }
  })
})
