/**
 * The ZCA fit on every thread of the pool (issue 14): its two big products — the covariance's
 * Σ p pᵀ over 256 records at a time and W = R Rᵀ — are cut into row blocks (../linalg/
 * lower-product.ts) that the threads of a team (../team.ts) claim, largest first, and the
 * eigensolver's back-transformation X ← Q X (applyQ, about a third of the eigensolver) into
 * column blocks of X. The leader (the
 * fit task) publishes each product, takes blocks itself, and waits for the rest; helpers
 * (`helpZca`, the zcaHelper task the pool lends while threads are free) take blocks until
 * released. A block is the same gemm call wherever it runs, so the fit's numbers are the same
 * bits on one thread or many, with any number of helpers coming and going.
 *
 * Shared memory (all SharedArrayBuffers, handed to helpers once through TaskContext.share): the
 * team block, the float32 operand (d × 256 records), the float64 operand (R, d × d) and the two
 * float64 results (the covariance, the whitening matrix, d × d each; the second becomes the
 * fitted zcaMatrix). Each thread copies the step's operand onto its own wasm heap once per step
 * so its gemms read it in place; the heap is given back when the task ends (../task.ts).
 */
import { allocWasmFloat32, allocWasmFloat64, freeWasm, type FloatArray } from '../linalg/gemm'
import { applyQ, type Panel, type Tridiagonal } from '../linalg/eigen-tridiag'
import {
  lowerProductBlock,
  ROW_BLOCK,
  rowBlocks,
  type ProductRunner
} from '../linalg/lower-product'
import {
  awaitSlices,
  claimSlice,
  finishSlice,
  helperReleased,
  initTeam,
  MAX_SLICES,
  startStep,
  stepWord,
  TEAM_HEADER_BYTES,
  teamWords,
  waitForWork
} from '../team'

/** What the fit task shares with its helpers. */
export interface ZcaShare {
  team: SharedArrayBuffer
  /** d × 256 float32: the covariance's records, feature-major. */
  op32: SharedArrayBuffer
  /** d × d float64: R. */
  op64: SharedArrayBuffer
  /** d × d float64 each: the covariance (0) and the whitening matrix (1). */
  results: [SharedArrayBuffer, SharedArrayBuffer]
}

/** teamWords layout of a step. */
const W_OPERAND = 0 // 0: op32, 1: op64 (lower products); 2: the back-transformation
const W_RESULT = 1
const W_N = 2
const W_K = 3
const W_ACCUMULATE = 4
const W_RB = 5

/** Records per covariance step (the exact-integer float32 gemm depth, zca.ts). */
const RECORDS = 256

/** Row-block height for d so the blocks fit the team's slice limit. */
function blockRows(d: number): number {
  return Math.max(ROW_BLOCK, Math.ceil(d / MAX_SLICES))
}

/** The shared buffers of a d-feature fit. */
export function createZcaShare(d: number): ZcaShare {
  return {
    team: new SharedArrayBuffer(TEAM_HEADER_BYTES),
    op32: new SharedArrayBuffer(d * RECORDS * 4),
    op64: new SharedArrayBuffer(d * d * 8),
    results: [new SharedArrayBuffer(d * d * 8), new SharedArrayBuffer(d * d * 8)]
  }
}

/** One thread's copies of the step operand and scratch, on its own wasm heap. */
class BlockWorker {
  private gen = -1
  private a: FloatArray | null = null
  private tmp: FloatArray | null = null

  constructor(private readonly share: ZcaShare) {}

  private tri: Tridiagonal | null = null

  /** Runs slice `slice` of step `gen` as the team words describe it. */
  run(gen: number, slice: number): void {
    const w = teamWords(this.share.team)
    if (w[W_OPERAND] === 2) return this.backTransform(gen, slice)
    const n = w[W_N]!
    const k = w[W_K]!
    const rb = w[W_RB]!
    const f32 = w[W_OPERAND] === 0
    if (gen !== this.gen) {
      this.free()
      const src = f32
        ? new Float32Array(this.share.op32, 0, n * k)
        : new Float64Array(this.share.op64, 0, n * k)
      this.a = f32 ? allocWasmFloat32(n * k) : allocWasmFloat64(n * k)
      this.a.set(src)
      this.tmp = f32 ? allocWasmFloat32(rb * n) : allocWasmFloat64(rb * n)
      this.gen = gen
    }
    const C = new Float64Array(this.share.results[w[W_RESULT] as 0 | 1], 0, n * n)
    const blocks = rowBlocks(n, rb)
    // largest (lowest) blocks first: the last claims are the cheapest
    lowerProductBlock(this.a!, n, k, blocks - 1 - slice, C, w[W_ACCUMULATE] === 1, this.tmp!, rb)
  }

  /**
   * Columns [slice·cb, …) of X ← Q X: the block copied onto this thread's heap, applyQ on it, and
   * copied back (applyQ treats columns independently, in the same gemm sequence: same bits).
   */
  private backTransform(gen: number, slice: number): void {
    const w = teamWords(this.share.team)
    const n = w[W_N]!
    const cb = w[W_K]!
    if (gen !== this.gen) {
      this.free()
      this.tri = unpackPanels(this.share, n)
      this.a = allocWasmFloat64(n * cb)
      this.gen = gen
    }
    const X = new Float64Array(this.share.op64, 0, n * n)
    const c0 = slice * cb
    const width = Math.min(n, c0 + cb) - c0
    const local = this.a!.subarray(0, n * width) as Float64Array
    for (let r = 0; r < n; r++) local.set(X.subarray(r * n + c0, r * n + c0 + width), r * width)
    applyQ(this.tri!, local, width)
    for (let r = 0; r < n; r++) X.set(local.subarray(r * width, (r + 1) * width), r * n + c0)
  }

  free(): void {
    this.tri = null
    if (this.a) freeWasm(this.a)
    if (this.tmp) freeWasm(this.tmp)
    this.a = this.tmp = null
    this.gen = -1
  }
}

/**
 * The reflector panels of a tridiagonalization in shared memory: V packed into results[0] (the
 * covariance, no longer needed once reduced), [count, (start, cols, vAt, tauAt) × count] as
 * Int32 at the head of op32 and the τs as float64 after it.
 */
function packPanels(share: ZcaShare, t: Tridiagonal): void {
  const meta = new Int32Array(share.op32)
  const tauAt = Math.ceil((4 * (1 + 4 * t.panels.length)) / 8) * 8
  const V = new Float64Array(share.results[0])
  const tau = new Float64Array(share.op32, tauAt)
  if (1 + 4 * t.panels.length > meta.length) throw new RangeError('zca team: too many panels')
  meta[0] = t.panels.length
  let v = 0
  let q = 0
  t.panels.forEach((p, i) => {
    if (v + p.V.length > V.length || q + p.tau.length > tau.length)
      throw new RangeError('zca team: panels exceed the shared buffers')
    meta.set([p.start, p.cols, v, q], 1 + 4 * i)
    V.set(p.V, v)
    tau.set(p.tau, q)
    v += p.V.length
    q += p.tau.length
  })
}

function unpackPanels(share: ZcaShare, n: number): Tridiagonal {
  const meta = new Int32Array(share.op32)
  const count = meta[0]!
  const tauAt = Math.ceil((4 * (1 + 4 * count)) / 8) * 8
  const V = new Float64Array(share.results[0])
  const tau = new Float64Array(share.op32, tauAt)
  const panels: Panel[] = []
  for (let i = 0; i < count; i++) {
    const [start, cols, v, q] = Array.from(meta.subarray(1 + 4 * i, 5 + 4 * i)) as [
      number,
      number,
      number,
      number
    ]
    panels.push({
      start,
      cols,
      V: V.subarray(v, v + (n - start - 1) * cols),
      tau: tau.subarray(q, q + cols)
    })
  }
  // d and e are not read by applyQ
  return { n, d: new Float64Array(0), e: new Float64Array(0), panels }
}

/** Claims and runs slices of the current step until none is left; returns how many it ran. */
function workSlices(share: ZcaShare, worker: BlockWorker): number {
  let done = 0
  for (;;) {
    const c = claimSlice(share.team)
    if (!c) return done
    try {
      worker.run(c.gen, c.slice)
    } finally {
      finishSlice(share.team)
    }
    done++
  }
}

/**
 * The leader's runner: products on the team (the leader takes blocks too). `onShare` hands the
 * buffers to the pool once (before the first product), which then lends helpers.
 */
export function teamProducts(
  d: number,
  onShare: (share: ZcaShare) => void
): ProductRunner & {
  close(): void
} {
  const share = createZcaShare(d)
  const rb = blockRows(d)
  initTeam(share.team, rowBlocks(d, rb))
  let shared = false
  const worker = new BlockWorker(share)
  const op32 = new Float32Array(share.op32)
  const op64 = new Float64Array(share.op64)
  const results = share.results.map((b) => new Float64Array(b))
  return {
    result: (slot, length) => {
      if (length !== d * d) throw new RangeError(`zca team: result of ${length} for d = ${d}`)
      return results[slot]!
    },
    operand32: (length) => {
      if (length !== d * RECORDS) throw new RangeError(`zca team: operand of ${length}`)
      return op32
    },
    operand64: (a) => {
      op64.set(a.subarray(0, d * d))
      return op64
    },
    release: () => {},
    lowerProduct(A, n, k, C, accumulate) {
      const operand = A === op32 ? 0 : A === op64 ? 1 : -1
      const result = results.findIndex((r) => r === C)
      if (operand < 0 || result < 0 || n !== d)
        throw new Error('zca team: products run on the team buffers only')
      if (!shared) {
        onShare(share)
        shared = true
      }
      const w = teamWords(share.team)
      w[W_OPERAND] = operand
      w[W_RESULT] = result
      w[W_N] = n
      w[W_K] = k
      w[W_ACCUMULATE] = accumulate ? 1 : 0
      w[W_RB] = rb
      startStep(share.team)
      workSlices(share, worker)
      awaitSlices(share.team)
    },
    applyQ(t, X, ncols, report) {
      if (t.n !== d || ncols !== d || !shared) return applyQ(t, X, ncols, report)
      packPanels(share, t)
      op64.set(X.subarray(0, d * d))
      const w = teamWords(share.team)
      w[W_OPERAND] = 2
      w[W_N] = d
      w[W_K] = rb // columns per slice: as many slices as row blocks
      startStep(share.team)
      workSlices(share, worker)
      awaitSlices(share.team)
      X.set(op64)
      report(1)
    },
    close: () => worker.free()
  }
}

/**
 * A helper: joins the team and runs slices of every step until released (or the leader ends);
 * returns how many slices it ran. Its heap copies are freed before it returns.
 */
export function helpZca(share: ZcaShare, index: number, waitMs = 100): number {
  const worker = new BlockWorker(share)
  let done = 0
  let seen = -1
  try {
    while (!helperReleased(share.team, index)) {
      const word = stepWord(share.team)
      if (word === seen) {
        waitForWork(share.team, word, waitMs)
        continue
      }
      done += workSlices(share, worker)
      seen = word
    }
  } finally {
    worker.free()
  }
  return done
}
