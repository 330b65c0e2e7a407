/**
 * The preprocessing study of the Preprocessing view: its settings (sensible defaults for the
 * sample: one button gives a sound answer), the running job and its result. State only; the
 * job runs on the pool as one `study` job (started, followed and cancelled via composables/jobs).
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { JobConfigInput } from '../../../src-shared/contract'
import type { PREPROCESS_MODES } from '../../../src-shared/experiments'
import type { StudyResult } from '../../../src-shared/results'
import { runJob, type UiError } from '../composables/jobs'

export interface StudySettings {
  hidden: number
  batch: number
  epochs: number
  val: number
  reg: number
  init: 'he' | 'xavier' | 'lsuv'
  seeds: number
  searchLo: number
  searchHi: number
  trials: number
  searchEpochs: number
  refine: number
  seed: number
}

export const STUDY_DEFAULTS: StudySettings = {
  hidden: 50,
  batch: 50,
  epochs: 5,
  val: 100,
  reg: 1e-3,
  init: 'he',
  seeds: 3,
  searchLo: 1e-7,
  searchHi: 1e-1,
  trials: 8,
  searchEpochs: 1,
  refine: 0,
  seed: 1
}

/** The `study` job's configuration for these settings and modes (K: pca's components). */
type Mode = (typeof PREPROCESS_MODES)[number]

export function studyConfig(
  s: StudySettings,
  modes: Mode[],
  components?: number
): JobConfigInput<'study'> {
  return {
    config: {
      data: { type: 'dataset' },
      hidden: [s.hidden],
      batch: s.batch,
      epochs: s.epochs,
      val: s.val,
      reg: s.reg,
      init: s.init,
      seed: s.seed,
      statsEvery: 1000,
      ...(components !== undefined && modes.includes('pca') ? { components } : {})
    },
    modes,
    search: {
      lo: s.searchLo,
      hi: s.searchHi,
      trials: s.trials,
      epochs: s.searchEpochs,
      refine: s.refine,
      seed: s.seed
    },
    seeds: s.seeds
  }
}

export const useStudyStore = defineStore('study', () => {
  const settings = ref<StudySettings>({ ...STUDY_DEFAULTS })
  const jobId = ref<string | null>(null)
  const result = shallowRef<StudyResult | null>(null)
  const error = ref<UiError | null>(null)

  async function run(modes: Mode[], components?: number): Promise<void> {
    error.value = null
    const o = await runJob(
      {
        kind: 'study',
        config: studyConfig(settings.value, modes, components),
        label: `Study: ${modes.join(' vs ')}`
      },
      (id) => {
        jobId.value = id
        result.value = null
      }
    )
    if (o.ok) result.value = o.done.result
    else error.value = o.error
  }

  return { settings, jobId, result, error, run }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useStudyStore, import.meta.hot))
