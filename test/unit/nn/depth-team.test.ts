/**
 * The depth probe cut by samples (depth-team.ts; here the leader computes every slice itself)
 * against the single-thread probe: the forward statistics (moments, histograms, saturation, dead
 * units) and ∂L/∂X moments equal; dW's moments and the loss equal up to the rounding of a sum
 * taken over slices (float64: 1e-12 relative; float32: a few float32 ulps per summed term).
 */
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import type { DepthConfig } from '../../../src-shared/experiments'
import { depthProbe, type DepthResult } from '../../../src-workers/nn/depth'
import { depthConfig } from '../../helpers/configs'

type DepthInput = z.input<typeof DepthConfig>

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-30, Math.abs(a) + Math.abs(b))

function expectMerged(one: DepthResult, many: DepthResult, tol: number): void {
  expect(many.config).toEqual(one.config)
  expect(many.input).toEqual(one.input)
  expect(rel(many.loss, one.loss)).toBeLessThan(tol)
  expect(many.layers).toHaveLength(one.layers.length)
  one.layers.forEach((a, i) => {
    const b = many.layers[i]!
    const { dW: dWa, dX: dXa, ...fa } = a
    const { dW: dWb, dX: dXb, ...fb } = b
    // Every row of every layer is computed from the same rows below: the forward pass and
    // ∂L/∂H match to the last bit or to the rounding of a differently blocked product.
    expect(fb.hist.counts.reduce((s, c) => s + c, 0)).toBe(
      fa.hist.counts.reduce((s, c) => s + c, 0)
    )
    for (const k of ['mean', 'std', 'preMean', 'preStd'] as const)
      expect(rel(fb[k], fa[k]), `layer ${a.layer} ${k}`).toBeLessThan(tol)
    expect(fb.saturated).toBe(fa.saturated)
    expect(fb.dead).toBe(fa.dead)
    expect(fb.hist).toEqual(fa.hist)
    for (const k of ['mean', 'std', 'norm'] as const) {
      expect(rel(dXb[k], dXa[k]), `layer ${a.layer} dX ${k}`).toBeLessThan(tol)
      // dW's mean is a sum of mixed signs: compare it on the scale of its norm.
      const scale = Math.max(Math.abs(dWa[k]), dWa.norm / Math.sqrt(250_000))
      expect(Math.abs(dWb[k] - dWa[k]) / scale, `layer ${a.layer} dW ${k}`).toBeLessThan(tol * 10)
    }
  })
}

const cases: [string, DepthInput][] = [
  ['tanh, randn upstream', { activation: 'tanh', init: 'xavier' }],
  [
    'relu with bias, softmax upstream',
    { activation: 'relu', init: 'he', bias: 0.1, upstream: 'softmax' }
  ],
  ['maxout', { activation: 'maxout', params: { pieces: 3 }, init: 'xavier' }],
  ['prelu', { activation: 'prelu', init: 'he' }],
  ['sigmoid, saturating', { activation: 'sigmoid', init: 'normal', std: 1 }]
]

describe('depth probe on a team = the single-thread probe', () => {
  for (const [name, cfg] of cases) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${name}, ${dtype}`, () => {
        const config: DepthInput = {
          layers: 4,
          width: 40,
          samples: 97,
          bins: 20,
          seed: 3,
          dtype,
          ...cfg
        }
        const one = depthProbe(depthConfig(config))
        for (const slices of [2, 3]) {
          const many = depthProbe(depthConfig(config), { slices })
          expectMerged(one, many, dtype === 'float64' ? 1e-12 : 1e-5)
        }
      })
    }
  }

  it('more slices than samples: empty slices add nothing', () => {
    const config: DepthInput = { layers: 2, width: 8, samples: 3, bins: 5, dtype: 'float64' }
    expectMerged(
      depthProbe(depthConfig(config)),
      depthProbe(depthConfig(config), { slices: 5 }),
      1e-12
    )
  })

  it('reports progress through the pass, layer by layer, never going back, ending at 1', () => {
    const config: DepthInput = { layers: 3, width: 16, samples: 40, bins: 5, dtype: 'float64' }
    const seen: number[] = []
    depthProbe(depthConfig(config), { slices: 2, onProgress: (f) => seen.push(f) })
    // 3 blocks = 6 layers, forward and backward, in each of 2 slices: ticks inside the pass.
    expect(seen.filter((f) => f > 0 && f < 0.8).length).toBeGreaterThanOrEqual(2 * 6)
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!)
    expect(seen.at(-1)).toBe(1)
  })
})
