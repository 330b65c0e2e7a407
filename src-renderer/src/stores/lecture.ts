/**
 * The Lecture view's state: each claim's last card (from a `lecture` job), which claims are
 * running, the last full report's job (to keep it in the session), and the two demonstrations'
 * forms and results (the scalar gradient check and the W = ωI net). Serialisable only.
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { OmegaConfig, ScalarCheckConfig } from '../../../src-shared/experiments'
import {
  LectureConfig,
  type LectureCardResult,
  type LectureResult
} from '../../../src-shared/lecture'
import type { OmegaResult, ScalarCheckResult } from '../../../src-shared/results'
import { cancelJobs, runJobs, type UiError } from '../composables/jobs'

export interface ScalarForm {
  fn: ScalarCheckConfig['fn']
  /** Empty: the function's own point (3 for x⁴, 1 for sin and exp, the kink 0 otherwise). */
  x: number | ''
  perDecade: number
}

export interface OmegaForm {
  layers: number
  width: number
  /** Comma-separated ω values. */
  omegas: string
  dtype: OmegaConfig['dtype']
}

/** The scalar check's form at the contract's defaults (ScalarCheckConfig.parse({})). */
export function defaultScalarForm(): ScalarForm {
  const d = ScalarCheckConfig.parse({})
  return { fn: d.fn, x: d.x ?? '', perDecade: d.perDecade }
}

/** The ωI demo's form at the contract's defaults (OmegaConfig.parse({})). */
export function defaultOmegaForm(): OmegaForm {
  const d = OmegaConfig.parse({})
  return { layers: d.layers, width: d.width, omegas: d.omegas.join(', '), dtype: d.dtype }
}

/** "0.5, 0.9, 1.1" → numbers; null when any part is not a positive number. */
export function parseOmegas(text: string): number[] | null {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const vs = parts.map(Number)
  return vs.length > 0 && vs.every((v) => Number.isFinite(v) && v > 0) ? vs : null
}

export const useLectureStore = defineStore('lecture', () => {
  const cards = ref<Record<string, LectureCardResult>>({})
  /** Claim id → job id of the card run in flight. */
  const running = ref<Record<string, string>>({})
  const allJobIds = ref<string[]>([])
  /** The last complete report (every claim), with its job id for "Add to session". */
  const report = shallowRef<{ jobId: string; result: LectureResult } | null>(null)
  const error = ref<UiError | null>(null)
  const seeds = ref(LectureConfig.parse({}).seeds)

  const scalarForm = ref<ScalarForm>(defaultScalarForm())
  const scalar = shallowRef<{ jobId: string; result: ScalarCheckResult } | null>(null)
  const scalarJobIds = ref<string[]>([])
  const omegaForm = ref<OmegaForm>(defaultOmegaForm())
  const omega = shallowRef<{ jobId: string; result: OmegaResult } | null>(null)
  const omegaJobIds = ref<string[]>([])
  const demoError = ref<UiError | null>(null)

  function keep(list: LectureCardResult[]): void {
    const next = { ...cards.value }
    for (const c of list) next[c.id] = c
    cards.value = next
  }

  /** Run one claim live (its seeds on the pool). */
  async function runCard(id: string): Promise<boolean> {
    error.value = null
    const [o] = await runJobs(
      [{ kind: 'lecture', label: `Lecture: ${id}`, config: { only: [id], seeds: seeds.value } }],
      (ids) => {
        running.value = { ...running.value, [id]: ids[0]! }
      }
    )
    const { [id]: _, ...rest } = running.value
    running.value = rest
    if (!o) return false
    if (!o.ok) {
      if (o.error.code !== 'cancelled') error.value = o.error
      return false
    }
    keep(o.done.result.cards)
    return true
  }

  /** Run every claim as one job (the same report as `layerscope lecture`). */
  async function runAll(): Promise<boolean> {
    error.value = null
    const [o] = await runJobs(
      [{ kind: 'lecture', label: 'The whole lecture', config: { seeds: seeds.value } }],
      (ids) => {
        allJobIds.value = ids
      }
    )
    if (!o) return false
    if (!o.ok) {
      if (o.error.code !== 'cancelled') error.value = o.error
      return false
    }
    const result = o.done.result
    keep(result.cards)
    report.value = { jobId: o.done.jobId, result }
    return true
  }

  async function cancelCard(id: string): Promise<void> {
    const job = running.value[id]
    if (job) await cancelJobs([job])
  }
  async function cancelAllCards(): Promise<void> {
    await cancelJobs([...allJobIds.value, ...Object.values(running.value)])
  }

  async function runScalar(): Promise<boolean> {
    demoError.value = null
    const f = scalarForm.value
    const [o] = await runJobs(
      [
        {
          kind: 'scalar-check',
          label: 'Scalar gradient check',
          config: { fn: f.fn, perDecade: f.perDecade, ...(f.x === '' ? {} : { x: f.x }) }
        }
      ],
      (ids) => {
        scalarJobIds.value = ids
      }
    )
    if (!o) return false
    if (!o.ok) {
      demoError.value = o.error
      return false
    }
    scalar.value = { jobId: o.done.jobId, result: o.done.result }
    return true
  }

  async function runOmega(): Promise<boolean> {
    demoError.value = null
    const f = omegaForm.value
    const omegas = parseOmegas(f.omegas)
    if (!omegas) {
      demoError.value = {
        code: 'invalid-args',
        message: `ω values: '${f.omegas}' is not a list of positive numbers (e.g. 0.9, 1.1)`
      }
      return false
    }
    const [o] = await runJobs(
      [
        {
          kind: 'omega',
          label: 'W = ωI demonstration',
          config: { layers: f.layers, width: f.width, omegas, dtype: f.dtype }
        }
      ],
      (ids) => {
        omegaJobIds.value = ids
      }
    )
    if (!o) return false
    if (!o.ok) {
      demoError.value = o.error
      return false
    }
    omega.value = { jobId: o.done.jobId, result: o.done.result }
    return true
  }

  return {
    cards,
    running,
    allJobIds,
    report,
    error,
    seeds,
    scalarForm,
    scalar,
    scalarJobIds,
    omegaForm,
    omega,
    omegaJobIds,
    demoError,
    runCard,
    runAll,
    cancelCard,
    cancelAllCards,
    runScalar,
    runOmega
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLectureStore, import.meta.hot))
