/**
 * LabService: the state of the lab and the one implementation of the API contract.
 * It never imports `electron`; the IPC adapter, the browser-mode server and the CLI are thin
 * front doors that hand it raw payloads (`call`) and forward its events (`on`).
 */
import {
  CALL_NAMES,
  isCallName,
  isDoneOf,
  parseArgs,
  type AppCommand,
  type AppInfo,
  type CallName,
  type CallResult,
  type Envelope,
  type EventName,
  type EventPayload,
  type JobConfig,
  type JobDoneEvent,
  type JobInfo,
  type JobKind,
  type JobResult,
  type ParsedArgs,
  type TrainControlResult
} from '../../src-shared/contract'
import { LabError, toErrorData } from '../../src-shared/errors'
import { LabPool, type PoolOptions } from './pool'
import { DatasetStore } from './datasets'
import { callDialog, type LabDialogs } from './dialogs'
import { jobRunners, type JobContext } from './jobs'
import { sessionHandlers } from './session-calls'
import { SessionState } from './session-state'
import { applyControl } from './training'
import { createControlBlock } from '../../src-workers/control'

export type LabListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void

export interface LabServiceOptions {
  pool: PoolOptions
  mode: AppInfo['mode']
  version: string
  /** The app's data folder (session autosave, recovery, recent list); none: no autosave. */
  dataDir?: string
  /** Autosave period of the open session (default 30 s). */
  autosaveIntervalMs?: number
  /** Native file dialogs (the desktop shell); without them the dialog calls say `unsupported`. */
  dialogs?: LabDialogs
}

interface JobRecord {
  info: JobInfo
  controller: AbortController
  done: Promise<JobDoneEvent>
  /** The job's control block, if its runner asked for one (training). */
  control: () => SharedArrayBuffer | null
}

/** How many finished jobs `job:list` remembers. */
const FINISHED_KEPT = 50
/** At most this many progress events per second per job reach the front doors. */
const PROGRESS_INTERVAL_MS = 50

export class LabService {
  readonly pool: LabPool
  /** The open dataset and the fitted-preprocessing cache. */
  readonly datasets = new DatasetStore()
  private readonly opts: LabServiceOptions
  private readonly listeners = new Set<LabListener>()
  private readonly jobs = new Map<string, JobRecord>()
  private nextJob = 1
  /** The open session document (the `session:*` calls). */
  readonly sessions: SessionState
  /** The last finished jobs' done events, so `session:add-run` needs only the id. */
  private readonly finished = new Map<string, JobDoneEvent>()

  constructor(opts: LabServiceOptions) {
    this.opts = opts
    this.pool = new LabPool(opts.pool)
    this.sessions = new SessionState({
      appVersion: opts.version,
      ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }),
      ...(opts.autosaveIntervalMs === undefined
        ? {}
        : { autosaveIntervalMs: opts.autosaveIntervalMs }),
      onChange: (status) => this.emit('session:changed', status),
      loadedDataset: () => this.datasets.ref()
    })
    this.on((name, payload) => {
      if (name !== 'job:done') return
      const done = payload as JobDoneEvent
      this.finished.set(done.jobId, done)
      for (const id of this.finished.keys()) {
        if (this.finished.size <= FINISHED_KEPT) break
        this.finished.delete(id)
      }
    })
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  on(listener: LabListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch {
        // A broken subscriber (a closed socket, a destroyed window) must not stop the others.
      }
    }
  }

  /** The front doors' entry point: an untrusted name and payload in, an envelope out. */
  async call(name: unknown, args: unknown): Promise<Envelope<unknown>> {
    if (!isCallName(name)) {
      return {
        ok: false,
        error: {
          code: 'invalid-call',
          message: `unknown call ${JSON.stringify(String(name)).slice(0, 80)}; known calls: ${CALL_NAMES.join(', ')}`
        }
      }
    }
    const parsed = parseArgs(name, args)
    if (!parsed.ok) return parsed
    try {
      const value = await this.dispatch(name, parsed.value)
      return { ok: true, value }
    } catch (err) {
      return { ok: false, error: toErrorData(err) }
    }
  }

  private dispatch<C extends CallName>(name: C, args: ParsedArgs<C>): Promise<CallResult<C>> {
    const handler = this.handlers[name] as (a: ParsedArgs<C>) => Promise<CallResult<C>>
    return handler(args)
  }

  /** One handler per call; the mapped type makes a missing handler a compile error. */
  private readonly handlers: { [C in CallName]: (args: ParsedArgs<C>) => Promise<CallResult<C>> } =
    {
      'app:info': () => this.info(),
      'job:start': async (args) => ({
        jobId: this.startJob(args.kind, args.config as JobConfig<typeof args.kind>, args.label)
      }),
      'job:cancel': async ({ jobId }) => ({ cancelled: this.cancelJob(jobId) }),
      'job:list': async () => this.listJobs(),
      ...sessionHandlers(
        () => this.sessions,
        (id) => this.finished.get(id),
        () => this.datasets.ref()
      ),
      'train:control': async (args) => this.controlJob(args),
      'dataset:current': async () => this.datasets.summary(),
      'dataset:images': async (args) => this.datasets.images(args),
      'dialog:open-dataset': () =>
        callDialog(this.opts.dialogs, 'dialog:open-dataset', (d) => d.openDataset()),
      'dialog:open-session': () =>
        callDialog(this.opts.dialogs, 'dialog:open-session', (d) => d.openSession()),
      'dialog:save-session': (args) =>
        callDialog(this.opts.dialogs, 'dialog:save-session', (d) => d.saveSession(args.defaultPath))
    }

  /** Relay an app command (menu item, global shortcut) to every front door's renderer. */
  command(command: AppCommand): void {
    this.emit('app:command', { command })
  }

  async info(): Promise<AppInfo> {
    return {
      name: 'Layerscope',
      version: this.opts.version,
      mode: this.opts.mode,
      threads: this.pool.threads,
      kernel: await this.workerKernel(),
      platform: `${process.platform}-${process.arch}`
    }
  }

  private kernel: Promise<string> | null = null

  /**
   * The matrix-multiply kernel the workers run, asked of a worker once (the main process
   * compiles no kernel); 'unknown' while no worker can start, asked again next time.
   */
  private workerKernel(): Promise<string> {
    this.kernel ??= this.pool.run('kernel', {}).catch(() => {
      this.kernel = null
      return 'unknown'
    })
    return this.kernel
  }

  /** Start a job with an already validated configuration; returns its id at once. */
  startJob<K extends JobKind>(kind: K, config: JobConfig<K>, label?: string): string {
    const jobId = `job-${this.nextJob++}`
    const controller = new AbortController()
    const startedAt = Date.now()
    const info: JobInfo = {
      jobId,
      kind,
      label: label ?? kind,
      status: 'running',
      fraction: 0,
      etaSeconds: null,
      startedAt
    }
    let lastProgress = 0
    let control: SharedArrayBuffer | null = null
    const ctx: JobContext = {
      controlBlock: () => (control ??= createControlBlock()),
      signal: controller.signal,
      pool: this.pool,
      datasets: this.datasets,
      progress: (fraction, message, data) => {
        const now = Date.now()
        // Live payloads are throttled where they are made, and carry increments: never drop one.
        if (data === undefined && fraction < 1 && now - lastProgress < PROGRESS_INTERVAL_MS) return
        lastProgress = now
        const elapsed = (now - startedAt) / 1000
        info.fraction = fraction
        info.etaSeconds =
          fraction > 0.01 && fraction < 1 ? (elapsed * (1 - fraction)) / fraction : null
        this.emit('job:progress', {
          jobId,
          kind,
          fraction,
          etaSeconds: info.etaSeconds,
          ...(message === undefined ? {} : { message }),
          ...(data === undefined ? {} : { data })
        })
      }
    }
    const runner = jobRunners[kind] as (c: JobConfig<K>, ctx: JobContext) => Promise<JobResult<K>>
    const done = (async (): Promise<JobDoneEvent<K>> => {
      // Let the caller receive the id (and subscribe) before the first event.
      await Promise.resolve()
      this.emit('job:started', { jobId, kind, label: info.label })
      try {
        const result = await runner(config, ctx)
        info.status = 'done'
        info.fraction = 1
        info.etaSeconds = null
        // The one place a done event is made: kind, config and result are K's by construction
        // (TypeScript cannot follow a generic K through the per-kind union).
        const event = {
          jobId,
          kind,
          config,
          result,
          seconds: (Date.now() - startedAt) / 1000
        } as JobDoneEvent<K>
        this.emit('job:done', event)
        return event
      } catch (err) {
        const error = controller.signal.aborted
          ? { code: 'cancelled', message: `${info.label} was cancelled` }
          : toErrorData(err)
        info.status = error.code === 'cancelled' ? 'cancelled' : 'failed'
        this.emit('job:failed', { jobId, kind, error })
        throw new LabError(error.code, error.message, error.details)
      } finally {
        this.forgetOldJobs()
      }
    })()
    // Failures are delivered as events; waiting callers attach their own handlers.
    done.catch(() => undefined)
    this.jobs.set(jobId, { info, controller, done, control: () => control })
    return jobId
  }

  /**
   * Resolves with the job's result event, or rejects with its LabError. Given the kind the job
   * was started as, the event is typed as that kind's (and checked to be it).
   */
  waitForJob(jobId: string): Promise<JobDoneEvent>
  waitForJob<K extends JobKind>(jobId: string, kind: K): Promise<JobDoneEvent<K>>
  async waitForJob<K extends JobKind>(jobId: string, kind?: K): Promise<JobDoneEvent> {
    const job = this.jobs.get(jobId)
    if (!job) throw new LabError('not-found', `no job ${jobId}`)
    const done = await job.done
    if (kind !== undefined && !isDoneOf(done, kind))
      throw new LabError('wrong-kind', `${jobId} is a ${done.kind} job, not ${kind}`)
    return done
  }

  /** Start a job and wait for its typed result event. */
  runJob<K extends JobKind>(
    kind: K,
    config: JobConfig<K>,
    label?: string
  ): Promise<JobDoneEvent<K>> {
    return this.waitForJob(this.startJob(kind, config, label), kind)
  }

  /** `train:control`: pause, resume, stop or set the learning rate of a running training job. */
  controlJob(args: ParsedArgs<'train:control'>): TrainControlResult {
    const job = this.jobs.get(args.jobId)
    if (!job) throw new LabError('not-found', `no job ${args.jobId}`, { field: 'jobId' })
    if (job.info.status !== 'running')
      throw new LabError('job-not-running', `${args.jobId} is ${job.info.status}, not running`, {
        field: 'jobId'
      })
    const block = job.control()
    if (!block)
      throw new LabError(
        'not-controllable',
        `${args.jobId} is a ${job.info.kind} job; only training runs can be paused or given a new learning rate`,
        { field: 'jobId' }
      )
    return { jobId: args.jobId, ...applyControl(block, args.action, args.lr) }
  }

  cancelJob(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job || job.info.status !== 'running') return false
    job.controller.abort()
    return true
  }

  listJobs(): JobInfo[] {
    return [...this.jobs.values()].map((j) => ({ ...j.info }))
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.info.status !== 'running')
    for (const j of finished.slice(0, Math.max(0, finished.length - FINISHED_KEPT))) {
      this.jobs.delete(j.info.jobId)
    }
  }

  async close(): Promise<void> {
    for (const j of this.jobs.values()) if (j.info.status === 'running') j.controller.abort()
    await this.sessions.close()
    await this.pool.close()
  }
}
