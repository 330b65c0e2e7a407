import { describe, expect, it } from 'vitest'
import {
  buildNet,
  createRng,
  fillNormal,
  findDivergence,
  gradName,
  lossAndGrads,
  lossCommand,
  netFromJson,
  netToJson,
  parameters,
  randLabels,
  type ActivationName,
  type Mat,
  type Net
} from '../../../src-workers/nn/index'
import { eps, numericGrad } from './fd'

const NET = {
  format: 'layerscope.net',
  version: 1,
  inputSize: 2,
  layers: [
    {
      type: 'affine',
      W: [
        [1, -1, 0.5],
        [2, 0, -1]
      ],
      b: [0.1, 0.2, 0.3]
    },
    { type: 'relu' },
    {
      type: 'affine',
      W: [
        [1, 0],
        [0, 1],
        [-1, 1]
      ],
      b: [0, -0.5]
    }
  ],
  loss: 'softmax',
  reg: 0.05
}
const DATA = {
  X: [
    [1, 2],
    [-1, 0.5]
  ],
  y: [1, 0]
}

describe('loss command (NET.json + DATA.json)', () => {
  it('matches a hand computation of scores, losses and gradients', () => {
    const r = lossCommand(NET, DATA)
    // Sample 1: z = [1+4+0.1, −1+0.2, 0.5−2+0.3] = [5.1, −0.8, −1.2] → h = [5.1, 0, 0]
    //           s = [5.1, 0 − 0.5] = [5.1, −0.5]
    // Sample 2: z = [−1+1+0.1, 1+0.2, −0.5−0.5+0.3] = [0.1, 1.2, −0.7] → h = [0.1, 1.2, 0]
    //           s = [0.1, 1.2 − 0.5] = [0.1, 0.7]
    expect(r.scores[0]![0]).toBeCloseTo(5.1, 14)
    expect(r.scores[0]![1]).toBeCloseTo(-0.5, 14)
    expect(r.scores[1]![0]).toBeCloseTo(0.1, 14)
    expect(r.scores[1]![1]).toBeCloseTo(0.7, 14)
    const ce = (s: number[], y: number): number =>
      Math.log(Math.exp(s[0]!) + Math.exp(s[1]!)) - s[y]!
    const data = (ce([5.1, -0.5], 1) + ce([0.1, 0.7], 0)) / 2
    const reg = 0.05 * (1 + 1 + 0.25 + 4 + 0 + 1 + 1 + 0 + 0 + 1 + 1 + 1)
    expect(r.dataLoss).toBeCloseTo(data, 14)
    expect(r.regLoss).toBeCloseTo(reg, 14)
    expect(r.loss).toBeCloseTo(data + reg, 14)
    expect(r.grads[1]).toBeNull()
    // db2 = mean over samples of (p − onehot)
    const p1 = 1 / (1 + Math.exp(-5.6)) // P(class 0) for sample 1
    const p2 = 1 / (1 + Math.exp(0.6)) // P(class 0) for sample 2
    const g2 = r.grads[2] as { dW: number[][]; db: number[] }
    expect(g2.db[0]).toBeCloseTo((p1 + (p2 - 1)) / 2, 14)
    expect(g2.db[1]).toBeCloseTo((1 - p1 - 1 + (1 - p2)) / 2, 14)
    // dW2[2][*]: h3 is 0 for both samples → only 2·reg·W
    expect(g2.dW[2]![0]).toBeCloseTo(2 * 0.05 * -1, 14)
    expect(g2.dW[2]![1]).toBeCloseTo(2 * 0.05 * 1, 14)
  })

  it('NET.json round-trips through netFromJson / netToJson', () => {
    const net = netFromJson(NET, 'float64')
    expect(netToJson(net)).toEqual(NET)
    expect(parameters(net).map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
  })

  it('names prelu α and handles maxout, gelu-tanh and bias-free affines', () => {
    const json = {
      format: 'layerscope.net',
      version: 1,
      inputSize: 2,
      layers: [
        {
          type: 'affine',
          W: [
            [1, 2, 3, 4],
            [5, 6, 7, 8]
          ]
        },
        { type: 'maxout', pieces: 2 },
        { type: 'prelu', alpha: [0.25, 0.125] },
        { type: 'affine', W: [[1], [2]], b: [0] },
        { type: 'gelu', approximate: 'tanh' }
      ],
      loss: 'svm',
      reg: 0
    }
    const net = netFromJson(json, 'float32') // values chosen exactly representable in float32
    expect(parameters(net).map((p) => p.name)).toEqual(['W1', 'alpha1', 'W2', 'b2'])
    expect(net.params.W1).toBeInstanceOf(Float32Array)
    expect(netToJson(net)).toEqual(json)
  })

  it('names the bad part of a malformed NET.json', () => {
    const bad = structuredClone(NET) as { layers: { W?: number[][] }[] }
    bad.layers[2]!.W = [
      [1, 0],
      [0, 1]
    ]
    expect(() => netFromJson(bad, 'float64')).toThrow(
      /layers\[2\]\.W: has 2 rows, but its input is 3 wide/
    )
    expect(() => netFromJson({ ...NET, layers: [{ type: 'softplus' }] }, 'float64')).toThrow(
      /unknown layer type/
    )
    expect(() => lossCommand(NET, { X: [[1, 2]], y: [5] })).toThrow(/data\.y\[0\]/)
    try {
      netFromJson({}, 'float64')
    } catch (e) {
      expect((e as Error).name).toBe('NnInputError')
    }
  })
})

describe('whole-net gradients', () => {
  const acts: ActivationName[] = [
    'sigmoid',
    'tanh',
    'relu',
    'leaky-relu',
    'prelu',
    'elu',
    'maxout',
    'gelu',
    'selu'
  ]
  for (const act of acts) {
    for (const loss of ['softmax', 'svm'] as const) {
      it(`${act} + ${loss}: every parameter matches centred differences (ε < 1e-7)`, () => {
        const rng = createRng(11)
        const net = buildNet(
          {
            inputSize: 4,
            hidden: [6, 5],
            classes: 3,
            activation: act,
            init: 'xavier',
            biasInit: 0.1,
            loss,
            reg: 0.1
          },
          rng,
          'float64'
        ) as Net<Float64Array>
        const X: Mat<Float64Array> = {
          data: fillNormal(rng, new Float64Array(7 * 4)),
          rows: 7,
          cols: 4
        }
        const y = randLabels(rng, 7, 3)
        const g = lossAndGrads(net, X, y).grads
        for (const p of parameters(net)) {
          const num = numericGrad(() => lossAndGrads(net, X, y).loss, p.data)
          // A kink crossed by ±h would show up as a large ε; with these draws none is within 1e-6.
          expect(eps(g[gradName(p.name)]!, num), p.name).toBeLessThan(1e-7)
        }
      })
    }
  }
})

describe('divergence', () => {
  it('finds the first layer with a non-finite output', () => {
    const net = buildNet(
      { inputSize: 3, hidden: [4, 4], classes: 2, activation: 'tanh', init: 'xavier' },
      createRng(1),
      'float64'
    ) as Net<Float64Array>
    const X: Mat<Float64Array> = { data: Float64Array.from([1, 2, 3]), rows: 1, cols: 3 }
    expect(findDivergence(net, X)).toBeNull()
    net.params.W2![0] = NaN // layer index 2 (1-based 3): the second affine
    expect(findDivergence(net, X)).toEqual({ layer: 3, type: 'affine', count: 1 }) // column 0 only
  })
})
