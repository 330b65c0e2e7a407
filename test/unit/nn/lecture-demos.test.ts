/**
 * The lecture's demonstrations in the engine: the scalar gradient check (x⁴ at 3 and friends),
 * the linear (identity) activation, and the W = ωI net — against closed forms.
 */
import { describe, expect, it } from 'vitest'
import {
  activate,
  activationDerivative,
  buildNet,
  createRng,
  depthProbe,
  gradcheckNetData,
  netFromJson,
  netToJson,
  omegaDemo,
  scalarCheck
} from '../../../src-workers/nn/index'
import { depthConfig, gradcheckNetConfig, scalarCheckConfig } from '../../helpers/configs'

describe('scalar gradient check', () => {
  it("x⁴ at 3: the centred difference at h = 0.001 is 108 + 12h² = 108.000012, not the lecture's 108.000006", () => {
    const r = scalarCheck(scalarCheckConfig({ fn: 'x4' }))
    expect(r.x).toBe(3)
    expect(r.value).toBe(81)
    expect(r.exact).toBe(108)
    // (x+h)⁴ − (x−h)⁴ = 8x³h + 8xh³, so the centred difference is 4x³ + 4xh² exactly.
    expect(r.lecture!.measured.centred).toBeCloseTo(108 + 12e-6, 9)
    expect(Math.abs(r.lecture!.measured.centred - r.lecture!.printed.centred)).toBeGreaterThan(5e-6)
    // The lecture's f(3 ± 0.001), printed to 7 decimals, are right.
    expect(r.lecture!.measured.fPlus.toFixed(7)).toBe('81.1080540')
    expect(r.lecture!.measured.fMinus.toFixed(7)).toBe('80.8920540')
    const f64 = r.series[0]!
    // Centred error is exactly 12h² in exact arithmetic: at h = 0.1 the float64 error is 0.12.
    const at01 = f64.points.find((p) => Math.abs(p.h - 0.1) < 1e-12)!
    expect(at01.centredError!).toBeCloseTo(0.12, 10)
    // Forward: (4·27·h + 6·9·h² + 4·3·h³ + h⁴)/h − 108 = 54h + 12h² + h³.
    expect(at01.forwardError!).toBeCloseTo(5.4 + 0.12 + 0.001, 9)
  })

  it('fits slope 1 (forward) and 2 (centred) in both dtypes; the floor follows the unit round-off', () => {
    for (const fn of ['x4', 'sin', 'exp'] as const) {
      const r = scalarCheck(scalarCheckConfig({ fn }))
      for (const s of r.series) {
        expect(s.forward.slope!, `${fn} ${s.dtype}`).toBeGreaterThan(0.95)
        expect(s.forward.slope!, `${fn} ${s.dtype}`).toBeLessThan(1.1)
        expect(s.centred.slope!, `${fn} ${s.dtype}`).toBeGreaterThan(1.9)
        expect(s.centred.slope!, `${fn} ${s.dtype}`).toBeLessThan(2.1)
        // The measured floor sits within a decade and a half of the predicted best step.
        const ratio = s.centred.floor!.h / s.centred.predictedBestH!
        expect(ratio).toBeGreaterThan(0.03)
        expect(ratio).toBeLessThan(30)
      }
      const [f64, f32] = r.series
      // float32's floor is far higher: u = 2⁻²⁴ against 2⁻⁵³.
      expect(f32!.centred.floor!.error).toBeGreaterThan(1e4 * f64!.centred.floor!.error)
      // Below the floor the error grows again (round-off ~ u·|f|/h): at h = 1e-12 it exceeds the floor.
      const tiny = f64!.points.find((p) => Math.abs(Math.log10(p.h) + 12) < 1e-9)!
      expect(tiny.centredError!).toBeGreaterThan(10 * f64!.centred.floor!.error)
    }
  })

  it('at the kinks: |x| gives forward 1 and centred 0; max(0, x) forward 1, centred ½ — for every h', () => {
    const abs = scalarCheck(scalarCheckConfig({ fn: 'abs' }))
    expect([abs.exact, abs.left, abs.right]).toEqual([null, -1, 1])
    for (const s of abs.series)
      for (const p of s.points) {
        expect(p.forward).toBe(1)
        expect(p.centred).toBe(0)
        expect(p.forwardError).toBeNull()
      }
    const relu = scalarCheck(scalarCheckConfig({ fn: 'relu' }))
    expect([relu.left, relu.right]).toEqual([0, 1])
    for (const s of relu.series) for (const p of s.points) expect(p.centred).toBe(0.5)
    // Near the kink, |x| at −1e-3: exact once h < 1e-3; for h > 1e-3 the centred difference
    // straddles the kink and gives −|x|/h, an error of 1 − |x|/h.
    const near = scalarCheck(scalarCheckConfig({ fn: 'abs', x: -1e-3 }))
    expect(near.exact).toBe(-1)
    const f64 = near.series[0]!
    expect(f64.points.find((p) => p.h === 0.1)!.centredError).toBeCloseTo(1 - 1e-3 / 0.1, 12)
    expect(f64.points.find((p) => Math.abs(p.h - 1e-4) < 1e-18)!.centredError!).toBeLessThan(1e-9)
  })
})

describe('linear activation', () => {
  it('is the identity with derivative 1, gradient-checks, and round-trips through NET.json', () => {
    for (const x of [-3, 0, 2.5]) {
      expect(activate({ type: 'linear' }, x)).toBe(x)
      expect(activationDerivative({ type: 'linear' }, x)).toBe(1)
    }
    const net = buildNet(
      { inputSize: 4, hidden: [5, 5], classes: 3, activation: 'linear', init: 'xavier' },
      createRng(3),
      'float64'
    )
    const json = netToJson(net)
    expect(json.layers.map((l) => l.type)).toEqual([
      'affine',
      'linear',
      'affine',
      'linear',
      'affine'
    ])
    const back = netFromJson(JSON.parse(JSON.stringify(json)), 'float64')
    expect(back.layers).toEqual(net.layers)
    const X = [
      [0.1, -0.4, 1.2, 0.3],
      [-1, 0.5, 0.2, 0.7]
    ]
    const g = gradcheckNetData(
      json,
      { X, y: [0, 2] },
      gradcheckNetConfig({ net: json, data: null, h: 1e-5, dtype: 'float64', seed: 1 })
    )
    expect(g.maxRelError).toBeLessThan(1e-7)
    expect(g.params.every((p) => p.kinks === 0)).toBe(true)
  })

  it("keeps the std with Xavier at every layer: the derivation's linear-activation assumption", () => {
    const r = depthProbe(
      depthConfig({
        layers: 10,
        width: 200,
        activation: 'linear',
        init: 'xavier',
        samples: 500,
        upstream: 'randn',
        bins: 10,
        seed: 2,
        dtype: 'float64'
      })
    )
    // Var(H_l) = Var(H_{l−1})·n·(1/n): std stays 1; the sampling spread after 10 random layers is a few %.
    for (const l of r.layers) {
      expect(l.std).toBeGreaterThan(0.85)
      expect(l.std).toBeLessThan(1.15)
      expect(l.saturated).toBe(0)
    }
  })
})

describe('W = ωI, linear', () => {
  it('δˡ = ω^(L−l)·δᴸ at every layer, and every ∂E/∂Wˡ is ω^(L−1)·XᵀG', () => {
    const r = omegaDemo({
      layers: 8,
      width: 6,
      omegas: [0.5, 1, 1.3],
      samples: 7,
      seed: 4,
      dtype: 'float64'
    })
    for (const s of r.series) {
      expect(s.first.predicted).toBeCloseTo(s.omega ** 7, 12)
      expect(s.first.ratio / s.first.predicted).toBeCloseTo(1, 12)
      for (const l of s.layers) {
        expect(l.ratio / s.omega ** (8 - l.layer)).toBeCloseTo(1, 12)
        expect(l.dWRatio / s.omega ** 7).toBeCloseTo(1, 12)
      }
      expect(s.maxRelError).toBeLessThan(1e-12)
    }
    // float32 keeps it to float32 precision.
    const f = omegaDemo({
      layers: 10,
      width: 5,
      omegas: [0.9],
      samples: 3,
      seed: 1,
      dtype: 'float32'
    })
    expect(f.series[0]!.maxRelError).toBeLessThan(1e-5)
  })
})
