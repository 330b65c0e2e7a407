/**
 * Jobs as the renderer sees them: what is running, how far along, and how each ended.
 * The lab's job events reach it through plugins/events.ts (the store subscribes to nothing);
 * jobs are started and awaited through composables/jobs.ts. Results stay out of deep reactivity.
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref } from 'vue'
import {
  isDoneOf,
  type JobDoneEvent,
  type JobFailedEvent,
  type JobInfo,
  type JobProgressEvent,
  type JobStartedEvent,
  type JobKind,
  type LabErrorData
} from '../../../src-shared/contract'
import { ApiError, useLab } from '../api/client'

export interface JobView {
  jobId: string
  kind: JobKind
  label: string
  status: 'running' | 'done' | 'failed' | 'cancelled'
  fraction: number
  etaSeconds: number | null
  message: string
  error: LabErrorData | null
  startedAt: number
}

type Outcome = { done: JobDoneEvent } | { failed: JobFailedEvent }

export const useJobsStore = defineStore('jobs', () => {
  const jobs = ref<Record<string, JobView>>({})
  // Not state: callbacks of callers awaiting a job, and outcomes that arrived before them —
  // kept only while a job:start is in flight (its job may end before the call returns). Every
  // page hears every job's events, so outcomes of jobs nobody here awaits are not kept.
  const waiters = new Map<string, (o: Outcome) => void>()
  const early = new Map<string, Outcome>()
  let starting = 0

  function ensure(jobId: string, kind: JobKind, label: string): JobView {
    let job = jobs.value[jobId]
    if (!job) {
      job = {
        jobId,
        kind,
        label,
        status: 'running',
        fraction: 0,
        etaSeconds: null,
        message: '',
        error: null,
        startedAt: Date.now()
      }
      jobs.value[jobId] = job
    }
    return job
  }

  function settle(jobId: string, outcome: Outcome): void {
    const w = waiters.get(jobId)
    if (w) {
      waiters.delete(jobId)
      w(outcome)
    } else if (starting > 0) {
      early.set(jobId, outcome)
    }
  }

  /** A job:start call is in flight: an outcome arriving meanwhile may be its job's. */
  function startBegun(): void {
    starting++
  }
  /** A job:start call returned (and its caller awaits its outcome): forget unclaimed outcomes. */
  function startEnded(): void {
    starting = Math.max(0, starting - 1)
    if (starting === 0) early.clear()
  }

  // Event handlers: the lab's job events (routed here by plugins/events.ts) update the jobs.
  function onStarted(e: JobStartedEvent): void {
    ensure(e.jobId, e.kind, e.label)
  }
  function onProgress(e: JobProgressEvent): void {
    const job = ensure(e.jobId, e.kind, e.kind)
    job.fraction = e.fraction
    job.etaSeconds = e.etaSeconds
    if (e.message !== undefined) job.message = e.message
  }
  function onDone(e: JobDoneEvent): void {
    const job = ensure(e.jobId, e.kind, e.kind)
    job.status = 'done'
    job.fraction = 1
    job.etaSeconds = null
    settle(e.jobId, { done: e })
  }
  function onFailed(e: JobFailedEvent): void {
    const job = ensure(e.jobId, e.kind, e.kind)
    job.status = e.error.code === 'cancelled' ? 'cancelled' : 'failed'
    job.error = e.error
    job.etaSeconds = null
    settle(e.jobId, { failed: e })
  }
  /** Jobs already running when the renderer (re)connects (a reload, a reopened window). */
  function adopt(list: readonly JobInfo[]): void {
    for (const j of list) {
      if (j.status !== 'running') continue
      const job = ensure(j.jobId, j.kind, j.label)
      job.fraction = j.fraction
      job.etaSeconds = j.etaSeconds
      job.startedAt = j.startedAt
    }
  }

  /** Show a job the renderer just started (its events may come before or after). */
  function track(jobId: string, kind: JobKind, label: string): void {
    ensure(jobId, kind, label)
  }

  /**
   * The outcome of a job: resolves with its done event (typed as the kind started) or rejects
   * with its typed error. For composables/jobs.ts, the one way views and stores run jobs.
   */
  function outcome<K extends JobKind>(jobId: string, kind: K): Promise<JobDoneEvent<K>> {
    return new Promise<JobDoneEvent<K>>((resolve, reject) => {
      const onOutcome = (o: Outcome): void => {
        if ('failed' in o) reject(new ApiError(o.failed.error))
        else if (isDoneOf(o.done, kind)) resolve(o.done)
        else
          reject(
            new ApiError({
              code: 'internal',
              message: `${jobId} finished as a ${o.done.kind} job, not ${kind}`
            })
          )
      }
      const already = early.get(jobId)
      if (already) {
        early.delete(jobId)
        onOutcome(already)
      } else {
        waiters.set(jobId, onOutcome)
      }
    })
  }

  async function cancel(jobId: string): Promise<boolean> {
    const { cancelled } = await useLab().call('job:cancel', { jobId })
    return cancelled
  }

  /** Forget finished jobs (the status bar's "clear"). */
  function clearFinished(): void {
    for (const [id, j] of Object.entries(jobs.value))
      if (j.status !== 'running') delete jobs.value[id]
  }

  const running = computed(() => Object.values(jobs.value).filter((j) => j.status === 'running'))

  return {
    jobs,
    running,
    track,
    outcome,
    startBegun,
    startEnded,
    cancel,
    clearFinished,
    onStarted,
    onProgress,
    onDone,
    onFailed,
    adopt
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useJobsStore, import.meta.hot))
