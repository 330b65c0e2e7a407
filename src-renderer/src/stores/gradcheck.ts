/**
 * The Gradient check view's state: the form, the last check's result, and the h sweep
 * (relative error against h for float64 and float32, one gradcheck job per point).
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { JobConfigInput } from '../../../src-shared/contract'
import { GradcheckConfig } from '../../../src-shared/experiments'
import type { GradcheckResult } from '../../../src-shared/results'
import { cancelJobs, runJobs, type UiError } from '../composables/jobs'
import type { ActivationName } from './depth'

export interface GradcheckForm {
  activation: ActivationName
  layers: number
  width: number
  input: number
  classes: number
  samples: number
  h: number
  reg: number
  loss: GradcheckConfig['loss']
  seed: number
  dtype: GradcheckConfig['dtype']
  burnIn: number
  /** Entries checked per parameter; 0 = every entry. */
  sample: number
  /** Leave kink entries out of the verdict (both verdicts are reported either way). */
  excludeKinks: boolean
  slope: number
  /** ELU's α. */
  alpha: number
  /** PReLU's initial α. */
  preluAlpha: number
  pieces: number
}

/** The contract's defaults (GradcheckConfig.parse({})), flattened into the form. */
export const DEFAULT_GRADCHECK: GradcheckForm = (() => {
  const d = GradcheckConfig.parse({})
  return {
    activation: d.activation,
    layers: d.layers,
    width: d.width,
    input: d.input,
    classes: d.classes,
    samples: d.samples,
    h: d.h,
    reg: d.reg,
    loss: d.loss,
    seed: d.seed,
    dtype: d.dtype,
    burnIn: d.burnIn,
    sample: d.sample ?? 0,
    excludeKinks: d.excludeKinks,
    ...d.params
  }
})()

/** h from 1e-1 down to 1e-10: wide enough to see truncation (large h) and round-off (small h). */
export const SWEEP_H = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]

export interface GradcheckRun {
  id: string
  config: JobConfigInput<'gradcheck'>
  result: GradcheckResult
  seconds: number
}

export interface SweepPoint {
  dtype: GradcheckConfig['dtype']
  h: number
  /** The verdict quantity: the largest normRelError over the parameters. */
  normRelError: number
  /** The largest elementwise relError. */
  maxRelError: number
}

export function gradcheckConfig(f: GradcheckForm): JobConfigInput<'gradcheck'> {
  return {
    activation: f.activation,
    layers: f.layers,
    width: f.width,
    input: f.input,
    classes: f.classes,
    samples: f.samples,
    h: f.h,
    reg: f.reg,
    loss: f.loss,
    seed: f.seed,
    dtype: f.dtype,
    burnIn: f.burnIn,
    excludeKinks: f.excludeKinks,
    ...(f.sample > 0 ? { sample: f.sample } : {}),
    params: { slope: f.slope, alpha: f.alpha, preluAlpha: f.preluAlpha, pieces: f.pieces }
  }
}

export function worstNormRelError(r: GradcheckResult): number {
  return r.params.reduce((m, p) => Math.max(m, p.normRelError), 0)
}

export const useGradcheckStore = defineStore('gradcheck', () => {
  const form = ref<GradcheckForm>({ ...DEFAULT_GRADCHECK })
  const last = shallowRef<GradcheckRun | null>(null)
  const sweep = shallowRef<SweepPoint[]>([])
  const jobIds = ref<string[]>([])
  const sweepJobIds = ref<string[]>([])
  const error = ref<UiError | null>(null)
  const sweepError = ref<UiError | null>(null)

  async function run(): Promise<boolean> {
    error.value = null
    const config = gradcheckConfig(form.value)
    const label = `Gradient check (${config.activation}, ${config.dtype}, h = ${config.h})`
    const [o] = await runJobs([{ kind: 'gradcheck', label, config }], (ids) => {
      jobIds.value = ids
    })
    if (!o) return false
    if (!o.ok) {
      error.value = o.error
      return false
    }
    last.value = {
      id: o.done.jobId,
      config,
      result: o.done.result,
      seconds: o.done.seconds
    }
    return true
  }

  /** The form's check at every h in SWEEP_H, in float64 and in float32. */
  async function runSweep(): Promise<void> {
    sweepError.value = null
    const base = form.value
    const points = (['float64', 'float32'] as const).flatMap((dtype) =>
      SWEEP_H.map((h) => ({ dtype, h }))
    )
    const outcomes = await runJobs(
      points.map((p) => ({
        kind: 'gradcheck' as const,
        label: `h sweep: ${p.dtype}, h = ${p.h}`,
        config: gradcheckConfig({ ...base, ...p })
      })),
      (ids) => {
        sweepJobIds.value = ids
      }
    )
    const next: SweepPoint[] = []
    outcomes.forEach((o, i) => {
      const p = points[i]!
      if (o.ok) {
        const r = o.done.result
        next.push({ ...p, normRelError: worstNormRelError(r), maxRelError: r.maxRelError })
      }
    })
    sweep.value = next
    const failed = outcomes.find((o) => !o.ok)
    if (failed && !failed.ok) sweepError.value = failed.error
  }

  async function cancel(): Promise<void> {
    await cancelJobs([...jobIds.value, ...sweepJobIds.value])
  }

  return { form, last, sweep, jobIds, sweepJobIds, error, sweepError, run, runSweep, cancel }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useGradcheckStore, import.meta.hot))
