/**
 * Waiting on and comparing runs through a LabService, for the integration tests of data-parallel
 * training and depth probes.
 */
import type { JobProgressEvent } from '../../src-shared/contract'
import type { TrainLive, TrainResult } from '../../src-shared/results'
import type { LabService } from '../../src-main/lab/service'

/** Resolves once `cond()` holds, polling every `every` ms; throws after `ms`. */
export async function until(cond: () => boolean, ms = 60_000, every = 10): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, every))
  }
}

/** The highest iteration a train job's live updates have reported so far. */
export function lastIterOf(
  service: LabService,
  jobId: string
): { iter: () => number; off: () => void } {
  let iter = 0
  const off = service.on((name, payload) => {
    const e = payload as JobProgressEvent
    if (name === 'job:progress' && e.jobId === jobId)
      iter = Math.max(iter, (e.data as TrainLive | undefined)?.iter ?? 0)
  })
  return { iter: () => iter, off }
}

/** What must be identical between two train runs of the same seed and slices (timings aside). */
export const trainNumbers = (r: TrainResult) => ({
  status: r.status,
  workers: r.workers,
  losses: r.losses,
  stats: r.stats,
  history: r.history.map(({ seconds: _s, ...h }) => h),
  final: r.final
})
