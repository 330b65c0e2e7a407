/**
 * Several jobs as one piece of work (a single run, a grid, an h sweep): start them, keep their
 * ids where a store can hold them, wait for every outcome, and show them as one progress bar.
 * Stores own the ids (plain strings), so a view that is left and reopened finds its jobs again.
 */
import { computed, type ComputedRef } from 'vue'
import type { JobDoneEvent, JobKind, JobStartArgs } from '../../../src-shared/contract'
import { useJobsStore, type JobView } from '../stores/jobs'
import { toUiError, type UiError } from '../uiError'

export type { UiError }

export type Settled<K extends JobKind = JobKind> =
  { ok: true; done: JobDoneEvent<K> } | { ok: false; error: UiError }

/**
 * Start every job (in order; the pool runs as many at once as it has threads), report the ids
 * as they are known, and resolve with each job's outcome in the same order. Never rejects.
 */
export async function runBatch<K extends JobKind>(
  list: JobStartArgs<K>[],
  onIds: (ids: string[]) => void
): Promise<Settled<K>[]> {
  const jobs = useJobsStore()
  const ids: string[] = []
  const pending: Promise<Settled<K>>[] = []
  for (const args of list) {
    try {
      const started = await jobs.start(args)
      ids.push(started.jobId)
      onIds([...ids])
      pending.push(
        started.result.then(
          (done): Settled<K> => ({ ok: true, done }),
          (err: unknown): Settled<K> => ({ ok: false, error: toUiError(err) })
        )
      )
    } catch (err) {
      pending.push(Promise.resolve({ ok: false, error: toUiError(err) }))
    }
  }
  return Promise.all(pending)
}

/** Cancel whichever of these jobs are still running. */
export async function cancelAll(ids: readonly string[]): Promise<void> {
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

/** A view's handle on a store's job ids: one progress view, running or not, and cancel. */
export function useJobGroup(
  ids: () => readonly string[],
  label: () => string
): {
  view: ComputedRef<JobView | null>
  running: ComputedRef<boolean>
  cancel: () => Promise<void>
} {
  const jobs = useJobsStore()
  const members = computed(() =>
    ids()
      .map((id) => jobs.jobs[id])
      .filter((j): j is JobView => j !== undefined)
  )
  const view = computed(() => aggregateJobs(members.value, label(), Date.now()))
  const running = computed(() => members.value.some((j) => j.status === 'running'))
  return { view, running, cancel: () => cancelAll(ids()) }
}
