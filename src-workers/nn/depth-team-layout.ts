/**
 * The depth probe's shared memory (depth-team.ts): what a team of threads reads and writes, as
 * plain data over SharedArrayBuffers, laid out for a probe that depthSetup drew (shareProbe) or
 * left undrawn (allocProbe, then depth-team-draw.ts fills it), and the statistics records.
 */
import type { DepthLayer } from '../../src-shared/results'
import type { DepthEcho, DepthSetup } from './depth'
import { initTeam, TEAM_HEADER_BYTES } from '../team'
import { gradName, type LayerSpec } from './net'
import type { FloatArray } from './tensor'

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
  /** The probe's seed and its normal draws in stream order (the DRAW step; empty when drawn). */
  seed: number
  draws: DrawSegment[]
  /** [0]: what the current step does, DRAW, PASS or STATS (written before the step starts). */
  phase: Int32Array
  /** [0]: helpers that have joined so far (the benchmark waits for them before timing). */
  joined: Int32Array
}

/** What the current step does (DepthShare.phase). */
export const PASS = 1
export const STATS = 2
export const DRAW = 3

/**
 * One matrix's normal draws: element e is 0 + std·z[start + e], z the seed's stream of normal()
 * draws (as rng.ts fillNormal writes it), into X, G or the parameter `target`.
 */
export interface DrawSegment {
  target: string
  start: number
  count: number
  std: number
}

/**
 * Called before each layer of a pass slice with the fraction of the slice done (0 before the
 * first layer's forward); may throw to abandon the slice.
 */
export type SliceTick = (fraction: number) => void

export const sharedLike = (like: FloatArray, n: number): FloatArray =>
  like instanceof Float32Array
    ? new Float32Array(new SharedArrayBuffer(n * 4))
    : new Float64Array(new SharedArrayBuffer(n * 8))

export const statsLength = (bins: number): number => 6 + (bins + 1) + bins + 6

export function widths(layers: LayerSpec[], inputSize: number): number[] {
  const out: number[] = []
  let w = inputSize
  for (const l of layers) {
    if (l.type === 'affine') w = l.fanOut
    else if (l.type === 'maxout') w = w / l.pieces
    out.push(w)
  }
  return out
}

export function writeStats(rec: Float64Array, st: DepthLayer): void {
  const head = [st.mean, st.std, st.preMean, st.preStd, st.saturated, st.dead]
  rec.set(head, 0)
  rec.set(st.hist.edges, 6)
  rec.set(st.hist.counts, 6 + st.hist.edges.length)
  const o = 6 + st.hist.edges.length + st.hist.counts.length
  rec.set([st.dW.mean, st.dW.std, st.dW.norm, st.dX.mean, st.dX.std, st.dX.norm], o)
}

export function readStats(rec: Float64Array, layer: number, bins: number): DepthLayer {
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

/** What shared memory a probe needs: its layers, sizes and element type. */
export interface ProbeLayout {
  c: DepthEcho
  layers: LayerSpec[]
  inputSize: number
  /** Parameter name → length. */
  paramSizes: Record<string, number>
  float32: boolean
}

/** Lays a probe out in shared memory for `slices` slices, every array zero. */
export function allocProbe(l: ProbeLayout, slices: number): DepthShare {
  const { c } = l
  const N = c.samples
  const like: FloatArray = l.float32 ? new Float32Array(0) : new Float64Array(0)
  const params: Record<string, FloatArray> = {}
  for (const [k, n] of Object.entries(l.paramSizes)) params[k] = sharedLike(like, n)
  const w = widths(l.layers, l.inputSize)
  const upstream =
    c.upstream === 'randn'
      ? { G: sharedLike(like, N * w[w.length - 1]!) }
      : { y: new Int32Array(new SharedArrayBuffer(N * 4)) }
  const slots: Record<string, FloatArray>[] = []
  for (let s = 0; s < slices; s++) {
    const slot: Record<string, FloatArray> = {}
    for (const [k, n] of Object.entries(l.paramSizes)) slot[gradName(k)] = sharedLike(like, n)
    slots.push(slot)
  }
  const team = new SharedArrayBuffer(TEAM_HEADER_BYTES)
  initTeam(team, slices)
  return {
    team,
    layers: l.layers,
    inputSize: l.inputSize,
    samples: N,
    bins: c.bins,
    blocks: c.layers,
    params,
    X: sharedLike(like, N * l.inputSize),
    upstream,
    outputs: w.map((wi) => sharedLike(like, N * wi)),
    dInputs: w.map((_, i) => sharedLike(like, N * (i === 0 ? l.inputSize : w[i - 1]!))),
    slots,
    losses: new Float64Array(new SharedArrayBuffer(slices * 8)),
    stats: new Float64Array(new SharedArrayBuffer(c.layers * statsLength(c.bins) * 8)),
    seed: c.seed,
    draws: [],
    phase: new Int32Array(new SharedArrayBuffer(4)),
    joined: new Int32Array(new SharedArrayBuffer(4))
  }
}

/** Lays a drawn probe (depthSetup's) out in shared memory for `slices` slices. */
export function shareProbe(setup: DepthSetup, slices: number): DepthShare {
  const { net, X, c } = setup
  const paramSizes: Record<string, number> = {}
  for (const [k, v] of Object.entries(net.params)) paramSizes[k] = v.length
  const layout = {
    c,
    layers: net.layers,
    inputSize: net.inputSize,
    paramSizes,
    float32: X.data instanceof Float32Array
  }
  const p = allocProbe(layout, slices)
  for (const [k, v] of Object.entries(net.params)) p.params[k]!.set(v)
  p.X.set(X.data)
  if ('G' in setup.upstream && 'G' in p.upstream) p.upstream.G.set(setup.upstream.G)
  if ('y' in setup.upstream && 'y' in p.upstream) p.upstream.y.set(setup.upstream.y)
  return p
}
