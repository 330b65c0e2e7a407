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
 *
 * Parts: the step's gradient comes from a GradientSource (train-step.ts: this thread alone;
 * train-team.ts: `slices` > 1 cuts every batch into slices that a team of threads computes),
 * accuracy from the evaluator (train-eval.ts), progress from the reporter (train-report.ts);
 * a divergence is a value each of them returns, never an exception.
 */
import type {
  TrainCommon,
  TrainDivergence,
  TrainEpoch,
  TrainFinal,
  TrainLive,
  TrainResult as TrainOutcome,
  TrainStats,
  TrainUnits
} from '../../src-shared/results'
import { buildNet, type ActivationConfig } from './build'
import { createLossWatch, DEFAULT_DIVERGE_ABOVE, EXPLOSION_WINDOW } from './explosion'
import type { InitSpec } from './init'
import { parameters, type Net } from './net'
import type { OptimizerConfig } from './optim'
import { createRng } from './rng'
import type { Mat } from './tensor'
import { createEvaluator, probeUnits, UNIT_PROBE_EXAMPLES } from './train-eval'
import { createReporter } from './train-report'
import { blockOf, localStep, shuffle, type DivergedAt, type GradientSource } from './train-step'
import { createTrainTeam, largestSlice, teamStep } from './train-team'
import { createWorkspace, freeWorkspace, paramsOnWasmHeap } from './workspace'

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
  /** Every bias's starting value (default 0). */
  biasInit?: number
  /** Training examples (a fixed random subset) for the per-epoch train accuracy (default 1000). */
  trainAccSamples?: number
  /** Diverged once the smoothed loss exceeds this × the first loss (default 4; 0: off). */
  divergeAbove?: number
  /**
   * Slices each minibatch is cut into, computed by a team of threads (default 1: the whole
   * batch on this thread). The same seed and slices give the same bits, whatever the threads.
   */
  slices?: number
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
  /**
   * With slices > 1: called once with the team's shared block before the first step, so that
   * helper threads can join (train-team.ts helpTeam); without it the slices run on this thread.
   */
  shareTeam?: (team: SharedArrayBuffer) => void
}

const EVAL_CHUNK = 500

/** Why the run ended diverged: non-finite (where found) or an explosion of the finite loss. */
type Divergence =
  | ({ reason: 'non-finite' } & DivergedAt)
  | { reason: 'exploded'; loss: number; first: number; factor: number }

const sig = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : String(x))

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
  const slices = opts.slices ?? 1
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
    {
      inputSize: dim,
      hidden: opts.hidden,
      classes,
      activation: opts.activation,
      init: opts.init,
      biasInit: opts.biasInit ?? 0
    },
    rng,
    'float32',
    initBatch
  ) as Net<Float32Array>
  // Everything on the wasm heap is given back in the finally below.
  const restoreParams = paramsOnWasmHeap(net)
  const ws = createWorkspace(net, slices > 1 ? largestSlice(B, slices) : B)
  const evalWs = createWorkspace(net, EVAL_CHUNK, { backward: false })
  let gradient: GradientSource
  if (slices > 1) {
    const team = createTrainTeam(net, slices, B)
    hooks.shareTeam?.(team)
    gradient = teamStep(team, { net, ws, data, leader: true }, opts.reg)
  } else {
    gradient = localStep(net, data, ws, opts.reg)
  }
  const evaluate = createEvaluator(net, data, evalWs)
  // Dead and distinct units on a fixed probe batch, before training and at its end.
  const probeN = Math.min(nTrain, UNIT_PROBE_EXAMPLES)
  const unitsAtStart = probeUnits(net, data, evalWs, probeN)
  const weights = parameters(net).filter((p) => p.kind === 'weight')

  const order = Int32Array.from({ length: nTrain }, (_, i) => i)
  const accIdx = order.slice()
  shuffle(rng, accIdx)
  const trainAccIdx = accIdx.subarray(0, Math.min(nTrain, opts.trainAccSamples ?? 1000))

  const itersPerEpoch = Math.ceil(nTrain / B)
  const total = itersPerEpoch * opts.epochs

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
  let iter = 0
  let epoch = 0
  const reporter = createReporter(
    hooks.progress,
    { losses, history, stats, initialLoss: () => initialLoss },
    total,
    hooks.liveMs
  )
  const report = (force = false, paused = false): void =>
    reporter.report({ iter, epoch, lr }, force, paused)

  const common = (): TrainCommon => ({
    history,
    losses,
    ...(initialLoss ? { initialLoss } : {}),
    stats,
    lrChanges,
    iterations: iter,
    itersPerEpoch,
    seconds: elapsed(),
    examplesPerSecond: stepMs > 0 ? (iter * B) / (stepMs / 1000) : 0,
    pausedSeconds: pausedMs / 1000,
    startedAt,
    endedAt: Date.now(),
    workers: slices
  })

  const diverged = (d: Divergence, at: number): TrainOutcome => {
    report(true)
    const exploded = d.reason === 'exploded'
    const layer = exploded ? blockOf(net, net.layers.length + 1) : d.layer
    const where = exploded ? 'loss' : d.where
    const divergence: TrainDivergence = exploded
      ? { iteration: at, reason: 'exploded', loss: d.loss, first: d.first, factor: d.factor }
      : { iteration: at, reason: 'non-finite', loss: d.loss, first: losses[0] ?? null, layer }
    return {
      ...common(),
      status: 'diverged',
      final: null,
      iteration: at,
      epoch: epoch + 1,
      layer,
      where,
      message: exploded
        ? `diverged at iteration ${at}: the loss (averaged over the last ${Math.min(at, EXPLOSION_WINDOW)} iterations) rose to ${sig(d.loss)}, ${sig(d.loss / d.first)}× its first value ${sig(d.first)} (--diverge-above ${d.factor})`
        : `diverged at iteration ${at} (layer ${layer}${where === 'loss' ? ', the loss' : `, ${where}`})`,
      divergence
    }
  }
  const nonFinite = (d: DivergedAt): Divergence => ({ reason: 'non-finite', ...d })
  const divergeAbove = opts.divergeAbove ?? DEFAULT_DIVERGE_ABOVE
  const watch = createLossWatch(divergeAbove)

  /** Train and validation accuracy now (a divergence if the weights blew up). */
  const accuracies = ():
    { ok: true; trainAcc: number; valAcc: number | null } | { ok: false; diverged: DivergedAt } => {
    const train = evaluate('train', trainAccIdx)
    if (!train.ok) return train
    if (data.count.val === 0) return { ok: true, trainAcc: train.acc, valAcc: null }
    const val = evaluate('val', data.count.val)
    if (!val.ok) return val
    return { ok: true, trainAcc: train.acc, valAcc: val.acc }
  }

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
        const wantStats = iter % opts.statsEvery === 0
        const step = gradient.step(idx, wantStats)
        if (iter === 0) initialLoss = { data: step.dataLoss, reg: step.penalty }
        if (!step.ok) return diverged(nonFinite(step.diverged), iter + 1)
        const blown = watch.observe(step.loss)
        if (blown) {
          losses.push(step.loss)
          iter++
          return diverged(
            { reason: 'exploded', loss: blown.smoothed, first: blown.first, factor: divergeAbove },
            iter
          )
        }
        const norms = gradient.update({ ...opts.optimizer, lr, decay: 1 }, step.actStd !== null)
        if (step.actStd) {
          stats.iter.push(iter)
          stats.actStd.push(step.actStd)
          stats.gradNorm.push(norms!)
        }
        losses.push(step.loss)
        epochLoss += step.loss
        epochIters++
        iter++
        stepMs += performance.now() - ts
        report()
      }
      if (stopped && epochIters === 0) break
      if (!stopped) {
        const acc = accuracies()
        if (!acc.ok) return diverged(nonFinite(acc.diverged), iter + 1)
        history.push({
          epoch: epoch + 1,
          iter,
          loss: epochLoss / epochIters,
          trainAcc: acc.trainAcc,
          valAcc: acc.valAcc,
          trainAccExamples: trainAccIdx.length,
          valAccExamples: data.count.val,
          lr,
          seconds: elapsed()
        })
        lr *= decay
        report(true)
      }
    }
    const last = history.at(-1)
    let final: TrainFinal
    if (!stopped && last) {
      final = { trainAcc: last.trainAcc, valAcc: last.valAcc, testAcc: 0 }
    } else {
      const acc = accuracies()
      if (!acc.ok) return diverged(nonFinite(acc.diverged), iter + 1)
      final = { trainAcc: acc.trainAcc, valAcc: acc.valAcc, testAcc: 0 }
    }
    const test = evaluate('test', data.count.test)
    if (!test.ok) return diverged(nonFinite(test.diverged), iter + 1)
    final.testAcc = test.acc
    report(true)
    const unitsAtEnd = probeUnits(net, data, evalWs, probeN)
    const units: TrainUnits = {
      examples: probeN,
      width: unitsAtStart.width,
      deadAtStart: unitsAtStart.dead,
      deadAtEnd: unitsAtEnd.dead,
      distinctAtStart: unitsAtStart.distinct,
      distinctAtEnd: unitsAtEnd.distinct
    }
    return { ...common(), status: stopped ? 'stopped' : 'completed', final, units }
  } finally {
    gradient.dispose()
    freeWorkspace(ws)
    freeWorkspace(evalWs)
    restoreParams()
  }
}
