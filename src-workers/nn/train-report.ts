/**
 * The trainer's reporter: progress in [0, 1] every iteration, and now and then (at most every
 * `liveMs`, or when forced) a live update holding what is new since the last one delivered —
 * losses, epochs, layer statistics — so the UI draws the run as it trains.
 */
import type { TrainEpoch, TrainLive, TrainStats } from '../../src-shared/results'

export interface RunRecord {
  losses: number[]
  /** The first iteration's loss in its data and regularization parts, once there is one. */
  initialLoss: () => { data: number; reg: number } | undefined
  history: TrainEpoch[]
  stats: TrainStats
}

export interface Reporter {
  /** Reports the run at iteration `iter` of `total`; `force` sends a live update now. */
  report(at: { iter: number; epoch: number; lr: number }, force?: boolean, paused?: boolean): void
}

export function createReporter(
  progress: ((fraction: number, live?: TrainLive) => boolean) | undefined,
  record: RunRecord,
  total: number,
  liveMs = 250
): Reporter {
  let lastLive = -Infinity
  let sentLosses = 0
  let sentEpochs = 0
  let sentStats = 0
  const { losses, history, stats } = record
  return {
    report({ iter, epoch, lr }, force = false, paused = false) {
      if (!progress) return
      const fraction = total > 0 ? iter / total : 1
      const now = performance.now()
      if (!force && now - lastLive < liveMs) {
        progress(fraction)
        return
      }
      const initial = record.initialLoss()
      const live: TrainLive = {
        kind: 'train',
        iter,
        iterations: total,
        epoch,
        lr,
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
