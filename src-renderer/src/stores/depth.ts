/**
 * The Depth view's state: the form, the runs kept for overlaying, which run the table shows,
 * the two-run histogram comparison, and the activation × init grid. Serialisable only: results
 * are plain JSON (kept in shallowRef and replaced, never deep-watched); job ids are strings.
 */
import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { JobConfigInput } from '../../../src-shared/contract'
import {
  DepthConfig,
  type ACTIVATIONS,
  type INITS,
  type PREPROCESS_MODES
} from '../../../src-shared/experiments'
import type { DepthResult } from '../../../src-shared/results'
import { cancelJobs, runJobs, type UiError } from '../composables/jobs'

export type ActivationName = (typeof ACTIVATIONS)[number]
export type InitName = (typeof INITS)[number]
export type PreprocessName = (typeof PREPROCESS_MODES)[number]

export interface DepthForm {
  layers: number
  width: number
  activation: ActivationName
  init: InitName
  std: number
  samples: number
  input: DepthConfig['input']
  preprocess: PreprocessName
  upstream: DepthConfig['upstream']
  bins: number
  seed: number
  dtype: DepthConfig['dtype']
  slope: number
  /** ELU's α. */
  alpha: number
  /** PReLU's initial α (its own: 1 would make PReLU the identity). */
  preluAlpha: number
  pieces: number
  /** Every unit's bias (0: no bias, as the seed's experiment). */
  bias: number
}

/** The contract's defaults (DepthConfig.parse({})), flattened into the form. */
export const DEFAULT_FORM: DepthForm = (() => {
  const d = DepthConfig.parse({})
  return {
    layers: d.layers,
    width: d.width,
    activation: d.activation,
    init: d.init,
    std: d.std,
    samples: d.samples,
    input: d.input,
    preprocess: d.preprocess,
    upstream: d.upstream,
    bins: d.bins,
    seed: d.seed,
    dtype: d.dtype,
    ...d.params,
    bias: d.bias ?? 0
  }
})()

/** The seed's five experiments (10 tanh/ReLU layers of 500 units, 1000 Gaussian samples). */
export const PRESETS = [
  { id: 'tanh-small', label: 'tanh + N(0, 0.01)', activation: 'tanh', init: 'normal', std: 0.01 },
  { id: 'tanh-large', label: 'tanh + N(0, 1)', activation: 'tanh', init: 'normal', std: 1 },
  { id: 'tanh-xavier', label: 'tanh + Xavier', activation: 'tanh', init: 'xavier', std: 0.01 },
  { id: 'relu-xavier', label: 'ReLU + Xavier', activation: 'relu', init: 'xavier', std: 0.01 },
  { id: 'relu-he', label: 'ReLU + He', activation: 'relu', init: 'he', std: 0.01 }
] as const satisfies readonly {
  id: string
  label: string
  activation: ActivationName
  init: InitName
  std: number
}[]
export type PresetId = (typeof PRESETS)[number]['id']

export interface DepthRun {
  id: string
  label: string
  config: JobConfigInput<'depth'>
  result: DepthResult
  seconds: number
}

export interface GridCell {
  activation: ActivationName
  init: InitName
  /** std of the last layer's activations. */
  lastStd: number | null
  /** std of ∂L/∂W₁, the first layer's weight gradient. */
  firstGradStd: number | null
  error: string | null
}

/** Runs kept for overlaying; the oldest goes first. */
export const MAX_RUNS = 12

/** "N(0, 0.01)", "Xavier", … as the lecture names them. */
export function initLabel(init: InitName, std: number): string {
  if (init === 'normal') return `N(0, ${std})`
  if (init === 'constant') return `all ${std}`
  return {
    zeros: 'zeros',
    xavier: 'Xavier',
    glorot: 'Glorot',
    he: 'He',
    orthogonal: 'orthogonal',
    lsuv: 'LSUV'
  }[init]
}

export function activationLabel(a: ActivationName): string {
  return a === 'relu'
    ? 'ReLU'
    : a === 'leaky-relu'
      ? 'leaky ReLU'
      : a === 'prelu'
        ? 'PReLU'
        : a === 'elu'
          ? 'ELU'
          : a === 'selu'
            ? 'SELU'
            : a === 'gelu'
              ? 'GELU'
              : a
}

/** The job configuration the form describes (the same object the CLI builds from its options). */
export function formToConfig(f: DepthForm): JobConfigInput<'depth'> {
  return {
    layers: f.layers,
    width: f.width,
    activation: f.activation,
    init: f.init,
    std: f.std,
    samples: f.samples,
    input: f.input,
    preprocess: f.preprocess,
    upstream: f.upstream,
    bins: f.bins,
    seed: f.seed,
    dtype: f.dtype,
    params: { slope: f.slope, alpha: f.alpha, preluAlpha: f.preluAlpha, pieces: f.pieces },
    ...(f.bias !== 0 ? { bias: f.bias } : {})
  }
}

/** A run's name: activation + init, and whatever differs from the seed's setup. */
export function runLabel(f: DepthForm): string {
  const extra: string[] = []
  if (f.layers !== DEFAULT_FORM.layers) extra.push(`${f.layers} layers`)
  if (f.width !== DEFAULT_FORM.width) extra.push(`width ${f.width}`)
  if (f.input === 'cifar') extra.push(`CIFAR-10, ${f.preprocess}`)
  if (f.bias !== 0) extra.push(`bias ${f.bias}`)
  if (f.seed !== DEFAULT_FORM.seed) extra.push(`seed ${f.seed}`)
  const base = `${activationLabel(f.activation)} + ${initLabel(f.init, f.std)}`
  return extra.length ? `${base} (${extra.join(', ')})` : base
}

export const useDepthStore = defineStore('depth', () => {
  const form = ref<DepthForm>({ ...DEFAULT_FORM })
  const runs = shallowRef<DepthRun[]>([])
  const selectedId = ref<string | null>(null)
  const compare = ref<{ a: string | null; b: string | null; layer: number }>({
    a: null,
    b: null,
    layer: 5
  })
  const logScale = ref(true)
  const jobIds = ref<string[]>([])
  const error = ref<UiError | null>(null)

  const mode = ref<'runs' | 'grid'>('runs')
  const gridActivations = ref<ActivationName[]>(['tanh', 'relu', 'sigmoid'])
  const gridInits = ref<InitName[]>(['normal', 'xavier', 'he'])
  const gridCells = shallowRef<GridCell[]>([])
  const gridJobIds = ref<string[]>([])
  const gridError = ref<UiError | null>(null)

  const selected = computed(
    () => runs.value.find((r) => r.id === selectedId.value) ?? runs.value.at(-1) ?? null
  )

  function applyPreset(id: PresetId): void {
    const p = PRESETS.find((x) => x.id === id)
    if (!p) return
    form.value = {
      ...DEFAULT_FORM,
      seed: form.value.seed,
      activation: p.activation,
      init: p.init,
      std: p.std
    }
  }

  function addRun(run: DepthRun): void {
    const others = runs.value.filter((r) => r.id !== run.id)
    let label = run.label
    for (let n = 2; others.some((r) => r.label === label); n++) label = `${run.label} #${n}`
    const next = [...others, { ...run, label }].slice(-MAX_RUNS)
    const prev = next.at(-2)
    runs.value = next
    selectedId.value = run.id
    compare.value = {
      a: prev?.id ?? run.id,
      b: run.id,
      layer: Math.min(Math.max(1, compare.value.layer), run.result.layers.length)
    }
  }

  function removeRun(id: string): void {
    runs.value = runs.value.filter((r) => r.id !== id)
    if (selectedId.value === id) selectedId.value = runs.value.at(-1)?.id ?? null
    const c = compare.value
    const fallback = runs.value.at(-1)?.id ?? null
    compare.value = {
      ...c,
      a: c.a === id ? (runs.value.at(-2)?.id ?? fallback) : c.a,
      b: c.b === id ? fallback : c.b
    }
  }

  function clearRuns(): void {
    runs.value = []
    selectedId.value = null
    compare.value = { ...compare.value, a: null, b: null }
  }

  /** Run the form's experiment; on success it joins the overlaid runs. */
  async function run(): Promise<boolean> {
    error.value = null
    const f = { ...form.value }
    const label = runLabel(f)
    const [outcome] = await runJobs([{ kind: 'depth', label, config: formToConfig(f) }], (ids) => {
      jobIds.value = ids
    })
    if (!outcome) return false
    if (!outcome.ok) {
      error.value = outcome.error
      return false
    }
    addRun({
      id: outcome.done.jobId,
      label,
      config: formToConfig(f),
      result: outcome.done.result,
      seconds: outcome.done.seconds
    })
    return true
  }

  /** Every activation × init pair of the grid as parallel depth jobs (the form's other settings). */
  async function runGrid(): Promise<void> {
    gridError.value = null
    const f = { ...form.value }
    const pairs = gridActivations.value.flatMap((activation) =>
      gridInits.value.map((init) => ({ activation, init }))
    )
    if (pairs.length === 0) {
      gridError.value = {
        code: 'invalid-args',
        message: 'pick at least one activation and one init'
      }
      return
    }
    gridCells.value = pairs.map((p) => ({ ...p, lastStd: null, firstGradStd: null, error: null }))
    const outcomes = await runJobs(
      pairs.map((p) => ({
        kind: 'depth' as const,
        label: `grid: ${activationLabel(p.activation)} + ${initLabel(p.init, f.std)}`,
        config: formToConfig({ ...f, ...p })
      })),
      (ids) => {
        gridJobIds.value = ids
      }
    )
    gridCells.value = pairs.map((p, i) => {
      const o = outcomes[i]
      if (!o || !o.ok)
        return { ...p, lastStd: null, firstGradStd: null, error: o?.error.message ?? 'not run' }
      const r = o.done.result
      return {
        ...p,
        lastStd: r.layers.at(-1)?.std ?? null,
        firstGradStd: r.layers[0]?.dW.std ?? null,
        error: null
      }
    })
    const failed = outcomes.find((o) => !o.ok)
    if (failed && !failed.ok) gridError.value = failed.error
  }

  async function cancel(): Promise<void> {
    await cancelJobs([...jobIds.value, ...gridJobIds.value])
  }

  return {
    form,
    runs,
    selectedId,
    selected,
    compare,
    logScale,
    jobIds,
    error,
    mode,
    gridActivations,
    gridInits,
    gridCells,
    gridJobIds,
    gridError,
    applyPreset,
    addRun,
    removeRun,
    clearRuns,
    run,
    runGrid,
    cancel
  }
})

// Hot reload in development keeps the store's state instead of a stale copy.
if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useDepthStore, import.meta.hot))
