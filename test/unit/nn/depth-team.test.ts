/**
 * The depth probe cut by samples (depth-team.ts; here the leader computes every slice itself)
 * against the single-thread probe: the forward statistics (moments, histograms, saturation, dead
 * units) and ∂L/∂X moments equal; dW's moments and the loss equal up to the rounding of a sum
 * taken over slices (float64: 1e-12 relative; float32: a few float32 ulps per summed term).
 */
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import type { DepthConfig } from '../../../src-shared/experiments'
import {
  depthProbe,
  depthSetup,
  depthSetupShare,
  type DepthResult
} from '../../../src-workers/nn/depth'
import { drawProbe } from '../../../src-workers/nn/depth-team'
import { planProbe } from '../../../src-workers/nn/depth-team-draw'
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

  it('reports progress through the draws and the pass, layer by layer, never going back, ending at 1', () => {
    const config: DepthInput = { layers: 3, width: 64, samples: 400, bins: 5, dtype: 'float64' }
    const share = depthSetupShare(depthConfig(config), undefined, 2)
    expect(share).toBeGreaterThan(0)
    expect(share).toBeLessThan(1)
    const seen: number[] = []
    depthProbe(depthConfig(config), { slices: 2, onProgress: (f) => seen.push(f) })
    // The draws (X, 3 W's, G, on the team) fill [0, share]; the pass's layers, forward and
    // backward, in each of the 2 slices tick inside (share, 1).
    expect(seen.filter((f) => f <= share).length).toBeGreaterThanOrEqual(2)
    expect(seen.filter((f) => f > share && f < 1).length).toBeGreaterThanOrEqual(2 * 6)
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!)
    expect(seen.at(-1)).toBe(1)
  })

  it('gives the draws a share of the bar that follows the work: more threads or no input draws, other share', () => {
    const c = depthConfig({ layers: 4, width: 300, samples: 600 })
    const one = depthSetupShare(c, undefined, 1)
    // A team splits the draws as it splits the pass: the same share.
    expect(depthSetupShare(c, undefined, 2)).toBeCloseTo(one, 12)
    // Orthogonal draws on the leader alone while the pass is split: a larger share.
    const orth = depthConfig({ layers: 4, width: 300, samples: 600, init: 'orthogonal' })
    expect(depthSetupShare(orth, undefined, 2)).toBeGreaterThan(depthSetupShare(orth, undefined, 1))
    // A data batch is copied, not drawn.
    const data = { data: new Float32Array(600 * 300), rows: 600, cols: 300 }
    expect(depthSetupShare(c, data, 1)).toBeLessThan(one)
  })
})

describe('the draws on a team = depthSetup, bit for bit', () => {
  const drawCases: [string, DepthInput][] = [
    ['xavier, randn upstream, odd X', { init: 'xavier', samples: 37, width: 11 }],
    [
      'he with bias, softmax labels',
      { activation: 'relu', init: 'he', bias: 0.1, upstream: 'softmax' }
    ],
    ['maxout (wider W), glorot', { activation: 'maxout', params: { pieces: 3 }, init: 'glorot' }],
    ['prelu (its α), normal std 0.5', { activation: 'prelu', init: 'normal', std: 0.5 }],
    ['constant init, softmax', { init: 'constant', std: 0.02, upstream: 'softmax' }],
    ['zeros init', { init: 'zeros' }]
  ]
  for (const [name, cfg] of drawCases) {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${name}, ${dtype}`, () => {
        const config = depthConfig({ layers: 3, width: 13, samples: 29, seed: 5, dtype, ...cfg })
        const one = depthSetup(config)
        for (const slices of [2, 3, 7]) {
          const p = planProbe(config, undefined, slices)
          drawProbe(p, one.c, slices)
          expect(p.X, `X, ${slices} slices`).toEqual(one.X.data)
          for (const [k, v] of Object.entries(one.net.params))
            expect(p.params[k], `${k}, ${slices} slices`).toEqual(v)
          expect(p.upstream).toEqual(one.upstream)
        }
      })
    }
  }

  it('a data batch is copied, the weights and labels drawn from the start of the stream', () => {
    const data = { data: Float64Array.from({ length: 6 * 5 }, (_, i) => i / 7), rows: 6, cols: 5 }
    const config = depthConfig({ layers: 2, width: 4, dtype: 'float64', upstream: 'softmax' })
    const one = depthSetup(config, data)
    const p = planProbe(config, data, 2)
    drawProbe(p, one.c, 2)
    expect(p.X).toEqual(one.X.data)
    for (const [k, v] of Object.entries(one.net.params)) expect(p.params[k]).toEqual(v)
    expect(p.upstream).toEqual(one.upstream)
  })

  it('the probe drawn on a team gives the one-thread results (orthogonal and LSUV drawn alone)', () => {
    for (const init of ['he', 'orthogonal', 'lsuv'] as const) {
      const config: DepthInput = {
        layers: 3,
        width: 30,
        samples: 50,
        bins: 8,
        dtype: 'float64',
        init
      }
      expectMerged(
        depthProbe(depthConfig(config)),
        depthProbe(depthConfig(config), { slices: 2 }),
        1e-12
      )
    }
  })
})
