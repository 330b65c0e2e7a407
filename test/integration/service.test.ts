import { afterAll, describe, expect, it } from 'vitest'
import type { EventName, JobDoneEvent, SampleResult } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import * as ProductionWorker from '../../src-workers/worker'
import { makeTestService, testPool } from '../helpers/service'

const service = makeTestService(2)
afterAll(() => service.close())

function collect() {
  const seen: { name: EventName; payload: unknown }[] = []
  const off = service.on((name, payload) => seen.push({ name, payload }))
  return { seen, off }
}

describe('LabService with real workers', () => {
  it('runs the sample job: N(0,1) moments within the sampling spread, progress throttled', async () => {
    const { seen, off } = collect()
    const n = 2_000_000
    const jobId = service.startJob('sample', { n, seed: 7, bins: 40 })
    const done = await service.waitForJob(jobId)
    off()
    const r = done.result as SampleResult
    // mean of n N(0,1) draws has sd 1/√n; the sample std has sd ≈ 1/√(2n). Allow 6 sd.
    expect(Math.abs(r.mean)).toBeLessThan(6 / Math.sqrt(n))
    expect(Math.abs(r.std - 1)).toBeLessThan(6 / Math.sqrt(2 * n))
    expect(r.hist.counts.reduce((a, b) => a + b, 0)).toBe(n)
    expect(r.hist.edges).toHaveLength(41)
    const progress = seen.filter((e) => e.name === 'job:progress')
    expect(progress.length).toBeGreaterThan(0)
    const names = seen.map((e) => e.name)
    expect(names[0]).toBe('job:started')
    expect(names.at(-1)).toBe('job:done')
    // Throttled: no two progress events (except the last) closer than 50 ms.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil((done.seconds * 1000) / 50) + 2)
  })

  it('gives the same numbers for the same seed in different workers', async () => {
    const [a, b] = await Promise.all([
      service.waitForJob(service.startJob('sample', { n: 10_000, seed: 3, bins: 10 })),
      service.waitForJob(service.startJob('sample', { n: 10_000, seed: 3, bins: 10 }))
    ])
    expect(a.result).toEqual(b.result)
    const c = await service.waitForJob(service.startJob('sample', { n: 10_000, seed: 4, bins: 10 }))
    expect((c.result as SampleResult).mean).not.toBe((a.result as SampleResult).mean)
  })

  it('cancels a running job within a second and serves the next one', async () => {
    const { seen, off } = collect()
    const res = await service.call('job:start', { kind: 'sample', config: { n: 50_000_000 } })
    if (!res.ok) throw new Error(res.error.message)
    const jobId = (res.value as { jobId: string }).jobId
    await new Promise((r) => setTimeout(r, 300))
    const t0 = performance.now()
    const cancel = await service.call('job:cancel', { jobId })
    expect(cancel).toEqual({ ok: true, value: { cancelled: true } })
    await expect(service.waitForJob(jobId)).rejects.toMatchObject({ code: 'cancelled' })
    expect(performance.now() - t0).toBeLessThan(1000)
    off()
    const failed = seen.find((e) => e.name === 'job:failed')?.payload as { error: { code: string } }
    expect(failed.error.code).toBe('cancelled')
    const next = await service.waitForJob(service.startJob('sample', { n: 1000, seed: 1, bins: 5 }))
    expect((next.result as SampleResult).n).toBe(1000)
  })

  it('turns a throwing job into a typed error event, keeping code and details', async () => {
    const { seen, off } = collect()
    const jobId = service.startJob('sample', { n: 10, seed: 1, bins: 5 })
    await service.waitForJob(jobId)
    const result = await testPool(service)
      .run('test', { mode: 'throw' })
      .catch((e: unknown) => e)
    expect(result).toBeInstanceOf(LabError)
    expect(result).toMatchObject({ code: 'test-failure', details: { where: 'testTask' } })
    off()
    expect(seen.some((e) => e.name === 'job:done')).toBe(true)
  })

  it('survives a worker that dies under a job, and the next job succeeds', async () => {
    const err = await testPool(service)
      .run('test', { mode: 'crash' })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'worker-died' })
    const next: JobDoneEvent = await service.waitForJob(
      service.startJob('sample', { n: 5000, seed: 2, bins: 5 })
    )
    expect((next.result as SampleResult).n).toBe(5000)
  })

  it('app:info names the kernel a worker runs (the main process compiles none)', async () => {
    const res = await service.call('app:info', {})
    if (!res.ok) throw new Error(res.error.message)
    const { kernel } = res.value as { kernel: string }
    expect(['wasm-relaxed-simd', 'wasm-simd', 'js']).toContain(kernel)
    expect(await service.pool.run('kernel', {})).toBe(kernel)
  })

  it('the production worker carries no test-only task', () => {
    expect(Object.keys(ProductionWorker)).not.toContain('test')
    expect(Object.keys(ProductionWorker)).toContain('depth')
  })

  it('refuses malformed calls with a specific error and starts nothing', async () => {
    const before = service.listJobs().length
    const bad = [
      ['job:start', { kind: 'sample', config: { n: -5 } }, 'config.n'],
      ['job:start', { kind: 'sample', config: { n: 10, extra: 1 } }, 'config'],
      ['job:start', { kind: 'nope', config: {} }, 'kind'],
      ['job:cancel', { jobId: '../etc' }, 'jobId'],
      ['app:info', { __proto__: { polluted: true }, x: 1 }, '(arguments)']
    ] as const
    for (const [name, args, where] of bad) {
      const r = await service.call(name, args)
      expect(r.ok).toBe(false)
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-args')
        expect(r.error.message).toContain(name)
        if (where !== '(arguments)') expect(r.error.message).toContain(where)
      }
    }
    const unknown = await service.call('fs:delete', {})
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-call' } })
    expect(service.listJobs().length).toBe(before)
  })
})

describe('engine jobs through the service', () => {
  it('runs the seed depth experiment: tanh with N(0, 0.01) shrinks each layer ~0.2236×', async () => {
    const r = await service.call('job:start', {
      kind: 'depth',
      config: { layers: 4, width: 500, samples: 500, activation: 'tanh', init: 'normal', std: 0.01 }
    })
    if (!r.ok) throw new Error(r.error.message)
    const done = await service.waitForJob((r.value as { jobId: string }).jobId)
    const layers = (done.result as { layers: { std: number }[] }).layers
    expect(layers).toHaveLength(4)
    for (let l = 1; l < layers.length; l++) {
      // 0.01·√500 = 0.2236; tanh is linear at these scales. Sampling spread at 500×500 is ~1%.
      expect(layers[l]!.std / layers[l - 1]!.std).toBeGreaterThan(0.2236 * 0.95)
      expect(layers[l]!.std / layers[l - 1]!.std).toBeLessThan(0.2236 * 1.05)
    }
  })

  it('refuses CIFAR-10 depth input with no dataset open, by name', async () => {
    const r = await service.call('job:start', {
      kind: 'depth',
      config: { input: 'cifar', layers: 2 }
    })
    if (!r.ok) throw new Error(r.error.message)
    await expect(service.waitForJob((r.value as { jobId: string }).jobId)).rejects.toMatchObject({
      code: 'no-dataset'
    })
  })

  it('runs a gradient check with the verdict of a correct net', async () => {
    const done = await service.waitForJob(
      service.startJob('gradcheck', {
        activation: 'tanh',
        layers: 2,
        width: 10,
        input: 4,
        classes: 3,
        samples: 5,
        h: 1e-5,
        reg: 0.05,
        loss: 'softmax',
        seed: 1,
        dtype: 'float64',
        burnIn: 0,
        excludeKinks: false,
        params: { slope: 0.01, alpha: 1, preluAlpha: 0.25, pieces: 2 }
      })
    )
    expect((done.result as { verdict: string }).verdict).toBe('great')
  })
})

describe('a pool whose workers cannot start', () => {
  it('fails the job promptly with worker-failed instead of hanging', async () => {
    const { LabPool } = await import('../../src-main/lab/pool')
    const pool = new LabPool({ workerFile: '/nonexistent/layerscope-worker.js', threads: 1 })
    const t0 = performance.now()
    await expect(pool.run('sample', { n: 10, seed: 1, bins: 2 })).rejects.toMatchObject({
      code: 'worker-failed'
    })
    expect(performance.now() - t0).toBeLessThan(5000)
    await pool.close()
  })
})
