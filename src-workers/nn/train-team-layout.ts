/**
 * The shared block of a data-parallel training run (train-team.ts): after the team header
 * (../team.ts), a float64 control record [lr, 2·reg, optimizer, μ, β₁, β₂, ε]; per slice a
 * float64 record [loss (an evaluation round: correct answers), first non-finite layer (0 = none),
 * Σw² of its chunk of the weights, then per block (rows, mean, M2) of its output]; the batch's row
 * indices (Int32 × B); an evaluation round's (Int32 × S·256); the weights (float32, every
 * parameter in net.params order: the run's weights, updated in place by the update step); the
 * summed gradient and the optimizer's two moments (same layout); one gradient slot per slice.
 * The arrays start on 64-byte cache lines, so no two of them (nor the header) share a line.
 *
 * Where the runtime has it, the block is the buffer of a shared WebAssembly memory (fixed size):
 * the leader shares the memory with its helpers (TrainShare.memory), and every thread runs the
 * update's kernel (wasm/assembly/update.ts) on the block in place.
 */
import { initTeam, TEAM_HEADER_BYTES, teamSlices, teamWords } from '../team'
import type { WasmMemory } from '../linalg/wasm/api'
import { sharedWasmMemory, wasmModuleOn } from '../linalg/wasm/kernels'
import type { Net } from './net'
import { OPTIMIZER_NAMES } from './optim'
import type { TrainSplit } from './trainer'
import { blockOutputs } from './train-step'

/** Words of the team header this layout uses (teamWords indices). */
export const W_ROWS = 0
export const W_STATS = 1
const W_BATCH = 2
const W_PARAMS = 3
const W_BLOCKS = 4
/** What the current step does: PASS, UPDATE or EVAL. */
export const W_PHASE = 5
/** The optimizer's step count t after this update (Adam's bias correction). */
export const W_T = 6
/** The split an evaluation round reads (index into SPLITS). */
export const W_SPLIT = 7
/** Whether this update keeps the summed gradient (the trainer asked for its norms). */
export const W_NORMS = 8
export const PASS = 1
export const UPDATE = 2
export const EVAL = 3
export const SPLITS: TrainSplit[] = ['train', 'val', 'test']
/** Rows per slice of an evaluation round (a round is slices × this many rows). */
export const EVAL_SLICE_ROWS = 256
const CONTROL = 8
/** Record fields: loss, first non-finite layer, Σw² of the slice's chunk; then the blocks. */
export const REC_LOSS = 0
/** An evaluation round's slice records its correct answers here. */
export const REC_RIGHT = 0
export const REC_BAD = 1
export const REC_SUMSQ = 2
export const REC_BLOCKS = 3
/** The optimizer travels as its index in the contract's list (optim.ts OPTIMIZER_NAMES). */
export const OPTIMIZERS = OPTIMIZER_NAMES

/** update.ts sgd2 on the block: byte addresses of slot 0, slot 1, w and sum (0: none). */
export type Sgd2Kernel = (
  s0: number,
  s1: number,
  w: number,
  sum: number,
  n: number,
  twoReg: number,
  lr: number
) => void

/** update.ts sumSquares on the block: Σw² of n weights from byte address w. */
export type SumSquaresKernel = (w: number, n: number) => number

export interface TeamViews {
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
  /** The 2-slice SGD update's kernel on this block (null: no wasm memory; the TypeScript loop). */
  sgd2: Sgd2Kernel | null
  /** Σw² of a range of the weights in WebAssembly on this block (null: the TypeScript loop). */
  sumSquares: SumSquaresKernel | null
  /** Byte offsets in the block of the weights, the summed gradient and each slot. */
  at: { params: number; sum: number; slot: (s: number) => number }
  /** Byte ranges every step touches: the weights and the summed gradient, the slots. */
  hot: [number, number][]
}

/** Cache lines: no two arrays of the block (nor the header) share one. */
const align64 = (n: number): number => Math.ceil(n / 64) * 64

function layout(slices: number, batch: number, nParams: number, blocks: number) {
  const recordLen = REC_BLOCKS + 3 * blocks
  const control = TEAM_HEADER_BYTES
  const records = control + CONTROL * 8
  const idx = align64(records + slices * recordLen * 8)
  const evalIdx = align64(idx + batch * 4)
  const params = align64(evalIdx + slices * EVAL_SLICE_ROWS * 4)
  const sum = align64(params + nParams * 4)
  const m = align64(sum + nParams * 4)
  const v = align64(m + nParams * 4)
  const slotBytes = align64(nParams * 4)
  const grads = align64(v + nParams * 4)
  const bytes = grads + slices * slotBytes
  return { recordLen, control, records, idx, evalIdx, params, sum, m, v, grads, slotBytes, bytes }
}

function paramCount(net: Net): number {
  let n = 0
  for (const p of Object.values(net.params)) n += p.length
  return n
}

/** Team blocks that are a shared wasm memory's buffer, and that memory (per thread). */
const memories = new WeakMap<SharedArrayBuffer, WasmMemory>()

/** The shared wasm memory a team block is the buffer of (the leader shares it), if any. */
export function teamMemory(team: SharedArrayBuffer): WasmMemory | undefined {
  return memories.get(team)
}

/** A helper: its team block is `memory`'s buffer (its kernels may run on it). Returns the block. */
export function adoptTeamMemory(memory: WasmMemory): SharedArrayBuffer {
  const team = memory.buffer as SharedArrayBuffer
  memories.set(team, memory)
  return team
}

/**
 * A team block for `net`, batches of up to `batch` rows cut into `slices`: a shared wasm
 * memory's buffer where the runtime has one, else a plain SharedArrayBuffer.
 */
export function createTrainTeam(net: Net, slices: number, batch: number): SharedArrayBuffer {
  const blocks = blockOutputs(net).length
  const P = paramCount(net)
  const bytes = layout(slices, batch, P, blocks).bytes
  const memory = sharedWasmMemory(bytes)
  const team = memory ? adoptTeamMemory(memory) : new SharedArrayBuffer(bytes)
  initTeam(team, slices)
  const w = teamWords(team)
  w[W_BATCH] = batch
  w[W_PARAMS] = P
  w[W_BLOCKS] = blocks
  return team
}

/** Each block's views, made once per thread (a step allocates nothing for them). */
const viewCache = new WeakMap<SharedArrayBuffer, TeamViews>()

export function views(team: SharedArrayBuffer): TeamViews {
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
    (_, s) => new Float32Array(team, L.grads + s * L.slotBytes, P)
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
    words,
    sgd2: kernelOf<Sgd2Kernel>(team, 'sgd2'),
    sumSquares: kernelOf<SumSquaresKernel>(team, 'sumSquares'),
    at: { params: L.params, sum: L.sum, slot: (s) => L.grads + s * L.slotBytes },
    hot: [
      [L.params, L.m],
      [L.grads, L.bytes]
    ]
  }
}

function kernelOf<K>(team: SharedArrayBuffer, name: string): K | null {
  const memory = memories.get(team)
  const fn = memory ? wasmModuleOn('update', memory)?.[name] : undefined
  return typeof fn === 'function' ? (fn as K) : null
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

/**
 * Touches every 4 KiB page of the block's hot ranges once (an atomic add of 0: a write that
 * changes nothing, safe beside the other threads' writes), so the memory is mapped before the
 * steps need it. A fresh block's first steps otherwise pay the page faults inside the slices
 * (measured: writing a 1.2 MB slot took 10–12 ms in the first step against 0.05 ms after). A
 * helper does it as it joins, while the leader sets up or computes the first steps alone.
 */
export function touchTeamPages(team: SharedArrayBuffer): void {
  const words = new Int32Array(team)
  for (const [a, b] of views(team).hot)
    for (let i = Math.ceil(a / 4096) * 1024; i < b / 4; i += 1024) Atomics.add(words, i, 0)
}
