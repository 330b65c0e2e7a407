import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import StatusBar from '../../src-renderer/src/components/StatusBar.vue'
import { setLabClient, type LabClient } from '../../src-renderer/src/api/client'
import { useJobsStore } from '../../src-renderer/src/stores/jobs'

const cancel = vi.fn(async (_args: unknown) => ({ cancelled: true }))

beforeEach(() => {
  setActivePinia(createPinia())
  const client: LabClient = {
    transport: 'browser',
    call: (async (name: string, args: unknown) =>
      name === 'job:cancel' ? cancel(args) : []) as LabClient['call'],
    on: () => () => undefined
  }
  setLabClient(client)
  cancel.mockClear()
})

function addRunning(n: number): void {
  const store = useJobsStore()
  for (let i = 1; i <= n; i++) {
    store.jobs[`job-${i}`] = {
      jobId: `job-${i}`,
      kind: 'depth',
      label: `grid run ${i}`,
      status: 'running',
      fraction: i / 10,
      etaSeconds: null,
      message: '',
      error: null,
      startedAt: 0
    }
  }
}

describe('StatusBar', () => {
  it('names up to three running jobs and counts the rest on one line', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    addRunning(9)
    const w = mount(StatusBar, { global: { plugins: [pinia] } })
    expect(w.text()).toContain('9 jobs running')
    expect(w.findAll('.status-job')).toHaveLength(4)
    expect(w.text()).toContain('grid run 3 30%')
    expect(w.text()).not.toContain('grid run 4')
    expect(w.text()).toContain('and 6 more')
    await w.get('button[aria-label="Cancel all running jobs"]').trigger('click')
    expect(cancel).toHaveBeenCalledTimes(9)
  })

  it('says when nothing runs', () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const w = mount(StatusBar, { global: { plugins: [pinia] } })
    expect(w.text()).toContain('No jobs running')
  })
})
