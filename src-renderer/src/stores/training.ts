/**
 * Training runs as the Training view shows them, several at once: each run's configuration,
 * status and final numbers (small, serialisable), and its series (losses, history, layer
 * statistics) in a shallowRef that is replaced — never deep-watched — at most every
 * FLUSH_MS while the run streams live updates.
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { JobConfigInput, JobProgressEvent } from '../../../src-shared/contract'
import type { TrainDivergence, TrainFinal, TrainResult } from '../../../src-shared/results'
import { useLab } from '../api/client'
import {
  applyLive,
  emptySeries,
  isTrainLive,
  seriesFromResult,
  type TrainSeries
} from '../training/series'
import { toUiError, type UiError } from '../uiError'
import { cancelJobs, runJob } from '../composables/jobs'
import { TRAIN_DEFAULTS } from '../forms'

/** Live charts redraw at most this often. */
export const FLUSH_MS = 250

export type TrainRunStatus =
  'running' | 'paused' | 'completed' | 'stopped' | 'diverged' | 'failed' | 'cancelled'

export interface TrainRunMeta {
  jobId: string
  name: string
  color: number
  config: JobConfigInput<'train'>
  status: TrainRunStatus
  /** The learning rate now (after set-lr), or the configured one. */
  lr: number
  error: UiError | null
  diverged: {
    iteration: number
    epoch: number
    layer: number
    where: string
    message: string
    divergence: TrainDivergence
  } | null
  final: TrainFinal | null
  seconds: number | null
  examplesPerSecond: number | null
  itersPerEpoch: number | null
}

export const useTrainingStore = defineStore('training', () => {
  const runs = ref<TrainRunMeta[]>([])
  const series = shallowRef<Record<string, TrainSeries>>({})
  const smoothing = ref(0.6)
  const controlError = ref<UiError | null>(null)
  // Not state: the buffers live updates append to, and the pending redraw.
  const buffers = new Map<string, TrainSeries>()
  let timer: ReturnType<typeof setTimeout> | null = null
  let nextColor = 0

  function flush(): void {
    timer = null
    const next: Record<string, TrainSeries> = {}
    for (const [id, s] of buffers) next[id] = { ...s }
    series.value = next
  }
  function scheduleFlush(): void {
    if (timer === null) timer = setTimeout(flush, FLUSH_MS)
  }

  /** A job's progress (routed here by plugins/events.ts): a run of this store's streams live. */
  function onProgress(e: JobProgressEvent): void {
    const buf = buffers.get(e.jobId)
    if (!buf || !isTrainLive(e.data)) return
    applyLive(buf, e.data)
    const meta = runs.value.find((r) => r.jobId === e.jobId)
    if (meta && meta.status === 'running' && e.data.paused) meta.status = 'paused'
    else if (meta && meta.status === 'paused' && !e.data.paused) meta.status = 'running'
    if (meta) meta.lr = e.data.lr
    scheduleFlush()
  }

  function meta(jobId: string): TrainRunMeta | undefined {
    return runs.value.find((r) => r.jobId === jobId)
  }

  /** Start a run; resolves when it ends (the run's status says how). */
  async function start(config: JobConfigInput<'train'>, name: string): Promise<string | null> {
    controlError.value = null
    let jobId: string | null = null
    const o = await runJob({ kind: 'train', config, label: name }, (id) => {
      jobId = id
      buffers.set(id, emptySeries())
      runs.value.push({
        jobId: id,
        name,
        color: nextColor++,
        config,
        status: 'running',
        lr: config.lr ?? TRAIN_DEFAULTS.lr,
        error: null,
        diverged: null,
        final: null,
        seconds: null,
        examplesPerSecond: null,
        itersPerEpoch: null
      })
    })
    if (jobId === null) {
      // The lab refused to start it: no run to show, the error goes where the controls are.
      if (!o.ok) controlError.value = o.error
      return null
    }
    if (o.ok) finish(jobId, o.done.result)
    else {
      const m = meta(jobId)
      if (m) {
        m.error = o.error
        m.status = o.error.code === 'cancelled' ? 'cancelled' : 'failed'
      }
      flush()
    }
    return jobId
  }

  function finish(jobId: string, r: TrainResult): void {
    const m = meta(jobId)
    if (!m) return
    buffers.set(jobId, seriesFromResult(r))
    m.status = r.status
    m.seconds = r.seconds
    m.examplesPerSecond = r.examplesPerSecond
    m.itersPerEpoch = r.itersPerEpoch
    if (r.status === 'diverged') {
      m.final = null
      m.diverged = {
        iteration: r.iteration,
        epoch: r.epoch,
        layer: r.layer,
        where: r.where,
        message: r.message,
        // Results saved before `divergence` existed only knew NaN/Infinity.
        divergence: r.divergence ?? {
          iteration: r.iteration,
          reason: 'non-finite',
          loss: NaN,
          first: null,
          layer: r.layer
        }
      }
    } else {
      m.final = r.final
    }
    flush()
  }

  async function control(
    jobId: string,
    action: 'pause' | 'resume' | 'stop' | 'set-lr',
    lr?: number
  ): Promise<boolean> {
    controlError.value = null
    try {
      const res = await useLab().call('train:control', {
        jobId,
        action,
        ...(lr === undefined ? {} : { lr })
      })
      const m = meta(jobId)
      if (m) {
        if (res.state === 'paused') m.status = 'paused'
        else if (res.state === 'running') m.status = 'running'
        if (res.lr !== null) m.lr = res.lr
      }
      return true
    } catch (err) {
      controlError.value = toUiError(err)
      return false
    }
  }

  function cancel(jobId: string): Promise<void> {
    return cancelJobs([jobId])
  }

  function remove(jobId: string): void {
    const m = meta(jobId)
    if (!m || m.status === 'running' || m.status === 'paused') return
    runs.value = runs.value.filter((r) => r.jobId !== jobId)
    buffers.delete(jobId)
    flush()
  }

  function clearFinished(): void {
    for (const r of [...runs.value]) remove(r.jobId)
  }

  return {
    runs,
    series,
    smoothing,
    controlError,
    onProgress,
    start,
    control,
    cancel,
    remove,
    clearFinished,
    finish
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTrainingStore, import.meta.hot))
