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
 * Before them, unless the init is orthogonal or LSUV (drawn by the leader, depthSetup), a DRAW
 * step makes the random draws on the team (depth-team-draw.ts). The shared memory's layout is
 * depth-team-layout.ts.
 */
import {
  awaitSlices,
  claimSlice,
  finishSlice,
  helperReleased,
  MAX_SLICES,
  slicesDone,
  startStep,
  stepWord,
  teamEnded,
  waitForWork
} from '../team'
import type { DepthConfig } from '../../src-shared/experiments'
import type { DepthLayer } from '../../src-shared/results'
import {
  depthLayerStats,
  depthPlan,
  depthSetupShare,
  type DepthEcho,
  type DepthOptions,
  type DepthResult,
  type DepthSetup
} from './depth'
import { drawCount, drawSlice, DRAW_SLICES_PER_THREAD, planProbe } from './depth-team-draw'
import {
  DRAW,
  PASS,
  readStats,
  shareProbe,
  STATS,
  statsLength,
  widths,
  writeStats,
  type DepthShare,
  type SliceTick
} from './depth-team-layout'
import { gradName, type Net } from './net'
import { randLabels, rngAtNormal } from './rng'
import { summary } from './stats'
import type { FloatArray, Mat } from './tensor'
import { sliceRows } from './train-team'
import { workspaceBackward, workspaceForward, workspaceLoss, type NetWorkspace } from './workspace'

export type { DepthShare } from './depth-team-layout'

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
    const phase = Atomics.load(p.phase, 0)
    // Slices of a step run side by side: those done, plus this one's part, over all of them.
    const at = tick && ((f: number) => tick((slicesDone(p.team) + f) / slices))
    if (phase === PASS) passSlice(p, slice, slices, at)
    else if (phase === DRAW) drawSlice(p, slice, slices, at)
    else statsSlice(p, slice, slices, S)
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

/**
 * The leader's side for a probe depthSetup has drawn: share it, run the pass and the statistics
 * with whatever helpers join, assemble the result.
 */
export function depthOnTeam(setup: DepthSetup, slices: number, opts: DepthOptions): DepthResult {
  const S = Math.max(1, Math.min(MAX_SLICES, slices))
  return runProbe(shareProbe(setup, S), setup.c, S, opts, null)
}

/**
 * The leader's side for a probe whose draws the team makes (depthDrawsOnTeam): lay it out,
 * draw it on the team (the same numbers as depthSetup's, each from its place in the stream),
 * the labels of a softmax upstream on this thread after them, then as depthOnTeam.
 */
export function depthDrawnOnTeam(
  config: DepthConfig,
  slices: number,
  opts: DepthOptions
): DepthResult {
  const S = Math.max(1, Math.min(MAX_SLICES, slices))
  const p = planProbe(config, opts.data, S)
  const share = opts.onProgress ? depthSetupShare(config, opts.data, S) : 0
  return runProbe(p, depthPlan(config, opts.data).c, S, opts, share)
}

/**
 * Leader: the DRAW step of a planned probe (planProbe) with whatever helpers are there, then the
 * labels of a softmax upstream, which come last from the RNG, after every normal draw
 * (depthSetup's order). Afterwards the share holds exactly depthSetup's numbers.
 */
export function drawProbe(
  p: DepthShare,
  c: DepthEcho,
  S: number,
  tick?: (stepFraction: number) => void
): void {
  // Cut finer than the threads: a helper that joins after the step has started still finds
  // slices left. Any cut draws the same numbers (each slice jumps to its place in the stream).
  runStep(p, DRAW, Math.min(MAX_SLICES, DRAW_SLICES_PER_THREAD * S), tick)
  if ('y' in p.upstream) {
    const rng = rngAtNormal(p.seed, drawCount(p))
    p.upstream.y.set(randLabels(rng, p.samples, c.classes!))
  }
}

/**
 * Runs a shared probe's steps: DRAW (when `drawShare` is a number: the share of the progress
 * bar it takes), PASS, STATS; progress never goes back, and the abort signal is checked at
 * every tick.
 */
function runProbe(
  p: DepthShare,
  c: DepthEcho,
  S: number,
  opts: DepthOptions,
  drawShare: number | null
): DepthResult {
  opts.shareTeam?.(p)
  let reported = 0
  const progress = (from: number, span: number) => (f: number) => {
    opts.signal?.throwIfAborted()
    const at = from + span * Math.min(1, f)
    if (at > reported) opts.onProgress?.((reported = at))
  }
  const d = drawShare ?? 0
  if (drawShare !== null) drawProbe(p, c, S, progress(0, d))
  // Of what is left, the pass is about 0.8 and the statistics the rest.
  const pass = 0.8 * (1 - d)
  runStep(p, PASS, S, progress(d, pass))
  progress(d, pass)(1)
  runStep(p, STATS, Math.min(MAX_SLICES, p.blocks), progress(d + pass, 1 - d - pass))
  let loss = 0
  for (let s = 0; s < S; s++) loss += p.losses[s]!
  const len = statsLength(p.bins)
  const layers: DepthLayer[] = []
  for (let l = 1; l <= p.blocks; l++)
    layers.push(readStats(p.stats.subarray((l - 1) * len, l * len), l, p.bins))
  const inp = summary(p.X)
  if (reported < 1) opts.onProgress?.(1)
  return { config: c, input: { mean: inp.mean, std: inp.std }, layers, loss }
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
