/**
 * The preprocessing study of the Preprocessing view: its settings (starting from the contract's
 * defaults, as `layerscope study` runs), the running job and its result. State only; the
 * job runs on the pool as one `study` job (started, followed and cancelled via composables/jobs).
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { JobConfigInput } from '../../../src-shared/contract'
import { PREPROCESS_MODES, StudyConfig } from '../../../src-shared/experiments'
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

/** The contract's defaults (StudyConfig.parse: its TrainConfig and StudySearch defaults). */
export const STUDY_DEFAULTS: StudySettings = (() => {
  const d = StudyConfig.parse({ modes: [PREPROCESS_MODES[0]] })
  const hidden = d.config.hidden[0]
  if (hidden === undefined || d.config.hidden.length !== 1)
    throw new Error('the study form edits one hidden layer: TrainConfig.hidden must default to one')
  if (d.config.init !== 'he' && d.config.init !== 'xavier' && d.config.init !== 'lsuv')
    throw new Error(`the study form offers he, xavier and lsuv, not ${d.config.init}`)
  if (!d.search) throw new Error('StudyConfig must default to a learning-rate search')
  return {
    hidden,
    batch: d.config.batch,
    epochs: d.config.epochs,
    val: d.config.val,
    reg: d.config.reg,
    init: d.config.init,
    seeds: d.seeds,
    searchLo: d.search.lo,
    searchHi: d.search.hi,
    trials: d.search.trials,
    searchEpochs: d.search.epochs,
    refine: d.search.refine,
    seed: d.config.seed
  }
})()

/**
 * Layer statistics every this many iterations: a study charts none of them (not a form field;
 * rarely, so recording them costs nothing).
 */
export const STUDY_STATS_EVERY = 1000

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
      statsEvery: STUDY_STATS_EVERY,
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
