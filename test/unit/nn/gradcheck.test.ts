import { describe, expect, it } from 'vitest'
import {
  buildNet,
  checkGradients,
  createRng,
  fillNormal,
  randLabels,
  type GradcheckOptions,
  gradcheckCommand,
  gradcheckNetData,
  gradName,
  lossAndGrads,
  verdictFor,
  type ActivationName,
  type FloatArray
} from '../../../src-workers/nn/index'
import { gradcheckConfig, gradcheckNetConfig } from '../../helpers/configs'

describe('gradcheck verdicts and JSON', () => {
  it('has the CLI.md shape and says great for a correct net (defaults: relu 2-layer toy net)', () => {
    const r = gradcheckCommand(gradcheckConfig())
    expect(Object.keys(r).sort()).toEqual(['maxRelError', 'params', 'verdict', 'verdicts'])
    expect(r.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    for (const p of r.params) {
      // CLI.md's keys, plus both ways of counting (docs/cli.md)
      expect(Object.keys(p).sort()).toEqual([
        'allEntries',
        'excludingKinks',
        'kinks',
        'name',
        'normRelError',
        'relError',
        'verdict',
        'worst'
      ])
      expect(p.worst.length).toBe(3)
      for (const w of p.worst)
        expect(Object.keys(w).sort()).toEqual(['analytic', 'index', 'numeric'])
    }
    expect(r.params[0]!.worst[0]!.index).toHaveLength(2) // W1 is a matrix: [i, j]
    expect(r.params[1]!.worst[0]!.index).toHaveLength(1) // b1 is a vector: [i]
    expect(r.verdict).toBe('great')
    expect(r.maxRelError).toBe(Math.max(...r.params.map((p) => p.relError)))
    expect(JSON.parse(JSON.stringify(r))).toEqual(r) // plain data
  })

  const acts: ActivationName[] = [
    'sigmoid',
    'tanh',
    'leaky-relu',
    'prelu',
    'elu',
    'maxout',
    'gelu',
    'selu'
  ]
  it(`is great for ${acts.join(', ')} with 3 affine layers`, () => {
    for (const activation of acts) {
      const r = gradcheckCommand(gradcheckConfig({ activation, layers: 3, seed: 2 }))
      expect(r.verdict, activation).toBe('great')
      for (const p of r.params) expect(p.normRelError, `${activation} ${p.name}`).toBeLessThan(1e-7)
    }
    const prelu = gradcheckCommand(gradcheckConfig({ activation: 'prelu', layers: 3 }))
    expect(prelu.params.map((p) => p.name)).toEqual([
      'W1',
      'b1',
      'alpha1',
      'W2',
      'b2',
      'alpha2',
      'W3',
      'b3'
    ])
  })

  it('is great for the SVM loss too', () => {
    expect(gradcheckCommand(gradcheckConfig({ loss: 'svm', activation: 'tanh' })).verdict).toBe(
      'great'
    )
  })

  it('says wrong for a deliberately wrong gradient (dW1 doubled)', () => {
    expect(
      gradcheckCommandWith((net, X, y, reg) => lossAndGrads(net, X, y, reg).grads).verdict
    ).toBe('great')
    const broken = gradcheckCommandWith((net, X, y, reg) => {
      const g = lossAndGrads(net, X, y, reg).grads
      const d = g[gradName('W1')]!
      for (let i = 0; i < d.length; i++) d[i]! *= 2
      return g
    })
    expect(broken.params.find((p) => p.name === 'W1')!.verdict).toBe('wrong')
    // ‖2a − a‖ / (‖2a‖ + ‖a‖) = 1/3 exactly, up to the difference quotient's own error
    expect(broken.params.find((p) => p.name === 'W1')!.normRelError).toBeCloseTo(1 / 3, 6)
    expect(broken.params.find((p) => p.name === 'W2')!.verdict).toBe('great')
    expect(broken.verdict).toBe('wrong')
  })

  it('bands: great < 1e-7 ≤ check < 1e-4 ≤ concern < 1e-2 ≤ wrong', () => {
    expect([1e-8, 1e-7, 5e-5, 1e-4, 5e-3, 1e-2, NaN].map(verdictFor)).toEqual([
      'great',
      'check',
      'check',
      'concern',
      'concern',
      'wrong',
      'wrong'
    ])
  })

  it('detects and can exclude a ReLU kink', () => {
    // pre-activation of hidden unit 0 is 5e-6 < h = 1e-5: moving b1[0] by ±h crosses 0
    const net = {
      format: 'layerscope.net',
      version: 1,
      inputSize: 1,
      layers: [
        { type: 'affine', W: [[1, 1]], b: [0, 0.5] },
        { type: 'relu' },
        {
          type: 'affine',
          W: [
            [1, -2],
            [0.5, 1]
          ],
          b: [0, 0]
        }
      ],
      loss: 'softmax',
      reg: 0
    }
    const data = { X: [[5e-6]], y: [1] }
    const r = gradcheckNetData(net, data, gradcheckNetConfig({ net, data }))
    const b1 = r.params.find((p) => p.name === 'b1')!
    expect(b1.kinks).toBe(1)
    expect(b1.verdict).not.toBe('great')
    expect(r.params.find((p) => p.name === 'W2')!.kinks).toBe(0)
    const ex = gradcheckNetData(net, data, gradcheckNetConfig({ net, data, excludeKinks: true }))
    expect(ex.kinksExcluded).toBe(true)
    expect(ex.params.find((p) => p.name === 'b1')!.verdict).toBe('great')
  })

  it('checks K sampled entries per parameter, reproducibly', () => {
    const a = gradcheckCommand(gradcheckConfig({ width: 30, sample: 2, seed: 3 }))
    expect(a.params.every((p) => p.worst.length <= 2)).toBe(true)
    expect(gradcheckCommand(gradcheckConfig({ width: 30, sample: 2, seed: 3 }))).toEqual(a)
    expect(a.verdict).toBe('great')
  })

  it('float32 arithmetic shows in the error (same code path, worse numbers)', () => {
    const f64 = gradcheckCommand(gradcheckConfig({ activation: 'tanh' }))
    const f32 = gradcheckCommand(gradcheckConfig({ activation: 'tanh', dtype: 'float32' }))
    expect(Math.max(...f64.params.map((p) => p.normRelError))).toBeLessThan(1e-7)
    expect(Math.max(...f32.params.map((p) => p.normRelError))).toBeGreaterThan(1e-5)
  })

  it('burn-in trains first, then checks', () => {
    const a = gradcheckCommand(gradcheckConfig({ activation: 'tanh' }))
    const b = gradcheckCommand(gradcheckConfig({ activation: 'tanh', burnIn: 20 }))
    expect(b.verdict).toBe('great')
    expect(b.params[0]!.worst[0]!.analytic).not.toBe(a.params[0]!.worst[0]!.analytic)
  })
})

/** The default toy net of gradcheckCommand, checked with a caller-supplied analytic gradient. */
function gradcheckCommandWith(analytic: NonNullable<GradcheckOptions['analytic']>) {
  const rng = createRng(1)
  const net = buildNet(
    {
      inputSize: 4,
      hidden: [10],
      classes: 3,
      activation: 'relu',
      init: { name: 'normal', std: 0.1 },
      reg: 0.05
    },
    rng,
    'float64'
  )
  const X = { data: fillNormal(rng, new Float64Array(20)) as FloatArray, rows: 5, cols: 4 }
  return checkGradients(net, X, randLabels(rng, 5, 3), { analytic, h: gradcheckConfig().h })
}
