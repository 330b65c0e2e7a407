/**
 * The depth probe on every core through LabService and real worker threads (a 2-thread pool):
 * a probe alone is cut into 2 slices of samples (its echo says workers: 2) and its statistics
 * equal those of the same probe on one worker (a comparison's run) — Gaussian input and a batch
 * of real CIFAR-10 images. A long probe reports progress during its pass, and cancel frees both
 * threads: the leader's at once, the helper's at its next layer.
 */
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { JobProgressEvent } from '../../src-shared/contract'
import type { CompareResult, DepthResult } from '../../src-shared/results'
import { requireCifarSample } from '../helpers/fixtures'
import { makeTestService } from '../helpers/service'
import { until } from '../helpers/runs'

const service = makeTestService(2)
afterAll(() => service.close())

async function run<T>(kind: string, config: unknown): Promise<T> {
  const res = await service.call('job:start', { kind, config } as never)
  if (!res.ok) throw new Error(res.error.message)
  return (await service.waitForJob((res.value as { jobId: string }).jobId)).result as T
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-30, Math.abs(a) + Math.abs(b))

function expectSame(two: DepthResult, one: DepthResult): void {
  expect(two.config.workers).toBe(2)
  expect(one.config.workers).toBeUndefined()
  expect(rel(two.loss, one.loss)).toBeLessThan(1e-5)
  two.layers.forEach((l, i) => {
    const o = one.layers[i]!
    expect(l.hist).toEqual(o.hist)
    expect(l.dead).toBe(o.dead)
    expect(l.saturated).toBe(o.saturated)
    expect(rel(l.std, o.std)).toBeLessThan(1e-5)
    expect(rel(l.dX.std, o.dX.std)).toBeLessThan(1e-5)
    expect(rel(l.dW.std, o.dW.std)).toBeLessThan(1e-5)
  })
}

describe('depth probe on every core', () => {
  it('Gaussian input: 2 workers alone, the same statistics as 1 worker', async () => {
    const config = { layers: 6, width: 200, samples: 600, activation: 'tanh', init: 'xavier' }
    const two = await run<DepthResult>('depth', config)
    const cmp = await run<CompareResult>('compare', {
      base: 'depth',
      config,
      vary: { activation: ['tanh', 'relu'] }
    })
    const first = cmp.runs[0]!
    if (!('result' in first)) throw new Error('compare run failed')
    expectSame(two, first.result as DepthResult)
  })

  it('CIFAR-10 input: 2 workers alone, the same statistics as 1 worker', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await run('dataset', { path: join(dir, 'cifar-10-batches-bin') })
    const config = {
      input: 'cifar',
      preprocess: 'standardize',
      layers: 4,
      width: 100,
      samples: 300,
      activation: 'relu',
      init: 'he',
      upstream: 'softmax'
    }
    const two = await run<DepthResult>('depth', config)
    const cmp = await run<CompareResult>('compare', {
      base: 'depth',
      config,
      vary: { activation: ['relu', 'tanh'] }
    })
    const first = cmp.runs[0]!
    if (!('result' in first)) throw new Error('compare run failed')
    expectSame(two, first.result as DepthResult)
  })
})

describe('cancel of a depth probe on every core', () => {
  it('reports progress during the pass; cancel frees the leader and, within a layer, the helper', async () => {
    // About 0.42 TFLOP: each thread's slice takes seconds, each layer of it a tenth of that.
    const config = { layers: 4, width: 2600, samples: 2600, activation: 'tanh', init: 'xavier' }
    const res = await service.call('job:start', { kind: 'depth', config } as never)
    if (!res.ok) throw new Error(res.error.message)
    const jobId = (res.value as { jobId: string }).jobId
    const fractions: number[] = []
    const off = service.on((name, payload) => {
      const e = payload as JobProgressEvent
      if (name === 'job:progress' && e.jobId === jobId) fractions.push(e.fraction)
    })
    // Progress inside the pass (before its end at 0.8), with the helper at work.
    await until(() => fractions.some((f) => f > 0 && f < 0.8) && service.pool.helperTasks === 1)
    off()
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions)
    const t0 = performance.now()
    await service.call('job:cancel', { jobId })
    await expect(service.waitForJob(jobId)).rejects.toMatchObject({ code: 'cancelled' })
    // The helper stops at its next layer boundary instead of finishing its slice.
    await until(() => service.pool.helperTasks === 0, 5000)
    const freed = performance.now() - t0
    expect(freed).toBeLessThan(2500)
    const next = await run<DepthResult>('depth', { layers: 3, width: 100, samples: 200 })
    expect(next.config.workers).toBe(2)
  })
})
