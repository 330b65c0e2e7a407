/**
 * Data-parallel training steps (issue 14): a minibatch of m rows is cut into S slices (slice s
 * holds rows ⌊s·m/S⌋ … ⌊(s+1)·m/S⌋ − 1 of it), each slice's gradient is computed against the same
 * weights by whichever thread of the team claims it (../team.ts), with the loss and dScores
 * divided by m (not by the slice's rows), so the slices' losses and gradients add up to the whole
 * batch's; the leader sums them in slice order 0, 1, …, S − 1 and the trainer takes one
 * optimizer step. The minibatch, the loss and the update are those of the single-thread step up
 * to the order of the sum; the same S gives the same bits whatever the threads.
 *
 * Each iteration is two team steps (the fewest the data allow: the update needs every slice's
 * gradient, the next pass every updated weight): the pass (slices of the batch, as above; slice
 * s also sums w² over chunk s of the weights, so the penalty reg·Σ‖W‖² is the slices' partial
 * sums added in slice order, not a serial pass on the leader) and the update, cut into chunks of
 * the flat parameter vector: per chunk, the slots summed in slice order, + 2·reg·W on weights
 * (one pass over memory for 2 slices), and the optimizer's rule on the shared weights and
 * moments — every element's arithmetic is the single-thread step's, whichever thread takes the
 * chunk. The serial part left to the leader is adding S records and copying the new weights
 * back onto its heap, while each helper copies them onto its own.
 *
 * The trainer's accuracies (epoch ends, the test split) run on the team too, as evaluation
 * rounds of up to S × 256 rows: slice s forwards its rows of the round, counts the correct
 * answers (or finds the first non-finite layer), and the leader adds the counts in slice order —
 * integers, so the accuracy is exactly the one-thread evaluator's count over the same scores.
 *
 * Shared memory (after the team header): a float64 control record [lr, 2·reg, optimizer, μ, β₁,
 * β₂, ε]; per slice a float64 record [loss (an evaluation round: correct answers), first non-finite
 * layer (0 = none), Σw² of its chunk of the weights, then per block (rows, mean, M2) of its
 * output]; the batch's row indices (Int32 × B); an evaluation round's (Int32 × S·256); the weights (float32,
 * every parameter in net.params order: the run's weights, updated in place by the update step);
 * the summed gradient and the optimizer's two moments (same layout); one gradient slot per slice.
 */
import {
  awaitSlices,
  awaitStep,
  claimSlice,
  finishSlice,
  helperReleased,
  initTeam,
  MAX_SLICES,
  nextGen,
  startStep,
  stepWord,
  TEAM_HEADER_BYTES,
  teamSlices,
  teamWords,
  waitForWork
} from '../team'
import { countNonFinite, firstNonFinite } from './divergence'
import { countCorrect, gradName, parameters, type Net } from './net'
import { hyperParameters, OPTIMIZER_NAMES, optimizerStep, type OptimizerConfig } from './optim'
import type { TrainSplit, TrainSplits } from './trainer'
import { blockOutputs, divergedAt, norm, type GradientSource, type StepValue } from './train-step'
import type { Evaluate } from './train-eval'
import { workspaceBackward, workspaceForward, workspaceLoss, type NetWorkspace } from './workspace'

/** Words of the team header this layout uses (teamWords indices). */
const W_ROWS = 0
const W_STATS = 1
const W_BATCH = 2
const W_PARAMS = 3
const W_BLOCKS = 4
/** What the current step does: PASS or UPDATE. */
const W_PHASE = 5
/** The optimizer's step count t after this update (Adam's bias correction). */
const W_T = 6
/** The split an evaluation round reads (index into SPLITS). */
const W_SPLIT = 7
/** Whether this update keeps the summed gradient (the trainer asked for its norms). */
const W_NORMS = 8
const PASS = 1
const UPDATE = 2
const EVAL = 3
const SPLITS: TrainSplit[] = ['train', 'val', 'test']
/** Rows per slice of an evaluation round (a round is slices × this many rows). */
const EVAL_SLICE_ROWS = 256
const CONTROL = 8
/** Record fields: loss, first non-finite layer, Σw² of the slice's chunk; then the blocks. */
const REC_LOSS = 0
/** An evaluation round's slice records its correct answers here. */
const REC_RIGHT = 0
const REC_BAD = 1
const REC_SUMSQ = 2
const REC_BLOCKS = 3
// The optimizer travels as its index in the contract's list (optim.ts OPTIMIZER_NAMES).
const OPTIMIZERS = OPTIMIZER_NAMES

interface TeamViews {
  /** lr, 2·reg, optimizer index, μ, β₁, β₂, ε. */
  control: Float64Array
  sum: Float32Array
  m: Float32Array
  v: Float32Array
  slices: number
  batch: number
  blocks: number
  /** Float64 per slice: [loss, bad layer, Σw² of its chunk of the weights, (n, mean, M2) × blocks]. */
  record: (s: number) => Float64Array
  idx: Int32Array
  /** Rows of the current evaluation round (slices × EVAL_SLICE_ROWS). */
  evalIdx: Int32Array
  params: Float32Array
  slot: (s: number) => Float32Array
  words: Int32Array
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8

function layout(slices: number, batch: number, nParams: number, blocks: number) {
  const recordLen = REC_BLOCKS + 3 * blocks
  const control = TEAM_HEADER_BYTES
  const records = control + CONTROL * 8
  const idx = align8(records + slices * recordLen * 8)
  const evalIdx = align8(idx + batch * 4)
  const params = align8(evalIdx + slices * EVAL_SLICE_ROWS * 4)
  const sum = align8(params + nParams * 4)
  const m = align8(sum + nParams * 4)
  const v = align8(m + nParams * 4)
  const grads = align8(v + nParams * 4)
  const bytes = grads + slices * nParams * 4
  return { recordLen, control, records, idx, evalIdx, params, sum, m, v, grads, bytes }
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

/** Each block's views, made once per thread (a step allocates nothing for them). */
const viewCache = new WeakMap<SharedArrayBuffer, TeamViews>()

function views(team: SharedArrayBuffer): TeamViews {
  let v = viewCache.get(team)
  if (!v) {
    v = makeViews(team)
    viewCache.set(team, v)
  }
  return v
}

function makeViews(team: SharedArrayBuffer): TeamViews {
  const words = teamWords(team)
  const slices = teamSlices(team)
  const batch = words[W_BATCH]!
  const P = words[W_PARAMS]!
  const blocks = words[W_BLOCKS]!
  const L = layout(slices, batch, P, blocks)
  const records = Array.from(
    { length: slices },
    (_, s) => new Float64Array(team, L.records + s * L.recordLen * 8, L.recordLen)
  )
  const slots = Array.from(
    { length: slices },
    (_, s) => new Float32Array(team, L.grads + s * P * 4, P)
  )
  return {
    control: new Float64Array(team, L.control, CONTROL),
    sum: new Float32Array(team, L.sum, P),
    m: new Float32Array(team, L.m, P),
    v: new Float32Array(team, L.v, P),
    slices,
    batch,
    blocks,
    record: (s) => records[s]!,
    idx: new Int32Array(team, L.idx, batch),
    evalIdx: new Int32Array(team, L.evalIdx, slices * EVAL_SLICE_ROWS),
    params: new Float32Array(team, L.params, P),
    slot: (s) => slots[s]!,
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

/** A slice worker's block outputs and label buffer, made once. */
const scratch = new WeakMap<SliceWorker, { outIdx: number[]; y: Int32Array }>()

function scratchOf(w: SliceWorker): { outIdx: number[]; y: Int32Array } {
  let s = scratch.get(w)
  if (!s) {
    s = { outIdx: blockOutputs(w.net), y: new Int32Array(w.ws.rows) }
    scratch.set(w, s)
  }
  return s
}

/**
 * Claims and computes slices of the current step until none is left. A helper holds a copy of
 * the weights of the step it last copied for (state.gen): it copies them before a pass slice of
 * a newer step, and right after an update it took part in (the next step is that update's pass);
 * the leader's net already holds them.
 */
export function workSlices(
  team: SharedArrayBuffer,
  w: SliceWorker,
  state: { gen: number }
): number {
  const v = views(team)
  const { outIdx, y } = scratchOf(w)
  const dim = w.data.dim
  let n = 0
  let updated = -1
  for (let c = claimSlice(team); c; c = claimSlice(team)) {
    const phase = v.words[W_PHASE]
    if (phase === UPDATE) {
      updateChunk(v, w.net, c.slice, c.slices)
      updated = c.gen
    } else {
      if (!w.leader && state.gen !== c.gen) {
        copyParams(w.net, v.params, false)
        state.gen = c.gen
      }
      if (phase === EVAL) evalSlice(v, w, c.slice, y, dim)
      else computeSlice(v, w, c.slice, outIdx, y, dim)
    }
    finishSlice(team)
    n++
  }
  if (updated >= 0 && !w.leader) {
    // Out of update chunks: take the new weights as soon as the last chunk is done (while the
    // leader copies them back), not when the next pass begins. The next step is that pass.
    awaitStep(team, updated)
    copyParams(w.net, v.params, false)
    state.gen = nextGen(updated)
  }
  return n
}

/**
 * Update chunk k of K of the flat parameter vector: sum = Σ_s slot_s (slice order), + 2·reg·W
 * on weights, then the optimizer's rule on the shared weights with the shared moments.
 */
function updateChunk(v: TeamViews, net: Net<Float32Array>, k: number, K: number): void {
  const [lo, hi] = sliceRows(v.params.length, K, k)
  const c = v.control
  const config: OptimizerConfig = {
    name: OPTIMIZERS[c[2]!]!,
    lr: c[0]!,
    momentum: c[3]!,
    beta1: c[4]!,
    beta2: c[5]!,
    eps: c[6]!
  }
  const twoReg = c[1]!
  const t = v.words[W_T]!
  let off = 0
  for (const [name, p] of Object.entries(net.params)) {
    const a = Math.max(lo, off)
    const b = Math.min(hi, off + p.length)
    off += p.length
    if (a >= b) continue
    const sum = v.sum.subarray(a, b)
    const w = v.params.subarray(a, b)
    const reg = twoReg !== 0 && isWeight(net, name) ? twoReg : 0
    // SGD on 2 slices: the sum and the step in one pass; otherwise the optimizer's own rule.
    if (config.name === 'sgd' && v.slices === 2) {
      sgd2(v, a, b, v.words[W_NORMS] !== 0 ? sum : null, reg, w, config.lr)
      continue
    }
    sumSlots(v, a, b, sum, reg, w)
    optimizerStep(
      { [name]: w },
      { [gradName(name)]: sum },
      { t: t - 1, m: { [name]: v.m.subarray(a, b) }, v: { [name]: v.v.subarray(a, b) } },
      config
    )
  }
}

/**
 * sum[i] = ((slot₀ + slot₁) + …) + twoReg·w[i] for elements [a, b) of the flat vector: the slots
 * in slice order, each partial sum rounded to float32 as the element-by-element passes over
 * Float32Arrays did (the same bits). Two slots (the 2-thread case) take one pass over memory
 * instead of three; more slots, S + 1 passes.
 */
function sumSlots(
  v: TeamViews,
  a: number,
  b: number,
  sum: Float32Array,
  twoReg: number,
  w: Float32Array
): void {
  const fr = Math.fround
  const s0 = v.slot(0).subarray(a, b)
  const n = b - a
  if (v.slices === 2) {
    const s1 = v.slot(1).subarray(a, b)
    if (twoReg === 0) for (let i = 0; i < n; i++) sum[i] = s0[i]! + s1[i]!
    else for (let i = 0; i < n; i++) sum[i] = fr(s0[i]! + s1[i]!) + twoReg * w[i]!
    return
  }
  sum.set(s0)
  for (let s = 1; s < v.slices; s++) {
    const slot = v.slot(s)
    for (let i = 0; i < n; i++) sum[i]! += slot[a + i]!
  }
  if (twoReg !== 0) for (let i = 0; i < n; i++) sum[i]! += twoReg * w[i]!
}

/**
 * sumSlots for 2 slices and the SGD rule (optim.ts: w ← w − lr·dw) in one pass over memory:
 * g = (slot₀ + slot₁) + twoReg·w rounded to float32 as sumSlots stores it, then w − lr·g rounded
 * as the rule's `w[i] -= lr * dw[i]` — the same bits as sumSlots followed by optimizerStep. The
 * sum is stored only when asked for (`sum` not null: the trainer wants the gradient's norms):
 * SGD itself needs no copy of it, and an update without it moves 4 arrays through memory, not 5.
 */
function sgd2(
  v: TeamViews,
  a: number,
  b: number,
  sum: Float32Array | null,
  twoReg: number,
  w: Float32Array,
  lr: number
): void {
  const fr = Math.fround
  const s0 = v.slot(0).subarray(a, b)
  const s1 = v.slot(1).subarray(a, b)
  const n = b - a
  if (!sum) {
    if (twoReg === 0) for (let i = 0; i < n; i++) w[i] = w[i]! - lr * fr(s0[i]! + s1[i]!)
    else
      for (let i = 0; i < n; i++) {
        const wi = w[i]!
        w[i] = wi - lr * fr(fr(s0[i]! + s1[i]!) + twoReg * wi)
      }
    return
  }
  if (twoReg === 0) {
    // no + 0·w: it would turn a −0 sum into +0 and an infinite w into NaN
    for (let i = 0; i < n; i++) {
      const g = fr(s0[i]! + s1[i]!)
      sum[i] = g
      w[i] = w[i]! - lr * g
    }
    return
  }
  for (let i = 0; i < n; i++) {
    const wi = w[i]!
    const g = fr(fr(s0[i]! + s1[i]!) + twoReg * wi)
    sum[i] = g
    w[i] = wi - lr * g
  }
}

/**
 * Σw² (float64) over the weights (not biases) in chunk s of S of the flat shared parameters: each
 * pass slice takes one chunk, so the penalty reg·Σ‖W‖² costs the leader nothing serial.
 */
function sumSquares(v: TeamViews, net: Net, s: number): number {
  const [lo, hi] = sliceRows(v.params.length, v.slices, s)
  const w = v.params
  let sum = 0
  let off = 0
  for (const [name, p] of Object.entries(net.params)) {
    const a = Math.max(lo, off)
    const b = Math.min(hi, off + p.length)
    off += p.length
    if (a >= b || !isWeight(net, name)) continue
    // Four running sums (i mod 4), added pairwise at the end: four independent add chains
    // instead of one (nearly 2× faster); a fixed order, so the same bits whichever thread.
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let i = a
    for (; i + 4 <= b; i += 4) {
      const w0 = w[i]!
      const w1 = w[i + 1]!
      const w2 = w[i + 2]!
      const w3 = w[i + 3]!
      s0 += w0 * w0
      s1 += w1 * w1
      s2 += w2 * w2
      s3 += w3 * w3
    }
    for (; i < b; i++) s0 += w[i]! * w[i]!
    sum += s0 + s1 + (s2 + s3)
  }
  return sum
}

function isWeight(net: Net, name: string): boolean {
  return net.layers.some((l) => l.type === 'affine' && l.W === name)
}

/**
 * Slice s of an evaluation round: its rows of evalIdx forward through the net in chunks of the
 * workspace, the correct answers counted (countCorrect: argmax, ties to the lowest class), or
 * the first non-finite layer (1-based) of the first chunk that has one.
 */
function evalSlice(v: TeamViews, w: SliceWorker, s: number, y: Int32Array, dim: number): void {
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

/**
 * The leader's gradient source over a team: publishes the batch, works slices with whatever
 * helpers are there, merges the slices' losses, divergences and block statistics (std of a
 * block's output: the slices' (rows, mean, M2) merged in slice order, Chan et al.); then the
 * update step, chunked over the team, after which the leader copies the new weights back.
 */
export function teamStep(
  team: SharedArrayBuffer,
  leader: SliceWorker,
  reg: number
): GradientSource & { evaluate: Evaluate } {
  const v = views(team)
  const S = v.slices
  const net = leader.net
  const state = { gen: -1 }
  const weights = parameters(net).filter((p) => p.kind === 'weight')
  // The shared weights are the run's from here on; the leader's copy follows each update.
  copyParams(net, v.params, true)
  let t = 0
  return {
    slices: S,
    step(idx, wantStats): StepValue {
      const m = idx.length
      v.idx.set(idx)
      v.words[W_ROWS] = m
      v.words[W_STATS] = wantStats ? 1 : 0
      v.words[W_PHASE] = PASS
      startStep(team)
      workSlices(team, leader, state)
      awaitSlices(team)
      let dataLoss = 0
      let bad = 0
      let sumSq = 0
      for (let s = 0; s < S; s++) {
        const rec = v.record(s)
        dataLoss += rec[REC_LOSS]!
        sumSq += rec[REC_SUMSQ]!
        const b = rec[REC_BAD]!
        if (b > 0 && (bad === 0 || b < bad)) bad = b
      }
      // reg·Σ‖W‖² as l2Penalty's, its squares summed by the slices in chunks, then in slice order.
      const penalty = reg * sumSq
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
      let actStd: number[] | null = null
      if (wantStats) {
        actStd = []
        for (let b = 0; b < v.blocks; b++) {
          let n = 0
          let mean = 0
          let M2 = 0
          for (let s = 0; s < S; s++) {
            const rec = v.record(s)
            const nb = rec[REC_BLOCKS + 3 * b]!
            if (nb === 0) continue
            const mb = rec[REC_BLOCKS + 1 + 3 * b]!
            const delta = mb - mean
            const tot = n + nb
            M2 += rec[REC_BLOCKS + 2 + 3 * b]! + (delta * delta * n * nb) / tot
            mean += (delta * nb) / tot
            n = tot
          }
          actStd.push(n > 0 ? Math.sqrt(M2 / n) : 0)
        }
      }
      return { ok: true, loss, actStd, ...parts }
    },
    update(config, wantNorms) {
      const c = v.control
      c[0] = config.lr
      c[1] = 2 * reg
      c[2] = OPTIMIZERS.indexOf(config.name)
      const hyper = hyperParameters(config)
      c[3] = hyper.momentum
      c[4] = hyper.beta1
      c[5] = hyper.beta2
      c[6] = hyper.eps
      v.words[W_T] = ++t
      v.words[W_NORMS] = wantNorms ? 1 : 0
      v.words[W_PHASE] = UPDATE
      startStep(team, Math.min(MAX_SLICES, 4 * S))
      workSlices(team, leader, state)
      awaitSlices(team)
      copyParams(net, v.params, false)
      if (!wantNorms) return null
      const offsets = new Map<string, number>()
      let o = 0
      for (const [name, p] of Object.entries(net.params)) {
        offsets.set(name, o)
        o += p.length
      }
      return weights.map((p) => {
        const a = offsets.get(p.name)!
        return norm(v.sum.subarray(a, a + p.data.length))
      })
    },
    evaluate(split, indices) {
      const n = typeof indices === 'number' ? indices : indices.length
      if (n === 0) return { ok: true, acc: 0 }
      const R = v.evalIdx.length
      let right = 0
      for (let start = 0; start < n; start += R) {
        const m = Math.min(R, n - start)
        for (let i = 0; i < m; i++)
          v.evalIdx[i] = typeof indices === 'number' ? start + i : indices[start + i]!
        v.words[W_ROWS] = m
        v.words[W_SPLIT] = SPLITS.indexOf(split)
        v.words[W_PHASE] = EVAL
        startStep(team)
        workSlices(team, leader, state)
        awaitSlices(team)
        // Slices in sample order: the first with a non-finite layer is the divergence.
        for (let s = 0; s < S; s++) {
          const rec = v.record(s)
          const bad = rec[REC_BAD]!
          if (bad > 0)
            return {
              ok: false,
              diverged: divergedAt(net, { layer: bad, type: net.layers[bad - 1]!.type })
            }
          right += rec[REC_RIGHT]!
        }
      }
      return { ok: true, acc: right / n }
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
