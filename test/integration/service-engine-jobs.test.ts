/**
 * `loss`, `gradcheck --net` and `bench` are jobs of the service like every other experiment:
 * they appear in the job list with progress, can be cancelled, and fail with the engine's
 * message naming the place in the net.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { JobProgressEvent } from '../../src-shared/contract'
import { makeTestService } from '../helpers/service'

const service = makeTestService(1)
afterAll(async () => {
  await service.close()
})

// A 2 → 2 softmax net: scores = x·W + b.
const net = {
  format: 'layerscope.net',
  version: 1,
  inputSize: 2,
  layers: [
    {
      type: 'affine',
      W: [
        [1, 0],
        [0, 1]
      ],
      b: [0, 0]
    }
  ],
  loss: 'softmax',
  reg: 0
}
const data = { X: [[1, 0]], y: [0] }

describe('engine jobs through the service', () => {
  it('loss: a job with the closed-form result (softmax of [1, 0] at class 0)', async () => {
    const id = service.startJob('loss', { net, data, dtype: 'float64' })
    expect(service.listJobs().some((j) => j.jobId === id)).toBe(true)
    const done = await service.waitForJob(id, 'loss')
    expect(done.kind).toBe('loss')
    // −log(e / (e + 1)) = log(1 + e^−1)
    expect(done.result.loss).toBeCloseTo(Math.log1p(Math.exp(-1)), 14)
  })

  it('loss: a bad net fails as bad input naming the place', async () => {
    const id = service.startJob('loss', {
      net: { ...net, layers: [{ type: 'affine', W: [[1, 0]], b: [0, 0] }] },
      data,
      dtype: 'float64'
    })
    await expect(service.waitForJob(id)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^net\.layers\[0\]/) as unknown
    })
  })

  it('gradcheck-net: the given net checks great', async () => {
    const done = await service.runJob('gradcheck-net', {
      net,
      data,
      h: 1e-5,
      seed: 1,
      dtype: 'float64',
      excludeKinks: false
    })
    expect(done.result.verdict).toBe('great')
  })

  it('bench: reports progress messages and can be cancelled', async () => {
    const messages: string[] = []
    const off = service.on((name, payload) => {
      if (name === 'job:progress') {
        const p = payload as JobProgressEvent
        if (p.kind === 'bench' && p.message) messages.push(p.message)
      }
    })
    const id = service.startJob('bench', { repeats: 1 })
    const deadline = Date.now() + 60_000
    while (messages.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    expect(messages.length).toBeGreaterThan(0)
    expect(service.cancelJob(id)).toBe(true)
    await expect(service.waitForJob(id)).rejects.toMatchObject({ code: 'cancelled' })
    off()
  })
})
