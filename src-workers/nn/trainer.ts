/**
 * Training a fully-connected net with minibatch gradient descent, as the seed's training loop:
 * shuffled epochs of minibatches, softmax loss + L2 reg·Σ‖W‖², any optimizer of optim.ts, the
 * learning rate multiplied by `lrDecay` after every epoch. Float32 throughout.
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
 * Parts: this file is the loop (epochs → iterations, the control between them), over a run set
 * up by train-setup.ts (net, workspaces, gradient source, evaluator, record). The step's
 * gradient and update come from a GradientSource (train-step.ts: this thread alone;
 * train-team.ts: `slices` > 1 cuts every batch into slices that a team of threads computes),
 * accuracy and the unit probe from the evaluator (train-eval.ts), the run's record, progress and
 * the result's words from the reporter (train-report.ts). A divergence is a value (train-step.ts
 * `Diverged`: non-finite or exploded) that each part returns and the loop passes up, never an
 * exception.
 */
import type {
  TrainEpoch,
  TrainFinal,
  TrainLive,
  TrainResult as TrainOutcome,
  TrainStats
} from '../../src-shared/results'
import type { TrainConfig } from '../../src-shared/experiments'
import type { OptimizerConfig } from './optim'
import { accuracies, probeUnits, unitsOf, type Accuracies } from './train-eval'
import {
  changeLearningRate,
  commonOf,
  divergedResult,
  elapsedSeconds,
  recordIteration
} from './train-report'
import { setUp, type Run } from './train-setup'
import { blockOf, shuffle, type DivergedAt, type Diverged, type RunDivergence } from './train-step'

export type TrainSplit = 'train' | 'val' | 'test'

/** Where the examples come from: row counts per split and a gather into a float batch. */
export interface TrainSplits {
  dim: number
  classes: number
  count: Record<TrainSplit, number>
  /** Fills outX (indices.length × dim, row-major) and outY with rows `indices` of `split`. */
  gather(split: TrainSplit, indices: ArrayLike<number>, outX: Float32Array, outY: Int32Array): void
}

/**
 * The run's settings: the contract's TrainConfig, parsed (every default applied by its schema at
 * the boundary), less what chooses the data (source, preprocessing, validation size, workers):
 * the splits arrive as TrainSplits. `lr` is the starting rate, `lrDecay` the per-epoch factor,
 * `bias` every bias's starting value, `divergeAbove` the explosion factor (0: off).
 */
export type TrainSettings = Pick<
  TrainConfig,
  | 'hidden'
  | 'activation'
  | 'params'
  | 'init'
  | 'std'
  | 'bias'
  | 'optimizer'
  | 'lr'
  | 'lrDecay'
  | 'momentum'
  | 'reg'
  | 'epochs'
  | 'batch'
  | 'statsEvery'
  | 'seed'
  | 'divergeAbove'
>

/** Training examples (a fixed random subset) the per-epoch train accuracy is measured on. */
export const TRAIN_ACC_SAMPLES = 1000

export interface TrainOptions extends TrainSettings {
  /**
   * Slices each minibatch is cut into, computed by a team of threads (1: the whole batch on
   * this thread). The same seed and slices give the same bits, whatever the threads.
   */
  slices: number
  /** Training examples for the per-epoch train accuracy (the app's: TRAIN_ACC_SAMPLES). */
  trainAccSamples: number
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

/** How the epochs ended. */
type Ending = { kind: 'completed' } | { kind: 'stopped' } | Diverged

/** How one epoch ended: its mean loss, a stop (after `iters` iterations), or a divergence. */
type EpochEnd = { kind: 'done'; loss: number } | { kind: 'stopped'; iters: number } | Diverged

/** Trains a net on `data` by `opts`; never throws on NaN/Inf (status `diverged` instead). */
export function trainNet(
  data: TrainSplits,
  opts: TrainOptions,
  hooks: TrainHooks = {}
): TrainOutcome {
  const start = { startedAt: Date.now(), t0: performance.now() }
  if (data.count.train < 1) throw new RangeError('trainNet: the training split is empty')
  const run = setUp(data, opts, hooks, start)
  try {
    run.reporter.report(true)
    const ending = trainEpochs(run)
    return ending.kind === 'diverged' ? divergedOutcome(run, ending) : finish(run, ending)
  } finally {
    run.dispose()
  }
}

/** The epochs: each a pass over the shuffled training split, then the accuracies. */
function trainEpochs(run: Run): Ending {
  const { opts, record } = run
  for (record.epoch = 0; record.epoch < opts.epochs; record.epoch++) {
    const end = trainEpoch(run)
    if (end.kind === 'diverged') return end
    if (end.kind === 'stopped') {
      // A stop inside an epoch counts it as run; a stop before its first iteration does not.
      if (end.iters > 0) record.epoch++
      return end
    }
    const acc = accuracies(run.evaluate, run.data, run.trainAccIdx)
    if (!acc.ok) return nonFinite(acc.diverged, record.iter + 1)
    record.history.push({
      epoch: record.epoch + 1,
      iter: record.iter,
      loss: end.loss,
      trainAcc: acc.trainAcc,
      valAcc: acc.valAcc,
      trainAccExamples: run.trainAccIdx.length,
      valAccExamples: run.data.count.val,
      lr: record.lr,
      seconds: elapsedSeconds(record)
    })
    record.lr *= opts.lrDecay
    run.reporter.report(true)
  }
  return { kind: 'completed' }
}

/** One epoch of minibatches in a fresh order, polling the control before each. */
function trainEpoch(run: Run): EpochEnd {
  const { batch: B, record } = run
  const nTrain = run.data.count.train
  shuffle(run.rng, run.order)
  let loss = 0
  let iters = 0
  for (let k = 0; k < run.itersPerEpoch; k++) {
    if (steer(run)) return { kind: 'stopped', iters }
    const started = performance.now()
    const step = trainIteration(run, run.order.subarray(k * B, Math.min(nTrain, (k + 1) * B)))
    if (step.kind === 'diverged') return step
    loss += step.loss
    iters++
    record.stepMs += performance.now() - started
    run.reporter.report()
  }
  return { kind: 'done', loss: loss / iters }
}

/**
 * The control between iterations: waits out a pause, takes a new learning rate; returns true
 * when a stop was asked for.
 */
function steer(run: Run): boolean {
  const control = run.hooks.control
  if (!control) return false
  const { record, reporter } = run
  record.pausedMs += control.waitWhilePaused(() => reporter.report(true, true))
  if (control.stopRequested()) return true
  const lr = control.takeLearningRate()
  if (lr !== null) changeLearningRate(record, lr)
  return false
}

/**
 * One iteration on the training rows `idx`: the gradient, the divergence checks (a non-finite
 * value, then an exploding loss), the optimizer's update, the record.
 */
function trainIteration(run: Run, idx: Int32Array): { kind: 'ok'; loss: number } | Diverged {
  const { record, opts } = run
  const wantStats = record.iter % opts.statsEvery === 0
  const step = run.gradient.step(idx, wantStats)
  if (record.iter === 0) record.initialLoss = { data: step.dataLoss, reg: step.penalty }
  if (!step.ok) return nonFinite(step.diverged, record.iter + 1)
  const blown = run.watch.observe(step.loss)
  if (blown) {
    recordIteration(record, step.loss, null, null)
    const { smoothed: loss, first } = blown
    const divergence: RunDivergence = { kind: 'exploded', loss, first, factor: run.divergeAbove }
    return { kind: 'diverged', iteration: record.iter, divergence }
  }
  const rule: OptimizerConfig = { name: opts.optimizer, lr: record.lr, momentum: opts.momentum }
  const norms = run.gradient.update(rule, step.actStd !== null)
  recordIteration(record, step.loss, step.actStd, norms)
  return { kind: 'ok', loss: step.loss }
}

function nonFinite(at: DivergedAt, iteration: number): Diverged {
  return { kind: 'diverged', iteration, divergence: { kind: 'non-finite', ...at } }
}

/** A run that completed or stopped: the final accuracies, the test accuracy, the units. */
function finish(run: Run, ending: { kind: 'completed' | 'stopped' }): TrainOutcome {
  const { record } = run
  const last = record.history.at(-1)
  const acc: Accuracies =
    ending.kind === 'completed' && last
      ? { ok: true, trainAcc: last.trainAcc, valAcc: last.valAcc }
      : accuracies(run.evaluate, run.data, run.trainAccIdx)
  if (!acc.ok) return divergedOutcome(run, nonFinite(acc.diverged, record.iter + 1))
  const test = run.evaluate('test', run.data.count.test)
  if (!test.ok) return divergedOutcome(run, nonFinite(test.diverged, record.iter + 1))
  const final: TrainFinal = { trainAcc: acc.trainAcc, valAcc: acc.valAcc, testAcc: test.acc }
  run.reporter.report(true)
  const unitsAtEnd = probeUnits(run.net, run.data, run.evalWs, run.probeN)
  return {
    ...common(run),
    status: ending.kind,
    final,
    units: unitsOf(run.unitsAtStart, unitsAtEnd, run.probeN)
  }
}

/** A diverged run's result, reported first. */
function divergedOutcome(run: Run, diverged: Diverged): TrainOutcome {
  run.reporter.report(true)
  // An explosion is the loss's: the block after the last layer.
  const lossBlock = blockOf(run.net, run.net.layers.length + 1)
  return divergedResult(common(run), run.record, diverged, lossBlock)
}

function common(run: Run) {
  const workers = run.opts.slices
  return commonOf(run.record, { itersPerEpoch: run.itersPerEpoch, batch: run.batch, workers })
}
