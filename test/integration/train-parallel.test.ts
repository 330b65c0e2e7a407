/**
 * Data-parallel training through LabService and real worker threads (a 2-thread pool): a run
 * alone gets a helper (both threads); the same seed and worker count give the same bits however
 * the threads came and went (a helper taken for another job mid-run and given back); 2 workers
 * learn what 1 worker learns; cancel in the middle of long steps frees both threads.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { TrainResult } from '../../src-shared/results'
import { makeTestService } from '../helpers/service'
import { lastIterOf, trainNumbers, until } from '../helpers/runs'

const service = makeTestService(2)
afterAll(() => service.close())

async function start(config: unknown): Promise<string> {
  const res = await service.call('job:start', { kind: 'train', config })
  if (!res.ok) throw new Error(res.error.message)
  return (res.value as { jobId: string }).jobId
}

const result = async (jobId: string) => (await service.waitForJob(jobId)).result as TrainResult

/** What must be identical between two runs (timings aside). */
const RUN = {
  data: { type: 'synthetic', n: 1600 },
  val: 200,
  hidden: [40],
  epochs: 12,
  batch: 100,
  optimizer: 'momentum',
  lr: 5e-3,
  statsEvery: 7
}

describe('data-parallel training on the pool', () => {
  it('a run alone uses both threads; the same seed and workers give the same bits', async () => {
    const id = await start(RUN)
    await until(() => service.pool.teamHelpers.length === 1)
    await until(() => service.pool.teamHelpers[0] === 1)
    const a = await result(id)
    expect(service.pool.teamHelpers).toEqual([])
    expect(a.workers).toBe(2)
    expect(a.status).toBe('completed')
    const b = await result(await start(RUN))
    expect(trainNumbers(b)).toEqual(trainNumbers(a))
  })

  it('continues with the same bits when its helper is taken for another job and given back', async () => {
    // Long enough that a short job started mid-run ends while it still trains, on any machine.
    const LONG = { ...RUN, epochs: 60 }
    const reference = await result(await start(LONG))
    const id = await start(LONG)
    const { iter, off } = lastIterOf(service, id)
    await until(() => iter() > 5 && service.pool.teamHelpers[0] === 1)
    // Another job arrives: the run gives its helper back; the other job gets the thread.
    const other = await start({
      ...RUN,
      workers: 1,
      epochs: 1,
      val: 20,
      data: { type: 'synthetic', n: 100 }
    })
    const helpersSeen = new Set<number>()
    const watch = setInterval(() => helpersSeen.add(service.pool.teamHelpers[0] ?? -1), 5)
    const o = await result(other)
    const takenAt = iter()
    // The other job is over: the helper comes back while the run still trains.
    await until(() => service.pool.teamHelpers[0] === 1 || service.pool.teamHelpers.length === 0)
    const r = await result(id)
    clearInterval(watch)
    off()
    expect(o.status).toBe('completed')
    expect(helpersSeen.has(0)).toBe(true)
    expect(takenAt).toBeLessThan(r.iterations)
    expect(trainNumbers(r)).toEqual(trainNumbers(reference))
  })

  it('2 workers learn what 1 worker learns (validation accuracy over 3 seeds, within noise)', async () => {
    const acc = async (workers: number, seed: number) => {
      const r = await result(
        await start({
          ...RUN,
          data: { type: 'synthetic', n: 4000 },
          epochs: 2,
          lr: 1e-2,
          workers,
          seed
        })
      )
      expect(r.status).toBe('completed')
      expect(r.workers).toBe(workers)
      return r.status === 'diverged' ? 0 : r.final.valAcc!
    }
    const diffs: number[] = []
    for (const seed of [1, 2, 3]) {
      const one = await acc(1, seed)
      const two = await acc(2, seed)
      expect(one).toBeGreaterThan(0.3)
      expect(two).toBeGreaterThan(0.3)
      diffs.push(two - one)
    }
    // 200 validation examples at p ≈ 0.5–0.9: a binomial sd of ≤ 0.035 per run; the mean of three
    // differences of the same seed's runs stays well inside that.
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length
    expect(Math.abs(mean)).toBeLessThan(0.05)
  })

  it('cancels in the middle of long steps; both threads serve the next job', async () => {
    const id = await start({ ...RUN, hidden: [1000], batch: 1000, epochs: 50 })
    const { iter, off } = lastIterOf(service, id)
    await until(() => iter() >= 1 && service.pool.teamHelpers[0] === 1)
    off()
    const t0 = performance.now()
    await service.call('job:cancel', { jobId: id })
    await expect(service.waitForJob(id)).rejects.toMatchObject({ code: 'cancelled' })
    expect(performance.now() - t0).toBeLessThan(2000)
    await until(() => service.pool.teamHelpers.length === 0, 2000)
    const next = await result(await start({ ...RUN, epochs: 1 }))
    expect(next.status).toBe('completed')
    expect(next.workers).toBe(2)
  })
})
