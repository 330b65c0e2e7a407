import { describe, expect, it } from 'vitest'
import { makeSynthetic, sanityChecks, summary } from '../../../src-workers/nn/index'

describe('synthetic data', () => {
  it('is seeded, prefix-stable and has the documented moments', () => {
    const a = makeSynthetic(300, 3072, 10, 1)
    expect(a.X).toBeInstanceOf(Float32Array)
    // (byte comparison: vitest's deep equality is slow on 10⁶-element arrays)
    const bytes = (x: Float32Array): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength)
    const b = makeSynthetic(300, 3072, 10, 1)
    expect(bytes(b.X as Float32Array).equals(bytes(a.X as Float32Array))).toBe(true)
    expect(Array.from(b.y)).toEqual(Array.from(a.y))
    const prefix = makeSynthetic(100, 3072, 10, 1).X as Float32Array
    expect(bytes(prefix).equals(bytes((a.X as Float32Array).subarray(0, 100 * 3072)))).toBe(true)
    expect(bytes(makeSynthetic(100, 3072, 10, 2).X as Float32Array).equals(bytes(prefix))).toBe(
      false
    )
    expect(a.y.every((c) => c >= 0 && c < 10)).toBe(true)
    // entries are μ + N(0,1) with μ ~ N(0, 9/3072): variance 1 + 9/3072; mean ≈ 0
    const s = summary(a.X)
    expect(Math.abs(s.std - Math.sqrt(1 + 9 / 3072))).toBeLessThan(0.01)
    expect(Math.abs(s.mean)).toBeLessThan(0.01)
  })
})

describe('sanity checks', () => {
  it('pass on synthetic data, with the CLI.md shape', () => {
    const r = sanityChecks(makeSynthetic(200, 3072, 10, 1))
    expect(r.checks.map((c) => c.name)).toEqual([
      'initial-loss',
      'regularization-raises-loss',
      'overfit-small-subset'
    ])
    const [init, reg, fit] = r.checks
    expect(init.expected).toBeCloseTo(Math.log(10), 15)
    expect(Math.abs(init.value - init.expected)).toBeLessThan(1e-3)
    expect(reg.values.map((v) => v.reg)).toEqual([0, 1e-3, 1e-2, 1e-1, 1, 10])
    expect(fit.examples).toBe(20)
    expect(fit.trainAcc).toBe(1)
    // The curve runs from init (epoch 0) to the last epoch and ends at the reported numbers.
    expect(fit.curve.map((p) => p.epoch)).toEqual(
      Array.from({ length: fit.epochs + 1 }, (_, i) => i)
    )
    expect(fit.curve.at(-1)).toEqual({ epoch: fit.epochs, loss: fit.finalLoss, trainAcc: 1 })
    expect(fit.curve[0]!.trainAcc).toBeLessThan(1)
    expect(r.pass).toBe(true)
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('fail when the data cannot be overfit (identical inputs, different labels)', () => {
    const d = makeSynthetic(40, 50, 3, 2)
    for (let i = 1; i < d.n; i++) d.X.copyWithin(i * d.dim, 0, d.dim)
    d.y[0] = 0
    d.y[1] = 1
    const r = sanityChecks(d, { maxEpochs: 30 })
    expect(r.checks[2].pass).toBe(false)
    expect(r.checks[2].trainAcc).toBeLessThan(1)
    expect(r.pass).toBe(false)
  })

  it('fail the initial-loss check when "small" weights are not small for the data', () => {
    const d = makeSynthetic(50, 100, 5, 3)
    for (let i = 0; i < d.X.length; i++) d.X[i] = d.X[i]! * 1e5
    const r = sanityChecks(d, { maxEpochs: 5 })
    expect(r.checks[0].pass).toBe(false)
  })
})
