/**
 * The trainer's evaluator: accuracy of the net on rows of a split, forward only, in chunks of a
 * forward-only workspace. A non-finite layer output is returned as a divergence (a value), since
 * it means the last update blew the weights up.
 */
import { firstNonFinite } from './divergence'
import { countCorrect, type Net } from './net'
import { blockOutputs, divergedAt, type DivergedAt } from './train-step'
import type { TrainUnits } from '../../src-shared/results'
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
  const { dim } = data
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
      right += countCorrect(fwd.scores, evalY)
    }
    return { ok: true, acc: right / n }
  }
}

export type Accuracies =
  { ok: true; trainAcc: number; valAcc: number | null } | { ok: false; diverged: DivergedAt }

/**
 * Train accuracy on the rows `trainIdx` and validation accuracy on the whole validation split
 * (null when it is empty); a divergence if the weights blew up.
 */
export function accuracies(
  evaluate: Evaluate,
  data: TrainSplits,
  trainIdx: ArrayLike<number>
): Accuracies {
  const train = evaluate('train', trainIdx)
  if (!train.ok) return train
  if (data.count.val === 0) return { ok: true, trainAcc: train.acc, valAcc: null }
  const val = evaluate('val', data.count.val)
  if (!val.ok) return val
  return { ok: true, trainAcc: train.acc, valAcc: val.acc }
}

/** Training examples the unit probe looks at (the first ones of the training split). */
export const UNIT_PROBE_EXAMPLES = 1000

/**
 * Each hidden block's units on the first `n` training examples: `dead`, the fraction of units
 * that output exactly 0 for every example (ReLU's dead units), and `distinct`, how many units
 * differ from each other somewhere (columns compared by two fixed random projections, which
 * identical columns — identical float operations — always share). Forward only; no RNG used.
 */
export function probeUnits(
  net: Net<Float32Array>,
  data: TrainSplits,
  ws: NetWorkspace<Float32Array>,
  n: number
): { width: number[]; dead: number[]; distinct: number[] } {
  const blocks = blockOutputs(net).slice(0, -1)
  const chunk = ws.rows
  const y = new Int32Array(chunk)
  const alive: Uint8Array[] = []
  const h1: Float64Array[] = []
  const h2: Float64Array[] = []
  let widths: number[] = []
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start)
    const idx = Int32Array.from({ length: m }, (_, i) => start + i)
    data.gather('train', idx, ws.X.subarray(0, m * data.dim), y.subarray(0, m))
    const fwd = workspaceForward(net, ws, m)
    blocks.forEach((o, b) => {
      const H = fwd.outputs[o]!
      const D = H.cols
      if (start === 0) {
        widths = blocks.map((ob) => fwd.outputs[ob]!.cols)
        alive[b] = new Uint8Array(D)
        h1[b] = new Float64Array(D)
        h2[b] = new Float64Array(D)
      }
      const a = alive[b]!
      const p = h1[b]!
      const q = h2[b]!
      for (let i = 0; i < m; i++) {
        const r = start + i
        // Two fixed weights per example (no RNG): irrational multiples, fractional parts.
        const w1 = ((r + 1) * 0.6180339887498949) % 1
        const w2 = ((r + 1) * 0.7548776662466927) % 1
        for (let j = 0; j < D; j++) {
          const v = H.data[i * D + j]!
          if (v !== 0) a[j] = 1
          p[j]! += w1 * v
          q[j]! += w2 * v
        }
      }
    })
  }
  return {
    width: widths,
    dead: alive.map((a) => (a.length ? (a.length - a.reduce((s, x) => s + x, 0)) / a.length : 0)),
    distinct: h1.map((p, b) => new Set(Array.from(p, (v, j) => `${v}|${h2[b]![j]}`)).size)
  }
}

export type UnitProbe = ReturnType<typeof probeUnits>

/** The result's units: the probe of `n` examples before training and after it. */
export function unitsOf(atStart: UnitProbe, atEnd: UnitProbe, n: number): TrainUnits {
  return {
    examples: n,
    width: atStart.width,
    deadAtStart: atStart.dead,
    deadAtEnd: atEnd.dead,
    distinctAtStart: atStart.distinct,
    distinctAtEnd: atEnd.distinct
  }
}
