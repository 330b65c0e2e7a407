/**
 * The Preprocessing view's state: which modes to look at (and study), and each mode's fitted
 * report (statistics, mean image, before/after histograms). The study's state is stores/study.
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { PreprocessJobResult } from '../../../src-shared/datasets'
import { PCA_DEFAULT_COMPONENTS, type PREPROCESS_MODES } from '../../../src-shared/experiments'
import { runJob, type UiError } from '../composables/jobs'
import { useStudyStore } from './study'

export type Mode = (typeof PREPROCESS_MODES)[number]

export const usePreprocessingStore = defineStore('preprocessing', () => {
  const modes = ref<Mode[]>(['mean-image', 'channel-mean'])
  /** pca's K (the top eigenvectors kept), for the fit and for the study. */
  const components = ref(PCA_DEFAULT_COMPONENTS)
  const reports = shallowRef<Partial<Record<Mode, PreprocessJobResult>>>({})
  const fitJobId = ref<string | null>(null)
  /** The finished fit job of each mode, so it can be kept as a session run. */
  const reportJobs = ref<Record<string, string>>({})
  const fitError = ref<UiError | null>(null)

  /** Fit every selected mode (one `preprocess` job each, one after another). */
  async function fit(): Promise<void> {
    fitError.value = null
    for (const mode of [...modes.value]) {
      const o = await runJob(
        {
          kind: 'preprocess',
          config: {
            mode,
            // Hold out what the study holds out, so the fit shown is the one it trains with.
            val: useStudyStore().settings.val,
            ...(mode === 'pca' ? { components: components.value } : {})
          },
          label: `Fit ${mode}`
        },
        (id) => {
          fitJobId.value = id
        }
      )
      if (!o.ok) {
        fitError.value = o.error
        return
      }
      reports.value = { ...reports.value, [mode]: o.done.result }
      reportJobs.value = { ...reportJobs.value, [mode]: o.done.jobId }
    }
  }

  return {
    reportJobs,
    modes,
    components,
    reports,
    fitJobId,
    fitError,
    fit
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(usePreprocessingStore, import.meta.hot))
