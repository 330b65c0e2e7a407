/**
 * The `train` worker task: maps a TrainConfig onto the engine's trainer, with data either
 * synthetic (drawn here from the seed) or CIFAR-10 in shared memory (the dataset handle plus
 * the preprocessing fitted on its training split; minibatches gathered on the fly, nothing
 * copied), and an optional control block (pause, resume, stop, new learning rate).
 *
 * With `slices` > 1 the run is data-parallel: the task leads a team (nn/train-team.ts), shares
 * its block (and, for synthetic data, the examples drawn into shared memory) through
 * ctx.share, and the pool starts `trainHelper` tasks that join it while threads are free.
 */
import type { TrainConfig } from '../../src-shared/experiments'
import { LabError } from '../../src-shared/errors'
import type { TrainResult } from '../../src-shared/results'
import { readLearningRate, waitWhilePaused, controlState } from '../control'
import { DatasetError } from '../data/errors'
import { gatherBatch } from '../data/preprocess/gather'
import { outputWidth, type FittedPreprocessing } from '../data/preprocess/fit'
import type { DatasetHandle } from '../data/types'
import type { WasmMemory } from '../linalg/wasm/api'
import { activationOf, buildNet } from '../nn/build'
import type { Net } from '../nn/net'
import { createRng } from '../nn/rng'
import { shuffle } from '../nn/train-step'
import { makeSynthetic } from '../nn/synthetic'
import { adoptTeamMemory, helpTeam, largestSlice, teamBatch, teamMemory } from '../nn/train-team'
import {
  trainNet,
  TRAIN_ACC_SAMPLES,
  type TrainControl,
  type TrainOptions,
  type TrainSplit,
  type TrainSplits
} from '../nn/trainer'
import { createWorkspace, freeWorkspace, paramsOnWasmHeap } from '../nn/workspace'
import type { TaskContext } from '../task'
import { TeamFailed, teamSlices } from '../team'

/** Test examples drawn after the training and validation ones for `--synthetic N`. */
export const SYNTHETIC_TEST = 1000

export type TrainData =
  { handle: DatasetHandle; fitted: FittedPreprocessing } | { synthetic: number }

export interface TrainTaskInput {
  config: TrainConfig
  data: TrainData
  /** A control block from src-workers/control (shared, so the main thread can steer the run). */
  control?: SharedArrayBuffer
  /** Slices of every minibatch, each on a thread of the run's team (default 1: this thread). */
  slices?: number
  /**
   * A study's split: synthetic data is drawn from `dataSeed` (not the run's seed), and the
   * validation rows are `config.val` rows of the training pool drawn by `splitSeed` (for
   * CIFAR-10 the fitted preprocessing must hold no validation rows: fitted.val = 0).
   */
  split?: { dataSeed: number; splitSeed: number }
}

/** What a data-parallel run shares with its helpers (TaskContext.share). */
export interface TrainShare {
  team: SharedArrayBuffer
  /** The shared wasm memory `team` is the buffer of, when the runtime has one (helpers run the update's kernel on it). */
  memory?: WasmMemory
  /** Synthetic examples drawn by the leader into shared memory (absent for CIFAR-10). */
  synthetic?: SyntheticRows
}

/** Synthetic examples in shared memory: n + val + 1000 rows of 3072 features and their labels. */
export interface SyntheticRows {
  X: Float32Array
  y: Int32Array
  n: number
  val: number
}

export interface TrainHelperInput {
  config: TrainConfig
  team: SharedArrayBuffer
  /** TrainShare.memory, passed on. */
  memory?: WasmMemory
  /** 0-based; helper i stays while the pool wants more than i helpers on the team. */
  index: number
  data: { handle: DatasetHandle; fitted: FittedPreprocessing } | { rows: SyntheticRows }
}

/** Splits over synthetic rows: train = the first n rows, val the next `val`, test the rest. */
function rowSplits(r: SyntheticRows, dim = 3072, classes = 10): TrainSplits {
  const offset: Record<TrainSplit, number> = { train: 0, val: r.n, test: r.n + r.val }
  return {
    dim,
    classes,
    count: { train: r.n, val: r.val, test: SYNTHETIC_TEST },
    gather(split, indices, outX, outY) {
      for (let i = 0; i < indices.length; i++) {
        const row = offset[split] + indices[i]!
        outX.set(r.X.subarray(row * dim, (row + 1) * dim), i * dim)
        outY[i] = r.y[row]!
      }
    }
  }
}

/** makeSynthetic(N + val + 1000) from the seed (3072 features, 10 classes), optionally shared. */
export function syntheticRows(n: number, val: number, seed: number, shared = false): SyntheticRows {
  const d = makeSynthetic(n + val + SYNTHETIC_TEST, 3072, 10, seed, { shared })
  return { X: d.X as Float32Array, y: d.y, n, val }
}

/**
 * Synthetic splits: makeSynthetic(N + val + 1000) from the seed (3072 features, 10 classes);
 * train = the first N rows, val the next `val`, test the last 1000.
 */
export function syntheticSplits(n: number, val: number, seed: number): TrainSplits {
  return rowSplits(syntheticRows(n, val, seed))
}

/** CIFAR-10 splits of a shared handle; validation is carved off the training split's end. */
export function datasetSplits(handle: DatasetHandle, fitted: FittedPreprocessing): TrainSplits {
  return {
    // 3072 pixels, or pca's K components.
    dim: outputWidth(fitted),
    classes: handle.classes.length,
    count: {
      train: handle.train.count - fitted.val,
      val: fitted.val,
      test: handle.test.count
    },
    gather(split, indices, outX, outY) {
      gatherBatch(handle, split, indices, fitted, outX, outY)
    }
  }
}

/**
 * `base`'s training rows reshuffled by `splitSeed`: the first `val` of the permutation are the
 * validation split, the rest the training split; the test split is base's.
 */
export function reshuffledSplits(base: TrainSplits, val: number, splitSeed: number): TrainSplits {
  const pool = base.count.train
  if (val >= pool)
    throw new DatasetError(
      'bad-option',
      `the validation split (${val}) must be smaller than the ${pool} training examples`,
      { field: 'val' }
    )
  const perm = Int32Array.from({ length: pool }, (_, i) => i)
  shuffle(createRng(splitSeed), perm)
  let mapped = new Int32Array(0)
  return {
    dim: base.dim,
    classes: base.classes,
    count: { train: pool - val, val, test: base.count.test },
    gather(split, indices, outX, outY) {
      if (split === 'test') return base.gather('test', indices, outX, outY)
      if (mapped.length < indices.length) mapped = new Int32Array(indices.length)
      const m = mapped.subarray(0, indices.length)
      const offset = split === 'val' ? 0 : val
      for (let i = 0; i < indices.length; i++) m[i] = perm[offset + indices[i]!]!
      base.gather('train', m, outX, outY)
    }
  }
}

/** A study's synthetic pool, kept for the worker's next run of the same study (one at a time). */
let lastPool: { n: number; seed: number; splits: TrainSplits } | null = null
function studyPool(n: number, seed: number): TrainSplits {
  if (lastPool?.n !== n || lastPool.seed !== seed)
    lastPool = { n, seed, splits: syntheticSplits(n, 0, seed) }
  return lastPool.splits
}

function controlOf(block: SharedArrayBuffer): TrainControl {
  let generation = readLearningRate(block).generation
  return {
    stopRequested: () => controlState(block) === 'stopping',
    takeLearningRate() {
      const now = readLearningRate(block)
      if (now.generation === generation) return null
      generation = now.generation
      return now.lr
    },
    waitWhilePaused: (onWait) => waitWhilePaused(block, onWait)
  }
}

export function train(input: TrainTaskInput, ctx: TaskContext): TrainResult {
  const c = input.config
  const split = input.split
  // A study's runs are one thread each (its many runs fill the pool): no team to share a split with.
  const slices = split ? 1 : (input.slices ?? 1)
  const rows =
    'synthetic' in input.data && !split
      ? syntheticRows(input.data.synthetic, c.val, c.seed, slices > 1)
      : null
  const data = split
    ? reshuffledSplits(
        'synthetic' in input.data
          ? studyPool(input.data.synthetic + c.val, split.dataSeed)
          : datasetSplits(input.data.handle, input.data.fitted),
        c.val,
        split.splitSeed
      )
    : rows
      ? rowSplits(rows)
      : datasetSplits(
          (input.data as { handle: DatasetHandle }).handle,
          (input.data as { fitted: FittedPreprocessing }).fitted
        )
  try {
    return trainNet(data, trainOptions(c, slices), {
      progress: (f, live) => ctx.progress(f, live?.paused ? 'paused' : undefined, live),
      ...(input.control ? { control: controlOf(input.control) } : {}),
      shareTeam: (team) => {
        const memory = teamMemory(team)
        const share: TrainShare = {
          team,
          ...(memory ? { memory } : {}),
          ...(rows ? { synthetic: rows } : {})
        }
        ctx.share?.(share)
      }
    })
  } catch (err) {
    if (err instanceof TeamFailed) throw new LabError('worker-died', err.message)
    throw err
  }
}

/**
 * A helper of a data-parallel run: builds the same net (its weights come from the leader each
 * step), then computes slices of the run's minibatches until the pool takes it back or the run
 * ends. Returns the slices it computed.
 */
export function trainHelper(input: TrainHelperInput): number {
  const c = input.config
  const data =
    'rows' in input.data
      ? rowSplits(input.data.rows)
      : datasetSplits(input.data.handle, input.data.fitted)
  // Only the layout matters here (the leader's weights arrive before every slice).
  const net = buildNet(
    {
      inputSize: data.dim,
      hidden: c.hidden,
      classes: data.classes,
      activation: activationOf(c.activation, c.params),
      init: 'zeros'
    },
    createRng(c.seed),
    'float32'
  ) as Net<Float32Array>
  const restore = paramsOnWasmHeap(net)
  const ws = createWorkspace(net, largestSlice(teamBatch(input.team), teamSlices(input.team)))
  try {
    const team = input.memory ? adoptTeamMemory(input.memory) : input.team
    return helpTeam(team, input.index, { net, ws, data, leader: false })
  } finally {
    freeWorkspace(ws)
    restore()
  }
}

/** The run's options: the parsed configuration, its slices, the app's train-accuracy subset. */
function trainOptions(c: TrainConfig, slices: number): TrainOptions {
  return { ...c, slices, trainAccSamples: TRAIN_ACC_SAMPLES }
}
