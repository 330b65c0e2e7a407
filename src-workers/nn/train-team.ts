/**
 * Data-parallel training steps (issue 14): a minibatch of m rows is cut into S slices (slice s
 * holds rows ⌊s·m/S⌋ … ⌊(s+1)·m/S⌋ − 1 of it), each slice's gradient is computed against the same
 * weights by whichever thread of the team claims it (../team.ts), with the loss and dScores
 * divided by m (not by the slice's rows), so the slices' losses and gradients add up to the whole
 * batch's; the leader sums them in slice order 0, 1, …, S − 1 and the trainer takes one
 * optimizer step. The minibatch, the loss and the update are those of the single-thread step up
 * to the order of the sum; the same S gives the same bits whatever the threads.
 *
 * Shared memory (after the team header): per slice a float64 record [loss, first non-finite
 * layer (0 = none), then per block (rows, mean, M2) of its output]; the batch's row indices
 * (Int32 × B); the weights (float32, every parameter in net.params order, written by the leader
 * before each step); one gradient slot per slice (float32, same layout).
 */
import {
  awaitSlices,
  claimSlice,
  finishSlice,
  helperReleased,
  initTeam,
  startStep,
  stepWord,
  TEAM_HEADER_BYTES,
  teamSlices,
  teamWords,
  waitForWork
} from '../team'
import { countNonFinite } from './divergence'
import { gradName, l2Penalty, type Net } from './net'
import type { TrainSplits } from './trainer'
import { blockOutputs, divergedAt, type GradientSource, type StepValue } from './train-step'
import { workspaceBackward, workspaceForward, workspaceLoss, type NetWorkspace } from './workspace'

/** Words of the team header this layout uses (teamWords indices). */
const W_ROWS = 0
const W_STATS = 1
const W_BATCH = 2
const W_PARAMS = 3
const W_BLOCKS = 4

interface TeamViews {
  slices: number
  batch: number
  blocks: number
  /** Float64 per slice: [loss, bad layer, (n, mean, M2) × blocks]. */
  record: (s: number) => Float64Array
  idx: Int32Array
  params: Float32Array
  slot: (s: number) => Float32Array
  words: Int32Array
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8

function layout(slices: number, batch: number, nParams: number, blocks: number) {
  const recordLen = 2 + 3 * blocks
  const records = TEAM_HEADER_BYTES
  const idx = align8(records + slices * recordLen * 8)
  const params = align8(idx + batch * 4)
  const grads = align8(params + nParams * 4)
  const bytes = grads + slices * nParams * 4
  return { recordLen, records, idx, params, grads, bytes }
}

function paramCount(net: Net): number {
  let n = 0
  for (const p of Object.values(net.params)) n += p.length
  return n
}

/** A team block for `net`, batches of up to `batch` rows cut into `slices`. */
export function createTrainTeam(net: Net, slices: number, batch: number): SharedArrayBuffer {
  const blocks = blockOutputs(net).length
  const P = paramCount(net)
  const team = new SharedArrayBuffer(layout(slices, batch, P, blocks).bytes)
  initTeam(team, slices)
  const w = teamWords(team)
  w[W_BATCH] = batch
  w[W_PARAMS] = P
  w[W_BLOCKS] = blocks
  return team
}

function views(team: SharedArrayBuffer): TeamViews {
  const words = teamWords(team)
  const slices = teamSlices(team)
  const batch = words[W_BATCH]!
  const P = words[W_PARAMS]!
  const blocks = words[W_BLOCKS]!
  const L = layout(slices, batch, P, blocks)
  return {
    slices,
    batch,
    blocks,
    record: (s) => new Float64Array(team, L.records + s * L.recordLen * 8, L.recordLen),
    idx: new Int32Array(team, L.idx, batch),
    params: new Float32Array(team, L.params, P),
    slot: (s) => new Float32Array(team, L.grads + s * P * 4, P),
    words
  }
}

/** The largest minibatch a team block was made for. */
export function teamBatch(team: SharedArrayBuffer): number {
  return teamWords(team)[W_BATCH]!
}

/** Rows [lo, hi) of an m-row batch that slice s of S holds. */
export function sliceRows(m: number, S: number, s: number): [number, number] {
  return [Math.floor((s * m) / S), Math.floor(((s + 1) * m) / S)]
}

/** Largest slice of a `batch`-row batch cut into S. */
export function largestSlice(batch: number, S: number): number {
  let most = 0
  for (let s = 0; s < S; s++) {
    const [lo, hi] = sliceRows(batch, S, s)
    most = Math.max(most, hi - lo)
  }
  return Math.max(1, most)
}

/** Copies between the flat shared weights and the net's parameter arrays (net.params order). */
function copyParams(net: Net<Float32Array>, flat: Float32Array, toFlat: boolean): void {
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

/**
 * Claims and computes slices of the current step until none is left. A helper first copies the
 * step's weights (once per step); the leader's net already holds them.
 */
export function workSlices(
  team: SharedArrayBuffer,
  w: SliceWorker,
  state: { gen: number }
): number {
  const v = views(team)
  const outIdx = blockOutputs(w.net)
  const y = new Int32Array(w.ws.rows)
  const dim = w.data.dim
  let n = 0
  for (let c = claimSlice(team); c; c = claimSlice(team)) {
    if (!w.leader && state.gen !== c.gen) {
      copyParams(w.net, v.params, false)
      state.gen = c.gen
    }
    computeSlice(v, w, c.slice, outIdx, y, dim)
    finishSlice(team)
    n++
  }
  return n
}

function computeSlice(
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
  if (n === 0) {
    slot.fill(0)
    return
  }
  const { net, ws } = w
  const yb = y.subarray(0, n)
  w.data.gather('train', v.idx.subarray(lo, hi), ws.X.subarray(0, n * dim), yb)
  const fwd = workspaceForward(net, ws, n)
  const d = workspaceLoss(net.loss, ws, fwd.scores, yb, m)
  rec[0] = d.loss
  for (let i = 0; i < fwd.outputs.length; i++) {
    if (countNonFinite(fwd.outputs[i]!.data) > 0) {
      rec[1] = i + 1
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
      rec[2 + 3 * b] = a.length
      rec[3 + 3 * b] = mean
      rec[4 + 3 * b] = ss
    })
  }
}

/**
 * The leader's gradient source over a team: publishes the weights and the batch, works slices
 * with whatever helpers are there, then sums the slots in slice order into its own gradient
 * buffers. Std of a block's output merges the slices' (rows, mean, M2) in slice order (Chan et
 * al.), equal to the two-pass std of the whole batch up to rounding.
 */
export function teamStep(
  team: SharedArrayBuffer,
  leader: SliceWorker,
  reg: number
): GradientSource {
  const v = views(team)
  const S = v.slices
  const net = leader.net
  const names = Object.keys(net.params)
  const grads: Record<string, Float32Array> = {}
  for (const name of names) grads[gradName(name)] = leader.ws.grads[gradName(name)]!
  const state = { gen: -1 }
  return {
    slices: S,
    step(idx, wantStats): StepValue {
      const m = idx.length
      copyParams(net, v.params, true)
      v.idx.set(idx)
      v.words[W_ROWS] = m
      v.words[W_STATS] = wantStats ? 1 : 0
      startStep(team)
      workSlices(team, leader, state)
      awaitSlices(team)
      let dataLoss = 0
      let bad = 0
      for (let s = 0; s < S; s++) {
        const rec = v.record(s)
        dataLoss += rec[0]!
        const b = rec[1]!
        if (b > 0 && (bad === 0 || b < bad)) bad = b
      }
      const penalty = l2Penalty(net, reg)
      const loss = dataLoss + penalty
      const parts = { dataLoss, penalty }
      if (bad > 0) {
        const where = { layer: bad, type: net.layers[bad - 1]!.type }
        return { ok: false, diverged: divergedAt(net, where, loss), ...parts }
      }
      if (!Number.isFinite(loss)) {
        const where = { layer: net.layers.length + 1, type: 'loss' }
        return { ok: false, diverged: divergedAt(net, where, loss), ...parts }
      }
      let o = 0
      const slot0 = v.slot(0)
      for (const name of names) {
        const g = grads[gradName(name)]!
        const len = g.length
        g.set(slot0.subarray(o, o + len))
        for (let s = 1; s < S; s++) {
          const slot = v.slot(s)
          for (let i = 0; i < len; i++) g[i]! += slot[o + i]!
        }
        o += len
      }
      let actStd: number[] | null = null
      if (wantStats) {
        actStd = []
        for (let b = 0; b < v.blocks; b++) {
          let n = 0
          let mean = 0
          let M2 = 0
          for (let s = 0; s < S; s++) {
            const rec = v.record(s)
            const nb = rec[2 + 3 * b]!
            if (nb === 0) continue
            const mb = rec[3 + 3 * b]!
            const delta = mb - mean
            const tot = n + nb
            M2 += rec[4 + 3 * b]! + (delta * delta * n * nb) / tot
            mean += (delta * nb) / tot
            n = tot
          }
          actStd.push(n > 0 ? Math.sqrt(M2 / n) : 0)
        }
      }
      return { ok: true, loss, grads, actStd, ...parts }
    },
    dispose() {}
  }
}

/**
 * A helper's life on a team: wait for a step, work slices, until released (index ≥ wanted) or
 * the leader is gone. Returns the slices it computed.
 */
export function helpTeam(
  team: SharedArrayBuffer,
  index: number,
  worker: SliceWorker,
  waitMs = 100
): number {
  const state = { gen: -1 }
  let done = 0
  let seen = -1
  while (!helperReleased(team, index)) {
    const word = stepWord(team)
    if (word === seen) {
      waitForWork(team, word, waitMs)
      continue
    }
    done += workSlices(team, worker, state)
    seen = word
  }
  return done
}
