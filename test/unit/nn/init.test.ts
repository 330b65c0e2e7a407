import { describe, expect, it } from 'vitest'
import {
  buildNet,
  createRng,
  initWeights,
  layerForward,
  orthogonal,
  summary,
  type InitSpec,
  type Mat
} from '../../../src-workers/nn/index'

/**
 * The sample std s of n i.i.d. N(0, σ²) draws has (n−1)s²/σ² ~ χ²(n−1), so s/σ has sd ≈ 1/√(2n).
 * Six of those is the tolerance.
 */
const stdTolerance = (n: number): number => 6 / Math.sqrt(2 * n)

describe('initializations', () => {
  const fanIn = 300
  const fanOut = 200
  const cases: [InitSpec, number][] = [
    [{ name: 'normal', std: 0.01 }, 0.01],
    ['normal', 0.01],
    ['xavier', 1 / Math.sqrt(fanIn)],
    ['glorot', Math.sqrt(2 / (fanIn + fanOut))],
    ['he', Math.sqrt(2 / fanIn)]
  ]
  for (const [spec, std] of cases) {
    it(`${JSON.stringify(spec)} has std ${std.toPrecision(4)} within the χ² sampling band`, () => {
      const W = initWeights(spec, fanIn, fanOut, createRng(1), 'float64')
      const s = summary(W)
      expect(Math.abs(s.std / std - 1)).toBeLessThan(stdTolerance(W.length))
      // the mean of n draws has sd σ/√n
      expect(Math.abs(s.mean)).toBeLessThan((6 * std) / Math.sqrt(W.length))
    })
  }

  it('zeros is all zeros', () => {
    expect(initWeights('zeros', 3, 4, createRng(1), 'float32').every((v) => v === 0)).toBe(true)
  })

  it('is deterministic for a seed and allocates the asked dtype', () => {
    const a = initWeights('he', 20, 10, createRng(5), 'float32')
    expect(a).toBeInstanceOf(Float32Array)
    expect(a).toEqual(initWeights('he', 20, 10, createRng(5), 'float32'))
    expect(a).not.toEqual(initWeights('he', 20, 10, createRng(6), 'float32'))
  })

  for (const [rows, cols] of [
    [50, 20],
    [20, 50],
    [30, 30]
  ] as const) {
    it(`orthogonal ${rows}×${cols}: WᵀW = I (or WWᵀ = I) times gain²`, () => {
      const gain = 1.5
      const W = orthogonal(rows, cols, createRng(2), gain)
      const k = Math.min(rows, cols)
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0
          if (rows >= cols)
            for (let r = 0; r < rows; r++) dot += W[r * cols + a]! * W[r * cols + b]!
          else for (let c = 0; c < cols; c++) dot += W[a * cols + c]! * W[b * cols + c]!
          expect(Math.abs(dot - (a === b ? gain * gain : 0))).toBeLessThan(1e-12)
        }
      }
    })
  }

  it('lsuv makes every affine output unit-variance on the batch', () => {
    const rng = createRng(4)
    const X: Mat<Float64Array> = { data: new Float64Array(200 * 30), rows: 200, cols: 30 }
    for (let i = 0; i < X.data.length; i++) X.data[i] = 3 * Math.sin(i) + 1 // some non-Gaussian data
    const net = buildNet(
      {
        inputSize: 30,
        hidden: [40, 40],
        classes: 5,
        activation: 'tanh',
        init: 'lsuv',
        bias: false
      },
      rng,
      'float64',
      X
    )
    let h: Mat = X
    for (let i = 0; i < net.layers.length; i++) {
      const r = layerForward(net, i, h)
      if (net.layers[i]!.type === 'affine')
        expect(Math.abs(summary(r.out.data).std ** 2 - 1)).toBeLessThan(0.01)
      h = r.out
    }
  })
})
