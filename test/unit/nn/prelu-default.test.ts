/**
 * PReLU starts at α = 0.25 (He et al. 2015) wherever a configuration comes from the contract —
 * not at ELU's α = 1, which would make it the identity — and the kink counter only counts kinks
 * that exist (a unit with α = 1, a leaky slope of 1, has none).
 */
import { describe, expect, it } from 'vitest'
import {
  ACTIVATION_PARAM_DEFAULTS,
  DepthConfig,
  GradcheckConfig,
  TrainConfig
} from '../../../src-shared/experiments'
import { activationOf } from '../../../src-workers/nn/build'
import { depth, gradcheck } from '../../../src-workers/tasks/engine'

const ctx = { progress: () => true }

describe('PReLU default α', () => {
  it('is 0.25 in every schema, separate from ELU’s α = 1', () => {
    expect(ACTIVATION_PARAM_DEFAULTS.preluAlpha).toBe(0.25)
    for (const schema of [DepthConfig, GradcheckConfig, TrainConfig]) {
      const p = schema.parse({}).params
      expect(p.preluAlpha).toBe(0.25)
      expect(p.alpha).toBe(1)
    }
    // A stored configuration from before the split (no preluAlpha) gets the default.
    expect(DepthConfig.parse({ params: { slope: 0.01, alpha: 1, pieces: 2 } }).params).toEqual({
      slope: 0.01,
      alpha: 1,
      preluAlpha: 0.25,
      pieces: 2
    })
    const p = DepthConfig.parse({}).params
    expect(activationOf('prelu', p).alpha).toBe(0.25)
    expect(activationOf('elu', p).alpha).toBe(1)
    expect(activationOf('prelu', { ...p, alpha: 3, preluAlpha: 0.1 }).alpha).toBe(0.1)
  })

  it('depth --activation prelu --init he keeps the RMS at √(1 + α²) per layer, not √2', () => {
    const config = DepthConfig.parse({
      activation: 'prelu',
      init: 'he',
      layers: 10,
      width: 300,
      samples: 400,
      dtype: 'float64'
    })
    const r = depth({ config }, ctx)
    expect(r.config).toMatchObject({ activation: 'prelu', alpha: 0.25 })
    const rms = (m: { mean: number; std: number }): number => Math.hypot(m.mean, m.std)
    const per = Math.pow(rms(r.layers[9]!) / rms(r.input), 1 / 10)
    // He: E[z²] = 2·E[h²]; PReLU keeps (1 + α²)/2 of it → factor √(1 + 0.0625) = 1.0308 per layer.
    // Identity (α = 1) would give √2 = 1.414 per layer, 32× over 10 layers.
    expect(per).toBeGreaterThan(1.0308 * 0.97)
    expect(per).toBeLessThan(1.0308 * 1.03)
    expect(rms(r.layers[9]!)).toBeLessThan(2)
  })
})

describe('kinks counted only where the slope changes', () => {
  it('PReLU with α = 1 is linear: no kinks; with α = 0.25 the crossings are counted', () => {
    const base = { activation: 'prelu' as const, layers: 3, width: 16, samples: 16, h: 1e-2 }
    const linear = gradcheck(GradcheckConfig.parse({ ...base, params: { preluAlpha: 1 } }), ctx)
    expect(linear.params.reduce((a, p) => a + p.kinks, 0)).toBe(0)
    const kinked = gradcheck(GradcheckConfig.parse(base), ctx)
    // h = 1e-2 on 16 × 16 pre-activations of unit scale: some entries cross 0.
    expect(kinked.params.reduce((a, p) => a + p.kinks, 0)).toBeGreaterThan(0)
  })

  it('leaky ReLU with slope 1 has no kinks either', () => {
    const r = gradcheck(
      GradcheckConfig.parse({
        activation: 'leaky-relu',
        layers: 3,
        width: 16,
        samples: 16,
        h: 1e-2,
        params: { slope: 1 }
      }),
      ctx
    )
    expect(r.params.reduce((a, p) => a + p.kinks, 0)).toBe(0)
  })
})
