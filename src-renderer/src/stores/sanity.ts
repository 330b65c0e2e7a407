/** The Sanity checks view's state: the few settings, the last suite's result, its job. */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { JobConfigInput } from '../../../src-shared/contract'
import { SanityConfig, type PREPROCESS_MODES } from '../../../src-shared/experiments'
import type { SanityCheck, SanityResult } from '../../../src-shared/results'
import { cancelJobs, runJobs, type UiError } from '../composables/jobs'

export interface SanityForm {
  /** Synthetic data, or the training images of the dataset open in the Dataset view. */
  source: 'synthetic' | 'dataset'
  /** Synthetic examples (3072 features, 10 classes). */
  examples: number
  /** How the dataset's images are preprocessed (dataset source only). */
  preprocess: (typeof PREPROCESS_MODES)[number]
  hidden: number
  seed: number
  /** Penalty of the regularization sweep: reg·ΣW² (full) or ½·reg·ΣW² (half, the lecture's). */
  regConvention: 'full' | 'half'
  /** The overfit check's target loss and epoch budget. */
  targetLoss: number
  maxEpochs: number
}

/** The contract's defaults (SanityConfig.parse({})), flattened into the form. */
export const DEFAULT_SANITY: SanityForm = (() => {
  const d = SanityConfig.parse({})
  if (d.data.type !== 'synthetic')
    throw new Error('the form expects SanityConfig to default to synthetic data (its size)')
  return {
    source: d.data.type,
    examples: d.data.n,
    preprocess: d.preprocess,
    hidden: d.hidden,
    seed: d.seed,
    regConvention: d.regConvention,
    targetLoss: d.targetLoss,
    maxEpochs: d.maxEpochs
  }
})()

export function sanityConfig(f: SanityForm): JobConfigInput<'sanity'> {
  const common = {
    hidden: f.hidden,
    seed: f.seed,
    regConvention: f.regConvention,
    targetLoss: f.targetLoss,
    maxEpochs: f.maxEpochs
  }
  return f.source === 'dataset'
    ? { data: { type: 'dataset' }, preprocess: f.preprocess, ...common }
    : { data: { type: 'synthetic', n: f.examples }, ...common }
}

/** The check of a given name, typed by its name. */
export function checkOf<N extends SanityCheck['name']>(
  r: SanityResult,
  name: N
): Extract<SanityCheck, { name: N }> | null {
  return (r.checks.find((c) => c.name === name) as Extract<SanityCheck, { name: N }>) ?? null
}

export const useSanityStore = defineStore('sanity', () => {
  const form = ref<SanityForm>({ ...DEFAULT_SANITY })
  /** The last suite: its result and the settings it ran with (the form may have moved on). */
  const last = shallowRef<{
    id: string
    result: SanityResult
    seconds: number
    form: SanityForm
  } | null>(null)
  const jobIds = ref<string[]>([])
  const error = ref<UiError | null>(null)

  async function run(): Promise<boolean> {
    error.value = null
    const ran = { ...form.value }
    const [o] = await runJobs(
      [{ kind: 'sanity', label: 'Sanity checks', config: sanityConfig(ran) }],
      (ids) => {
        jobIds.value = ids
      }
    )
    if (!o) return false
    if (!o.ok) {
      error.value = o.error
      return false
    }
    last.value = {
      id: o.done.jobId,
      result: o.done.result,
      seconds: o.done.seconds,
      form: ran
    }
    return true
  }

  async function cancel(): Promise<void> {
    await cancelJobs(jobIds.value)
  }

  return { form, last, jobIds, error, run, cancel }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useSanityStore, import.meta.hot))
