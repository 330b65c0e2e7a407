/**
 * The open dataset as the renderer knows it: its summary (counts, statistics, mean image), the
 * `dataset` job opening another one, and the page of images the grid shows. A failed open
 * leaves the summary of what was open untouched (the lab keeps it loaded too).
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { DatasetImages, DatasetSplitName, DatasetSummary } from '../../../src-shared/datasets'
import { DatasetOpenConfig } from '../../../src-shared/experiments'
import { useLab } from '../api/client'
import { toUiError, type UiError } from '../uiError'
import { runJob } from '../composables/jobs'

/** Images per grid page. */
export const GRID_PAGE = 60

/** Why a typed path cannot be a dataset path, before asking the lab (null: looks fine). */
export function pathProblem(path: string): string | null {
  const r = DatasetOpenConfig.safeParse({ path: path.trim() })
  return r.success ? null : (r.error.issues[0]?.message ?? 'not a valid path')
}

export const useDatasetStore = defineStore('dataset', () => {
  const summary = shallowRef<DatasetSummary | null>(null)
  const path = ref('')
  const openJobId = ref<string | null>(null)
  const openError = ref<UiError | null>(null)
  const split = ref<DatasetSplitName>('train')
  const label = ref<number | null>(null)
  const offset = ref(0)
  const page = shallowRef<DatasetImages | null>(null)
  const pageError = ref<UiError | null>(null)

  const classes = computed(() => summary.value?.description.classes ?? [])

  async function refresh(): Promise<void> {
    try {
      summary.value = await useLab().call('dataset:current', {})
      if (summary.value && !path.value) path.value = summary.value.path
    } catch (err) {
      openError.value = toUiError(err)
    }
  }

  /** Open the copy at `p`; resolves true when it became the open dataset. */
  async function open(p: string): Promise<boolean> {
    const problem = pathProblem(p)
    if (problem) {
      openError.value = { code: 'invalid-path', message: problem }
      return false
    }
    openError.value = null
    path.value = p.trim()
    const o = await runJob(
      {
        kind: 'dataset',
        config: { path: path.value },
        label: `Open ${path.value.split(/[\\/]/).pop() ?? path.value}`
      },
      (id) => {
        openJobId.value = id
      }
    )
    if (!o.ok) {
      openError.value = o.error
      return false
    }
    summary.value = o.done.result
    offset.value = 0
    label.value = null
    await loadImages()
    return true
  }

  async function loadImages(): Promise<void> {
    if (!summary.value) {
      page.value = null
      return
    }
    try {
      pageError.value = null
      page.value = await useLab().call('dataset:images', {
        split: split.value,
        offset: offset.value,
        count: GRID_PAGE,
        ...(label.value === null ? {} : { label: label.value })
      })
    } catch (err) {
      pageError.value = toUiError(err)
    }
  }

  function filter(l: number | null): Promise<void> {
    label.value = l
    offset.value = 0
    return loadImages()
  }

  function showSplit(s: DatasetSplitName): Promise<void> {
    split.value = s
    offset.value = 0
    return loadImages()
  }

  function turn(pages: number): Promise<void> {
    const total = page.value?.total ?? 0
    offset.value = Math.max(0, Math.min(offset.value + pages * GRID_PAGE, total - 1))
    offset.value -= offset.value % GRID_PAGE
    return loadImages()
  }

  return {
    summary,
    path,
    openJobId,
    openError,
    split,
    label,
    offset,
    page,
    pageError,
    classes,
    refresh,
    open,
    loadImages,
    filter,
    showSplit,
    turn
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useDatasetStore, import.meta.hot))
