/**
 * What one thread of a data-parallel training run (train-team.ts) computes for one slice, on its
 * own copy of the net: a pass slice (its rows' forward, loss divided by the whole batch's rows,
 * backward, the gradient into the slice's slot, Σw² of its chunk of the weights, the block
 * statistics) or an evaluation round's slice (its rows' correct answers, or the first non-finite
 * layer); and the copies between the shared weights and a net's own.
 */
import { countNonFinite, firstNonFinite } from './divergence'
import { countCorrect, gradName, type Net } from './net'
import type { TrainSplits } from './trainer'
import { blockOutputs } from './train-step'
import {
  REC_BAD,
  REC_BLOCKS,
  REC_LOSS,
  REC_RIGHT,
  REC_SUMSQ,
  sliceRows,
  SPLITS,
  W_ROWS,
  W_SPLIT,
  W_STATS,
  type TeamViews
} from './train-team-layout'
import { sumSquares } from './train-team-update'
import { workspaceBackward, workspaceForward, workspaceLoss, type NetWorkspace } from './workspace'

/** Copies between the flat shared weights and the net's parameter arrays (net.params order). */
export function copyParams(net: Net<Float32Array>, flat: Float32Array, toFlat: boolean): void {
  let o = 0
  for (const p of Object.values(net.params)) {
    if (toFlat) flat.set(p, o)
    else p.set(flat.subarray(o, o + p.length))
    o += p.length
  }
}

/** A thread's means to compute slices: its own copy of the net (on its wasm heap) and a workspace. */
export interface SliceWorker {
  net: Net<Float32Array>
  ws: NetWorkspace<Float32Array>
  data: TrainSplits
  /** Leader: its net is the source of the shared weights (never copied back). */
  leader: boolean
}

/** A slice worker's block outputs and label buffer, made once. */
const scratch = new WeakMap<SliceWorker, { outIdx: number[]; y: Int32Array }>()

export function scratchOf(w: SliceWorker): { outIdx: number[]; y: Int32Array } {
  let s = scratch.get(w)
  if (!s) {
    s = { outIdx: blockOutputs(w.net), y: new Int32Array(w.ws.rows) }
    scratch.set(w, s)
  }
  return s
}

/**
 * Slice s of an evaluation round: its rows of evalIdx forward through the net in chunks of the
 * workspace, the correct answers counted (countCorrect: argmax, ties to the lowest class), or
 * the first non-finite layer (1-based) of the first chunk that has one.
 */
export function evalSlice(
  v: TeamViews,
  w: SliceWorker,
  s: number,
  y: Int32Array,
  dim: number
): void {
  const [lo, hi] = sliceRows(v.words[W_ROWS]!, v.slices, s)
  const rec = v.record(s)
  rec[REC_RIGHT] = 0
  rec[REC_BAD] = 0
  const split = SPLITS[v.words[W_SPLIT]!]!
  const chunk = w.ws.rows
  let right = 0
  for (let a = lo; a < hi; a += chunk) {
    const n = Math.min(hi, a + chunk) - a
    const yb = y.subarray(0, n)
    w.data.gather(split, v.evalIdx.subarray(a, a + n), w.ws.X.subarray(0, n * dim), yb)
    const fwd = workspaceForward(w.net, w.ws, n)
    const bad = firstNonFinite(w.net, fwd)
    if (bad) {
      rec[REC_BAD] = bad.layer
      return
    }
    right += countCorrect(fwd.scores, yb)
  }
  rec[REC_RIGHT] = right
}

export function computeSlice(
  v: TeamViews,
  w: SliceWorker,
  s: number,
  outIdx: number[],
  y: Int32Array,
  dim: number
): void {
  const m = v.words[W_ROWS]!
  const wantStats = v.words[W_STATS] !== 0
  const [lo, hi] = sliceRows(m, v.slices, s)
  const n = hi - lo
  const rec = v.record(s)
  const slot = v.slot(s)
  rec.fill(0)
  rec[REC_SUMSQ] = sumSquares(v, w.net, s)
  if (n === 0) {
    slot.fill(0)
    return
  }
  const { net, ws } = w
  const yb = y.subarray(0, n)
  w.data.gather('train', v.idx.subarray(lo, hi), ws.X.subarray(0, n * dim), yb)
  const fwd = workspaceForward(net, ws, n)
  const d = workspaceLoss(net.loss, ws, fwd.scores, yb, m)
  rec[REC_LOSS] = d.loss
  for (let i = 0; i < fwd.outputs.length; i++) {
    if (countNonFinite(fwd.outputs[i]!.data) > 0) {
      rec[REC_BAD] = i + 1
      return
    }
  }
  const grads = workspaceBackward(net, ws, fwd, d.dScores)
  let o = 0
  for (const name of Object.keys(net.params)) {
    const g = grads[gradName(name)]!
    slot.set(g, o)
    o += g.length
  }
  if (wantStats) {
    outIdx.forEach((oi, b) => {
      const a = fwd.outputs[oi]!.data
      let sum = 0
      for (let i = 0; i < a.length; i++) sum += a[i]!
      const mean = sum / a.length
      let ss = 0
      for (let i = 0; i < a.length; i++) ss += (a[i]! - mean) ** 2
      rec[REC_BLOCKS + 3 * b] = a.length
      rec[REC_BLOCKS + 1 + 3 * b] = mean
      rec[REC_BLOCKS + 2 + 3 * b] = ss
    })
  }
}
