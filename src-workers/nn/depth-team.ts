/**
 * The depth probe on every core (issue 14): the samples are cut into slices (rows ⌊s·N/S⌋ …
 * ⌊(s+1)·N/S⌋ − 1), and a team of threads (../team.ts) runs two steps over shared memory.
 *
 * 1. Pass, one slice of samples each: forward through every layer with the shared weights,
 *    writing the slice's rows of each layer's output into full shared matrices; the upstream
 *    (G's rows, or the softmax loss of its labels divided by all N samples); backward, writing
 *    its rows of every ∂L/∂(layer input) and its own dW slot. Rows of a layer depend only on
 *    the same rows below, so every output and dX is the single-thread one; only dW is a sum
 *    over slices (taken in slice order) and the loss a sum of partial sums.
 * 2. Statistics, one block of layers each: the single-thread statistics functions of depth.ts
 *    (moments, histogram, saturation, dead units) over the full shared matrices, dW_l summed
 *    over the slots in slice order — so the merge of the slices is exact by construction.
 *
 * The leader draws everything random (depthSetup, as the single-thread probe) and shares it.
 */
import {
  awaitSlices,
  claimSlice,
  finishSlice,
  helperReleased,
  initTeam,
  MAX_SLICES,
  slicesDone,
  startStep,
  stepWord,
  teamEnded,
  TEAM_HEADER_BYTES,
  waitForWork
} from '../team'
import type { DepthLayer } from '../../src-shared/results'
import { depthLayerStats, type DepthOptions, type DepthResult, type DepthSetup } from './depth'
import { gradName, type LayerSpec, type Net } from './net'
import { summary } from './stats'
import type { FloatArray, Mat } from './tensor'
import { sliceRows } from './train-team'
import { workspaceBackward, workspaceForward, workspaceLoss, type NetWorkspace } from './workspace'

/** Everything a helper needs, as plain data over SharedArrayBuffers. */
export interface DepthShare {
  team: SharedArrayBuffer
  layers: LayerSpec[]
  inputSize: number
  samples: number
  bins: number
  /** Blocks of the probe (c.layers): the statistics step has min(blocks, 63) slices. */
  blocks: number
  params: Record<string, FloatArray>
  X: FloatArray
  upstream: { G: FloatArray } | { y: Int32Array }
  /** outputs[i]: samples × width_i. */
  outputs: FloatArray[]
  /** dInputs[i]: samples × (input width of layer i). */
  dInputs: FloatArray[]
  /** slots[s]: slice s's data gradients by gradient name. */
  slots: Record<string, FloatArray>[]
  /** Per slice: its part of the loss. */
  losses: Float64Array
  /** Per block: its statistics (statsLength(bins) float64 values). */
  stats: Float64Array
  /** [0]: what the current step does, PASS or STATS (written before the step starts). */
  phase: Int32Array
  /** [0]: helpers that have joined so far (the benchmark waits for them before timing). */
  joined: Int32Array
}

const PASS = 1
const STATS = 2

const sharedLike = (like: FloatArray, n: number): FloatArray =>
  like instanceof Float32Array
    ? new Float32Array(new SharedArrayBuffer(n * 4))
    : new Float64Array(new SharedArrayBuffer(n * 8))

const statsLength = (bins: number): number => 6 + (bins + 1) + bins + 6

function widths(layers: LayerSpec[], inputSize: number): number[] {
  const out: number[] = []
  let w = inputSize
  for (const l of layers) {
    if (l.type === 'affine') w = l.fanOut
    else if (l.type === 'maxout') w = w / l.pieces
    out.push(w)
  }
  return out
}

function writeStats(rec: Float64Array, st: DepthLayer): void {
  const head = [st.mean, st.std, st.preMean, st.preStd, st.saturated, st.dead]
  rec.set(head, 0)
  rec.set(st.hist.edges, 6)
  rec.set(st.hist.counts, 6 + st.hist.edges.length)
  const o = 6 + st.hist.edges.length + st.hist.counts.length
  rec.set([st.dW.mean, st.dW.std, st.dW.norm, st.dX.mean, st.dX.std, st.dX.norm], o)
}

function readStats(rec: Float64Array, layer: number, bins: number): DepthLayer {
  const o = 6 + 2 * bins + 1
  return {
    layer,
    mean: rec[0]!,
    std: rec[1]!,
    preMean: rec[2]!,
    preStd: rec[3]!,
    saturated: rec[4]!,
    dead: rec[5]!,
    hist: {
      edges: Array.from(rec.subarray(6, 6 + bins + 1)),
      counts: Array.from(rec.subarray(6 + bins + 1, o))
    },
    dW: { mean: rec[o]!, std: rec[o + 1]!, norm: rec[o + 2]! },
    dX: { mean: rec[o + 3]!, std: rec[o + 4]!, norm: rec[o + 5]! }
  }
}

/** Lays the probe out in shared memory for `slices` slices. */
function shareProbe(setup: DepthSetup, slices: number): DepthShare {
  const { net, X, c } = setup
  const like = X.data
  const N = X.rows
  const copy = (a: FloatArray): FloatArray => {
    const s = sharedLike(a, a.length)
    s.set(a)
    return s
  }
  const params: Record<string, FloatArray> = {}
  for (const [k, v] of Object.entries(net.params)) params[k] = copy(v)
  const w = widths(net.layers, net.inputSize)
  const upstream =
    'G' in setup.upstream
      ? { G: copy(setup.upstream.G) }
      : (() => {
          const y = new Int32Array(new SharedArrayBuffer(N * 4))
          y.set((setup.upstream as { y: Int32Array }).y)
          return { y }
        })()
  const slots: Record<string, FloatArray>[] = []
  for (let s = 0; s < slices; s++) {
    const slot: Record<string, FloatArray> = {}
    for (const [k, v] of Object.entries(net.params)) slot[gradName(k)] = sharedLike(like, v.length)
    slots.push(slot)
  }
  const team = new SharedArrayBuffer(TEAM_HEADER_BYTES)
  initTeam(team, slices)
  return {
    team,
    layers: net.layers,
    inputSize: net.inputSize,
    samples: N,
    bins: c.bins,
    blocks: c.layers,
    params,
    X: copy(X.data),
    upstream,
    outputs: w.map((wi) => sharedLike(like, N * wi)),
    dInputs: w.map((_, i) => sharedLike(like, N * (i === 0 ? net.inputSize : w[i - 1]!))),
    slots,
    losses: new Float64Array(new SharedArrayBuffer(slices * 8)),
    stats: new Float64Array(new SharedArrayBuffer(c.layers * statsLength(c.bins) * 8)),
    phase: new Int32Array(new SharedArrayBuffer(4)),
    joined: new Int32Array(new SharedArrayBuffer(4))
  }
}

/**
 * Called before each layer of a pass slice with the fraction of the slice done (0 before the
 * first layer's forward); may throw to abandon the slice.
 */
type SliceTick = (fraction: number) => void

/** Thrown by a helper's tick when the leader is gone (cancelled or failed): the slice is moot. */
class LeaderGone extends Error {}

/** Step 1 for slice s of S: its rows through the net and back. */
function passSlice(p: DepthShare, s: number, S: number, tick?: SliceTick): void {
  const N = p.samples
  const [lo, hi] = sliceRows(N, S, s)
  const n = hi - lo
  const slot = p.slots[s]!
  if (n === 0) {
    for (const g of Object.values(slot)) g.fill(0)
    p.losses[s] = 0
    return
  }
  const net: Net = {
    inputSize: p.inputSize,
    layers: p.layers,
    params: p.params,
    loss: 'softmax',
    reg: 0
  }
  const w = widths(p.layers, p.inputSize)
  const rowsOf = (a: FloatArray, width: number): FloatArray =>
    a.subarray(lo * width, hi * width) as FloatArray
  const last = w[w.length - 1]!
  const ws: NetWorkspace = {
    rows: n,
    X: rowsOf(p.X, p.inputSize),
    outputs: p.outputs.map((o, i) => rowsOf(o, w[i]!)),
    argmax: p.layers.map((l, i) => (l.type === 'maxout' ? new Int32Array(n * w[i]!) : null)),
    dInputs: p.dInputs.map((d, i) => rowsOf(d, i === 0 ? p.inputSize : w[i - 1]!)),
    dScores:
      'y' in p.upstream
        ? p.X instanceof Float32Array
          ? new Float32Array(n * last)
          : new Float64Array(n * last)
        : null,
    grads: slot
  }
  const L = p.layers.length
  const fwd = workspaceForward(net, ws, n, tick && ((i) => tick(i / (2 * L))))
  let dScores: Mat
  if ('G' in p.upstream) {
    const G = rowsOf(p.upstream.G, last)
    const H = fwd.scores.data
    let loss = 0
    for (let i = 0; i < G.length; i++) loss += G[i]! * H[i]!
    p.losses[s] = loss
    dScores = { data: G, rows: n, cols: last }
  } else {
    const r = workspaceLoss('softmax', ws, fwd.scores, p.upstream.y.subarray(lo, hi), N)
    p.losses[s] = r.loss
    dScores = r.dScores
  }
  workspaceBackward(net, ws, fwd, dScores, tick && ((i) => tick((2 * L - 1 - i) / (2 * L))))
}

/** Step 2, statistics slice k of K: blocks k + 1, k + 1 + K, … */
function statsSlice(p: DepthShare, k: number, K: number, S: number): void {
  const N = p.samples
  const w = widths(p.layers, p.inputSize)
  const len = statsLength(p.bins)
  for (let l = k + 1; l <= p.blocks; l += K) {
    const ai = 2 * (l - 1)
    const aff = p.layers[ai]!
    if (aff.type !== 'affine') throw new Error('depth: layer layout broken')
    const name = gradName(aff.W)
    const first = p.slots[0]![name]!
    const dW = first.slice()
    for (let s = 1; s < S; s++) {
      const g = p.slots[s]![name]!
      for (let i = 0; i < dW.length; i++) dW[i]! += g[i]!
    }
    const pre: Mat = { data: p.outputs[ai]!, rows: N, cols: w[ai]! }
    const H: Mat = { data: p.outputs[ai + 1]!, rows: N, cols: w[ai + 1]! }
    const st = depthLayerStats(p.layers, p.bins, l, pre, H, dW, p.dInputs[ai]!)
    writeStats(p.stats.subarray((l - 1) * len, l * len), st)
  }
}

/**
 * Works whatever slices of the current step are left: step 1 = the pass, step 2 = statistics.
 * `tick(fraction of the step done)` runs between layers of a pass slice and after each
 * statistics slice; it may throw to stop.
 */
function work(p: DepthShare, S: number, tick?: (stepFraction: number) => void): void {
  for (let c = claimSlice(p.team); c; c = claimSlice(p.team)) {
    const { slice, slices } = c
    if (Atomics.load(p.phase, 0) === PASS) {
      // Slices of a step run side by side: those done, plus this one's part, over all of them.
      const at = tick && ((f: number) => tick((slicesDone(p.team) + f) / slices))
      passSlice(p, slice, slices, at)
    } else statsSlice(p, slice, slices, S)
    finishSlice(p.team)
    tick?.(slicesDone(p.team) / slices)
  }
}

/**
 * Leader: one step of `count` slices of `phase`, with whatever helpers are there; `tick` as
 * work's (the leader reports progress and checks for cancel through it).
 */
function runStep(
  p: DepthShare,
  phase: number,
  count: number,
  tick?: (stepFraction: number) => void
): void {
  Atomics.store(p.phase, 0, phase)
  startStep(p.team, count)
  work(p, p.slots.length, tick)
  awaitSlices(p.team)
}

/**
 * The benchmark's depth workload on a team (`layerscope bench`): the pass only (forward +
 * backward, no random draws, no statistics) of `config`, timed `repeats` times after one
 * warm-up pass; the median in milliseconds. Helpers join through `shareTeam`.
 */
export function benchDepthPass(
  setup: DepthSetup,
  slices: number,
  repeats: number,
  shareTeam?: (share: DepthShare) => void
): number {
  const S = Math.max(1, Math.min(MAX_SLICES, slices))
  const p = shareProbe(setup, S)
  shareTeam?.(p)
  // Time the team, not its start: wait (up to 10 s) for the helpers the pool can lend.
  const end = performance.now() + 10_000
  for (let n = Atomics.load(p.joined, 0); n < S - 1 && performance.now() < end;) {
    Atomics.wait(p.joined, 0, n, 100)
    n = Atomics.load(p.joined, 0)
  }
  const times: number[] = []
  for (let r = 0; r <= repeats; r++) {
    const t = performance.now()
    runStep(p, PASS, S)
    if (r > 0) times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  const mid = times.length >> 1
  return times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2
}

/** The leader's side: share, run both steps with whatever helpers join, assemble the result. */
export function depthOnTeam(setup: DepthSetup, slices: number, opts: DepthOptions): DepthResult {
  const S = Math.max(1, Math.min(MAX_SLICES, slices))
  const p = shareProbe(setup, S)
  opts.shareTeam?.(p)
  // The pass is about 0.8 of the work, the statistics the rest; progress never goes back.
  let reported = 0
  const progress = (from: number, span: number) => (f: number) => {
    opts.signal?.throwIfAborted()
    const at = from + span * Math.min(1, f)
    if (at > reported) opts.onProgress?.((reported = at))
  }
  runStep(p, PASS, S, progress(0, 0.8))
  progress(0, 0.8)(1)
  runStep(p, STATS, Math.min(MAX_SLICES, p.blocks), progress(0.8, 0.2))
  let loss = 0
  for (let s = 0; s < S; s++) loss += p.losses[s]!
  const len = statsLength(p.bins)
  const layers: DepthLayer[] = []
  for (let l = 1; l <= p.blocks; l++)
    layers.push(readStats(p.stats.subarray((l - 1) * len, l * len), l, p.bins))
  const inp = summary(setup.X.data)
  if (reported < 1) opts.onProgress?.(1)
  return { config: setup.c, input: { mean: inp.mean, std: inp.std }, layers, loss }
}

/** A helper's life on a depth team: work slices of both steps until released or ended. */
export function helpDepth(p: DepthShare, index: number, waitMs = 100): void {
  const S = p.slots.length
  Atomics.add(p.joined, 0, 1)
  Atomics.notify(p.joined, 0)
  // Between layers a helper checks that the leader still wants the slice (it is gone when the
  // probe was cancelled), so a cancelled probe frees its helper's thread within one layer.
  const stillWanted = (): void => {
    if (teamEnded(p.team)) throw new LeaderGone()
  }
  let seen = -1
  try {
    while (!helperReleased(p.team, index)) {
      const word = stepWord(p.team)
      if (word === seen) {
        waitForWork(p.team, word, waitMs)
        continue
      }
      work(p, S, stillWanted)
      seen = word
    }
  } catch (err) {
    if (!(err instanceof LeaderGone)) throw err
  }
}
