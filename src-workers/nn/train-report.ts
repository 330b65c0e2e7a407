/**
 * The trainer's reporter: the run's record (losses, epochs, layer statistics, learning-rate
 * changes, timing), progress in [0, 1] every iteration with, now and then (at most every
 * `liveMs`, or when forced), a live update holding what is new since the last one delivered, so
 * the UI draws the run as it trains; and the result's shared part and a divergence's words,
 * built from the record.
 */
import type {
  TrainCommon,
  TrainDivergence,
  TrainEpoch,
  TrainLive,
  TrainResult,
  TrainStats
} from '../../src-shared/results'
import { EXPLOSION_WINDOW } from './explosion'
import type { Diverged } from './train-step'

/** What a run has done so far: the loop writes it, the reporter and the result read it. */
export interface TrainRecord {
  losses: number[]
  /** The first iteration's loss in its data and regularization parts, once there is one. */
  initialLoss: { data: number; reg: number } | undefined
  history: TrainEpoch[]
  stats: TrainStats
  lrChanges: { iter: number; lr: number }[]
  /** Iterations done. */
  iter: number
  /** The epoch under way (0-based; after the last one, the number of epochs run). */
  epoch: number
  /** The learning rate now. */
  lr: number
  /** Date.now() and performance.now() at the start. */
  startedAt: number
  t0: number
  /** Milliseconds spent paused, and inside finished steps. */
  pausedMs: number
  stepMs: number
}

/** An empty record for a run started at `start` with rate `lr`, with statistics of `layers` weights. */
export function createRecord(
  start: { startedAt: number; t0: number },
  lr: number,
  statsEvery: number,
  layers: number
): TrainRecord {
  return {
    losses: [],
    initialLoss: undefined,
    history: [],
    stats: { every: statsEvery, layers, iter: [], actStd: [], gradNorm: [] },
    lrChanges: [],
    iter: 0,
    epoch: 0,
    lr,
    startedAt: start.startedAt,
    t0: start.t0,
    pausedMs: 0,
    stepMs: 0
  }
}

/** Seconds since the start, pauses excluded. */
export function elapsedSeconds(r: TrainRecord): number {
  return (performance.now() - r.t0 - r.pausedMs) / 1000
}

/** Keeps a finished iteration: its loss, and its layer statistics when it took them. */
export function recordIteration(
  r: TrainRecord,
  loss: number,
  actStd: number[] | null,
  gradNorm: number[] | null
): void {
  if (actStd && gradNorm) {
    r.stats.iter.push(r.iter)
    r.stats.actStd.push(actStd)
    r.stats.gradNorm.push(gradNorm)
  }
  r.losses.push(loss)
  r.iter++
}

/** Sets a new learning rate, noting the change (a rate equal to the current one is no change). */
export function changeLearningRate(r: TrainRecord, lr: number): void {
  if (lr === r.lr) return
  r.lr = lr
  r.lrChanges.push({ iter: r.iter, lr })
}

/** The part of the result every ending shares, as of now. */
export function commonOf(
  r: TrainRecord,
  run: { itersPerEpoch: number; batch: number; workers: number }
): TrainCommon {
  return {
    history: r.history,
    losses: r.losses,
    ...(r.initialLoss ? { initialLoss: r.initialLoss } : {}),
    stats: r.stats,
    lrChanges: r.lrChanges,
    iterations: r.iter,
    itersPerEpoch: run.itersPerEpoch,
    seconds: elapsedSeconds(r),
    examplesPerSecond: r.stepMs > 0 ? (r.iter * run.batch) / (r.stepMs / 1000) : 0,
    pausedSeconds: r.pausedMs / 1000,
    startedAt: r.startedAt,
    endedAt: Date.now(),
    workers: run.workers
  }
}

export interface Reporter {
  /** Reports the run as its record stands; `force` sends a live update now. */
  report(force?: boolean, paused?: boolean): void
}

/** A reporter of `record` to `progress` (none: reports go nowhere), `total` iterations in all. */
export function createReporter(
  progress: ((fraction: number, live?: TrainLive) => boolean) | undefined,
  record: TrainRecord,
  total: number,
  liveMs = 250
): Reporter {
  let lastLive = -Infinity
  let sentLosses = 0
  let sentEpochs = 0
  let sentStats = 0
  const { losses, history, stats } = record
  return {
    report(force = false, paused = false) {
      if (!progress) return
      const fraction = total > 0 ? record.iter / total : 1
      const now = performance.now()
      if (!force && now - lastLive < liveMs) {
        progress(fraction)
        return
      }
      const initial = record.initialLoss
      const live: TrainLive = {
        kind: 'train',
        iter: record.iter,
        iterations: total,
        epoch: record.epoch,
        lr: record.lr,
        paused,
        fromIter: sentLosses,
        losses: losses.slice(sentLosses),
        ...(initial ? { initialLoss: initial } : {}),
        epochs: history.slice(sentEpochs),
        stats: stats.iter.slice(sentStats).map((it, k) => ({
          iter: it,
          actStd: stats.actStd[sentStats + k]!,
          gradNorm: stats.gradNorm[sentStats + k]!
        }))
      }
      if (progress(fraction, live)) {
        lastLive = now
        sentLosses = losses.length
        sentEpochs = history.length
        sentStats = stats.iter.length
      }
    }
  }
}

const sig = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : String(x))

/**
 * A diverged run's result: where and why, in words built from the numbers. `lossBlock` is the
 * block an explosion of the loss is placed in.
 */
export function divergedResult(
  common: TrainCommon,
  r: TrainRecord,
  { iteration: at, divergence: d }: Diverged,
  lossBlock: number
): TrainResult {
  const exploded = d.kind === 'exploded'
  const layer = exploded ? lossBlock : d.layer
  const where = exploded ? 'loss' : d.where
  const divergence: TrainDivergence = exploded
    ? { iteration: at, reason: 'exploded', loss: d.loss, first: d.first, factor: d.factor }
    : { iteration: at, reason: 'non-finite', loss: d.loss, first: r.losses[0] ?? null, layer }
  return {
    ...common,
    status: 'diverged',
    final: null,
    iteration: at,
    epoch: r.epoch + 1,
    layer,
    where,
    message: exploded
      ? `diverged at iteration ${at}: the loss (averaged over the last ${Math.min(at, EXPLOSION_WINDOW)} iterations) rose to ${sig(d.loss)}, ${sig(d.loss / d.first)}× its first value ${sig(d.first)} (--diverge-above ${d.factor})`
      : `diverged at iteration ${at} (layer ${layer}${where === 'loss' ? ', the loss' : `, ${where}`})`,
    divergence
  }
}
