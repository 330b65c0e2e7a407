/**
 * The renderer's one way to run jobs: start one (`runJob`) or several as one piece of work
 * (`runJobs`: a grid, an h sweep), learn their ids as soon as they are known, and get each
 * job's outcome — its done event, typed by its kind, or a UiError with the lab's code, message
 * and `details` (the "where"). Never rejects. A view follows a set of jobs (one progress bar,
 * running or not, cancel) with `useJobGroup`; `cancelJobs` cancels whichever still run.
 * Stores own the ids (plain strings), so a view that is left and reopened finds its jobs again.
 * The jobs' state lives in stores/jobs (fed by plugins/events.ts).
 */
import { computed, type ComputedRef } from 'vue'
import type { JobDoneEvent, JobKind, JobStartArgs } from '../../../src-shared/contract'
import { useLab } from '../api/client'
import { useJobsStore, type JobView } from '../stores/jobs'
import { toUiError, type UiError } from '../uiError'

export type { UiError }

/** How one job ended: its done event (typed by its kind), or its error. */
export type Settled<K extends JobKind = JobKind> =
  { ok: true; done: JobDoneEvent<K> } | { ok: false; error: UiError }

/**
 * Start every job (in order; the pool runs as many at once as it has threads), report the ids
 * as they are known, and resolve with each job's outcome in the same order. A job the lab
 * refuses to start settles as its error (and has no id). Never rejects.
 */
export async function runJobs<K extends JobKind>(
  list: readonly JobStartArgs<K>[],
  onIds?: (ids: string[]) => void
): Promise<Settled<K>[]> {
  const jobs = useJobsStore()
  const ids: string[] = []
  const pending: Promise<Settled<K>>[] = []
  for (const args of list) {
    jobs.startBegun()
    try {
      const { jobId } = await useLab().call('job:start', args as JobStartArgs)
      jobs.track(jobId, args.kind, args.label ?? args.kind)
      ids.push(jobId)
      onIds?.([...ids])
      pending.push(
        jobs.outcome(jobId, args.kind).then(
          (done): Settled<K> => ({ ok: true, done }),
          (err: unknown): Settled<K> => ({ ok: false, error: toUiError(err) })
        )
      )
    } catch (err) {
      pending.push(Promise.resolve({ ok: false, error: toUiError(err) }))
    } finally {
      jobs.startEnded()
    }
  }
  return Promise.all(pending)
}

/** One job: `onId` hears its id once the lab has started it. Never rejects. */
export async function runJob<K extends JobKind>(
  args: JobStartArgs<K>,
  onId?: (jobId: string) => void
): Promise<Settled<K>> {
  const [settled] = await runJobs([args], (ids) => {
    const id = ids[0]
    if (id !== undefined) onId?.(id)
  })
  return settled ?? { ok: false, error: { code: 'internal', message: 'no job was started' } }
}

/** Cancel whichever of these jobs are still running. */
export async function cancelJobs(ids: readonly string[]): Promise<void> {
  const jobs = useJobsStore()
  await Promise.all(
    ids.filter((id) => jobs.jobs[id]?.status === 'running').map((id) => jobs.cancel(id))
  )
}

/**
 * Several jobs seen as one: the mean fraction, an ETA from the elapsed time (jobs waiting for a
 * thread count as 0 %), "k of n done". Null when there are no jobs.
 */
export function aggregateJobs(
  members: readonly JobView[],
  label: string,
  now: number
): JobView | null {
  const first = members[0]
  if (!first) return null
  if (members.length === 1) return first
  const fraction =
    members.reduce((a, j) => a + (j.status === 'running' ? j.fraction : 1), 0) / members.length
  const startedAt = Math.min(...members.map((j) => j.startedAt))
  const elapsed = (now - startedAt) / 1000
  const running = members.some((j) => j.status === 'running')
  const failed = members.find((j) => j.status === 'failed')
  const done = members.filter((j) => j.status !== 'running').length
  return {
    jobId: first.jobId,
    kind: first.kind,
    label,
    status: running
      ? 'running'
      : failed
        ? 'failed'
        : members.every((j) => j.status === 'cancelled')
          ? 'cancelled'
          : 'done',
    fraction,
    etaSeconds: running && fraction > 0.01 ? (elapsed * (1 - fraction)) / fraction : null,
    message: `${done} of ${members.length} done`,
    error: failed?.error ?? null,
    startedAt
  }
}

/**
 * A view's handle on a set of job ids (a store's, or its own): one progress view, running or
 * not, and cancel. `label` names the group when it holds several jobs.
 */
export function useJobGroup(
  ids: () => readonly (string | null | undefined)[],
  label: () => string
): {
  view: ComputedRef<JobView | null>
  running: ComputedRef<boolean>
  cancel: () => Promise<void>
} {
  const jobs = useJobsStore()
  const present = (): string[] => ids().filter((id): id is string => typeof id === 'string')
  const members = computed(() =>
    present()
      .map((id) => jobs.jobs[id])
      .filter((j): j is JobView => j !== undefined)
  )
  const view = computed(() => aggregateJobs(members.value, label(), Date.now()))
  const running = computed(() => members.value.some((j) => j.status === 'running'))
  return { view, running, cancel: () => cancelJobs(present()) }
}
