import { describe, expect, it } from 'vitest'
import {
  createOptimizerState,
  learningRate,
  optimizerStep,
  type OptimizerConfig
} from '../../../src-workers/nn/index'

/** Two steps on one weight w₀ = 1 with gradients g₁ = 0.5, g₂ = −0.2, compared with the formulas. */
function twoSteps(c: OptimizerConfig): [number, number] {
  const params = { W1: Float64Array.from([1]) }
  const state = createOptimizerState<Float64Array>()
  const out: number[] = []
  for (const g of [0.5, -0.2]) {
    optimizerStep(params, { dW1: Float64Array.from([g]) }, state, c)
    out.push(params.W1[0]!)
  }
  return [out[0]!, out[1]!]
}

describe('optimizers', () => {
  const lr = 0.1
  const mu = 0.9
  it('sgd: w ← w − lr·g', () => {
    const [a, b] = twoSteps({ name: 'sgd', lr })
    expect(a).toBeCloseTo(1 - 0.05, 15)
    expect(b).toBeCloseTo(1 - 0.05 + 0.02, 15)
  })
  it('momentum: v ← μv − lr·g; w ← w + v', () => {
    const v1 = -lr * 0.5
    const v2 = mu * v1 - lr * -0.2
    const [a, b] = twoSteps({ name: 'momentum', lr, momentum: mu })
    expect(a).toBeCloseTo(1 + v1, 15)
    expect(b).toBeCloseTo(1 + v1 + v2, 15)
  })
  it('nesterov: w ← w − μv_prev + (1 + μ)v', () => {
    const v1 = -lr * 0.5
    const v2 = mu * v1 - lr * -0.2
    const w1 = 1 + (1 + mu) * v1
    const [a, b] = twoSteps({ name: 'nesterov', lr, momentum: mu })
    expect(a).toBeCloseTo(w1, 15)
    expect(b).toBeCloseTo(w1 - mu * v1 + (1 + mu) * v2, 15)
  })
  it('adam: the first bias-corrected step is lr·sign(g) (up to ε)', () => {
    const [a, b] = twoSteps({ name: 'adam', lr })
    expect(a).toBeCloseTo(1 - lr, 6)
    const m = 0.9 * 0.1 * 0.5 + 0.1 * -0.2
    const v = 0.999 * 0.001 * 0.25 + 0.001 * 0.04
    const step = (lr * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8)
    expect(b).toBeCloseTo(a - step, 12)
  })
  it('decays the learning rate per epoch and leaves gradients alone', () => {
    expect(learningRate({ name: 'sgd', lr: 0.1, decay: 0.5 }, 3)).toBeCloseTo(0.0125, 15)
    const params = { W1: Float64Array.from([1, 2]) }
    const grads = { dW1: Float64Array.from([1, 1]) }
    optimizerStep(params, grads, createOptimizerState(), { name: 'sgd', lr: 0.1, decay: 0.5 }, 2)
    expect(Array.from(params.W1)).toEqual([1 - 0.025, 2 - 0.025])
    expect(Array.from(grads.dW1)).toEqual([1, 1])
  })
})
