/**
 * plugins/events.ts: the one place the renderer listens to the lab. Each event reaches the store
 * action that updates state from it; uninstalling (or unmounting the app) leaves no handler on
 * the bridge; the stores themselves subscribe to nothing.
 */
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApp, defineComponent, h } from 'vue'
import { createClient, setLabClient } from '../../src-renderer/src/api/client'
import { createWsBridge } from '../../src-renderer/src/api/ws-bridge'
import { encodeFrame, type WsServerFrame } from '../../src-shared/ws-frames'
import { runJob } from '../../src-renderer/src/composables/jobs'
import { labEvents, routeLabEvents } from '../../src-renderer/src/plugins/events'
import { useJobsStore } from '../../src-renderer/src/stores/jobs'
import { useSessionStore } from '../../src-renderer/src/stores/session'
import { FLUSH_MS, useTrainingStore } from '../../src-renderer/src/stores/training'
import { mockLab } from './mockLab'

/** The app's root component: the plugin is what is under test. */
const Root = defineComponent({ render: () => h('p', 'app') })

const EVENTS = ['job:started', 'job:progress', 'job:done', 'job:failed', 'session:changed']

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  setLabClient(null)
  vi.useRealTimers()
})

const running = {
  jobId: 'job-7',
  kind: 'depth',
  label: 'a run from before the reload',
  status: 'running',
  fraction: 0.25,
  etaSeconds: 12,
  startedAt: 1000
}

function lab(extra: Record<string, (a: unknown) => unknown> = {}) {
  return mockLab({
    'job:list': () => [running, { ...running, jobId: 'job-6', status: 'done' }],
    ...extra
  })
}

describe('routeLabEvents', () => {
  it('listens once to each event and adopts the jobs already running', async () => {
    const l = lab()
    routeLabEvents(l.client, pinia)
    for (const name of EVENTS) expect(l.listenerCount(name)).toBe(1)
    await new Promise((r) => setTimeout(r, 0))
    const jobs = useJobsStore()
    expect(Object.keys(jobs.jobs)).toEqual(['job-7']) // the finished one is not shown
    expect(jobs.jobs['job-7']).toMatchObject({
      label: 'a run from before the reload',
      fraction: 0.25,
      etaSeconds: 12,
      startedAt: 1000,
      status: 'running'
    })
  })

  it('routes job events to the jobs store: started, progress, done, failed (cancelled)', () => {
    const l = lab()
    routeLabEvents(l.client, pinia)
    const jobs = useJobsStore()
    l.emit('job:started', { jobId: 'a', kind: 'depth', label: 'tanh run' })
    l.emit('job:progress', {
      jobId: 'a',
      kind: 'depth',
      fraction: 0.5,
      etaSeconds: 3,
      message: 'layer 5 of 10'
    })
    expect(jobs.jobs.a).toMatchObject({
      label: 'tanh run',
      status: 'running',
      fraction: 0.5,
      etaSeconds: 3,
      message: 'layer 5 of 10'
    })
    l.emit('job:done', { jobId: 'a', kind: 'depth', config: {}, result: {}, seconds: 1 })
    expect(jobs.jobs.a).toMatchObject({ status: 'done', fraction: 1, etaSeconds: null })
    l.emit('job:started', { jobId: 'b', kind: 'sample', label: 'draws' })
    l.emit('job:failed', {
      jobId: 'b',
      kind: 'sample',
      error: { code: 'cancelled', message: 'cancelled by the user' }
    })
    l.emit('job:failed', {
      jobId: 'c',
      kind: 'sample',
      error: { code: 'bin-size', message: 'truncated', details: { offset: 12 } }
    })
    expect(jobs.jobs.b?.status).toBe('cancelled')
    expect(jobs.jobs.c).toMatchObject({
      status: 'failed',
      error: { code: 'bin-size', details: { offset: 12 } }
    })
    expect(jobs.running).toHaveLength(0)
  })

  it("routes a training run's live progress to the training store", async () => {
    vi.useFakeTimers()
    const l = lab({ 'job:start': () => ({ jobId: 'job-1' }) })
    setLabClient(l.client)
    routeLabEvents(l.client, pinia)
    const t = useTrainingStore()
    void t.start({ data: { type: 'synthetic', n: 100 }, lr: 0.01 }, 'run')
    await vi.advanceTimersByTimeAsync(0)
    l.emit('job:progress', {
      jobId: 'job-1',
      kind: 'train',
      fraction: 0.2,
      etaSeconds: 1,
      data: {
        kind: 'train',
        iter: 2,
        iterations: 10,
        epoch: 1,
        lr: 0.005,
        paused: true,
        fromIter: 0,
        losses: [2.3, 2.2],
        epochs: [],
        stats: []
      }
    })
    await vi.advanceTimersByTimeAsync(FLUSH_MS)
    expect(t.series['job-1']?.losses).toEqual([2.3, 2.2])
    expect(t.runs[0]).toMatchObject({ status: 'paused', lr: 0.005 })
    expect(useJobsStore().jobs['job-1']?.fraction).toBe(0.2)
  })

  it('routes session:changed to the session store, which reloads when the run count moved', async () => {
    const view = { file: '/s/a.layerscope', dirty: true, runCount: 2, doc: { runs: [{}, {}] } }
    const l = lab({ 'session:current': () => view })
    setLabClient(l.client)
    routeLabEvents(l.client, pinia)
    const s = useSessionStore()
    l.emit('session:changed', { file: '/s/a.layerscope', dirty: true, runCount: 0 })
    expect(s.status).toEqual({ file: '/s/a.layerscope', dirty: true, runCount: 0 })
    expect(l.calls.some(([n]) => n === 'session:current')).toBe(false)
    l.emit('session:changed', { file: '/s/a.layerscope', dirty: true, runCount: 2 })
    await new Promise((r) => setTimeout(r, 0))
    expect(l.calls.filter(([n]) => n === 'session:current')).toHaveLength(1)
    expect(s.runs).toHaveLength(2)
  })

  it('off() removes every listener; later events change nothing', async () => {
    const l = lab()
    const off = routeLabEvents(l.client, pinia)
    expect(l.listenerCount()).toBe(EVENTS.length)
    off()
    expect(l.listenerCount()).toBe(0)
    await new Promise((r) => setTimeout(r, 0)) // the job:list answer arrives after off()
    l.emit('job:started', { jobId: 'x', kind: 'depth', label: 'late' })
    l.emit('session:changed', { file: '/late', dirty: true, runCount: 0 })
    expect(useJobsStore().jobs).toEqual({})
    expect(useSessionStore().status.file).toBeNull()
  })

  it('stores subscribe to nothing themselves: starting a job without the router adds no listener', async () => {
    const l = lab({ 'job:start': () => ({ jobId: 'job-1' }) })
    setLabClient(l.client)
    const id = new Promise((resolve) => void runJob({ kind: 'sample', config: { n: 10 } }, resolve))
    expect(await id).toBe('job-1')
    void useTrainingStore().start({ data: { type: 'synthetic', n: 100 } }, 'run')
    await useSessionStore().refresh()
    expect(l.listenerCount()).toBe(0)
  })
})

describe('labEvents plugin', () => {
  it('listens while the app is mounted and removes every handler when it unmounts', () => {
    const l = lab()
    const app = createApp(Root)
    app.use(pinia).use(labEvents(pinia, l.client))
    const el = document.createElement('div')
    app.mount(el)
    expect(l.listenerCount()).toBe(EVENTS.length)
    l.emit('job:started', { jobId: 'j', kind: 'depth', label: 'mounted' })
    expect(useJobsStore(pinia).jobs.j?.label).toBe('mounted')
    app.unmount()
    expect(l.listenerCount()).toBe(0)
  })
})

describe('over the real WebSocket bridge (browser mode)', () => {
  /** A socket the test drives: opens at once, answers job:list with [], takes server frames. */
  class FakeSocket {
    static OPEN = 1
    static last: FakeSocket | null = null
    readyState = 0
    onopen: (() => void) | null = null
    onerror: (() => void) | null = null
    onclose: (() => void) | null = null
    onmessage: ((ev: { data: string }) => void) | null = null
    constructor(readonly url: string) {
      FakeSocket.last = this
      queueMicrotask(() => {
        this.readyState = FakeSocket.OPEN
        this.onopen?.()
      })
    }
    send(text: string): void {
      const frame = JSON.parse(text) as { id: number; name: string }
      if (frame.name === 'job:list')
        queueMicrotask(() => this.server({ t: 'result', id: frame.id, ok: true, value: [] }))
    }
    server(frame: unknown): void {
      this.onmessage?.({ data: encodeFrame(frame as WsServerFrame) })
    }
  }

  afterEach(() => vi.unstubAllGlobals())

  it('events reach the stores while installed; after app.unmount the bridge calls no handler', async () => {
    vi.stubGlobal('WebSocket', FakeSocket)
    const client = createClient(createWsBridge('ws://127.0.0.1:1/api?token=t'), 'browser')
    const app = createApp(Root)
    app.use(pinia).use(labEvents(pinia, client))
    app.mount(document.createElement('div'))
    await new Promise((r) => setTimeout(r, 0))
    const socket = FakeSocket.last!
    const jobs = useJobsStore(pinia)
    socket.server({
      t: 'event',
      name: 'job:started',
      payload: { jobId: 'a', kind: 'depth', label: 'one' }
    })
    expect(jobs.jobs.a?.label).toBe('one')
    app.unmount()
    socket.server({
      t: 'event',
      name: 'job:started',
      payload: { jobId: 'b', kind: 'depth', label: 'two' }
    })
    socket.server({
      t: 'event',
      name: 'session:changed',
      payload: { file: '/x', dirty: true, runCount: 0 }
    })
    expect(Object.keys(jobs.jobs)).toEqual(['a'])
    expect(useSessionStore(pinia).status.file).toBeNull()
  })
})
