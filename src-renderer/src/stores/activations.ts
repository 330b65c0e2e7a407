/**
 * The Activations view's state: which curves are shown, their parameters and x range, and the
 * live forward pass (a depth job per activation) measuring saturated and dead fractions.
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { ACTIVATIONS, ActivationParams } from '../../../src-shared/experiments'
import type { ActivationCostResult } from '../../../src-shared/results'
import { cancelJobs, runJobs, type UiError } from '../composables/jobs'
import type { ActivationName } from '../math/activations'
import { DEFAULT_FORM, formToConfig, type InitName } from './depth'

export interface LiveRow {
  activation: ActivationName
  preStd: number
  mean: number
  std: number
  saturated: number
  dead: number
}

export const useActivationsStore = defineStore('activations', () => {
  const shown = ref<ActivationName[]>(['sigmoid', 'tanh', 'relu', 'leaky-relu', 'elu', 'gelu'])
  // The contract's defaults (ActivationParams.parse({})).
  const params = ActivationParams.parse({})
  const slope = ref(params.slope)
  /** ELU's α. */
  const alpha = ref(params.alpha)
  /** PReLU's α (its own control: 1 would draw the identity). */
  const preluAlpha = ref(params.preluAlpha)
  const pieces = ref(params.pieces)
  const from = ref(-10)
  const to = ref(10)

  // The depth experiment's defaults (width, samples, std) on one Xavier layer: this view's own
  // question (how each activation treats unit-variance input), not the depth view's 10 layers.
  const live = ref({
    init: 'xavier' as InitName,
    std: DEFAULT_FORM.std,
    layers: 1,
    width: DEFAULT_FORM.width,
    samples: DEFAULT_FORM.samples
  })
  const liveRows = shallowRef<LiveRow[]>([])
  const liveJobIds = ref<string[]>([])
  const liveError = ref<UiError | null>(null)

  /** The measured cost of every activation (one job on a worker). */
  const cost = shallowRef<ActivationCostResult | null>(null)
  const costJobIds = ref<string[]>([])
  const costError = ref<UiError | null>(null)

  async function runCost(): Promise<void> {
    costError.value = null
    const [o] = await runJobs(
      [
        {
          kind: 'activation-cost' as const,
          label: 'cost of activations',
          config: {
            activations: [...ACTIVATIONS],
            params: {
              slope: slope.value,
              alpha: alpha.value,
              preluAlpha: preluAlpha.value,
              pieces: pieces.value
            }
          }
        }
      ],
      (ids) => {
        costJobIds.value = ids
      }
    )
    if (!o) return
    if (o.ok) cost.value = o.done.result
    else costError.value = o.error
  }

  /** One depth job per shown activation (all of them if none shown), the same weights' rule. */
  async function runLive(): Promise<void> {
    liveError.value = null
    const names = shown.value.length ? [...shown.value] : [...ACTIVATIONS]
    const l = { ...live.value }
    const outcomes = await runJobs(
      names.map((activation) => ({
        kind: 'depth' as const,
        label: `forward pass: ${activation}`,
        config: formToConfig({
          ...DEFAULT_FORM,
          activation,
          init: l.init,
          std: l.std,
          layers: l.layers,
          width: l.width,
          samples: l.samples,
          slope: slope.value,
          alpha: alpha.value,
          preluAlpha: preluAlpha.value,
          pieces: pieces.value
        })
      })),
      (ids) => {
        liveJobIds.value = ids
      }
    )
    const rows: LiveRow[] = []
    outcomes.forEach((o, i) => {
      if (!o.ok) return
      const last = o.done.result.layers.at(-1)
      if (last)
        rows.push({
          activation: names[i]!,
          preStd: last.preStd,
          mean: last.mean,
          std: last.std,
          saturated: last.saturated,
          dead: last.dead
        })
    })
    liveRows.value = rows
    const failed = outcomes.find((o) => !o.ok)
    if (failed && !failed.ok) liveError.value = failed.error
  }

  async function cancel(): Promise<void> {
    await cancelJobs([...liveJobIds.value, ...costJobIds.value])
  }

  return {
    shown,
    slope,
    alpha,
    preluAlpha,
    pieces,
    from,
    to,
    live,
    liveRows,
    liveJobIds,
    liveError,
    cost,
    costJobIds,
    costError,
    runCost,
    runLive,
    cancel
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useActivationsStore, import.meta.hot))
