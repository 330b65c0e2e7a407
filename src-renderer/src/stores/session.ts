/**
 * The open session as the renderer sees it: its file, dirty flag and document (runs with notes
 * and tags), the recent list and crash-recovery candidates, and two runs pinned side by side —
 * copies, so a run pinned from one session stays while another session is opened. A failed
 * open or save leaves everything here as it was and sets `error` (the SessionError's code,
 * message and where).
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  RecentSessionEntry,
  RecoveryEntry,
  RunExport,
  SessionStatus,
  SessionView
} from '../../../src-shared/session-api'
import type { CheckedRun } from '../../../src-shared/session'
import { useLab } from '../api/client'
import { toUiError, type UiError } from '../uiError'

/** A run pinned for side-by-side comparison, with the session it came from. */
export interface PinnedRun {
  file: string | null
  run: CheckedRun
}

export const useSessionStore = defineStore('session', () => {
  const view = shallowRef<SessionView | null>(null)
  const status = ref<SessionStatus>({ file: null, dirty: false, runCount: 0 })
  const recent = ref<RecentSessionEntry[]>([])
  const recovery = ref<RecoveryEntry[]>([])
  const error = ref<UiError | null>(null)
  const notice = ref<string | null>(null)
  const selectedRunId = ref<string | null>(null)
  const pinned = shallowRef<[PinnedRun | null, PinnedRun | null]>([null, null])

  const runs = computed(() => view.value?.doc.runs ?? [])
  const title = computed(() =>
    status.value.file ? (status.value.file.split(/[\\/]/).pop() ?? status.value.file) : 'Untitled'
  )

  /** The lab's `session:changed` event (routed here by plugins/events.ts). */
  function onChanged(s: SessionStatus): void {
    const runCountChanged = s.runCount !== status.value.runCount
    status.value = s
    if (runCountChanged) void refresh()
  }

  function setView(v: SessionView): void {
    view.value = v
    status.value = { file: v.file, dirty: v.dirty, runCount: v.runCount }
  }

  /** Run `fn`; a failure becomes `error` and nothing else changes. */
  async function attempt<T>(fn: () => Promise<T>): Promise<T | null> {
    error.value = null
    try {
      return await fn()
    } catch (err) {
      error.value = toUiError(err)
      return null
    }
  }

  async function refresh(): Promise<void> {
    const v = await attempt(() => useLab().call('session:current', {}))
    if (v) setView(v)
  }

  async function newSession(): Promise<boolean> {
    const v = await attempt(() => useLab().call('session:new', {}))
    if (!v) return false
    setView(v)
    selectedRunId.value = null
    notice.value = 'New untitled session'
    return true
  }

  async function open(file: string): Promise<boolean> {
    const v = await attempt(() => useLab().call('session:open', { file: file.trim() }))
    if (!v) return false
    setView(v)
    selectedRunId.value = v.doc.runs[0]?.id ?? null
    notice.value = `Opened ${v.file ?? file}`
    void loadRecent()
    return true
  }

  /** Save to the session's file; false when it has none yet (the caller asks for one). */
  async function save(): Promise<boolean> {
    if (!status.value.file) return false
    const s = await attempt(() => useLab().call('session:save', {}))
    if (!s) return false
    status.value = s
    notice.value = `Saved ${s.file}`
    await refresh()
    return true
  }

  async function saveAs(file: string): Promise<boolean> {
    const s = await attempt(() => useLab().call('session:save-as', { file: file.trim() }))
    if (!s) return false
    status.value = s
    notice.value = `Saved ${s.file}`
    await refresh()
    void loadRecent()
    return true
  }

  async function addRun(jobId: string, title?: string): Promise<CheckedRun | null> {
    const run = await attempt(() =>
      useLab().call('session:add-run', { jobId, ...(title ? { title } : {}) })
    )
    if (run) await refresh()
    return run
  }

  async function updateRun(
    runId: string,
    patch: { title?: string; notes?: string; tags?: string[] }
  ): Promise<boolean> {
    const run = await attempt(() => useLab().call('session:update-run', { runId, ...patch }))
    if (run) await refresh()
    return run !== null
  }

  async function removeRun(runId: string): Promise<boolean> {
    const r = await attempt(() => useLab().call('session:remove-run', { runId }))
    if (r) await refresh()
    return r !== null
  }

  async function exportRun(runId: string): Promise<RunExport | null> {
    return attempt(() => useLab().call('session:export-run', { runId }))
  }

  async function loadRecent(): Promise<void> {
    try {
      recent.value = await useLab().call('session:recent', {})
    } catch {
      recent.value = []
    }
  }

  async function listRecovery(): Promise<RecoveryEntry[]> {
    try {
      recovery.value = (await useLab().call('session:recover', { action: 'list' })).candidates
    } catch {
      recovery.value = []
    }
    return recovery.value
  }

  async function recover(file: string, action: 'restore' | 'discard'): Promise<boolean> {
    const r = await attempt(() => useLab().call('session:recover', { action, file }))
    if (!r) return false
    recovery.value = r.candidates
    if (r.view) {
      setView(r.view)
      notice.value = 'Recovered the unsaved session'
    }
    return true
  }

  /** Pin a run (a copy) in slot 0 or 1 for the side-by-side comparison. */
  function pin(slot: 0 | 1, run: CheckedRun): void {
    const next: [PinnedRun | null, PinnedRun | null] = [...pinned.value]
    next[slot] = { file: status.value.file, run }
    pinned.value = next
  }
  function unpin(slot: 0 | 1): void {
    const next: [PinnedRun | null, PinnedRun | null] = [...pinned.value]
    next[slot] = null
    pinned.value = next
  }

  return {
    view,
    status,
    recent,
    recovery,
    error,
    notice,
    selectedRunId,
    pinned,
    runs,
    title,
    onChanged,
    refresh,
    newSession,
    open,
    save,
    saveAs,
    addRun,
    updateRun,
    removeRun,
    exportRun,
    loadRecent,
    listRecovery,
    recover,
    pin,
    unpin
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSessionStore, import.meta.hot))
