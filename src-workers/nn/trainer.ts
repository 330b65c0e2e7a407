/**
 * Training a fully-connected net with minibatch gradient descent, as the seed's training loop:
 * shuffled epochs of minibatches, softmax loss + L2 reg·Σ‖W‖², any optimizer of optim.ts, the
 * learning rate multiplied by `decay` after every epoch. Float32 throughout.
 *
 * Records, for the UI and the CLI (CLI.md `train`):
 * - the loss of every iteration; per epoch the mean loss, the accuracy on a fixed subsample of
 *   the training split and on the validation split; the test accuracy at the end;
 * - every `statsEvery` iterations, per layer block l (affine l and the activation after it; the
 *   last block is the output affine), the std of the block's output on the minibatch and the
 *   Frobenius norm of ∂loss/∂W_l (data + regularization) — the layer × step heatmaps.
 * A NaN or ±Infinity in any layer's output or in the loss ends the run with status `diverged`,
 * the iteration and the block where it first appeared; so does a loss that explodes while
 * staying finite (explosion.ts: smoothed loss > `divergeAbove` × the first); it never throws.
 *
 * Data comes from a `TrainSplits` provider (gathering rows of a split into a float batch), so the
 * same loop trains on CIFAR-10 in shared memory and on synthetic clusters. Control (pause, stop,
 * a new learning rate) and progress are hooks, polled between iterations.
 *
 * Speed: the weights live on the wasm heap for the run and every per-iteration array (batch,
 * layer outputs, input gradients, parameter gradients) sits in a workspace allocated once
 * (workspace.ts), so nothing is allocated or staged for gemm per iteration; the arithmetic is
 * the layer API's own, bit for bit (test/unit/nn/trainer-pin.test.ts).
 */
import type {
  TrainCommon,
  TrainDivergence,
  TrainEpoch,
  TrainFinal,
  TrainLive,
  TrainResult as TrainOutcome,
  TrainStats
} from '../../src-shared/results'
import { buildNet, type ActivationConfig } from './build'
import { firstNonFinite } from './divergence'
import { createLossWatch, DEFAULT_DIVERGE_ABOVE, EXPLOSION_WINDOW } from './explosion'
import type { InitSpec } from './init'
import { gradName, l2Penalty, parameters, type Net } from './net'
import { createOptimizerState, optimizerStep, type OptimizerConfig } from './optim'
import { createRng, randInt, type Rng } from './rng'
import type { Mat } from './tensor'
import {
  createWorkspace,
  freeWorkspace,
  paramsOnWasmHeap,
  workspaceBackward,
  workspaceForward,
  workspaceLoss
} from './workspace'

export type TrainSplit = 'train' | 'val' | 'test'

/** Where the examples come from: row counts per split and a gather into a float batch. */
export interface TrainSplits {
  dim: number
  classes: number
  count: Record<TrainSplit, number>
  /** Fills outX (indices.length × dim, row-major) and outY with rows `indices` of `split`. */
  gather(split: TrainSplit, indices: ArrayLike<number>, outX: Float32Array, outY: Int32Array): void
}

export interface TrainOptions {
  hidden: number[]
  activation: ActivationConfig
  init: InitSpec
  /** Optimizer; `lr` is the starting rate, `decay` the per-epoch factor. */
  optimizer: OptimizerConfig
  reg: number
  epochs: number
  batch: number
  statsEvery: number
  seed: number
  /** Training examples (a fixed random subset) for the per-epoch train accuracy (default 1000). */
  trainAccSamples?: number
  /** Diverged once the smoothed loss exceeds this × the first loss (default 4; 0: off). */
  divergeAbove?: number
}

/** Polled between iterations; all optional. */
export interface TrainControl {
  /** True once a stop was asked for: the run ends with status `stopped` and its results so far. */
  stopRequested(): boolean
  /** A learning rate set since the last call, or null. */
  takeLearningRate(): number | null
  /** Blocks while paused; returns the milliseconds spent paused. */
  waitWhilePaused(onWait: () => void): number
}

// The result shapes are the contract's (src-shared/results.ts): the trainer returns them as-is.
export type { TrainEpoch, TrainFinal, TrainLive, TrainOutcome, TrainStats }

export interface TrainHooks {
  /** Progress in [0, 1], with a live update now and then; returns whether it was delivered. */
  progress?: (fraction: number, live?: TrainLive) => boolean
  control?: TrainControl
  /** Minimum milliseconds between live updates (default 250). */
  liveMs?: number
}

const EVAL_CHUNK = 500

class Diverged {
  constructor(
    readonly layer: number,
    readonly where: string,
    readonly reason: TrainDivergence['reason'] = 'non-finite',
    readonly loss = NaN,
    readonly first: number | null = null,
    readonly factor?: number
  ) {}
}

const sig = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : String(x))

/** Maps a 1-based index into net.layers (layers + 1 = the loss) to its block number. */
function blockOf(net: Net, layerIndex: number): number {
  let block = 0
  for (let i = 0; i < Math.min(layerIndex, net.layers.length); i++)
    if (net.layers[i]!.type === 'affine') block++
  return Math.max(1, block)
}

/** Index in fwd.outputs of each block's output (the layer before the next affine, or the last). */
function blockOutputs(net: Net): number[] {
  const out: number[] = []
  net.layers.forEach((l, i) => {
    if (l.type === 'affine' && i > 0) out.push(i - 1)
  })
  out.push(net.layers.length - 1)
  return out
}

function std(a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]!
  const mean = s / a.length
  let ss = 0
  for (let i = 0; i < a.length; i++) ss += (a[i]! - mean) ** 2
  return Math.sqrt(ss / a.length)
}

function norm(a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!
  return Math.sqrt(s)
}

function shuffle(rng: Rng, a: Int32Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1)
    const t = a[i]!
    a[i] = a[j]!
    a[j] = t
  }
}

/** Trains a net on `data` by `opts`; never throws on NaN/Inf (status `diverged` instead). */
export function trainNet(
  data: TrainSplits,
  opts: TrainOptions,
  hooks: TrainHooks = {}
): TrainOutcome {
  const startedAt = Date.now()
  const t0 = performance.now()
  let pausedMs = 0
  let stepMs = 0
  const elapsed = () => (performance.now() - t0 - pausedMs) / 1000
  const { dim, classes } = data
  const nTrain = data.count.train
  if (nTrain < 1) throw new RangeError('trainNet: the training split is empty')
  const B = Math.min(opts.batch, nTrain)
  const rng = createRng(opts.seed)

  // LSUV rescales on a batch of real inputs; other inits ignore it.
  let initBatch: Mat<Float32Array> | undefined
  const initName = typeof opts.init === 'string' ? opts.init : opts.init.name
  if (initName === 'lsuv') {
    const n = Math.min(nTrain, 500)
    const X = new Float32Array(n * dim)
    data.gather(
      'train',
      Int32Array.from({ length: n }, (_, i) => i),
      X,
      new Int32Array(n)
    )
    initBatch = { data: X, rows: n, cols: dim }
  }
  const net = buildNet(
    { inputSize: dim, hidden: opts.hidden, classes, activation: opts.activation, init: opts.init },
    rng,
    'float32',
    initBatch
  ) as Net<Float32Array>
  // Everything on the wasm heap is given back in the finally below.
  const restoreParams = paramsOnWasmHeap(net)
  const ws = createWorkspace(net, B)
  const evalWs = createWorkspace(net, EVAL_CHUNK, { backward: false })
  const weights = parameters(net).filter((p) => p.kind === 'weight')
  const outIdx = blockOutputs(net)
  const state = createOptimizerState<Float32Array>()

  const order = Int32Array.from({ length: nTrain }, (_, i) => i)
  const accIdx = order.slice()
  shuffle(rng, accIdx)
  const trainAccIdx = accIdx.subarray(0, Math.min(nTrain, opts.trainAccSamples ?? 1000))

  const itersPerEpoch = Math.ceil(nTrain / B)
  const total = itersPerEpoch * opts.epochs
  const X = ws.X
  const y = new Int32Array(B)
  const evalX = evalWs.X
  const evalY = new Int32Array(EVAL_CHUNK)

  const losses: number[] = []
  /** The first iteration's loss split into its data and regularization parts. */
  let initialLoss: { data: number; reg: number } | undefined
  const history: TrainEpoch[] = []
  const stats: TrainStats = {
    every: opts.statsEvery,
    layers: weights.length,
    iter: [],
    actStd: [],
    gradNorm: []
  }
  const lrChanges: { iter: number; lr: number }[] = []
  let lr = opts.optimizer.lr
  const decay = opts.optimizer.decay ?? 1
  const stepConfig = (): OptimizerConfig => ({ ...opts.optimizer, lr, decay: 1 })

  // Live updates: what is new since the last delivered one.
  const liveMs = hooks.liveMs ?? 250
  let lastLive = -Infinity
  let sentLosses = 0
  let sentEpochs = 0
  let sentStats = 0
  let iter = 0
  let epoch = 0
  const report = (force = false, paused = false): void => {
    if (!hooks.progress) return
    const fraction = total > 0 ? iter / total : 1
    const now = performance.now()
    if (!force && now - lastLive < liveMs) {
      hooks.progress(fraction)
      return
    }
    const live: TrainLive = {
      kind: 'train',
      iter,
      iterations: total,
      epoch,
      lr,
      paused,
      fromIter: sentLosses,
      losses: losses.slice(sentLosses),
      ...(initialLoss ? { initialLoss } : {}),
      epochs: history.slice(sentEpochs),
      stats: stats.iter.slice(sentStats).map((it, k) => ({
        iter: it,
        actStd: stats.actStd[sentStats + k]!,
        gradNorm: stats.gradNorm[sentStats + k]!
      }))
    }
    if (hooks.progress(fraction, live)) {
      lastLive = now
      sentLosses = losses.length
      sentEpochs = history.length
      sentStats = stats.iter.length
    }
  }

  /** Accuracy over `indices` of a split (or its first n rows), in chunks; checks for NaN/Inf. */
  const evaluate = (split: TrainSplit, indices: ArrayLike<number> | number): number => {
    const n = typeof indices === 'number' ? indices : indices.length
    if (n === 0) return 0
    let right = 0
    for (let start = 0; start < n; start += EVAL_CHUNK) {
      const m = Math.min(EVAL_CHUNK, n - start)
      const idx =
        typeof indices === 'number'
          ? Int32Array.from({ length: m }, (_, i) => start + i)
          : Array.prototype.slice.call(indices, start, start + m)
      data.gather(split, idx, evalX.subarray(0, m * dim), evalY.subarray(0, m))
      const fwd = workspaceForward(net, evalWs, m)
      const bad = firstNonFinite(net, fwd)
      if (bad) throw new Diverged(blockOf(net, bad.layer), bad.type)
      const s = fwd.scores.data
      for (let i = 0; i < m; i++) {
        let best = 0
        for (let j = 1; j < classes; j++) if (s[i * classes + j]! > s[i * classes + best]!) best = j
        if (best === evalY[i]) right++
      }
    }
    return right / n
  }

  const common = (): TrainCommon => {
    const seconds = elapsed()
    return {
      history,
      losses,
      ...(initialLoss ? { initialLoss } : {}),
      stats,
      lrChanges,
      iterations: iter,
      itersPerEpoch,
      seconds,
      examplesPerSecond: stepMs > 0 ? (iter * B) / (stepMs / 1000) : 0,
      pausedSeconds: pausedMs / 1000,
      startedAt,
      endedAt: Date.now()
    }
  }

  const diverged = (d: Diverged, at: number): TrainOutcome => {
    report(true)
    const divergence: TrainDivergence =
      d.reason === 'exploded'
        ? {
            iteration: at,
            reason: 'exploded',
            loss: d.loss,
            first: d.first,
            factor: d.factor ?? 0
          }
        : {
            iteration: at,
            reason: 'non-finite',
            loss: d.loss,
            first: losses[0] ?? null,
            layer: d.layer
          }
    return {
      ...common(),
      status: 'diverged',
      final: null,
      iteration: at,
      epoch: epoch + 1,
      layer: d.layer,
      where: d.where,
      message:
        d.reason === 'exploded'
          ? `diverged at iteration ${at}: the loss (averaged over the last ${Math.min(at, EXPLOSION_WINDOW)} iterations) rose to ${sig(d.loss)}, ${sig(d.loss / d.first!)}× its first value ${sig(d.first!)} (--diverge-above ${d.factor})`
          : `diverged at iteration ${at} (layer ${d.layer}${d.where === 'loss' ? ', the loss' : `, ${d.where}`})`,
      divergence
    }
  }
  const watch = createLossWatch(opts.divergeAbove ?? DEFAULT_DIVERGE_ABOVE)

  // 2·reg·W as before ((2·reg)·W: the same product, left to right), hoisted out of the loop.
  const twoReg = 2 * opts.reg
  let stopped = false
  report(true)
  try {
    for (epoch = 0; epoch < opts.epochs && !stopped; epoch++) {
      shuffle(rng, order)
      let epochLoss = 0
      let epochIters = 0
      for (let k = 0; k < itersPerEpoch; k++) {
        if (hooks.control) {
          pausedMs += hooks.control.waitWhilePaused(() => report(true, true))
          if (hooks.control.stopRequested()) {
            stopped = true
            break
          }
          const newLr = hooks.control.takeLearningRate()
          if (newLr !== null && newLr !== lr) {
            lr = newLr
            lrChanges.push({ iter, lr })
          }
        }
        const ts = performance.now()
        const idx = order.subarray(k * B, Math.min(nTrain, (k + 1) * B))
        const m = idx.length
        const Xb = m === B ? X : X.subarray(0, m * dim)
        const yb = m === B ? y : y.subarray(0, m)
        data.gather('train', idx, Xb, yb)
        const fwd = workspaceForward(net, ws, m)
        const d = workspaceLoss(net.loss, ws, fwd.scores, yb)
        const penalty = l2Penalty(net, opts.reg)
        const loss = d.loss + penalty
        if (iter === 0) initialLoss = { data: d.loss, reg: penalty }
        const bad = firstNonFinite(net, fwd, loss)
        if (bad)
          // A non-finite layer output leaves the loss undefined, whatever the kernel computed.
          return diverged(
            new Diverged(
              blockOf(net, bad.layer),
              bad.type,
              'non-finite',
              Number.isFinite(loss) ? NaN : loss
            ),
            iter + 1
          )
        const blown = watch.observe(loss)
        if (blown) {
          losses.push(loss)
          iter++
          return diverged(
            new Diverged(
              blockOf(net, net.layers.length + 1),
              'loss',
              'exploded',
              blown.smoothed,
              blown.first,
              opts.divergeAbove ?? DEFAULT_DIVERGE_ABOVE
            ),
            iter
          )
        }
        const grads = workspaceBackward(net, ws, fwd, d.dScores)
        if (twoReg !== 0) {
          for (const p of weights) {
            const g = grads[gradName(p.name)]!
            const w = p.data
            for (let i = 0; i < g.length; i++) g[i]! += twoReg * w[i]!
          }
        }
        if (iter % opts.statsEvery === 0) {
          stats.iter.push(iter)
          stats.actStd.push(outIdx.map((o) => std(fwd.outputs[o]!.data)))
          stats.gradNorm.push(weights.map((p) => norm(grads[gradName(p.name)]!)))
        }
        optimizerStep(net.params, grads, state, stepConfig())
        losses.push(loss)
        epochLoss += loss
        epochIters++
        iter++
        stepMs += performance.now() - ts
        report()
      }
      if (stopped && epochIters === 0) break
      if (!stopped) {
        history.push({
          epoch: epoch + 1,
          iter,
          loss: epochLoss / epochIters,
          trainAcc: evaluate('train', trainAccIdx),
          valAcc: data.count.val > 0 ? evaluate('val', data.count.val) : null,
          lr,
          seconds: elapsed()
        })
        lr *= decay
        report(true)
      }
    }
    const last = history.at(-1)
    const final: TrainFinal =
      !stopped && last
        ? { trainAcc: last.trainAcc, valAcc: last.valAcc, testAcc: 0 }
        : {
            trainAcc: evaluate('train', trainAccIdx),
            valAcc: data.count.val > 0 ? evaluate('val', data.count.val) : null,
            testAcc: 0
          }
    final.testAcc = evaluate('test', data.count.test)
    report(true)
    return { ...common(), status: stopped ? 'stopped' : 'completed', final }
  } catch (err) {
    // A non-finite evaluation means the last update blew the weights up.
    if (err instanceof Diverged) return diverged(err, iter + 1)
    throw err
  } finally {
    freeWorkspace(ws)
    freeWorkspace(evalWs)
    restoreParams()
  }
}
