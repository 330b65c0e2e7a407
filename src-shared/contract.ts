/**
 * The API contract: every call's name, argument schema and result type, and every event.
 * Preload, the IPC adapter, the browser bridge, the CLI and the renderer's client all derive
 * from this module; nothing else defines a channel name. Names are `domain:verb`.
 */
import { z } from 'zod'
import {
  DatasetImagesArgs,
  type DatasetImages,
  type DatasetSummary,
  type PreprocessJobResult
} from './datasets'
import {
  ActivationCostConfig,
  BenchConfig,
  GradcheckNetConfig,
  LossConfig,
  CompareConfig,
  DatasetOpenConfig,
  DepthConfig,
  GradcheckConfig,
  PreprocessConfig,
  OmegaConfig,
  SampleConfig,
  SanityConfig,
  ScalarCheckConfig,
  StudyConfig,
  TrainConfig
} from './experiments'
import type {
  ActivationCostResult,
  BenchJobResult,
  LossResult,
  CompareResult,
  DepthResult,
  GradcheckResult,
  OmegaResult,
  SanityResult,
  ScalarCheckResult,
  StudyResult,
  TrainResult
} from './results'
import { LectureConfig, type LectureResult } from './lecture'
import type { CheckedRun } from './session'
import {
  SessionAddRunArgs,
  SessionOpenArgs,
  SessionRecoverArgs,
  SessionRunArgs,
  SessionUpdateArgs,
  SessionUpdateRunArgs,
  type RecentSessionEntry,
  type RunExport,
  type SessionRecoverResult,
  type SessionStatus,
  type SessionView
} from './session-api'

/** Phantom carrier of a result type (no runtime schema: results are produced by us). */
function returns<R>(): R {
  return undefined as unknown as R
}

function defineCall<A extends z.ZodType, R>(args: A, result: R): { args: A; result: R } {
  return { args, result }
}

// ---------------------------------------------------------------- errors

/** A typed error as it crosses any boundary: a stable code, a human message, and where. */
export const LabErrorData = z.strictObject({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional()
})
export type LabErrorData = z.infer<typeof LabErrorData>

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: LabErrorData }

// ---------------------------------------------------------------- jobs

export interface Histogram {
  edges: number[]
  counts: number[]
}

export interface SampleResult {
  n: number
  seed: number
  mean: number
  std: number
  hist: Histogram
}

/** Each job kind: its configuration schema and (phantom) result type. */
export const jobKinds = {
  sample: { config: SampleConfig, result: returns<SampleResult>() },
  depth: { config: DepthConfig, result: returns<DepthResult>() },
  gradcheck: { config: GradcheckConfig, result: returns<GradcheckResult>() },
  sanity: { config: SanityConfig, result: returns<SanityResult>() },
  /** Open a CIFAR-10 copy; on success it replaces the current dataset (a failure keeps it). */
  dataset: { config: DatasetOpenConfig, result: returns<DatasetSummary>() },
  preprocess: { config: PreprocessConfig, result: returns<PreprocessJobResult>() },
  train: { config: TrainConfig, result: returns<TrainResult>() },
  /** The same train or depth experiment under one or two varied settings, run in parallel. */
  compare: { config: CompareConfig, result: returns<CompareResult>() },
  /** The lecture's scalar gradient check: forward vs centred difference against h. */
  'scalar-check': { config: ScalarCheckConfig, result: returns<ScalarCheckResult>() },
  /** The lecture's W = ωI linear net: δ¹ = ω^(L−1)·δᴸ against the measured gradients. */
  omega: { config: OmegaConfig, result: returns<OmegaResult>() },
  /** Preprocessing modes each at its own searched learning rate, over seeds, with a verdict. */
  study: { config: StudyConfig, result: returns<StudyResult>() },
  /** ns per element of every activation's forward and backward, measured on a worker. */
  'activation-cost': { config: ActivationCostConfig, result: returns<ActivationCostResult>() },
  /** Forward and backward of a given net on given data (`layerscope loss`). */
  loss: { config: LossConfig, result: returns<LossResult>() },
  /** The gradient check of a given net on given data (`layerscope gradcheck --net`). */
  'gradcheck-net': { config: GradcheckNetConfig, result: returns<GradcheckResult>() },
  /** The engine's speed on this machine, one worker and every worker (`layerscope bench`). */
  bench: { config: BenchConfig, result: returns<BenchJobResult>() },
  /** The lecture's claims run live, each with its seeds, judged against the printed figures. */
  lecture: { config: LectureConfig, result: returns<LectureResult>() }
} as const
export type JobKind = keyof typeof jobKinds
export const JOB_KIND_NAMES = Object.keys(jobKinds) as JobKind[]
export type JobConfig<K extends JobKind> = z.infer<(typeof jobKinds)[K]['config']>
export type JobConfigInput<K extends JobKind> = z.input<(typeof jobKinds)[K]['config']>
export type JobResult<K extends JobKind> = (typeof jobKinds)[K]['result']

export const JobId = z.string().regex(/^job-[0-9]{1,12}$/, 'a job id looks like job-12')

const jobStartVariants = JOB_KIND_NAMES.map((kind) =>
  z.strictObject({
    kind: z.literal(kind),
    config: jobKinds[kind].config,
    label: z.string().max(200).optional()
  })
)
export const JobStartArgs = z.discriminatedUnion(
  'kind',
  jobStartVariants as unknown as [
    (typeof jobStartVariants)[number],
    ...(typeof jobStartVariants)[number][]
  ]
)
/** `job:start`'s arguments; `JobStartArgs<'depth'>` is one kind's. */
export type JobStartArgs<K extends JobKind = JobKind> = {
  [P in K]: { kind: P; config: JobConfigInput<P>; label?: string }
}[K]

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled'

export interface JobInfo {
  jobId: string
  kind: JobKind
  label: string
  status: JobStatus
  fraction: number
  etaSeconds: number | null
  startedAt: number
}

export interface JobProgressEvent {
  jobId: string
  kind: JobKind
  fraction: number
  etaSeconds: number | null
  message?: string
  /** A live partial result, when the job streams one (training: results.TrainLive). */
  data?: unknown
}
export interface JobStartedEvent {
  jobId: string
  kind: JobKind
  label: string
}
/**
 * A finished job: its parsed configuration and its result, typed per kind. `JobDoneEvent` is
 * the union over every kind (narrow it on `kind`); `JobDoneEvent<'depth'>` is one kind's.
 */
export type JobDoneEvent<K extends JobKind = JobKind> = K extends JobKind ? JobDone<K> : never
interface JobDone<K extends JobKind> {
  jobId: string
  kind: K
  config: JobConfig<K>
  result: JobResult<K>
  seconds: number
}

/** Whether a done event is of the given kind (what a job id started as kind K settles with). */
export function isDoneOf<K extends JobKind>(done: JobDoneEvent, kind: K): done is JobDoneEvent<K> {
  return done.kind === kind
}
export interface JobFailedEvent {
  jobId: string
  kind: JobKind
  error: LabErrorData
}

// ---------------------------------------------------------------- app

export interface AppInfo {
  name: 'Layerscope'
  version: string
  mode: 'electron' | 'browser' | 'cli' | 'test'
  threads: number
  kernel: string
  platform: string
}

const Empty = z.strictObject({})

/** Steer a running train (or compare of trains) job: pause, resume, stop early, a new rate. */
export const TrainControlArgs = z
  .strictObject({
    jobId: JobId,
    action: z.enum(['pause', 'resume', 'stop', 'set-lr']),
    lr: z.number().finite().positive().optional()
  })
  .refine((a) => a.action !== 'set-lr' || a.lr !== undefined, {
    message: 'set-lr needs lr (a finite positive number)',
    path: ['lr']
  })
export interface TrainControlResult {
  jobId: string
  state: 'running' | 'paused' | 'stopping'
  /** The learning rate last set with set-lr, or null if none was. */
  lr: number | null
}

/** A native file dialog's answer: the chosen path, or null when the user cancelled it. */
export interface DialogResult {
  path: string | null
}
export const DialogSaveArgs = z.strictObject({
  /** Suggested file (or folder) to start in. */
  defaultPath: z.string().max(4096).optional()
})

// ---------------------------------------------------------------- calls and events

export const calls = {
  'app:info': defineCall(Empty, returns<AppInfo>()),
  'job:start': defineCall(JobStartArgs, returns<{ jobId: string }>()),
  'job:cancel': defineCall(z.strictObject({ jobId: JobId }), returns<{ cancelled: boolean }>()),
  'job:list': defineCall(Empty, returns<JobInfo[]>()),
  /** A new, empty, untitled session replaces the open one (the UI asks about unsaved changes). */
  'session:new': defineCall(Empty, returns<SessionView>()),
  /** Opens a session file; a damaged one is an error and the open session stays. */
  'session:open': defineCall(SessionOpenArgs, returns<SessionView>()),
  /** Saves to the session's file (error code no-file while untitled: use save-as). */
  'session:save': defineCall(Empty, returns<SessionStatus>()),
  'session:save-as': defineCall(SessionOpenArgs, returns<SessionStatus>()),
  'session:current': defineCall(Empty, returns<SessionView>()),
  /** Session notes and/or the renderer's UI state. */
  'session:update': defineCall(SessionUpdateArgs, returns<SessionStatus>()),
  /** Keeps a finished job (by id) as a run of the open session. */
  'session:add-run': defineCall(SessionAddRunArgs, returns<CheckedRun>()),
  'session:update-run': defineCall(SessionUpdateRunArgs, returns<CheckedRun>()),
  'session:remove-run': defineCall(SessionRunArgs, returns<{ removed: boolean }>()),
  'session:recent': defineCall(Empty, returns<RecentSessionEntry[]>()),
  /** Autosaved sessions left by a crash: list, restore or discard. */
  'session:recover': defineCall(SessionRecoverArgs, returns<SessionRecoverResult>()),
  /** A run's tables as CSV texts and the whole run as JSON text. */
  'session:export-run': defineCall(SessionRunArgs, returns<RunExport>()),
  'train:control': defineCall(TrainControlArgs, returns<TrainControlResult>()),
  /** The open dataset (open one with the `dataset` job), or null. */
  'dataset:current': defineCall(Empty, returns<DatasetSummary | null>()),
  /** A page of images of the open dataset, as copies. */
  'dataset:images': defineCall(DatasetImagesArgs, returns<DatasetImages>()),
  /**
   * Native dialogs (desktop app). Browser mode and the CLI answer `unsupported`; the renderer
   * then offers a path field instead.
   */
  'dialog:open-dataset': defineCall(Empty, returns<DialogResult>()),
  'dialog:open-session': defineCall(Empty, returns<DialogResult>()),
  'dialog:save-session': defineCall(DialogSaveArgs, returns<DialogResult>())
} as const

/** Commands from the application menu (Electron) or shortcuts, for the renderer to carry out. */
export const APP_COMMANDS = [
  'session:new',
  'session:open',
  'session:save',
  'session:save-as',
  'job:run',
  'job:cancel',
  'view:depth',
  'view:activations',
  'view:dataset',
  'view:preprocessing',
  'view:gradcheck',
  'view:sanity',
  'view:training',
  'view:sessions',
  'view:engine',
  'view:lecture'
] as const
export type AppCommand = (typeof APP_COMMANDS)[number]
export interface AppCommandEvent {
  command: AppCommand
}

export const events = {
  'app:command': returns<AppCommandEvent>(),
  'job:started': returns<JobStartedEvent>(),
  'job:progress': returns<JobProgressEvent>(),
  'job:done': returns<JobDoneEvent>(),
  'job:failed': returns<JobFailedEvent>(),
  /** The open session's file, dirty flag or run count changed. */
  'session:changed': returns<SessionStatus>()
} as const

export type CallName = keyof typeof calls
export type EventName = keyof typeof events
export const CALL_NAMES = Object.keys(calls) as CallName[]
export const EVENT_NAMES = Object.keys(events) as EventName[]
export type CallArgs<C extends CallName> = z.input<(typeof calls)[C]['args']>
export type ParsedArgs<C extends CallName> = z.infer<(typeof calls)[C]['args']>
export type CallResult<C extends CallName> = (typeof calls)[C]['result']
export type EventPayload<E extends EventName> = (typeof events)[E]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)
}

/** Validate a call's arguments; a failure becomes a typed `invalid-args` error naming the field. */
export function parseArgs<C extends CallName>(
  name: C,
  args: unknown
): { ok: true; value: ParsedArgs<C> } | { ok: false; error: LabErrorData } {
  const result = calls[name].args.safeParse(args)
  if (result.success) return { ok: true, value: result.data as ParsedArgs<C> }
  const issue = result.error.issues[0]
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(arguments)'
  return {
    ok: false,
    error: {
      code: 'invalid-args',
      message: `${name}: ${where}: ${issue?.message ?? 'invalid arguments'}`,
      details: {
        call: name,
        path: issue?.path.map(String) ?? [],
        issues: result.error.issues.length
      }
    }
  }
}

/** What a front door exposes to the renderer: one named function per call, plus `on`. */
export type LabApi = {
  [C in CallName]: (args: CallArgs<C>) => Promise<Envelope<CallResult<C>>>
} & {
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** The object the preload script exposes on `window`. */
export const PRELOAD_GLOBAL = 'layerscope'
