/**
 * The `session:*` calls of the contract over the service's SessionState, as one slice of the
 * service's handler table. A finished job (its `job:done` event, kept by the service) becomes a
 * run by id alone.
 */
import type { CallName, CallResult, JobDoneEvent, ParsedArgs } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import {
  findJsonProblem,
  RUN_KINDS,
  type DatasetRef,
  type JsonObject,
  type JsonValue,
  type RunKind
} from '../../src-shared/session'
import type { SessionState } from './session-state'

export type SessionCallName = Extract<CallName, `session:${string}`>

export type SessionHandlers = {
  [C in SessionCallName]: (args: ParsedArgs<C>) => Promise<CallResult<C>>
}

function isRunKind(kind: string): kind is RunKind {
  return (RUN_KINDS as readonly string[]).includes(kind)
}

/** The run a finished job makes: its kind, configuration and result, checked to be JSON. */
export function runFromJob(done: JobDoneEvent): {
  kind: RunKind
  config: JsonObject
  result: JsonValue
} {
  if (!isRunKind(done.kind)) {
    throw new LabError('invalid-args', `a ${done.kind} job cannot be kept as a session run`, {
      field: 'jobId'
    })
  }
  const config = done.config
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new LabError('internal', `${done.jobId}: its configuration is not an object`)
  }
  const problem = findJsonProblem(config) ?? findJsonProblem(done.result)
  if (problem) {
    throw new LabError(
      'internal',
      `${done.jobId}: its result is not plain data (${problem.message})`
    )
  }
  // Both checked to be plain JSON just above.
  return {
    kind: done.kind,
    config: config as JsonObject,
    result: done.result as unknown as JsonValue
  }
}

/** Whether a finished job read the open dataset (so its run belongs with that dataset). */
export function usedDataset(done: JobDoneEvent): boolean {
  if (done.kind === 'dataset' || done.kind === 'preprocess') return true
  const c = done.config as { input?: unknown; data?: { type?: unknown }; base?: unknown } | null
  if (!c || typeof c !== 'object') return false
  if (c.input === 'cifar' || c.data?.type === 'dataset') return true
  const base = (c.base as { config?: { input?: unknown; data?: { type?: unknown } } } | undefined)
    ?.config
  return base?.input === 'cifar' || base?.data?.type === 'dataset'
}

/** `sessions` is read at call time: the service's handler table is built before its constructor runs. */
export function sessionHandlers(
  sessions: () => SessionState,
  finishedJob: (jobId: string) => JobDoneEvent | undefined,
  loadedDataset: () => DatasetRef | null = () => null
): SessionHandlers {
  return {
    'session:new': () => sessions().newSession(),
    'session:open': ({ file }) => sessions().open(file),
    'session:save': () => sessions().save(),
    'session:save-as': ({ file }) => sessions().saveAs(file),
    'session:current': () => sessions().current(),
    'session:update': (args) => sessions().update(args),
    'session:add-run': async ({ jobId, title, notes, tags }) => {
      const done = finishedJob(jobId)
      if (!done) {
        throw new LabError(
          'not-found',
          `${jobId} is not a finished job of this session's lab (only jobs that completed, and the last 50, can be added)`,
          { field: 'jobId' }
        )
      }
      const dataset = usedDataset(done) ? (loadedDataset() ?? undefined) : undefined
      return sessions().addRun(
        {
          ...runFromJob(done),
          ...(title === undefined ? {} : { title }),
          ...(notes === undefined ? {} : { notes }),
          ...(tags === undefined ? {} : { tags })
        },
        dataset
      )
    },
    'session:update-run': ({ runId, ...patch }) => sessions().updateRun(runId, patch),
    'session:remove-run': ({ runId }) => sessions().removeRun(runId),
    'session:recent': () => sessions().recent(),
    'session:recover': (args) => sessions().recover(args),
    'session:export-run': ({ runId }) => sessions().exportRun(runId)
  }
}
