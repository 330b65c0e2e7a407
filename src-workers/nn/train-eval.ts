/**
 * The trainer's evaluator: accuracy of the net on rows of a split, forward only, in chunks of a
 * forward-only workspace. A non-finite layer output is returned as a divergence (a value), since
 * it means the last update blew the weights up.
 */
import { firstNonFinite } from './divergence'
import type { Net } from './net'
import { divergedAt, type DivergedAt } from './train-step'
import type { TrainSplit, TrainSplits } from './trainer'
import type { NetWorkspace } from './workspace'
import { workspaceForward } from './workspace'

export type Accuracy = { ok: true; acc: number } | { ok: false; diverged: DivergedAt }

export type Evaluate = (split: TrainSplit, indices: ArrayLike<number> | number) => Accuracy

/**
 * Accuracy over `indices` of a split (or its first n rows when a number), argmax of the scores
 * against the label, ties to the lowest class.
 */
export function createEvaluator(
  net: Net<Float32Array>,
  data: TrainSplits,
  ws: NetWorkspace<Float32Array>
): Evaluate {
  const chunk = ws.rows
  const { dim, classes } = data
  const evalY = new Int32Array(chunk)
  return (split, indices) => {
    const n = typeof indices === 'number' ? indices : indices.length
    if (n === 0) return { ok: true, acc: 0 }
    let right = 0
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start)
      const idx =
        typeof indices === 'number'
          ? Int32Array.from({ length: m }, (_, i) => start + i)
          : Array.prototype.slice.call(indices, start, start + m)
      data.gather(split, idx, ws.X.subarray(0, m * dim), evalY.subarray(0, m))
      const fwd = workspaceForward(net, ws, m)
      const bad = firstNonFinite(net, fwd)
      if (bad) return { ok: false, diverged: divergedAt(net, bad) }
      const s = fwd.scores.data
      for (let i = 0; i < m; i++) {
        let best = 0
        for (let j = 1; j < classes; j++) if (s[i * classes + j]! > s[i * classes + best]!) best = j
        if (best === evalY[i]) right++
      }
    }
    return { ok: true, acc: right / n }
  }
}
