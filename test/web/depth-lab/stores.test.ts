/**
 * The view stores over a fake lab client: jobs start, events arrive as the service sends them,
 * results land where the views read them, failures become the error a view shows.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LabClient } from '../../../src-renderer/src/api/client'
import { aggregateJobs } from '../../../src-renderer/src/composables/jobs'
import { useActivationsStore } from '../../../src-renderer/src/stores/activations'
import {
  MAX_RUNS,
  runLabel,
  DEFAULT_FORM,
  useDepthStore
} from '../../../src-renderer/src/stores/depth'
import { SWEEP_H, useGradcheckStore } from '../../../src-renderer/src/stores/gradcheck'
import type { JobView } from '../../../src-renderer/src/stores/jobs'
import { useSanityStore } from '../../../src-renderer/src/stores/sanity'
import type { GradcheckResult, SanityResult } from '../../../src-shared/results'
import { connectLab } from '../mockLab'
import { depthResult } from './fixtures'

type Responder = (kind: string, config: Record<string, unknown>) => unknown

/** A lab that answers job:start with an id and then, asynchronously, started + done (or failed). */
function fakeLab(respond: Responder) {
  const listeners = new Map<string, ((p: unknown) => void)[]>()
  const emit = (name: string, p: unknown): void => listeners.get(name)?.forEach((l) => l(p))
  const started: { kind: string; config: Record<string, unknown>; label?: string }[] = []
  let next = 1
  const client = {
    transport: 'browser',
    async call(name: string, args: unknown) {
      if (name === 'job:start') {
        const a = args as { kind: string; config: Record<string, unknown>; label?: string }
        started.push(a)
        const jobId = `job-${next++}`
        setTimeout(() => {
          emit('job:started', { jobId, kind: a.kind, label: a.label ?? a.kind })
          try {
            const result = respond(a.kind, a.config)
            emit('job:done', { jobId, kind: a.kind, config: a.config, result, seconds: 0.5 })
          } catch (e) {
            const { code, message } = e as { code: string; message: string }
            emit('job:failed', { jobId, kind: a.kind, error: { code, message } })
          }
        }, 0)
        return { jobId }
      }
      if (name === 'job:cancel') return { cancelled: true }
      throw new Error(`unexpected call ${name}`)
    },
    on(name: string, l: (p: unknown) => void) {
      listeners.set(name, [...(listeners.get(name) ?? []), l])
      return () => undefined
    }
  }
  connectLab(client as unknown as LabClient)
  return { started }
}

beforeEach(() => {
  setActivePinia(createPinia())
})

describe('depth store', () => {
  it('a preset runs the seed experiment and its run joins the overlay, selected', async () => {
    const lab = fakeLab(() => depthResult({ ratio: 0.22, layers: 10 }))
    const depth = useDepthStore()
    depth.applyPreset('tanh-large')
    expect(await depth.run()).toBe(true)
    expect(lab.started[0]).toMatchObject({
      kind: 'depth',
      label: 'tanh + N(0, 1)',
      config: { activation: 'tanh', init: 'normal', std: 1, layers: 10, width: 500, samples: 1000 }
    })
    expect(depth.runs).toHaveLength(1)
    expect(depth.selected?.label).toBe('tanh + N(0, 1)')
    expect(depth.selected?.result.layers).toHaveLength(10)
    expect(depth.jobIds).toEqual(['job-1'])
  })

  it('a second run is compared with the first; duplicates get a number; the oldest go past the cap', async () => {
    fakeLab(() => depthResult())
    const depth = useDepthStore()
    await depth.run()
    await depth.run()
    expect(depth.runs.map((r) => r.label)).toEqual(['tanh + N(0, 0.01)', 'tanh + N(0, 0.01) #2'])
    expect(depth.compare).toMatchObject({ a: 'job-1', b: 'job-2', layer: 3 })
    depth.removeRun('job-2')
    expect(depth.selected?.id).toBe('job-1')
    expect(depth.compare.b).toBe('job-1')
    for (let i = 0; i < MAX_RUNS + 2; i++) await depth.run()
    expect(depth.runs).toHaveLength(MAX_RUNS)
    expect(depth.runs[0]!.id).not.toBe('job-1')
  })

  it('a failed run is the error the view shows, and adds nothing', async () => {
    fakeLab(() => {
      throw { code: 'no-dataset', message: 'CIFAR-10 input needs an open dataset' }
    })
    const depth = useDepthStore()
    depth.form.input = 'cifar'
    expect(await depth.run()).toBe(false)
    expect(depth.error).toEqual({
      code: 'no-dataset',
      message: 'CIFAR-10 input needs an open dataset'
    })
    expect(depth.runs).toHaveLength(0)
  })

  it('the grid runs every activation × init pair in parallel and reads last std and ∂L/∂W₁', async () => {
    const lab = fakeLab((_k, c) => {
      if (c.activation === 'relu' && c.init === 'he') throw { code: 'internal', message: 'boom' }
      return depthResult({ ratio: c.activation === 'tanh' ? 0.5 : 0.1 })
    })
    const depth = useDepthStore()
    depth.gridActivations = ['tanh', 'relu']
    depth.gridInits = ['xavier', 'he']
    await depth.runGrid()
    expect(lab.started.map((s) => `${s.config.activation}/${s.config.init}`)).toEqual([
      'tanh/xavier',
      'tanh/he',
      'relu/xavier',
      'relu/he'
    ])
    expect(depth.gridJobIds).toHaveLength(4)
    expect(depth.gridCells[0]).toEqual({
      activation: 'tanh',
      init: 'xavier',
      lastStd: 0.125,
      firstGradStd: 1e-5,
      error: null
    })
    expect(depth.gridCells[2]!.lastStd).toBeCloseTo(1e-3, 15)
    expect(depth.gridCells[3]).toMatchObject({ lastStd: null, error: 'boom' })
    expect(depth.gridError?.message).toBe('boom')
  })

  it('labels name what differs from the seed setup', () => {
    expect(runLabel({ ...DEFAULT_FORM, activation: 'relu', init: 'he', layers: 20 })).toBe(
      'ReLU + He (20 layers)'
    )
  })
})

describe('gradcheck store', () => {
  const result = (h: number, dtype: string): GradcheckResult => ({
    params: [
      {
        name: 'W1',
        relError: h,
        normRelError: dtype === 'float32' ? 1e-3 : h * h,
        verdict: 'great',
        kinks: 0,
        worst: []
      },
      { name: 'b1', relError: h, normRelError: 1e-12, verdict: 'great', kinks: 0, worst: [] }
    ],
    maxRelError: h,
    verdict: 'great'
  })

  it('a check keeps its config and result; "entries per parameter" 0 means every entry', async () => {
    const lab = fakeLab((_k, c) => result(c.h as number, c.dtype as string))
    const gc = useGradcheckStore()
    gc.form.dtype = 'float32'
    await gc.run()
    expect(lab.started[0]!.config).not.toHaveProperty('sample')
    expect(gc.last?.config.dtype).toBe('float32')
    gc.form.sample = 7
    await gc.run()
    expect(lab.started[1]!.config.sample).toBe(7)
  })

  it('the h sweep runs every h in both dtypes and keeps the worst ε per point', async () => {
    const lab = fakeLab((_k, c) => result(c.h as number, c.dtype as string))
    const gc = useGradcheckStore()
    await gc.runSweep()
    expect(lab.started).toHaveLength(2 * SWEEP_H.length)
    expect(gc.sweep).toHaveLength(2 * SWEEP_H.length)
    expect(gc.sweep[0]).toEqual({
      dtype: 'float64',
      h: 1e-1,
      normRelError: 1e-1 * 1e-1,
      maxRelError: 1e-1
    })
    expect(gc.sweep.at(-1)).toMatchObject({ dtype: 'float32', h: 1e-10, normRelError: 1e-3 })
  })
})

describe('sanity store', () => {
  it('one run keeps the three checks', async () => {
    const r: SanityResult = {
      checks: [
        {
          name: 'initial-loss',
          value: 2.3026,
          expected: Math.log(10),
          tolerance: 1e-5,
          pass: true
        },
        { name: 'regularization-raises-loss', values: [{ reg: 0, loss: 2.3 }], pass: true },
        {
          name: 'overfit-small-subset',
          examples: 20,
          epochs: 2,
          trainAcc: 1,
          finalLoss: 0.05,
          lr: 0.1,
          pass: true
        }
      ],
      pass: true
    }
    const lab = fakeLab(() => r)
    const sanity = useSanityStore()
    sanity.form.examples = 200
    sanity.form.regConvention = 'half'
    await sanity.run()
    expect(lab.started[0]!.config).toEqual({
      data: { type: 'synthetic', n: 200 },
      hidden: 50,
      seed: 1,
      regConvention: 'half',
      targetLoss: 0.01,
      maxEpochs: 2000
    })
    expect(sanity.last?.result.checks).toHaveLength(3)
    expect(sanity.error).toBeNull()
  })
})

describe('activations store', () => {
  it('the live pass runs one depth job per shown activation with the chosen init', async () => {
    const lab = fakeLab((_k, c) => depthResult({ activation: c.activation as string, layers: 1 }))
    const act = useActivationsStore()
    act.shown = ['tanh', 'relu']
    act.live.init = 'he'
    await act.runLive()
    expect(lab.started.map((s) => [s.config.activation, s.config.init, s.config.layers])).toEqual([
      ['tanh', 'he', 1],
      ['relu', 'he', 1]
    ])
    expect(act.liveRows.map((r) => [r.activation, r.std, r.dead])).toEqual([
      ['tanh', 0.5, 0.25],
      ['relu', 0.5, 0.25]
    ])
  })
})

describe('aggregateJobs', () => {
  const job = (over: Partial<JobView>): JobView => ({
    jobId: 'job-1',
    kind: 'depth',
    label: 'x',
    status: 'running',
    fraction: 0,
    etaSeconds: null,
    message: '',
    error: null,
    startedAt: 1000,
    ...over
  })
  it('averages fractions (finished jobs count as 1) and estimates the time left from elapsed time', () => {
    const v = aggregateJobs(
      [
        job({ fraction: 0.5 }),
        job({ jobId: 'job-2', status: 'done', fraction: 1 }),
        job({ jobId: 'job-3', fraction: 0 })
      ],
      'Grid',
      4000
    )!
    expect(v.fraction).toBeCloseTo(0.5, 15)
    // 3 s elapsed at 50 %: 3 s left.
    expect(v.etaSeconds).toBeCloseTo(3, 12)
    expect(v).toMatchObject({ label: 'Grid', status: 'running', message: '1 of 3 done' })
  })
  it('is the job itself when there is one, null when none, cancelled when all were', () => {
    const one = job({})
    expect(aggregateJobs([one], 'Grid', 0)).toBe(one)
    expect(aggregateJobs([], 'Grid', 0)).toBeNull()
    expect(
      aggregateJobs([job({ status: 'cancelled' }), job({ status: 'cancelled' })], 'G', 0)!.status
    ).toBe('cancelled')
  })
})
