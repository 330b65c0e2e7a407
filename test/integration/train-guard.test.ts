/**
 * The team guard's solo steps (src-workers/team-guard.ts, team.ts startStep's `solo`) on real
 * worker threads: a run whose leader computes some steps alone — every step (`solo`), or 2 of
 * every 5 (`flip`: the helper drops out and comes back every few steps, and must take the weights
 * of updates it had no part in before its next slice) — gives the bits of the same run with every step shared (`off`)
 * and of the run with the guard deciding (the default). The mode reaches the workers through
 * LAYERSCOPE_TEAM_GUARD in the pool's environment.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { TrainResult } from '../../src-shared/results'
import { LabService } from '../../src-main/lab/service'
import { makeTestService, WORKER_SOURCE } from '../helpers/service'
import { trainNumbers } from '../helpers/runs'

const services: LabService[] = []
afterAll(async () => {
  for (const s of services) await s.close()
})

function serviceWith(guard?: string): LabService {
  const s = guard
    ? new LabService({
        pool: { workerFile: WORKER_SOURCE, threads: 2, env: { LAYERSCOPE_TEAM_GUARD: guard } },
        mode: 'test',
        version: '0.0.0-test'
      })
    : makeTestService(2)
  services.push(s)
  return s
}

async function train(s: LabService, config: unknown): Promise<TrainResult> {
  const res = await s.call('job:start', { kind: 'train', config })
  if (!res.ok) throw new Error(res.error.message)
  return (await s.waitForJob((res.value as { jobId: string }).jobId)).result as TrainResult
}

// Steps of a few milliseconds, so that the helper takes pass slices (in steps of 0.1 ms the
// leader takes both before the helper wakes).
const RUN = {
  data: { type: 'synthetic', n: 2000 },
  val: 200,
  hidden: [400],
  epochs: 3,
  batch: 200,
  optimizer: 'adam',
  lr: 2e-3,
  reg: 1e-3,
  statsEvery: 5
}

describe('solo steps on a team', () => {
  it('every step solo, solo and shared by turns, and the guard deciding give the bits of every step shared', async () => {
    const shared = await train(serviceWith('off'), RUN)
    expect(shared.status).toBe('completed')
    expect(shared.workers).toBe(2)
    expect(shared.losses.length).toBeGreaterThanOrEqual(27)
    for (const mode of ['solo', 'flip', undefined]) {
      const r = await train(serviceWith(mode), RUN)
      expect(trainNumbers(r), mode ?? 'auto').toEqual(trainNumbers(shared))
    }
  })
})
