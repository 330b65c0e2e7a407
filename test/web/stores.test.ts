import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { setLabClient } from '../../src-renderer/src/api/client'
import { useDatasetStore } from '../../src-renderer/src/stores/dataset'
import { FLUSH_MS, useTrainingStore } from '../../src-renderer/src/stores/training'
import { useSessionStore } from '../../src-renderer/src/stores/session'
import { cancelJobs, runJob, runJobs, useJobGroup } from '../../src-renderer/src/composables/jobs'
import { useJobsStore } from '../../src-renderer/src/stores/jobs'
import { connectLab, fail, mockLab } from './mockLab'

const summary = (path: string) => ({
  path,
  fingerprint: 'sha256:x',
  meanImage: '',
  seconds: 0.1,
  description: {
    format: 'binary',
    source: path,
    classes: ['a'],
    splits: {
      train: { count: 600, files: [], labelCounts: [600] },
      test: { count: 600, files: [], labelCounts: [600] }
    },
    stats: { channelMean: [1, 2, 3], channelStd: [1, 1, 1] },
    warnings: []
  }
})

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  setLabClient(null)
  vi.useRealTimers()
})

/** Jobs end as the lab says: done with a result, or failed with an error. */
function jobLab(
  outcome: (config: unknown) => { result: unknown } | { error: unknown },
  extra = {}
) {
  let n = 0
  const lab = mockLab({
    'job:start': (args) => {
      const jobId = `job-${++n}`
      const { kind, config } = args as { kind: string; config: unknown }
      queueMicrotask(() => {
        const o = outcome(config)
        if ('result' in o)
          lab.emit('job:done', { jobId, kind, config, result: o.result, seconds: 0 })
        else lab.emit('job:failed', { jobId, kind, error: o.error })
      })
      return { jobId }
    },
    'dataset:images': () => ({
      split: 'train',
      offset: 0,
      label: null,
      total: 0,
      width: 32,
      height: 32,
      pixels: '',
      labels: [],
      indices: []
    }),
    ...extra
  })
  connectLab(lab.client)
  return lab
}

describe('dataset store', () => {
  it('a failed open keeps the open dataset and shows the error with where', async () => {
    jobLab((c) =>
      (c as { path: string }).path.endsWith('good')
        ? { result: summary('/d/good') }
        : {
            error: {
              code: 'bin-size',
              message: 'data_batch_1.bin is truncated',
              details: { file: '/d/bad/data_batch_1.bin', offset: 6146 }
            }
          }
    )
    const ds = useDatasetStore()
    expect(await ds.open('/d/good')).toBe(true)
    expect(ds.summary?.path).toBe('/d/good')
    expect(await ds.open('/d/bad')).toBe(false)
    expect(ds.summary?.path).toBe('/d/good')
    expect(ds.openError).toMatchObject({ code: 'bin-size', details: { offset: 6146 } })
  })

  it('refuses an empty path before asking the lab', async () => {
    const lab = jobLab(() => ({ result: summary('x') }))
    const ds = useDatasetStore()
    expect(await ds.open('   ')).toBe(false)
    expect(ds.openError?.message).toBe('the dataset path is empty')
    expect(lab.calls.map(([name]) => name)).toEqual(['job:list']) // the events' initial sync
  })
})

describe('training store', () => {
  it('buffers live updates and redraws at most every FLUSH_MS; the result replaces them', async () => {
    vi.useFakeTimers()
    let finish: (() => void) | null = null
    let n = 0
    const lab = mockLab({
      'job:start': () => ({ jobId: `job-${++n}` })
    })
    connectLab(lab.client)
    const t = useTrainingStore()
    const done = t.start({ data: { type: 'synthetic', n: 100 }, lr: 0.01 }, 'run')
    await vi.advanceTimersByTimeAsync(0)
    const id = t.runs[0]!.jobId
    const live = (fromIter: number, losses: number[], paused = false) =>
      lab.emit('job:progress', {
        jobId: id,
        kind: 'train',
        fraction: 0.1,
        etaSeconds: 1,
        data: {
          kind: 'train',
          iter: fromIter + losses.length,
          iterations: 10,
          epoch: 1,
          lr: 0.01,
          paused,
          fromIter,
          losses,
          epochs: [],
          stats: []
        }
      })
    live(0, [2.3, 2.2])
    live(2, [2.1], true)
    expect(t.series[id]).toBeUndefined() // not redrawn yet
    expect(t.runs[0]!.status).toBe('paused')
    await vi.advanceTimersByTimeAsync(FLUSH_MS)
    expect(t.series[id]!.losses).toEqual([2.3, 2.2, 2.1])
    finish = () =>
      lab.emit('job:done', {
        jobId: id,
        kind: 'train',
        config: {},
        seconds: 1,
        result: {
          status: 'diverged',
          final: null,
          iteration: 4,
          epoch: 1,
          layer: 2,
          where: 'affine',
          message: 'NaN',
          history: [],
          losses: [2.3, 2.2, 2.1, NaN],
          stats: { every: 1, layers: 2, iter: [], actStd: [], gradNorm: [] },
          lrChanges: [],
          iterations: 10,
          itersPerEpoch: 10,
          seconds: 1,
          examplesPerSecond: 1,
          pausedSeconds: 0,
          startedAt: 0,
          endedAt: 1
        }
      })
    finish()
    await done
    expect(t.runs[0]).toMatchObject({ status: 'diverged', diverged: { iteration: 4, layer: 2 } })
    expect(t.series[id]!.losses).toHaveLength(4)
  })

  it('set-lr updates the run from the lab’s answer; a refused control shows its error', async () => {
    const lab = mockLab({
      'job:start': () => ({ jobId: 'job-1' }),
      'train:control': (a) => {
        const { action, lr } = a as { action: string; lr?: number }
        if (action === 'stop')
          fail({ code: 'job-not-running', message: 'job-1 is done, not running' })
        return { jobId: 'job-1', state: 'running', lr: lr ?? null }
      }
    })
    connectLab(lab.client)
    const t = useTrainingStore()
    void t.start({ data: { type: 'synthetic', n: 100 } }, 'run')
    await new Promise((r) => setTimeout(r, 0))
    expect(await t.control('job-1', 'set-lr', 5e-4)).toBe(true)
    expect(t.runs[0]!.lr).toBe(5e-4)
    expect(await t.control('job-1', 'stop')).toBe(false)
    expect(t.controlError?.code).toBe('job-not-running')
  })
})

describe('session store', () => {
  const view = (file: string | null, runs: unknown[]) => ({
    file,
    dirty: false,
    runCount: runs.length,
    dataset: { status: 'none' },
    doc: { runs }
  })

  it('a damaged file leaves the open session as it was', async () => {
    const lab = mockLab({
      'session:open': (a) => {
        const { file } = a as { file: string }
        if (file === '/s/good.layerscope') return view(file, [{ id: 'r1' }])
        fail({
          code: 'checksum-mismatch',
          message: `${file}: damaged`,
          details: { file, offset: 88 }
        })
      },
      'session:recent': () => []
    })
    connectLab(lab.client)
    const s = useSessionStore()
    expect(await s.open('/s/good.layerscope')).toBe(true)
    expect(await s.open('/s/bad.layerscope')).toBe(false)
    expect(s.status.file).toBe('/s/good.layerscope')
    expect(s.runs).toHaveLength(1)
    expect(s.error).toMatchObject({ code: 'checksum-mismatch', details: { offset: 88 } })
  })

  it('pinned runs are copies that survive opening another session', async () => {
    const lab = mockLab({
      'session:open': (a) =>
        view((a as { file: string }).file, [{ id: (a as { file: string }).file }]),
      'session:recent': () => []
    })
    connectLab(lab.client)
    const s = useSessionStore()
    await s.open('/a')
    s.pin(0, s.runs[0]!)
    await s.open('/b')
    s.pin(1, s.runs[0]!)
    expect(s.pinned.map((p) => [p?.file, p?.run.id])).toEqual([
      ['/a', '/a'],
      ['/b', '/b']
    ])
  })

  it('save without a file does nothing and asks the caller for one (false)', async () => {
    const lab = mockLab({})
    connectLab(lab.client)
    const s = useSessionStore()
    expect(await s.save()).toBe(false)
    expect(lab.calls.map(([name]) => name)).toEqual(['job:list']) // the events' initial sync
  })
})

describe('jobs (composables/jobs: the one way to run jobs)', () => {
  it("a failed job in a batch keeps its error's details (the 'where' a view shows)", async () => {
    jobLab(() => ({
      error: { code: 'bin-size', message: 'truncated', details: { file: '/d/x.bin', offset: 12 } }
    }))
    const [settled] = await runJobs([{ kind: 'sample', config: { n: 10 } }], () => undefined)
    expect(settled).toEqual({
      ok: false,
      error: { code: 'bin-size', message: 'truncated', details: { file: '/d/x.bin', offset: 12 } }
    })
  })

  it('a batch settles each job typed by its kind', async () => {
    jobLab((config) =>
      (config as { n: number }).n === 1
        ? { result: { n: 1, seed: 1, mean: 0, std: 1, hist: { edges: [], counts: [] } } }
        : { result: { n: 2 } }
    )
    const [one] = await runJobs([{ kind: 'sample', config: { n: 1 } }], () => undefined)
    expect(one?.ok && one.done.result.n).toBe(1)
  })

  it('runJobs reports the ids as they are known and settles each in order', async () => {
    jobLab((config) =>
      (config as { n: number }).n === 2
        ? { error: { code: 'bad', message: 'second failed' } }
        : { result: { n: (config as { n: number }).n } }
    )
    const seen: string[][] = []
    const out = await runJobs(
      [1, 2, 3].map((n) => ({ kind: 'sample' as const, config: { n } })),
      (ids) => seen.push(ids)
    )
    expect(seen).toEqual([['job-1'], ['job-1', 'job-2'], ['job-1', 'job-2', 'job-3']])
    expect(out.map((o) => (o.ok ? o.done.result.n : o.error.message))).toEqual([
      1,
      'second failed',
      3
    ])
  })

  it('runJob: the id first, then the typed result; a refused start is an error with no id', async () => {
    jobLab(() => ({ result: { n: 5 } }), {
      'job:start': (a: unknown) => {
        if ((a as { config: { n: number } }).config.n < 0)
          fail({ code: 'invalid-args', message: 'n: too small', details: { field: 'n' } })
        return { jobId: 'job-9' }
      }
    })
    const ids: string[] = []
    const refused = await runJob({ kind: 'sample', config: { n: -1 } }, (id) => ids.push(id))
    expect(ids).toEqual([])
    expect(refused).toEqual({
      ok: false,
      error: { code: 'invalid-args', message: 'n: too small', details: { field: 'n' } }
    })
    const lab = mockLab({ 'job:start': () => ({ jobId: 'job-3' }) })
    connectLab(lab.client)
    const pending = runJob({ kind: 'sample', config: { n: 5 } }, (id) => ids.push(id))
    await new Promise((r) => setTimeout(r, 0))
    expect(ids).toEqual(['job-3'])
    expect(useJobsStore().jobs['job-3']?.status).toBe('running')
    lab.emit('job:done', {
      jobId: 'job-3',
      kind: 'sample',
      config: {},
      result: { n: 5 },
      seconds: 0
    })
    const o = await pending
    expect(o.ok && o.done.result.n).toBe(5)
  })

  it('a job that ends before its job:start call returns still settles with its result', async () => {
    const lab = mockLab({
      'job:start': () => {
        lab.emit('job:done', {
          jobId: 'job-1',
          kind: 'sample',
          config: {},
          result: { n: 7 },
          seconds: 0
        })
        return { jobId: 'job-1' }
      }
    })
    connectLab(lab.client)
    const o = await runJob({ kind: 'sample', config: { n: 7 } })
    expect(o.ok && o.done.result.n).toBe(7)
  })

  it("outcomes of jobs nobody here started are not kept (every page hears every job's events)", async () => {
    const lab = mockLab({
      'job:start': () => {
        setTimeout(() =>
          lab.emit('job:done', {
            jobId: 'job-1',
            kind: 'sample',
            config: {},
            result: { n: 5 },
            seconds: 0
          })
        )
        return { jobId: 'job-1' }
      }
    })
    connectLab(lab.client)
    // Another page's job ends while this page starts nothing: not held for anyone.
    lab.emit('job:done', {
      jobId: 'job-1',
      kind: 'sample',
      config: {},
      result: { n: 99 },
      seconds: 0
    })
    const o = await runJob({ kind: 'sample', config: { n: 5 } })
    expect(o.ok && o.done.result.n).toBe(5)
  })

  it('a job group shows several jobs as one bar and cancels only the running ones', async () => {
    const lab = mockLab({
      'job:start': (a) => ({ jobId: `job-${(a as { config: { n: number } }).config.n}` }),
      'job:cancel': () => ({ cancelled: true })
    })
    connectLab(lab.client)
    const ids: string[] = []
    void runJobs(
      [1, 2, 3].map((n) => ({ kind: 'sample' as const, label: `draws ${n}`, config: { n } })),
      (x) => ids.splice(0, ids.length, ...x)
    )
    await new Promise((r) => setTimeout(r, 0))
    const group = useJobGroup(
      () => ids,
      () => 'Three samples'
    )
    lab.emit('job:progress', { jobId: 'job-2', kind: 'sample', fraction: 0.5, etaSeconds: 1 })
    lab.emit('job:done', { jobId: 'job-1', kind: 'sample', config: {}, result: {}, seconds: 0 })
    expect(group.running.value).toBe(true)
    expect(group.view.value).toMatchObject({
      label: 'Three samples',
      message: '1 of 3 done',
      status: 'running'
    })
    expect(group.view.value?.fraction).toBeCloseTo((1 + 0.5 + 0) / 3, 12)
    await group.cancel()
    const cancelled = lab.calls.filter(([n]) => n === 'job:cancel').map(([, a]) => a)
    expect(cancelled).toEqual([{ jobId: 'job-2' }, { jobId: 'job-3' }])
    await cancelJobs(['job-1', 'unknown'])
    expect(lab.calls.filter(([n]) => n === 'job:cancel')).toHaveLength(2)
  })
})
