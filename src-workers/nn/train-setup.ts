/**
 * Setting up a training run (trainer.ts): the net with its weights drawn from the seed, on the
 * wasm heap; the workspaces; the gradient source (this thread, or a team of threads when
 * `slices` > 1 — the hook train-team.ts joins through); the evaluator and the unit probe before
 * training; the fixed train-accuracy subset; the record and its reporter; and what gives it all
 * back.
 */
import { activationOf, buildNet } from './build'
import { createLossWatch, type LossWatch } from './explosion'
import { initOf } from './init'
import { parameters, type Net } from './net'
import { createRng, type Rng } from './rng'
import type { Mat } from './tensor'
import {
  createEvaluator,
  probeUnits,
  UNIT_PROBE_EXAMPLES,
  type Evaluate,
  type UnitProbe
} from './train-eval'
import { createRecord, createReporter, type Reporter, type TrainRecord } from './train-report'
import { localStep, shuffle, type GradientSource } from './train-step'
import { createTrainTeam, largestSlice, teamStep } from './train-team'
import type { TrainHooks, TrainOptions, TrainSplits } from './trainer'
import { createWorkspace, freeWorkspace, paramsOnWasmHeap, type NetWorkspace } from './workspace'

const EVAL_CHUNK = 500

/** A run set up: the net and its workspaces, the gradient source, the evaluator, the record. */
export interface Run {
  data: TrainSplits
  opts: TrainOptions
  hooks: TrainHooks
  rng: Rng
  net: Net<Float32Array>
  /** Rows of a full minibatch (the batch size, at most the training split). */
  batch: number
  itersPerEpoch: number
  gradient: GradientSource
  evaluate: Evaluate
  evalWs: NetWorkspace<Float32Array>
  watch: LossWatch
  divergeAbove: number
  /** The training split's rows in this epoch's order. */
  order: Int32Array
  /** The fixed subset the per-epoch train accuracy is measured on. */
  trainAccIdx: Int32Array
  /** The unit probe's examples, and the probe before training. */
  probeN: number
  unitsAtStart: UnitProbe
  record: TrainRecord
  reporter: Reporter
  /** Gives back the wasm heap and the team. */
  dispose(): void
}

/** The net, its workspaces and gradient source, the evaluator and the record of a new run. */
export function setUp(
  data: TrainSplits,
  opts: TrainOptions,
  hooks: TrainHooks,
  start: { startedAt: number; t0: number }
): Run {
  const nTrain = data.count.train
  const batch = Math.min(opts.batch, nTrain)
  const slices = opts.slices
  const rng = createRng(opts.seed)
  const net = trainNetOf(data, opts, rng)
  // Everything on the wasm heap is given back by dispose().
  const restoreParams = paramsOnWasmHeap(net)
  const ws = createWorkspace(net, slices > 1 ? largestSlice(batch, slices) : batch)
  const evalWs = createWorkspace(net, EVAL_CHUNK, { backward: false })
  const gradient = gradientSource(net, ws, data, opts, hooks, batch)
  const probeN = Math.min(nTrain, UNIT_PROBE_EXAMPLES)
  const unitsAtStart = probeUnits(net, data, evalWs, probeN)
  const order = Int32Array.from({ length: nTrain }, (_, i) => i)
  const accIdx = order.slice()
  shuffle(rng, accIdx)
  const itersPerEpoch = Math.ceil(nTrain / batch)
  const weights = parameters(net).filter((p) => p.kind === 'weight').length
  const record = createRecord(start, opts.lr, opts.statsEvery, weights)
  const divergeAbove = opts.divergeAbove
  return {
    data,
    opts,
    hooks,
    rng,
    net,
    batch,
    itersPerEpoch,
    gradient,
    evalWs,
    order,
    probeN,
    unitsAtStart,
    record,
    divergeAbove,
    evaluate: gradient.evaluate ?? createEvaluator(net, data, evalWs),
    watch: createLossWatch(divergeAbove),
    trainAccIdx: accIdx.subarray(0, Math.min(nTrain, opts.trainAccSamples)),
    reporter: createReporter(hooks.progress, record, itersPerEpoch * opts.epochs, hooks.liveMs),
    dispose() {
      gradient.dispose()
      freeWorkspace(ws)
      freeWorkspace(evalWs)
      restoreParams()
    }
  }
}

/** The run's net, its weights drawn from `rng` (LSUV rescales on a batch of real inputs). */
function trainNetOf(data: TrainSplits, opts: TrainOptions, rng: Rng): Net<Float32Array> {
  const { dim, classes } = data
  let initBatch: Mat<Float32Array> | undefined
  if (opts.init === 'lsuv') {
    const n = Math.min(data.count.train, 500)
    const X = new Float32Array(n * dim)
    const first = Int32Array.from({ length: n }, (_, i) => i)
    data.gather('train', first, X, new Int32Array(n))
    initBatch = { data: X, rows: n, cols: dim }
  }
  const config = {
    inputSize: dim,
    hidden: opts.hidden,
    classes,
    activation: activationOf(opts.activation, opts.params),
    init: initOf(opts),
    biasInit: opts.bias
  }
  return buildNet(config, rng, 'float32', initBatch) as Net<Float32Array>
}

/** This thread alone, or (slices > 1) a team whose block is shared through hooks.shareTeam. */
function gradientSource(
  net: Net<Float32Array>,
  ws: NetWorkspace<Float32Array>,
  data: TrainSplits,
  opts: TrainOptions,
  hooks: TrainHooks,
  batch: number
): GradientSource {
  const slices = opts.slices
  if (slices <= 1) return localStep(net, data, ws, opts.reg)
  const team = createTrainTeam(net, slices, batch)
  hooks.shareTeam?.(team)
  return teamStep(team, { net, ws, data, leader: true }, opts.reg)
}
