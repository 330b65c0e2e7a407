/**
 * Biases and symmetry in training: the unit probe before and after (dead units, distinct
 * units), the initial bias, and the constant init whose units stay copies of one another.
 */
import { describe, expect, it } from 'vitest'
import { TrainConfig } from '../../../src-shared/experiments'
import type { TrainResult, TrainUnits } from '../../../src-shared/results'
import { initWeights } from '../../../src-workers/nn/init'
import { createRng } from '../../../src-workers/nn/rng'
import { train } from '../../../src-workers/tasks/train'

const ctx = { progress: () => true }

function run(o: Record<string, unknown>): TrainResult {
  return train(
    {
      config: TrainConfig.parse({
        data: { type: 'synthetic', n: 300 },
        val: 50,
        hidden: [32],
        batch: 50,
        epochs: 2,
        lr: 1e-2,
        ...o
      }),
      data: { synthetic: 300 }
    },
    ctx as never
  )
}
const unitsOf = (r: TrainResult): TrainUnits => {
  if (r.status === 'diverged' || !r.units) throw new Error('no units')
  return r.units
}

describe('constant init', () => {
  it('fills every weight with the value', () => {
    const W = initWeights({ name: 'constant', std: 0.3 }, 4, 5, createRng(1), 'float64')
    expect(Array.from(W)).toEqual(new Array(20).fill(0.3))
  })

  it('every hidden unit stays a copy of the others through training; random init gives 32', () => {
    const c = unitsOf(run({ init: 'constant', std: 0.001 }))
    expect(c.width).toEqual([32])
    expect(c.distinctAtStart).toEqual([1])
    expect(c.distinctAtEnd).toEqual([1])
    const h = unitsOf(run({ init: 'he' }))
    expect(h.distinctAtStart).toEqual([32])
    expect(h.distinctAtEnd).toEqual([32])
  })
})

describe('initial bias and dead ReLU units', () => {
  it('a negative bias kills units, a positive one keeps them alive, on the same weights', () => {
    const neg = unitsOf(run({ init: 'normal', std: 1e-4, bias: -0.5 }))
    const pos = unitsOf(run({ init: 'normal', std: 1e-4, bias: 0.01 }))
    // With tiny weights the pre-activation is ≈ the bias: −0.5 makes every unit 0 on every example.
    expect(neg.deadAtStart).toEqual([1])
    expect(pos.deadAtStart).toEqual([0])
    expect(neg.examples).toBe(300)
  })

  it('the bias is part of the run: bias 0 reproduces the default bit for bit', () => {
    const a = run({})
    const b = run({ bias: 0 })
    expect(b.losses).toEqual(a.losses)
    expect(run({ bias: 0.01 }).losses).not.toEqual(a.losses)
  })
})
