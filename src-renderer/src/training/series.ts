/**
 * A training run's series as the renderer accumulates them: the loss of every iteration, the
 * per-epoch history, and the layer × step statistics. Live updates (`job:progress.data`,
 * results.TrainLive) carry only what is new; `applyLive` appends them in place, and a finished
 * run's result replaces everything (`seriesFromResult`). Pure data, no Vue.
 */
import type { TrainEpoch, TrainLive, TrainResult, TrainUnits } from '../../../src-shared/results'

export interface TrainSeries {
  losses: number[]
  /** The first iteration's data loss and regularization term, once known. */
  initialLoss: { data: number; reg: number } | null
  /** Hidden units (dead, distinct) before and after training: a finished run's. */
  units: TrainUnits | null
  epochs: TrainEpoch[]
  /** Iteration of each statistics row. */
  statsIter: number[]
  /** actStd[s][l], gradNorm[s][l]: row s, layer block l. */
  actStd: number[][]
  gradNorm: number[][]
  lrChanges: { iter: number; lr: number }[]
  iter: number
  iterations: number
  lr: number | null
}

export function emptySeries(): TrainSeries {
  return {
    losses: [],
    initialLoss: null,
    units: null,
    epochs: [],
    statsIter: [],
    actStd: [],
    gradNorm: [],
    lrChanges: [],
    iter: 0,
    iterations: 0,
    lr: null
  }
}

export function isTrainLive(v: unknown): v is TrainLive {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as { kind?: unknown }).kind === 'train' &&
    Array.isArray((v as { losses?: unknown }).losses)
  )
}

/** Append one live update: losses land at their own iterations (a repeat overwrites). */
export function applyLive(s: TrainSeries, live: TrainLive): void {
  live.losses.forEach((l, k) => {
    s.losses[live.fromIter + k] = l
  })
  if (live.initialLoss) s.initialLoss = live.initialLoss
  for (const e of live.epochs) if (!s.epochs.some((x) => x.epoch === e.epoch)) s.epochs.push(e)
  for (const st of live.stats) {
    if (s.statsIter.length && st.iter <= s.statsIter.at(-1)!) continue
    s.statsIter.push(st.iter)
    s.actStd.push(st.actStd)
    s.gradNorm.push(st.gradNorm)
  }
  if (s.lr !== null && live.lr !== s.lr) s.lrChanges.push({ iter: live.iter, lr: live.lr })
  s.lr = live.lr
  s.iter = live.iter
  s.iterations = live.iterations
}

export function seriesFromResult(r: TrainResult): TrainSeries {
  return {
    losses: r.losses,
    initialLoss: r.initialLoss ?? null,
    units: r.status === 'diverged' ? null : (r.units ?? null),
    epochs: r.history,
    statsIter: r.stats.iter,
    actStd: r.stats.actStd,
    gradNorm: r.stats.gradNorm,
    lrChanges: r.lrChanges,
    iter: r.status === 'diverged' ? r.iteration : r.iterations,
    iterations: r.iterations,
    lr: r.lrChanges.at(-1)?.lr ?? r.history.at(-1)?.lr ?? null
  }
}
