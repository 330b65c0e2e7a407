/** Which view is showing, and the theme (follows the OS unless the user picks one). */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'

export const VIEWS = [
  { id: 'depth', label: 'Depth', ready: true },
  { id: 'activations', label: 'Activations', ready: true },
  { id: 'dataset', label: 'Dataset', ready: true },
  { id: 'preprocessing', label: 'Preprocessing', ready: true },
  { id: 'gradcheck', label: 'Gradient check', ready: true },
  { id: 'sanity', label: 'Sanity checks', ready: true },
  { id: 'training', label: 'Training', ready: true },
  { id: 'sessions', label: 'Sessions', ready: true },
  { id: 'lecture', label: 'Lecture', ready: true },
  { id: 'engine', label: 'Engine', ready: true }
] as const
export type ViewId = (typeof VIEWS)[number]['id']

export function isViewId(v: unknown): v is ViewId {
  return VIEWS.some((x) => x.id === v)
}

export const useUiStore = defineStore('ui', () => {
  const initial = window.location.hash.replace(/^#\/?/, '')
  const view = ref<ViewId>(
    isViewId(initial) ? initial : (VIEWS.find((v) => v.ready)?.id ?? 'engine')
  )
  const theme = ref<'system' | 'light' | 'dark'>('system')

  function show(id: ViewId): void {
    view.value = id
    if (window.location.hash !== `#/${id}`) window.history.replaceState(null, '', `#/${id}`)
  }

  return { view, theme, show }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useUiStore, import.meta.hot))
