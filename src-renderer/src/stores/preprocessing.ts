/**
 * The Preprocessing view's state: which modes to compare, each mode's fitted report (statistics,
 * mean image, before/after histograms), and "train each" — one `compare` job training identical
 * nets under every mode in parallel, its live curves (shallowRef, throttled) and outcome.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { PreprocessJobResult } from '../../../src-shared/datasets'
import type { PREPROCESS_MODES } from '../../../src-shared/experiments'
import type { TrainFinal } from '../../../src-shared/results'
import { useLab } from '../api/client'
import {
  applyLive,
  emptySeries,
  isTrainLive,
  seriesFromResult,
  type TrainSeries
} from '../training/series'
import { toUiError, type UiError } from '../uiError'
import { useJobsStore } from './jobs'
import { FLUSH_MS } from './training'

export type Mode = (typeof PREPROCESS_MODES)[number]

export interface CompareRunMeta {
  mode: Mode
  status: 'running' | 'completed' | 'stopped' | 'diverged' | 'failed'
  final: TrainFinal | null
  error: string | null
}

export interface TrainEachSettings {
  hidden: number
  epochs: number
  batch: number
  lr: number
  reg: number
  val: number
  seed: number
}

/** Which mode won by final validation accuracy, and by how much over the runner-up. */
export function compareSummary(
  runs: CompareRunMeta[]
): { best: Mode; valAcc: number; runnerUp: Mode | null; margin: number | null } | null {
  const ranked = runs
    .filter((r) => r.final && r.final.valAcc !== null)
    .sort((a, b) => b.final!.valAcc! - a.final!.valAcc!)
  const best = ranked[0]
  if (!best) return null
  const second = ranked[1]
  return {
    best: best.mode,
    valAcc: best.final!.valAcc!,
    runnerUp: second?.mode ?? null,
    margin: second ? best.final!.valAcc! - second.final!.valAcc! : null
  }
}

export const usePreprocessingStore = defineStore('preprocessing', () => {
  const modes = ref<Mode[]>(['mean-image', 'channel-mean'])
  const reports = shallowRef<Partial<Record<Mode, PreprocessJobResult>>>({})
  const fitJobId = ref<string | null>(null)
  /** The finished fit job of each mode, so it can be kept as a session run. */
  const reportJobs = ref<Record<string, string>>({})
  const fitError = ref<UiError | null>(null)
  const settings = ref<TrainEachSettings>({
    hidden: 50,
    epochs: 5,
    batch: 50,
    // mean-image and channel-mean leave the 0–255 scale: 1e-3 explodes on them within 10 steps.
    lr: 1e-6,
    reg: 1e-3,
    val: 60,
    seed: 1
  })
  const compareJobId = ref<string | null>(null)
  const compareError = ref<UiError | null>(null)
  const compareRuns = ref<CompareRunMeta[]>([])
  const compareSeries = shallowRef<TrainSeries[]>([])
  const buffers: TrainSeries[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  let listening = false

  function flush(): void {
    timer = null
    compareSeries.value = buffers.map((s) => ({ ...s }))
  }

  function listen(): void {
    if (listening) return
    listening = true
    useLab().on('job:progress', (e) => {
      if (e.jobId !== compareJobId.value || !isTrainLive(e.data)) return
      const i = e.data.run ?? 0
      const buf = buffers[i]
      if (!buf) return
      applyLive(buf, e.data)
      if (timer === null) timer = setTimeout(flush, FLUSH_MS)
    })
  }

  /** Fit every selected mode (one `preprocess` job each, one after another). */
  async function fit(): Promise<void> {
    fitError.value = null
    const jobs = useJobsStore()
    for (const mode of [...modes.value]) {
      try {
        const started = await jobs.start({
          kind: 'preprocess',
          config: { mode, val: settings.value.val },
          label: `Fit ${mode}`
        })
        fitJobId.value = started.jobId
        const done = await started.result
        reports.value = { ...reports.value, [mode]: done.result }
        reportJobs.value = { ...reportJobs.value, [mode]: started.jobId }
      } catch (err) {
        fitError.value = toUiError(err)
        return
      }
    }
  }

  /** "Train each": identical nets, one per selected mode, in parallel on the pool. */
  async function trainEach(): Promise<void> {
    listen()
    compareError.value = null
    const list = [...modes.value]
    const s = settings.value
    buffers.length = 0
    for (let i = 0; i < list.length; i++) buffers.push(emptySeries())
    compareRuns.value = list.map((mode) => ({ mode, status: 'running', final: null, error: null }))
    flush()
    const jobs = useJobsStore()
    try {
      const started = await jobs.start({
        kind: 'compare',
        config: {
          base: 'train',
          config: {
            data: { type: 'dataset' },
            hidden: [s.hidden],
            epochs: s.epochs,
            batch: s.batch,
            lr: s.lr,
            reg: s.reg,
            val: s.val,
            seed: s.seed,
            statsEvery: 10
          },
          vary: { preprocess: list }
        },
        label: `Train each: ${list.join(' vs ')}`
      })
      compareJobId.value = started.jobId
      const done = await started.result
      const result = done.result
      if (result.base !== 'train')
        throw new Error(`a ${result.base} comparison, not a training one`)
      result.runs.forEach((run, i) => {
        const meta = compareRuns.value[i]
        if (!meta) return
        if ('error' in run) {
          meta.status = 'failed'
          meta.error = run.error.message
          return
        }
        const r = run.result
        buffers[i] = seriesFromResult(r)
        meta.status = r.status
        meta.final = r.status === 'diverged' ? null : r.final
      })
    } catch (err) {
      compareError.value = toUiError(err)
      for (const m of compareRuns.value) if (m.status === 'running') m.status = 'failed'
    }
    flush()
  }

  return {
    reportJobs,
    modes,
    reports,
    fitJobId,
    fitError,
    settings,
    compareJobId,
    compareError,
    compareRuns,
    compareSeries,
    fit,
    trainEach
  }
})
