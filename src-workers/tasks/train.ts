/**
 * The `train` worker task: maps a TrainConfig onto the engine's trainer, with data either
 * synthetic (drawn here from the seed) or CIFAR-10 in shared memory (the dataset handle plus
 * the preprocessing fitted on its training split; minibatches gathered on the fly, nothing
 * copied), and an optional control block (pause, resume, stop, new learning rate).
 */
import type { TrainConfig } from '../../src-shared/experiments'
import type { TrainResult } from '../../src-shared/results'
import { readLearningRate, waitWhilePaused, controlState } from '../control'
import { gatherBatch } from '../data/preprocess/gather'
import type { FittedPreprocessing } from '../data/preprocess/fit'
import type { DatasetHandle } from '../data/types'
import { makeSynthetic } from '../nn/synthetic'
import { trainNet, type TrainControl, type TrainSplit, type TrainSplits } from '../nn/trainer'
import type { TaskContext } from '../task'
import { activationOf, initOf } from './engine'

/** Test examples drawn after the training and validation ones for `--synthetic N`. */
export const SYNTHETIC_TEST = 1000

export type TrainData =
  { handle: DatasetHandle; fitted: FittedPreprocessing } | { synthetic: number }

export interface TrainTaskInput {
  config: TrainConfig
  data: TrainData
  /** A control block from src-workers/control (shared, so the main thread can steer the run). */
  control?: SharedArrayBuffer
}

/**
 * Synthetic splits: makeSynthetic(N + val + 1000) from the seed (3072 features, 10 classes);
 * train = the first N rows, val the next `val`, test the last 1000.
 */
export function syntheticSplits(n: number, val: number, seed: number): TrainSplits {
  const d = makeSynthetic(n + val + SYNTHETIC_TEST, 3072, 10, seed)
  const offset: Record<TrainSplit, number> = { train: 0, val: n, test: n + val }
  return {
    dim: d.dim,
    classes: d.classes,
    count: { train: n, val, test: SYNTHETIC_TEST },
    gather(split, indices, outX, outY) {
      const X = d.X as Float32Array
      for (let i = 0; i < indices.length; i++) {
        const r = offset[split] + indices[i]!
        outX.set(X.subarray(r * d.dim, (r + 1) * d.dim), i * d.dim)
        outY[i] = d.y[r]!
      }
    }
  }
}

/** CIFAR-10 splits of a shared handle; validation is carved off the training split's end. */
export function datasetSplits(handle: DatasetHandle, fitted: FittedPreprocessing): TrainSplits {
  return {
    dim: 3072,
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
  const data =
    'synthetic' in input.data
      ? syntheticSplits(input.data.synthetic, c.val, c.seed)
      : datasetSplits(input.data.handle, input.data.fitted)
  return trainNet(
    data,
    {
      hidden: c.hidden,
      activation: activationOf(c.activation, c.params),
      init: initOf(c),
      optimizer: { name: c.optimizer, lr: c.lr, decay: c.lrDecay, momentum: c.momentum },
      reg: c.reg,
      epochs: c.epochs,
      batch: c.batch,
      statsEvery: c.statsEvery,
      seed: c.seed,
      divergeAbove: c.divergeAbove
    },
    {
      progress: (f, live) => ctx.progress(f, live?.paused ? 'paused' : undefined, live),
      ...(input.control ? { control: controlOf(input.control) } : {})
    }
  )
}
