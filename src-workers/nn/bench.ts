/**
 * The engine benchmark behind `layerscope bench` and `npm run bench` (bench/run.ts, which puts
 * numpy's figures for the same workloads beside these). Everything runs on the calling thread,
 * float32, after a warm-up (which also lets V8 tier the wasm kernel up from its baseline
 * compiler); each figure is the median of repeats.
 *
 * Workloads (bench/reference.py mirrors them line for line):
 * - GEMM at three shapes, named m×k×n (A is m×k, B is k×n): 1024³, the first layer's X·W1 of
 *   the two-layer net (200×3072×100) and a depth-probe layer (1000×500×500). GFLOP/s = 2mnk/t.
 * - One epoch of the cs231n two-layer net 3072→100→10 (ReLU, softmax + L2 reg·ΣW², SGD) over
 *   50,000 synthetic examples in batches of 200 drawn with replacement, as its train() does.
 * - Forward + backward of a 10 × 500 tanh stack (Xavier, no bias) on 1000 samples, with a
 *   random upstream gradient.
 * The epoch and depth workloads are written here directly on gemm() and plain loops (the depth
 * stack's tanh and its f′ on the engine's elementwise layer, so its SIMD kernel is measured).
 */
import { allocWasmFloat32, freeWasm, gemm, kernelName, type KernelName } from '../linalg/gemm'
import { elementwiseBackwardInto, elementwiseForwardInto } from './activations'
import { BENCH_EPOCH } from '../../src-shared/experiments'

export interface BenchResult {
  kernel: KernelName
  gemm: { shape: string; gflops: number }[]
  epochSeconds: number
  depthMs: number
}

export interface BenchOptions {
  /** Timed repeats per figure (the contract's BenchConfig.repeats; epochs: at most 3). */
  repeats: number
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void
}

export const GEMM_SHAPES: readonly [m: number, k: number, n: number][] = [
  [1024, 1024, 1024],
  [200, 3072, 100],
  [1000, 500, 500]
]

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** xorshift32 uniform in [-1, 1): fast enough to fill 150 M floats, and seeded. */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 2147483648 - 1
  }
}

/** Standard normal via Box–Muller on the uniform stream. */
function normal(seed: number): () => number {
  const u = uniform(seed)
  return () => {
    const a = (u() + 1) / 2 || 1e-12
    const b = (u() + 1) / 2
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * b)
  }
}

/** Median seconds of `repeats` samples of fn, each sample long enough (≥ minSeconds) to time. */
function timeIt(fn: () => void, repeats: number, minSeconds: number): number {
  let reps = 1
  const t0 = performance.now()
  fn()
  const once = (performance.now() - t0) / 1000
  if (once < minSeconds) reps = Math.ceil(minSeconds / Math.max(once, 1e-6))
  const samples: number[] = []
  for (let r = 0; r < repeats; r++) {
    const t = performance.now()
    for (let i = 0; i < reps; i++) fn()
    samples.push((performance.now() - t) / 1000 / reps)
  }
  return median(samples)
}

/** Run fn repeatedly for at least `seconds` (wasm tier-up, caches, page faults). */
function warmUp(fn: () => void, seconds: number): void {
  const end = performance.now() + seconds * 1000
  do fn()
  while (performance.now() < end)
}

export function benchGemm(
  m: number,
  k: number,
  n: number,
  repeats = 5
): { shape: string; gflops: number } {
  const A = allocWasmFloat32(m * k)
  const B = allocWasmFloat32(k * n)
  const C = allocWasmFloat32(m * n)
  try {
    const rand = uniform(m * 31 + k * 7 + n)
    for (let i = 0; i < A.length; i++) A[i] = rand()
    for (let i = 0; i < B.length; i++) B[i] = rand()
    const run = () => void gemm(m, n, k, A, B, C)
    warmUp(run, 0.3)
    const seconds = timeIt(run, repeats, 0.05)
    return { shape: `${m}x${k}x${n}`, gflops: (2 * m * n * k) / seconds / 1e9 }
  } finally {
    for (const a of [A, B, C]) freeWasm(a)
  }
}

const EPOCH = {
  N: BENCH_EPOCH.examples,
  D: 3072,
  H: BENCH_EPOCH.config.hidden[0],
  C: 10,
  batch: BENCH_EPOCH.config.batch,
  lr: BENCH_EPOCH.config.lr,
  reg: BENCH_EPOCH.config.reg,
  std: BENCH_EPOCH.config.std
}

/**
 * The two-layer net's training epoch. Returns median seconds per epoch over `epochs` runs
 * after a short warm-up; keeps the final loss finite as a check that it really trained.
 */
export function benchEpoch(epochs = 3): number {
  const { N, D, H, C, batch, lr, reg, std } = EPOCH
  // Synthetic data: class-dependent means so the net has something to learn.
  const X = new Float32Array(N * D)
  const y = new Int32Array(N)
  const ru = uniform(1)
  for (let i = 0; i < N; i++) {
    const label = (ru() + 1) * 5
    y[i] = Math.min(C - 1, Math.floor(label))
    const shift = (y[i]! - 4.5) * 0.1
    const row = X.subarray(i * D, (i + 1) * D)
    for (let j = 0; j < D; j++) row[j] = ru() + shift
  }
  const rn = normal(2)
  const W1 = allocWasmFloat32(D * H)
  const W2 = allocWasmFloat32(H * C)
  const b1 = new Float32Array(H)
  const b2 = new Float32Array(C)
  for (let i = 0; i < W1.length; i++) W1[i] = std * rn()
  for (let i = 0; i < W2.length; i++) W2[i] = std * rn()
  const Xb = allocWasmFloat32(batch * D)
  const hid = allocWasmFloat32(batch * H)
  const scores = allocWasmFloat32(batch * C)
  const dW1 = allocWasmFloat32(D * H)
  const dW2 = allocWasmFloat32(H * C)
  const dHid = allocWasmFloat32(batch * H)
  const yb = new Int32Array(batch)
  const pick = uniform(3)
  let loss = NaN

  const step = () => {
    for (let i = 0; i < batch; i++) {
      const r = Math.min(N - 1, Math.floor(((pick() + 1) / 2) * N))
      Xb.set(X.subarray(r * D, (r + 1) * D), i * D)
      yb[i] = y[r]!
    }
    // Forward: hid = relu(Xb·W1 + b1), scores = hid·W2 + b2.
    gemm(batch, H, D, Xb, W1, hid)
    for (let i = 0; i < batch; i++) {
      for (let j = 0; j < H; j++) {
        const v = hid[i * H + j]! + b1[j]!
        hid[i * H + j] = v > 0 ? v : 0
      }
    }
    gemm(batch, C, H, hid, W2, scores)
    // Softmax loss (stable) and dScores = (probs − onehot)/batch, in place in scores.
    let dataLoss = 0
    for (let i = 0; i < batch; i++) {
      const row = i * C
      let max = -Infinity
      for (let j = 0; j < C; j++) {
        const v = scores[row + j]! + b2[j]!
        scores[row + j] = v
        if (v > max) max = v
      }
      let sum = 0
      for (let j = 0; j < C; j++) {
        const e = Math.exp(scores[row + j]! - max)
        scores[row + j] = e
        sum += e
      }
      for (let j = 0; j < C; j++) scores[row + j] = scores[row + j]! / sum
      dataLoss -= Math.log(scores[row + yb[i]!]!)
      scores[row + yb[i]!]! -= 1
      for (let j = 0; j < C; j++) scores[row + j] = scores[row + j]! / batch
    }
    let sq = 0
    for (let i = 0; i < W1.length; i++) sq += W1[i]! * W1[i]!
    for (let i = 0; i < W2.length; i++) sq += W2[i]! * W2[i]!
    loss = dataLoss / batch + reg * sq
    // Backward: dW2 = hidᵀ·dS, dHid = dS·W2ᵀ masked by relu, dW1 = Xbᵀ·dHid; + 2·reg·W.
    gemm(H, C, batch, hid, scores, dW2, { transA: true })
    gemm(batch, H, C, scores, W2, dHid, { transB: true })
    for (let i = 0; i < dHid.length; i++) if (hid[i]! <= 0) dHid[i] = 0
    gemm(D, H, batch, Xb, dHid, dW1, { transA: true })
    // SGD, biases from column sums of the upstream gradients.
    for (let j = 0; j < C; j++) {
      let s = 0
      for (let i = 0; i < batch; i++) s += scores[i * C + j]!
      b2[j]! -= lr * s
    }
    for (let j = 0; j < H; j++) {
      let s = 0
      for (let i = 0; i < batch; i++) s += dHid[i * H + j]!
      b1[j]! -= lr * s
    }
    for (let i = 0; i < W1.length; i++) W1[i]! -= lr * (dW1[i]! + 2 * reg * W1[i]!)
    for (let i = 0; i < W2.length; i++) W2[i]! -= lr * (dW2[i]! + 2 * reg * W2[i]!)
  }

  try {
    const itersPerEpoch = Math.max(N / batch, 1)
    for (let i = 0; i < 25; i++) step()
    const samples: number[] = []
    for (let e = 0; e < epochs; e++) {
      const t = performance.now()
      for (let it = 0; it < itersPerEpoch; it++) step()
      samples.push((performance.now() - t) / 1000)
    }
    if (!Number.isFinite(loss)) throw new Error(`bench epoch: loss became ${loss}`)
    return median(samples)
  } finally {
    for (const a of [W1, W2, Xb, hid, scores, dW1, dW2, dHid]) freeWasm(a)
  }
}

const DEPTH = { N: 1000, width: 500, layers: 10 }
const TANH = { type: 'tanh' } as const

/** Median milliseconds of forward + backward through the 10 × 500 tanh stack. */
export function benchDepth(repeats = 5): number {
  const { N, width: W, layers: L } = DEPTH
  const rn = normal(4)
  const weights: Float32Array[] = []
  const acts: Float32Array[] = [allocWasmFloat32(N * W)] // acts[0] = X, acts[l] = tanh(...)
  for (let i = 0; i < N * W; i++) acts[0]![i] = rn()
  for (let l = 0; l < L; l++) {
    const w = allocWasmFloat32(W * W)
    const s = 1 / Math.sqrt(W) // xavier: std 1/√fan_in
    for (let i = 0; i < w.length; i++) w[i] = s * rn()
    weights.push(w)
    acts.push(allocWasmFloat32(N * W))
  }
  const dW = weights.map(() => allocWasmFloat32(W * W))
  const up = allocWasmFloat32(N * W)
  for (let i = 0; i < up.length; i++) up[i] = rn()
  const dH = allocWasmFloat32(N * W)
  const dZ = allocWasmFloat32(N * W)

  const run = () => {
    for (let l = 0; l < L; l++) {
      const out = acts[l + 1]!
      gemm(N, W, W, acts[l]!, weights[l]!, out)
      elementwiseForwardInto(TANH, { data: out, rows: N, cols: W }, out) // in place
    }
    dH.set(up)
    for (let l = L - 1; l >= 0; l--) {
      const h = { data: acts[l + 1]!, rows: N, cols: W }
      // dZ = dH ⊙ (1 − h²): tanh's f′ reads only y = h (the pre-activation was overwritten)
      elementwiseBackwardInto({ data: dH, rows: N, cols: W }, { act: TANH, x: h, y: h }, dZ)
      gemm(W, W, N, acts[l]!, dZ, dW[l]!, { transA: true })
      gemm(N, W, W, dZ, weights[l]!, dH, { transB: true })
    }
  }
  try {
    warmUp(run, 0.5)
    return timeIt(run, repeats, 0) * 1000
  } finally {
    for (const a of [...weights, ...acts, ...dW, up, dH, dZ]) freeWasm(a)
  }
}

/** The CLI's `bench` figures (../shared CLI.md shape) for this thread's gemm kernel. */
export function benchEngine(options: BenchOptions): BenchResult {
  const repeats = options.repeats
  const log = options.log ?? (() => {})
  const kernel = kernelName()
  log(`bench: kernel ${kernel}`)
  const gemmFigures = GEMM_SHAPES.map(([m, k, n]) => {
    const r = benchGemm(m, k, n, repeats)
    log(`bench: gemm ${r.shape} ${r.gflops.toFixed(1)} GFLOP/s`)
    return r
  })
  const epochSeconds = benchEpoch(Math.min(repeats, 3))
  log(`bench: epoch ${epochSeconds.toFixed(2)} s`)
  const depthMs = benchDepth(repeats)
  log(`bench: depth ${depthMs.toFixed(0)} ms`)
  return { kernel, gemm: gemmFigures, epochSeconds, depthMs }
}
