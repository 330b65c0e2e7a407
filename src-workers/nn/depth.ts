/**
 * The depth probe (CLI.md `depth`): push a batch through L layers H_l = f(H_{l−1}·W_l [+ b]) and
 * report per-layer forward statistics and the gradients that come back.
 *
 * Random draws, all from one RNG seeded by `seed`, in this order: the Gaussian input
 * X ~ randn(samples, width) (unless a data matrix is given), W_1 … W_L (fan_in × fan_out, by the
 * init rule; maxout's W_l is k·width wide), the softmax head's weights, then the upstream:
 * G ~ randn(samples, width) with L = Σ G ⊙ H_L (no 1/N), or uniform labels over `classes` with
 * the mean softmax cross-entropy of a `classes`-wide affine head (same init rule).
 *
 * Histograms use fixed ranges where the activation is bounded — tanh [−1, 1], sigmoid [0, 1] —
 * so layers compare bin for bin; otherwise the layer's own [min, max] (data-driven; a constant
 * layer gets [v − ½, v + ½]). `saturated` is the fraction of entries where |f′(z)| < 0.01·sup|f′|
 * (ELU/SELU/GELU: only the negative tail; 0 for the ReLU family, PReLU and maxout). `dead` is the
 * fraction of units (columns of H_l) that are exactly zero for every sample, for any activation.
 */
import type { DepthConfig } from '../../src-shared/experiments'
import { activationSupDerivative, isSaturated } from './activations'
import { activationOf, hiddenBlock, type ActivationName } from './build'
import { initOf, initWeights, type InitName } from './init'
import { lsuvInit } from './lsuv'
import { backwardLayers, forwardLayers, gradName, type LayerSpec, type Net } from './net'
import { depthDrawnOnTeam, depthOnTeam } from './depth-team'
import { createRng, fillNormal, randLabels } from './rng'
import { softmaxLoss } from './softmax-loss'
import { finiteRange, histogram, summary } from './stats'
import type {
  DepthLayer,
  DepthResult as SharedDepthResult,
  Moments
} from '../../src-shared/results'
import { alloc, type Dtype, type FloatArray, type Mat } from './tensor'

/** Classes of the softmax upstream's head (CIFAR-10's ten). */
export const DEPTH_HEAD_CLASSES = 10

/**
 * The probe's configuration: the contract's, parsed (every default applied by its schema at the
 * boundary). `input` and `preprocess` are the caller's: a CIFAR-10 batch arrives as opts.data.
 */
export type { DepthConfig }

export interface DepthOptions {
  /** Input batch instead of randn (e.g. preprocessed CIFAR-10 images, samples × 3072). */
  data?: Mat
  /**
   * Cut the samples into this many slices computed by a team of threads (depth-team.ts;
   * default 1: everything on this thread). Statistics come out equal up to the float rounding
   * of dW's sum over the slices.
   */
  slices?: number
  /** With slices > 1: hands the team's shared description to the caller, so helpers can join. */
  shareTeam?: (share: unknown) => void
  /** Called with the fraction done (0…1) after each layer forward and backward. */
  onProgress?: (fraction: number) => void
  /** Checked between layers; aborting throws the signal's reason. */
  signal?: AbortSignal
}

export interface DepthEcho {
  layers: number
  width: number
  activation: ActivationName
  slope?: number
  alpha?: number
  pieces?: number
  approximate?: 'none' | 'tanh'
  init: InitName
  std?: number
  gain?: number
  samples: number
  input: 'gaussian' | 'data'
  inputWidth: number
  upstream: 'randn' | 'softmax'
  classes?: number
  bins: number
  seed: number
  bias: number | null
  dtype: Dtype
  /** Worker threads (sample slices) that computed it; absent: 1. */
  workers?: number
}

/** The probe's result: the shared DepthResult (src-shared/results.ts), its config echoed as DepthEcho. */
export type DepthResult = SharedDepthResult & { config: DepthEcho }

function echo(c: DepthConfig, samples: number, inputWidth: number, hasData: boolean): DepthEcho {
  const act = activationOf(c.activation, c.params)
  const e: DepthEcho = {
    layers: c.layers,
    width: c.width,
    activation: act.type,
    init: c.init,
    samples,
    input: hasData ? 'data' : 'gaussian',
    inputWidth,
    upstream: c.upstream,
    bins: c.bins,
    seed: c.seed,
    bias: c.bias ?? null,
    dtype: c.dtype
  }
  if (act.type === 'leaky-relu') e.slope = act.slope
  if (act.type === 'elu' || act.type === 'prelu') e.alpha = act.alpha
  if (act.type === 'maxout') e.pieces = act.pieces
  if (act.type === 'gelu') e.approximate = act.approximate
  if (c.init === 'normal' || c.init === 'constant') e.std = c.std
  if (c.init === 'orthogonal' || c.init === 'lsuv') e.gain = c.gain
  if (e.upstream === 'softmax') e.classes = DEPTH_HEAD_CLASSES
  return e
}

export function moments(a: ArrayLike<number>): Moments {
  return summary(a)
}

/** Per-layer forward statistics of H = f(pre) for the layer's activation descriptor. */
export function forwardStats(act: LayerSpec, pre: Mat, H: Mat, bins: number) {
  const p = summary(pre.data)
  const h = summary(H.data)
  let saturated = 0
  if (act.type !== 'prelu' && act.type !== 'maxout' && act.type !== 'affine') {
    if (activationSupDerivative(act) > 0) {
      let s = 0
      for (let i = 0; i < H.data.length; i++) if (isSaturated(act, pre.data[i]!, H.data[i]!)) s++
      saturated = s / H.data.length
    }
  }
  let dead = 0
  for (let j = 0; j < H.cols; j++) {
    let zero = true
    for (let i = 0; i < H.rows && zero; i++) if (H.data[i * H.cols + j] !== 0) zero = false
    if (zero) dead++
  }
  let lo: number
  let hi: number
  if (act.type === 'tanh') [lo, hi] = [-1, 1]
  else if (act.type === 'sigmoid') [lo, hi] = [0, 1]
  else {
    const r = finiteRange(H.data)
    if (Number.isNaN(r.min)) [lo, hi] = [0, 1]
    else if (r.min === r.max) [lo, hi] = [r.min - 0.5, r.max + 0.5]
    else [lo, hi] = [r.min, r.max]
  }
  return {
    mean: h.mean,
    std: h.std,
    preMean: p.mean,
    preStd: p.std,
    saturated,
    dead: dead / H.cols,
    hist: histogram(H.data, bins, lo, hi)
  }
}

/** A probe ready to run: the echoed config, the net with its weights, the input, the upstream. */
export interface DepthSetup {
  c: DepthEcho
  net: Net
  X: Mat
  /** randn upstream: G (samples × width); softmax upstream: the labels. */
  upstream: { G: FloatArray } | { y: Int32Array }
}

/**
 * A probe's layout before anything is drawn: the echoed config and the layer specs, with how
 * many normal draws the setup makes and how many flops the pass takes (for the progress bar).
 */
export interface DepthPlan {
  c: DepthEcho
  layers: LayerSpec[]
  /** Normal draws of the setup: X (Gaussian input), every W, G (randn upstream). */
  draws: number
  /** Multiply-adds × 2 of the pass: forward, ∂W and ∂X of every affine layer. */
  passFlops: number
}

export function depthPlan(config: DepthConfig, data?: Mat): DepthPlan {
  const samples = data ? data.rows : config.samples
  const c = echo(config, samples, data ? data.cols : config.width, data !== undefined)
  const act = activationOf(config.activation, config.params)
  const hasBias = c.bias !== null
  const layers: LayerSpec[] = []
  let fanIn = c.inputWidth
  for (let l = 1; l <= c.layers; l++) {
    layers.push(...hiddenBlock(fanIn, c.width, act, hasBias, l, l))
    fanIn = c.width
  }
  if (c.upstream === 'softmax') {
    const k = c.layers + 1
    layers.push({
      type: 'affine',
      fanIn,
      fanOut: c.classes!,
      W: `W${k}`,
      b: hasBias ? `b${k}` : null
    })
  }
  let weights = 0
  for (const l of layers) if (l.type === 'affine') weights += l.fanIn * l.fanOut
  // zeros and constant draw nothing.
  const drawn = c.init === 'zeros' || c.init === 'constant' ? 0 : weights
  const draws =
    (data ? 0 : samples * c.inputWidth) + drawn + (c.upstream === 'randn' ? samples * c.width : 0)
  return { c, layers, draws, passFlops: 6 * samples * weights }
}

/**
 * Flop-equivalents of one normal draw, for the progress bar only: a Box–Muller draw in JS
 * (rng.ts) takes about 27 ns on a core, as long as about 1,600 flops of gemm at 60 GFLOP/s.
 */
const DRAW_FLOPS = 1600

/**
 * The setup's share of a probe's time when it runs on `threads` threads: the progress bar gives the setup this share, so the time left that the service
 * extrapolates from the first ticks holds from the start. Without it a large probe's first
 * tick came after seconds of drawing, and "about 2 min left" showed for a 10 s run.
 */
export function depthSetupShare(
  config: DepthConfig,
  data: Mat | undefined,
  threads: number
): number {
  const { draws, passFlops } = depthPlan(config, data)
  // On a team the draws are split too (depth-team.ts), except for orthogonal and LSUV.
  const drawThreads = depthDrawsOnTeam(config) ? threads : 1
  const draw = (draws * DRAW_FLOPS) / Math.max(1, drawThreads)
  return draw / (draw + passFlops / Math.max(1, threads))
}

/**
 * Whether a team can split the probe's draws: every random matrix is a plain stream of normal
 * draws (Gaussian inits, zeros, constant). Orthogonal and LSUV draw and then orthogonalize (or
 * rescale on data) one matrix at a time: the leader draws those alone.
 */
export function depthDrawsOnTeam(config: DepthConfig): boolean {
  return config.init !== 'orthogonal' && config.init !== 'lsuv'
}

/**
 * Every random draw of the probe, in the documented order (X, W_1 … W_L, the head, then the
 * upstream), and LSUV's rescaling when asked for. `onDrawn(fraction of the draws made)` is
 * called after each matrix is drawn; it may throw (an abort) to stop.
 */
export function depthSetup(
  config: DepthConfig,
  data?: Mat,
  onDrawn?: (fraction: number) => void
): DepthSetup {
  const { c, layers, draws } = depthPlan(config, data)
  const samples = c.samples
  const dtype = c.dtype
  const rng = createRng(c.seed)
  let drawn = 0
  const made = (n: number): void => {
    drawn += n
    onDrawn?.(draws > 0 ? Math.min(1, drawn / draws) : 1)
  }
  let X: Mat
  if (data) {
    X = { data: alloc(dtype, data.data.length), rows: data.rows, cols: data.cols }
    X.data.set(data.data)
  } else {
    X = { data: fillNormal(rng, alloc(dtype, samples * c.width)), rows: samples, cols: c.width }
    made(X.data.length)
  }
  const act = activationOf(config.activation, config.params)
  const initSpec = initOf(config)
  const params: Record<string, FloatArray> = {}
  for (const l of layers) {
    if (l.type === 'affine') {
      params[l.W] = initWeights(initSpec, l.fanIn, l.fanOut, rng, dtype)
      if (l.b) params[l.b] = alloc(dtype, l.fanOut).fill(c.bias ?? 0)
      if (c.init !== 'zeros' && c.init !== 'constant') made(l.fanIn * l.fanOut)
    } else if (l.type === 'prelu') params[l.alpha] = alloc(dtype, l.units).fill(act.alpha)
  }
  const net: Net = { inputSize: c.inputWidth, layers, params, loss: 'softmax', reg: 0 }
  if (c.init === 'lsuv') lsuvInit(net, X)
  // The upstream comes last from the RNG (the forward pass draws nothing).
  const width = c.upstream === 'randn' ? c.width : c.classes!
  const upstream =
    c.upstream === 'randn'
      ? { G: fillNormal(rng, alloc(dtype, samples * width)) }
      : { y: randLabels(rng, samples, c.classes!) }
  if (c.upstream === 'randn') made(samples * width)
  return { c, net, X, upstream }
}

/**
 * Per-layer statistics of a finished pass: forward statistics of block l's pre-activation
 * (pre = outputs[2(l−1)]) and output (H = outputs[2l−1]), moments of dW_l and of
 * dX_l = dInputs[2(l−1)].
 */
export function depthLayerStats(
  layers: LayerSpec[],
  bins: number,
  l: number,
  pre: Mat,
  H: Mat,
  dW: ArrayLike<number>,
  dX: ArrayLike<number>
): DepthLayer {
  const ai = 2 * (l - 1) // affine index; the activation follows it
  if (layers[ai]?.type !== 'affine') throw new Error('depth: layer layout broken')
  return {
    layer: l,
    ...forwardStats(layers[ai + 1]!, pre, H, bins),
    dW: moments(dW),
    dX: moments(dX)
  }
}

/**
 * Runs the depth probe. X[samples × width] (or `opts.data`), W_l ~ init, H_l = f(H_{l−1}W_l + b);
 * statistics over all entries of each H_l and pre-activation; backward from the upstream loss to
 * get dW_l = ∂L/∂W_l and dX_l = ∂L/∂H_{l−1}. Throws the abort reason if `opts.signal` aborts.
 * With opts.slices > 1 the samples are cut into slices for a team of threads (depth-team.ts).
 */
export function depthProbe(config: DepthConfig, opts: DepthOptions = {}): DepthResult {
  const slices = opts.slices ?? 1
  if (slices > 1 && depthDrawsOnTeam(config)) return depthDrawnOnTeam(config, slices, opts)
  // The draws take the first part of the bar, the pass (and statistics) the rest.
  const share = opts.onProgress ? depthSetupShare(config, opts.data, slices) : 0
  const report = opts.onProgress
  const setup = depthSetup(config, opts.data, (f) => {
    opts.signal?.throwIfAborted()
    report?.(share * f)
  })
  const onProgress = report && ((f: number) => report(share + (1 - share) * f))
  if (slices > 1)
    return depthOnTeam(setup, slices, { ...opts, ...(onProgress ? { onProgress } : {}) })
  const { c, net, X } = setup
  const layers = net.layers
  const steps = 2 * layers.length
  let done = 0
  const tick = (): void => {
    done++
    onProgress?.(done / steps)
  }
  // Before each layer: the previous layer's progress tick, then the abort check; the last
  // layer's tick follows the pass (one tick per finished layer, as each layer ends).
  const between = (first: number) => (i: number) => {
    if (i !== first) tick()
    opts.signal?.throwIfAborted()
  }
  const fwd = forwardLayers(net, X, undefined, between(0))
  tick()
  const h = fwd.scores
  let loss: number
  let dScores: Mat
  if ('G' in setup.upstream) {
    const G = setup.upstream.G
    loss = 0
    for (let i = 0; i < G.length; i++) loss += G[i]! * h.data[i]!
    dScores = { data: G, rows: h.rows, cols: h.cols }
  } else {
    const r = softmaxLoss(h, setup.upstream.y)
    loss = r.loss
    dScores = r.dScores
  }
  const { grads, dInputs } = backwardLayers(
    net,
    fwd,
    dScores,
    undefined,
    between(layers.length - 1)
  )
  tick()
  const outputs = fwd.outputs

  const stats: DepthLayer[] = []
  for (let l = 1; l <= c.layers; l++) {
    const aff = layers[2 * (l - 1)]!
    if (aff.type !== 'affine') throw new Error('depth: layer layout broken')
    const ai = 2 * (l - 1)
    stats.push(
      depthLayerStats(
        layers,
        c.bins,
        l,
        outputs[ai]!,
        outputs[ai + 1]!,
        grads[gradName(aff.W)]!,
        dInputs[ai]!.data
      )
    )
  }
  const inp = summary(X.data)
  return { config: c, input: { mean: inp.mean, std: inp.std }, layers: stats, loss }
}
