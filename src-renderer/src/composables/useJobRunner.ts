/**
 * A view's handle on its current job: start it, follow its progress, cancel it, get its
 * result or its error. Cancels nothing on unmount (jobs outlive views) but stops listening.
 */
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import type { JobDoneEvent, JobKind, JobStartArgs } from '../../../src-shared/contract'
import { toUiError, type UiError } from '../uiError'
import { useJobsStore } from '../stores/jobs'

export function useJobRunner<K extends JobKind = JobKind>() {
  const jobs = useJobsStore()
  const jobId = ref<string | null>(null)
  const result = shallowRef<JobDoneEvent<K> | null>(null)
  const error = ref<UiError | null>(null)
  let alive = true
  onScopeDispose(() => {
    alive = false
  })

  const job = computed(() => (jobId.value ? (jobs.jobs[jobId.value] ?? null) : null))
  const running = computed(() => job.value?.status === 'running')

  async function run(args: JobStartArgs<K>): Promise<JobDoneEvent<K> | null> {
    error.value = null
    try {
      const started = await jobs.start(args)
      jobId.value = started.jobId
      const done = await started.result
      if (alive && jobId.value === started.jobId) result.value = done
      return done
    } catch (err) {
      if (alive) error.value = toUiError(err)
      return null
    }
  }

  async function cancel(): Promise<void> {
    if (jobId.value && running.value) await jobs.cancel(jobId.value)
  }

  return { jobId, job, running, result, error, run, cancel }
}
