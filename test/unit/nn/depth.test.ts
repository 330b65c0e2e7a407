import { describe, expect, it } from 'vitest'
import { depthProbe, erfc, type DepthResult } from '../../../src-workers/nn/index'
import { depthConfig } from '../../helpers/configs'
import { gaussianExpectation } from './fd'

/** Mean-field: std of tanh(z), z ~ N(0, s²), by quadrature (the mean is 0 by symmetry). */
const tanhStd = (s: number): number => Math.sqrt(gaussianExpectation((z) => Math.tanh(z) ** 2, s))
/** Second moment of a layer's output. */
const q = (l: { mean: number; std: number }): number => l.std ** 2 + l.mean ** 2

describe('depth probe: the seed experiment (10 × 500 tanh, Gaussian input)', () => {
  it('N(0, 0.01): each layer shrinks the std by about 0.01·√500 ≈ 0.2236', () => {
    const r = depthProbe(
      depthConfig({
        layers: 10,
        width: 500,
        samples: 1000,
        activation: 'tanh',
        init: 'normal',
        std: 0.01,
        dtype: 'float64'
      })
    )
    const k = 0.01 * Math.sqrt(500)
    let prev = q(r.input)
    r.layers.forEach((l, i) => {
      // pre-activation: preStd² = (1/(N·n)) Σ_j ‖H w_j‖² with E = k²·q_{l−1}; per column the relative
      // spread of ‖H w_j‖² is √(2·tr C²)/tr C ≈ √(2(1 + n/N)/n) ≈ 0.077, over 500 columns 0.0035,
      // so preStd is within 0.0017 relative (1σ); 6σ ≈ 1 %.
      expect(Math.abs(l.preStd / (k * Math.sqrt(prev)) - 1), `layer ${i + 1}`).toBeLessThan(0.01)
      // tanh of a N(0, preStd²) column: mean-field std, exact by quadrature (layer 1 is 5 % below
      // the linear 0.2236 because tanh compresses at preStd ≈ 0.22; deeper layers are linear)
      expect(Math.abs(l.std / tanhStd(l.preStd) - 1), `layer ${i + 1}`).toBeLessThan(0.01)
      if (i > 0)
        expect(Math.abs(l.std / r.layers[i - 1]!.std / k - 1), `layer ${i + 1}`).toBeLessThan(0.015)
      prev = q(l)
    })
    expect(r.layers[9]!.std).toBeLessThan(1e-6)
    expect(r.layers[9]!.std).toBeGreaterThan(0) // float64 has not underflowed
    // Backward: dX grows by 1/0.2236 per layer going down (‖Wᵀ‖ scales by k too), dW stays flat
    expect(r.layers[0]!.dX.std / r.layers[9]!.dX.std).toBeLessThan(1e-5)
  })

  it('N(0, 1): tanh saturates, |H| ≈ 1 and the std sits near 0.98', () => {
    const r = depthProbe(
      depthConfig({
        layers: 10,
        width: 500,
        samples: 200,
        activation: 'tanh',
        init: 'normal',
        std: 1,
        dtype: 'float64'
      })
    )
    for (const l of r.layers) {
      // preStd ≈ √500 ≈ 22: E tanh² = 1 − E sech² ≈ 1 − 2/(preStd·√(2π)) → std ≈ 0.982.
      // Sampling: 1e5 entries of tanh² (variance ≈ 0.036) give sd ≈ 6e-4 of E tanh², 3e-4 of the std;
      // 6σ ≈ 0.002.
      expect(Math.abs(l.std - tanhStd(l.preStd))).toBeLessThan(0.002)
      expect(Math.abs(l.std - 0.9817)).toBeLessThan(0.003)
      // saturated: |f′| < 0.01 ⇔ |z| > atanh(√0.99); for z ~ N(0, preStd²) that has probability
      // erfc(atanh(√0.99)/(preStd·√2)); sd of a fraction over 1e5 correlated entries ≲ 0.002
      const zc = Math.atanh(Math.sqrt(0.99))
      expect(Math.abs(l.saturated - erfc(zc / (l.preStd * Math.SQRT2)))).toBeLessThan(0.012)
    }
  })

  it('Xavier: the std decays slowly, following the mean-field map', () => {
    const r = depthProbe(
      depthConfig({
        layers: 10,
        width: 500,
        samples: 200,
        activation: 'tanh',
        init: 'xavier',
        dtype: 'float64'
      })
    )
    let prev = q(r.input)
    r.layers.forEach((l, i) => {
      // Var(pre) = q_{l−1}: per-column relative spread √(2(1 + n/N)/n) = 0.118, over 500 columns
      // 0.0053 in preStd², 0.0027 in preStd; 6σ = 1.6 %.
      expect(Math.abs(l.preStd / Math.sqrt(prev) - 1), `layer ${i + 1}`).toBeLessThan(0.016)
      expect(Math.abs(l.std / tanhStd(l.preStd) - 1), `layer ${i + 1}`).toBeLessThan(0.01)
      if (i > 0) expect(l.std).toBeLessThan(r.layers[i - 1]!.std)
      prev = q(l)
    })
    expect(Math.abs(r.layers[0]!.std - tanhStd(1))).toBeLessThan(0.01) // ≈ 0.628
    expect(r.layers[9]!.std).toBeGreaterThan(0.2) // slow: compare 1e-7 with N(0, 0.01)
  })

  it('ReLU + He: the std stays near √(1 − 1/π) ≈ 0.83', () => {
    const r = depthProbe(
      depthConfig({
        layers: 10,
        width: 500,
        samples: 200,
        activation: 'relu',
        init: 'he',
        dtype: 'float64'
      })
    )
    // Layer 1: pre ~ N(0, 2·q_0), relu output has E h² = q_0 and E h = √(q_0/π), std √(q_0(1 − 1/π)).
    // Spread over seeds measured at 0.004 (16 seeds); 6σ = 0.024.
    const q0 = q(r.input)
    expect(Math.abs(r.layers[0]!.std - Math.sqrt(q0 * (1 - 1 / Math.PI)))).toBeLessThan(0.024)
    // He keeps E[q_l | H_{l−1}] = q_{l−1} exactly (E_w relu(h·w)² = ½·(2/n)‖h‖²), so log q_l is a
    // random walk; its per-layer sd, measured over 16 seeds at this size, is 0.07 (column means
    // make it larger than the isotropic estimate). Band: 6σ·√(l − 1) around layer 1.
    r.layers.forEach((l, i) => {
      expect(Math.abs(Math.log(q(l) / q(r.layers[0]!))), `layer ${i + 1}`).toBeLessThanOrEqual(
        6 * 0.07 * Math.sqrt(i)
      )
      expect(l.saturated).toBe(0)
    })
    const mean = r.layers.reduce((s, l) => s + l.std, 0) / 10
    expect(Math.abs(mean - 0.83)).toBeLessThan(0.1)
  })
})

describe('depth probe: output and options', () => {
  const small = (extra: object = {}): DepthResult =>
    depthProbe(
      depthConfig({
        layers: 3,
        width: 20,
        samples: 30,
        bins: 8,
        activation: 'tanh',
        init: 'xavier',
        dtype: 'float64',
        ...extra
      })
    )

  it('has the CLI.md shape, plain data, and histograms that count every entry in range', () => {
    const r = small()
    expect(Object.keys(r).sort()).toEqual(['config', 'input', 'layers', 'loss'])
    const l = r.layers[0]!
    expect(Object.keys(l).sort()).toEqual(
      ['dW', 'dX', 'dead', 'hist', 'layer', 'mean', 'preMean', 'preStd', 'saturated', 'std'].sort()
    )
    expect(Object.keys(l.dW).sort()).toEqual(['mean', 'norm', 'std'])
    expect(l.hist.edges).toEqual([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])
    for (const x of r.layers) expect(x.hist.counts.reduce((a, b) => a + b, 0)).toBe(30 * 20)
    expect(r.config).toMatchObject({
      layers: 3,
      width: 20,
      activation: 'tanh',
      init: 'xavier',
      samples: 30,
      input: 'gaussian',
      upstream: 'randn',
      bins: 8,
      seed: 1,
      bias: null
    })
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    expect(small()).toEqual(r) // seeded
    expect(small({ seed: 2 }).loss).not.toBe(r.loss)
  })

  it('reports progress up to 1 and stops between layers when aborted', () => {
    const seen: number[] = []
    small({}) // warm
    depthProbe(depthConfig({ layers: 3, width: 10, samples: 5 }), {
      onProgress: (f) => seen.push(f)
    })
    expect(seen.at(-1)).toBe(1)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
    const ac = new AbortController()
    expect(() =>
      depthProbe(depthConfig({ layers: 3, width: 10, samples: 5 }), {
        signal: ac.signal,
        onProgress: (f) => f > 0.3 && ac.abort(new Error('stop'))
      })
    ).toThrow('stop')
  })

  it('softmax upstream with tiny weights gives loss ≈ ln 10', () => {
    const r = depthProbe(
      depthConfig({
        layers: 3,
        width: 50,
        samples: 100,
        init: 'normal',
        std: 0.01,
        upstream: 'softmax',
        dtype: 'float64'
      })
    )
    // scores are ~1e-4: |loss − ln 10| ≤ mean row range of the scores ≪ 1e-2
    expect(Math.abs(r.loss - Math.log(10))).toBeLessThan(1e-2)
    expect(r.config.classes).toBe(10)
  })

  it('takes a caller-supplied input matrix, a bias, and counts dead ReLU units', () => {
    const data = {
      data: Float32Array.from({ length: 6 * 12 }, (_, i) => (i % 7) - 3),
      rows: 6,
      cols: 12
    }
    const r = depthProbe(
      depthConfig({ layers: 2, width: 8, activation: 'relu', init: 'zeros', bias: 0 }),
      { data }
    )
    expect(r.config).toMatchObject({ input: 'data', inputWidth: 12, samples: 6, bias: 0 })
    expect(r.layers.map((l) => l.dead)).toEqual([1, 1]) // zero weights, zero bias: every unit is 0
    const b = depthProbe(
      depthConfig({ layers: 2, width: 8, activation: 'relu', init: 'zeros', bias: 0.5 }),
      { data }
    )
    expect(b.layers.map((l) => l.dead)).toEqual([0, 0])
    expect(b.layers[0]!.mean).toBeCloseTo(0.5, 6)
  })
})
