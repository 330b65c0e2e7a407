/**
 * Small synthetic training runs whose outputs trainer-pin.test.ts pins to the values the
 * trainer produced before its buffer-reuse rewrite (allocating layer API, plain arrays).
 */
import { makeSynthetic } from '../../../src-workers/nn/synthetic'
import { trainOptions } from '../../helpers/configs'
import {
  trainNet,
  type TrainOptions,
  type TrainSplit,
  type TrainSplits
} from '../../../src-workers/nn/trainer'

export interface PinCase {
  n: number
  val: number
  test: number
  dim: number
  classes: number
  dataSeed: number
  opts: TrainOptions
}

export interface PinOutput {
  losses: number[]
  actStd: number[][]
  gradNorm: number[][]
  history: { loss: number; trainAcc: number; valAcc: number | null }[]
  testAcc: number
  status: string
}

/** Splits over one makeSynthetic draw: train, then val, then test rows. */
export function splitsOf(c: PinCase): TrainSplits {
  const d = makeSynthetic(c.n + c.val + c.test, c.dim, c.classes, c.dataSeed)
  const offset: Record<TrainSplit, number> = { train: 0, val: c.n, test: c.n + c.val }
  return {
    dim: c.dim,
    classes: c.classes,
    count: { train: c.n, val: c.val, test: c.test },
    gather(split, indices, outX, outY) {
      for (let i = 0; i < indices.length; i++) {
        const r = offset[split] + indices[i]!
        outX.set(d.X.subarray(r * c.dim, (r + 1) * c.dim), i * c.dim)
        outY[i] = d.y[r]!
      }
    }
  }
}

const base = { n: 130, val: 20, test: 30, dim: 48, classes: 5, dataSeed: 7 }

export const CASES: Record<string, PinCase> = {
  // 130 = 5 full batches of 25 + one of 5: the partial last batch is in every epoch.
  reluSgd: {
    ...base,
    opts: trainOptions(
      {
        hidden: [16, 12],
        activation: 'relu',
        init: 'he',
        optimizer: 'sgd',
        lr: 0.05,
        lrDecay: 0.9,
        reg: 0.01,
        epochs: 4,
        batch: 25,
        statsEvery: 3,
        seed: 11
      },
      { trainAccSamples: 50 }
    )
  },
  tanhMomentum: {
    ...base,
    opts: trainOptions({
      hidden: [20],
      activation: 'tanh',
      init: 'xavier',
      optimizer: 'momentum',
      lr: 0.02,
      momentum: 0.9,
      reg: 0.001,
      epochs: 4,
      batch: 32,
      statsEvery: 2,
      seed: 3
    })
  },
  preluAdam: {
    ...base,
    opts: trainOptions({
      hidden: [14, 10],
      activation: 'prelu',
      init: 'he',
      optimizer: 'adam',
      lr: 0.003,
      reg: 0,
      epochs: 4,
      batch: 30,
      statsEvery: 4,
      seed: 5
    })
  },
  maxoutNesterov: {
    ...base,
    opts: trainOptions({
      hidden: [12],
      activation: 'maxout',
      params: { pieces: 3 },
      init: 'xavier',
      optimizer: 'nesterov',
      lr: 0.01,
      reg: 0.005,
      epochs: 4,
      batch: 40,
      statsEvery: 5,
      seed: 9
    })
  }
}

/** Runs a case and keeps what the pin compares: the first 20 losses and the rest in full. */
export function runCase(c: PinCase): PinOutput {
  const r = trainNet(splitsOf(c), c.opts)
  return {
    losses: r.losses.slice(0, 20),
    actStd: r.stats.actStd,
    gradNorm: r.stats.gradNorm,
    history: r.history.map((h) => ({ loss: h.loss, trainAcc: h.trainAcc, valAcc: h.valAcc })),
    testAcc: r.final?.testAcc ?? NaN,
    status: r.status
  }
}
