/**
 * Training and comparisons through LabService with real workers: learning (synthetic data and
 * the real CIFAR-10 sample), the live stream, cancel, pause/resume, a learning rate changed
 * mid-run, divergence, and comparisons that run in parallel and survive a dying worker.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { JobProgressEvent } from '../../src-shared/contract'
import type { CompareResult, TrainLive, TrainResult } from '../../src-shared/results'
import { requireCifarSample } from '../helpers/fixtures'
import { makeTestService, testPool } from '../helpers/service'
import { join } from 'node:path'

const service = makeTestService(2)
afterAll(() => service.close())

function progressOf(jobId: string): { events: JobProgressEvent[]; off: () => void } {
  const events: JobProgressEvent[] = []
  const off = service.on((name, payload) => {
    if (name === 'job:progress' && (payload as JobProgressEvent).jobId === jobId)
      events.push(payload as JobProgressEvent)
  })
  return { events, off }
}

async function start(kind: 'train' | 'compare', config: unknown): Promise<string> {
  const res = await service.call('job:start', { kind, config })
  if (!res.ok) throw new Error(res.error.message)
  return (res.value as { jobId: string }).jobId
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const lastIter = (events: JobProgressEvent[]) =>
  Math.max(0, ...events.map((e) => (e.data as TrainLive | undefined)?.iter ?? 0))

/** Long enough to steer while it runs (seconds), small enough to start at once. */
const LONG = {
  data: { type: 'synthetic', n: 2000 },
  val: 200,
  hidden: [50],
  epochs: 200,
  batch: 100,
  optimizer: 'sgd',
  lr: 1e-3
}

describe('train jobs', () => {
  it('learns synthetic clusters: validation and test accuracy far above chance; live stream adds up', async () => {
    const config = {
      data: { type: 'synthetic', n: 6000 },
      val: 500,
      epochs: 2,
      hidden: [50],
      optimizer: 'momentum',
      lr: 1e-2,
      statsEvery: 10
    }
    const jobId = await start('train', config)
    const { events, off } = progressOf(jobId)
    const done = await service.waitForJob(jobId)
    off()
    const r = done.result as TrainResult
    expect(r.status).toBe('completed')
    if (r.status === 'diverged') return
    // Ten classes: chance is 0.1; the val split has 500 examples (sd of chance ≈ 0.013).
    expect(r.final.valAcc).toBeGreaterThan(0.3)
    expect(r.final.testAcc).toBeGreaterThan(0.3)
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2])
    // 6000 / 200 = 30 iterations per epoch; one loss each.
    expect(r.itersPerEpoch).toBe(30)
    expect(r.losses).toHaveLength(60)
    expect(r.history[1]!.iter).toBe(60)
    // Epoch loss is the mean of that epoch's iteration losses.
    const mean = r.losses.slice(30).reduce((a, b) => a + b, 0) / 30
    expect(r.history[1]!.loss).toBeCloseTo(mean, 10)
    // The first loss of a fresh softmax net on N(0,1) data is near ln 10 plus the reg term.
    expect(r.losses[0]).toBeGreaterThan(1.5)
    expect(r.losses.at(-1)!).toBeLessThan(r.losses[0]!)
    // Stats every 10 iterations: 6 rows, one column per block (hidden + output).
    expect(r.stats.iter).toEqual([0, 10, 20, 30, 40, 50])
    expect(r.stats.actStd.every((row) => row.length === 2)).toBe(true)
    expect(r.stats.gradNorm.every((row) => row.every((g) => g > 0 && Number.isFinite(g)))).toBe(
      true
    )
    // The live payloads, pieced together in order, give exactly the run's losses.
    const streamed: number[] = []
    for (const e of events) {
      const d = e.data as TrainLive | undefined
      if (!d) continue
      expect(d.fromIter).toBe(streamed.length)
      streamed.push(...d.losses)
    }
    expect(streamed).toEqual(r.losses.slice(0, streamed.length))
    expect(streamed.length).toBeGreaterThan(0)
    expect(events.at(-1)!.fraction).toBe(1)
  })

  it('learns on the real CIFAR-10 sample: accuracy well above 10 % after a few epochs', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const open = await service.waitForJob(
      await (async () => {
        const res = await service.call('job:start', {
          kind: 'dataset',
          config: { path: join(dir, 'cifar-10-batches-bin') }
        })
        if (!res.ok) throw new Error(res.error.message)
        return (res.value as { jobId: string }).jobId
      })()
    )
    expect(open.kind).toBe('dataset')
    const jobId = await start('train', {
      data: { type: 'dataset' },
      preprocess: 'standardize',
      val: 100,
      epochs: 8,
      batch: 50,
      hidden: [100],
      optimizer: 'adam',
      lr: 1e-3
    })
    const r = (await service.waitForJob(jobId)).result as TrainResult
    expect(r.status).toBe('completed')
    if (r.status === 'diverged') return
    // 500 training images, 100 validation, 600 test; chance 0.1 (sd 0.03 on 100, 0.012 on 600).
    expect(r.itersPerEpoch).toBe(10)
    expect(r.final.valAcc).toBeGreaterThan(0.2)
    expect(r.final.testAcc).toBeGreaterThan(0.18)
    expect(r.final.trainAcc).toBeGreaterThan(0.5)
  })

  it('cancels a run in the middle within a second and serves the next job', async () => {
    const jobId = await start('train', LONG)
    const { events, off } = progressOf(jobId)
    await until(() => lastIter(events) > 5)
    off()
    const t0 = performance.now()
    expect(await service.call('job:cancel', { jobId })).toEqual({
      ok: true,
      value: { cancelled: true }
    })
    await expect(service.waitForJob(jobId)).rejects.toMatchObject({ code: 'cancelled' })
    expect(performance.now() - t0).toBeLessThan(1000)
    const next = await service.waitForJob(
      await start('train', { ...LONG, epochs: 1, data: { type: 'synthetic', n: 200 } })
    )
    expect((next.result as TrainResult).status).toBe('completed')
  })

  it('pauses (no iterations while paused) and resumes to completion; pause time is excluded', async () => {
    const jobId = await start('train', { ...LONG, epochs: 10 })
    const { events, off } = progressOf(jobId)
    await until(() => lastIter(events) > 3)
    const paused = await service.call('train:control', { jobId, action: 'pause' })
    expect(paused).toEqual({ ok: true, value: { jobId, state: 'paused', lr: null } })
    await until(() => events.some((e) => e.message === 'paused'))
    const atPause = lastIter(events)
    await new Promise((r) => setTimeout(r, 800))
    expect(lastIter(events)).toBe(atPause)
    expect(service.listJobs().find((j) => j.jobId === jobId)?.status).toBe('running')
    const resumed = await service.call('train:control', { jobId, action: 'resume' })
    expect(resumed).toMatchObject({ ok: true, value: { state: 'running' } })
    const r = (await service.waitForJob(jobId)).result as TrainResult
    off()
    expect(r.status).toBe('completed')
    expect(r.iterations).toBe(10 * 20)
    expect(r.pausedSeconds).toBeGreaterThan(0.7)
  })

  it('stops early on request, with the results so far', async () => {
    const jobId = await start('train', LONG)
    const { events, off } = progressOf(jobId)
    await until(() => lastIter(events) > 3)
    off()
    await service.call('train:control', { jobId, action: 'stop' })
    const r = (await service.waitForJob(jobId)).result as TrainResult
    expect(r.status).toBe('stopped')
    expect(r.iterations).toBeLessThan(200 * 20)
    expect(r.losses).toHaveLength(r.iterations)
    if (r.status !== 'diverged') expect(r.final.testAcc).toBeGreaterThanOrEqual(0)
  })

  it('takes a new learning rate mid-run: recorded, and it acts (a huge rate diverges right after)', async () => {
    // The same run without the change stays finite throughout (it is the baseline).
    const base = (await service.waitForJob(await start('train', { ...LONG, epochs: 10 })))
      .result as TrainResult
    expect(base.status).toBe('completed')
    const jobId = await start('train', { ...LONG, epochs: 10 })
    const { events, off } = progressOf(jobId)
    await until(() => lastIter(events) > 3)
    off()
    const set = await service.call('train:control', { jobId, action: 'set-lr', lr: 80 })
    expect(set).toMatchObject({ ok: true, value: { lr: 80 } })
    const r = (await service.waitForJob(jobId)).result as TrainResult
    expect(r.lrChanges).toHaveLength(1)
    const change = r.lrChanges[0]!
    expect(change.lr).toBe(80)
    expect(change.iter).toBeGreaterThan(3)
    expect(r.status).toBe('diverged')
    if (r.status !== 'diverged') return
    // Same seed, same data: identical losses up to the change, then it blows up.
    expect(r.losses.slice(0, change.iter)).toEqual(base.losses.slice(0, change.iter))
    expect(r.iteration).toBeGreaterThan(change.iter)
    expect(r.iteration).toBeLessThan(change.iter + 20)
  })

  it('reports divergence with a huge learning rate: iteration and layer, never a crash', async () => {
    // The factor off (--diverge-above 0): only NaN/Infinity ends the run.
    const done = await service.waitForJob(
      await start('train', {
        data: { type: 'synthetic', n: 400 },
        val: 100,
        hidden: [100, 100],
        optimizer: 'sgd',
        lr: 50,
        epochs: 5,
        divergeAbove: 0
      })
    )
    const r = done.result as TrainResult
    expect(r.status).toBe('diverged')
    if (r.status !== 'diverged') return
    expect(r.final).toBeNull()
    expect(r.iteration).toBeGreaterThan(1)
    expect(r.iteration).toBeLessThan(20)
    // Every loss before the divergence is finite; the losses stop there.
    expect(r.losses).toHaveLength(r.iteration - 1)
    expect(r.losses.every(Number.isFinite)).toBe(true)
    expect(r.layer).toBeGreaterThanOrEqual(1)
    expect(r.layer).toBeLessThanOrEqual(3)
    expect(r.message).toBe(
      `diverged at iteration ${r.iteration} (layer ${r.layer}${r.where === 'loss' ? ', the loss' : `, ${r.where}`})`
    )
    expect(r.divergence).toMatchObject({
      reason: 'non-finite',
      iteration: r.iteration,
      layer: r.layer,
      first: r.losses[0]
    })
  })

  it('refuses bad control calls with typed errors naming the field', async () => {
    const missing = await service.call('train:control', { jobId: 'job-999999', action: 'pause' })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } })
    const noLr = await service.call('train:control', { jobId: 'job-1', action: 'set-lr' })
    expect(noLr).toMatchObject({
      ok: false,
      error: { code: 'invalid-args', details: { path: ['lr'] } }
    })
    const bad = await service.call('train:control', { jobId: 'job-1', action: 'set-lr', lr: -1 })
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'invalid-args', details: { path: ['lr'] } }
    })
    const depth = service.startJob('sample', { n: 40_000_000, seed: 1, bins: 5 })
    const notTrain = await service.call('train:control', { jobId: depth, action: 'pause' })
    expect(notTrain).toMatchObject({ ok: false, error: { code: 'not-controllable' } })
    service.cancelJob(depth)
    await service.waitForJob(depth).catch(() => undefined)
    const finished = await service.call('train:control', { jobId: depth, action: 'pause' })
    expect(finished).toMatchObject({ ok: false, error: { code: 'job-not-running' } })
  })
})

describe('compare jobs', () => {
  it('compares preprocessing modes on the real sample: one result per mode, run in parallel', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const res = await service.call('job:start', {
      kind: 'dataset',
      config: { path: join(dir, 'cifar-10-batches-py') }
    })
    if (!res.ok) throw new Error(res.error.message)
    await service.waitForJob((res.value as { jobId: string }).jobId)
    // Both threads up first: a cold second worker (≈0.3 s to load the TS sources) could start
    // after these small runs end, and the overlap below would measure start-up, not the pool.
    await Promise.all([
      testPool(service).run('test', { mode: 'spin', ms: 400 }),
      testPool(service).run('test', { mode: 'spin', ms: 400 })
    ])
    const modes = ['none', 'mean-image', 'channel-mean', 'standardize']
    const jobId = await start('compare', {
      base: 'train',
      config: {
        data: { type: 'dataset' },
        val: 100,
        epochs: 4,
        batch: 50,
        hidden: [50],
        optimizer: 'adam',
        lr: 1e-3
      },
      vary: { preprocess: modes }
    })
    const { events, off } = progressOf(jobId)
    const done = await service.waitForJob(jobId)
    off()
    const r = done.result as CompareResult
    expect(r.runs.map((x) => x.vary)).toEqual(modes.map((preprocess) => ({ preprocess })))
    const results = r.runs.map((x) => {
      if (!('result' in x)) throw new Error(`run failed: ${JSON.stringify(x)}`)
      return x.result as TrainResult
    })
    for (const t of results) expect(['completed', 'diverged']).toContain(t.status)
    // Two threads: some two runs trained in the workers at the same time. (Which two depends on
    // how the preprocessing fits, also worker tasks, interleave with the training tasks.)
    const overlapping = results.some((a, i) =>
      results.some((b, j) => i < j && a.startedAt < b.endedAt && b.startedAt < a.endedAt)
    )
    expect(overlapping).toBe(true)
    // Live payloads say which run they belong to; the parent's fraction ends at 1.
    const runsSeen = new Set(events.map((e) => (e.data as TrainLive | undefined)?.run))
    for (let i = 0; i < modes.length; i++) expect(runsSeen.has(i)).toBe(true)
    expect(events.at(-1)!.fraction).toBe(1)
    // Each mode's run equals the same configuration trained on its own (same seed, same data,
    // same worker count: a comparison's runs have one worker each).
    expect(results.map((t) => t.workers)).toEqual(modes.map(() => 1))
    const alone = (
      await service.waitForJob(
        await start('train', {
          data: { type: 'dataset' },
          preprocess: 'mean-image',
          val: 100,
          epochs: 4,
          batch: 50,
          hidden: [50],
          optimizer: 'adam',
          lr: 1e-3,
          workers: 1
        })
      )
    ).result as TrainResult
    expect(alone.workers).toBe(1)
    expect(alone.losses).toEqual(results[1]!.losses)
  })

  it('runs the depth grid activation × init', async () => {
    const jobId = await start('compare', {
      base: 'depth',
      config: { layers: 4, width: 50, samples: 100 },
      vary: { activation: ['tanh', 'relu'], init: ['xavier', 'he'] }
    })
    const r = (await service.waitForJob(jobId)).result as CompareResult
    expect(r.runs.map((x) => x.vary)).toEqual([
      { activation: 'tanh', init: 'xavier' },
      { activation: 'tanh', init: 'he' },
      { activation: 'relu', init: 'xavier' },
      { activation: 'relu', init: 'he' }
    ])
    for (const run of r.runs) expect('result' in run).toBe(true)
  })

  it('refuses a bad comparison at the door, naming the setting', async () => {
    const unknown = await service.call('job:start', {
      kind: 'compare',
      config: { base: 'train', vary: { colour: ['red'] } }
    })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-args' } })
    if (!unknown.ok) expect(unknown.error.message).toContain("no setting 'colour'")
    const badValue = await service.call('job:start', {
      kind: 'compare',
      config: {
        base: 'train',
        config: { data: { type: 'dataset' } },
        vary: { preprocess: ['none', 'sharpen'] }
      }
    })
    expect(badValue.ok).toBe(false)
    if (!badValue.ok) {
      expect(badValue.error.message).toContain('preprocess="sharpen"')
      expect(badValue.error.details?.path).toEqual(['config', 'vary', 'preprocess'])
    }
    // Preprocessing never touches synthetic data: every mode would train on the same numbers.
    const synthetic = await service.call('job:start', {
      kind: 'compare',
      config: {
        base: 'train',
        config: { data: { type: 'synthetic', n: 100 } },
        vary: { preprocess: ['none', 'zca'] }
      }
    })
    expect(synthetic.ok).toBe(false)
    if (!synthetic.ok) {
      expect(synthetic.error.message).toContain('preprocessing is applied to CIFAR-10 data only')
      expect(synthetic.error.details?.path).toEqual(['config', 'vary', 'preprocess'])
    }
    const three = await service.call('job:start', {
      kind: 'compare',
      config: { base: 'depth', vary: { layers: [1], width: [2], init: ['he'] } }
    })
    expect(three.ok).toBe(false)
    if (!three.ok) expect(three.error.message).toContain('one or two settings')
  })

  it('a worker that dies mid-compare fails only its run; the pool serves the next job', async () => {
    const jobId = await start('compare', {
      base: 'train',
      config: { ...LONG, epochs: 8 },
      vary: { seed: [1, 2] }
    })
    const { events, off } = progressOf(jobId)
    // Both runs are in a worker once each has streamed an iteration.
    await until(() =>
      [0, 1].every((i) =>
        events.some((e) => {
          const d = e.data as TrainLive | undefined
          return d?.run === i && d.iter > 0
        })
      )
    )
    off()
    const piscina = (
      service.pool as unknown as { piscina: { threads: { terminate(): unknown }[] } }
    ).piscina
    expect(piscina.threads.length).toBe(2)
    void piscina.threads[0]!.terminate()
    const r = (await service.waitForJob(jobId)).result as CompareResult
    const failed = r.runs.filter((x) => 'error' in x)
    const ok = r.runs.filter((x) => 'result' in x)
    expect(failed).toHaveLength(1)
    expect(ok).toHaveLength(1)
    expect(failed[0]).toMatchObject({ error: { code: 'worker-died' } })
    expect((ok[0] as { result: TrainResult }).result.status).toBe('completed')
    const next = await service.waitForJob(
      await start('train', { ...LONG, epochs: 1, data: { type: 'synthetic', n: 200 } })
    )
    expect((next.result as TrainResult).status).toBe('completed')
  })
})
