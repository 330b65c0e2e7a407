import { describe, expect, it } from 'vitest'
import { softmaxLoss, svmLoss, type Mat } from '../../../src-workers/nn/index'
import { eps, gaussians, lcg, numericGrad } from './fd'

const mat = (data: Float64Array, rows: number, cols: number): Mat<Float64Array> => ({
  data,
  rows,
  cols
})

describe('softmax cross-entropy', () => {
  it('of zero scores is ln C, with dScores = (1/C − onehot)/N', () => {
    for (const C of [2, 3, 10]) {
      const N = 4
      const y = [0, 1, C - 1, 1]
      const r = softmaxLoss(mat(new Float64Array(N * C), N, C), y)
      expect(r.loss).toBeCloseTo(Math.log(C), 15)
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < C; j++) {
          expect(r.dScores.data[i * C + j]).toBeCloseTo((1 / C - (j === y[i] ? 1 : 0)) / N, 15)
        }
      }
    }
  })

  it('matches −log p_y computed directly, and is stable for huge scores', () => {
    const s = Float64Array.from([1, 2, 3])
    const p = Math.exp(2) / (Math.exp(1) + Math.exp(2) + Math.exp(3))
    expect(softmaxLoss(mat(s, 1, 3), [1]).loss).toBeCloseTo(-Math.log(p), 14)
    // shifting all scores by 1000 changes nothing (a naive exp would overflow to NaN)
    const big = softmaxLoss(
      mat(
        s.map((v) => v + 1000),
        1,
        3
      ),
      [1]
    )
    expect(big.loss).toBeCloseTo(-Math.log(p), 12)
    expect(Number.isFinite(softmaxLoss(mat(Float64Array.from([1e4, -1e4]), 1, 2), [1]).loss)).toBe(
      true
    )
  })

  it('dScores matches centred differences; scores untouched', () => {
    const r = lcg(5)
    const s = mat(gaussians(6 * 4, r, 2), 6, 4)
    const y = [0, 3, 2, 1, 1, 0]
    const copy = s.data.slice()
    const g = softmaxLoss(s, y).dScores
    expect(
      eps(
        g.data,
        numericGrad(() => softmaxLoss(s, y).loss, s.data)
      )
    ).toBeLessThan(1e-7)
    expect(s.data).toEqual(copy)
  })

  it('rejects labels out of range', () => {
    expect(() => softmaxLoss(mat(new Float64Array(3), 1, 3), [3])).toThrow(/label 3/)
  })
})

describe('multiclass SVM hinge', () => {
  it('of zero scores is C − 1 (every margin is 1)', () => {
    expect(svmLoss(mat(new Float64Array(2 * 5), 2, 5), [0, 4]).loss).toBe(4)
  })

  it('matches the hand computation on a cs231n-style example', () => {
    // scores [3.2, 5.1, −1.7], y = 0: max(0, 5.1 − 3.2 + 1) + max(0, −1.7 − 3.2 + 1) = 2.9
    expect(svmLoss(mat(Float64Array.from([3.2, 5.1, -1.7]), 1, 3), [0]).loss).toBeCloseTo(2.9, 14)
  })

  it('dScores matches centred differences away from margin 0; scores untouched', () => {
    const r = lcg(9)
    const s = mat(gaussians(8 * 5, r, 1.5), 8, 5)
    const y = [0, 1, 2, 3, 4, 0, 1, 2]
    // keep every margin at least 0.01 away from 0
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 5; j++) {
        const m = s.data[i * 5 + j]! - s.data[i * 5 + y[i]!]! + 1
        if (j !== y[i] && Math.abs(m) < 0.01) s.data[i * 5 + j]! += 0.05
      }
    }
    const copy = s.data.slice()
    const g = svmLoss(s, y).dScores
    expect(
      eps(
        g.data,
        numericGrad(() => svmLoss(s, y).loss, s.data)
      )
    ).toBeLessThan(1e-7)
    expect(s.data).toEqual(copy)
  })
})
