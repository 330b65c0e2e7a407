import { describe, expect, it } from 'vitest'
import { makeSynthetic, sanityChecks, summary } from '../../../src-workers/nn/index'
import { sanityConfig } from '../../helpers/configs'

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
    const r = sanityChecks(makeSynthetic(200, 3072, 10, 1), sanityConfig())
    expect(r.checks.map((c) => c.name)).toEqual([
      'initial-loss',
      'regularization-raises-loss',
      'overfit-small-subset'
    ])
    const [init, reg, fit] = r.checks
    expect(init.expected).toBeCloseTo(Math.log(10), 15)
    expect(Math.abs(init.value - init.expected)).toBeLessThan(1e-3)
    expect(reg.values.map((v) => v.reg)).toEqual([0, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000])
    expect(reg.convention).toBe('full')
    // loss(reg) = loss(0) + reg·ΣW², and ΣW² of N(0, 1e-4²) weights ≈ (3072·50 + 50·10)·1e-8.
    for (const v of reg.values)
      expect(v.loss - reg.values[0]!.loss).toBeCloseTo(v.reg * reg.sumW2, 10)
    const n = 3072 * 50 + 50 * 10
    // χ²: ΣW²/1e-8 has mean n and std √(2n); five std of room.
    expect(Math.abs(reg.sumW2 / 1e-8 - n)).toBeLessThan(5 * Math.sqrt(2 * n))
    expect(fit.examples).toBe(20)
    expect(fit.trainAcc).toBe(1)
    // Run to "zero cost": the loss went below the target, both epochs reported.
    expect(fit.targetLoss).toBe(0.01)
    expect(fit.maxEpochs).toBe(2000)
    expect(fit.finalLoss).toBeLessThan(0.01)
    expect(fit.epochsToTarget).toBe(fit.epochs)
    expect(fit.epochsToFullAccuracy).not.toBeNull()
    expect(fit.epochsToFullAccuracy!).toBeLessThanOrEqual(fit.epochs)
    expect(fit.curve[fit.epochs - 1]!.loss).toBeGreaterThanOrEqual(0.01)
    // The curve runs from init (epoch 0) to the last epoch and ends at the reported numbers.
    expect(fit.curve.map((p) => p.epoch)).toEqual(
      Array.from({ length: fit.epochs + 1 }, (_, i) => i)
    )
    expect(fit.curve.at(-1)).toEqual({ epoch: fit.epochs, loss: fit.finalLoss, trainAcc: 1 })
    expect(fit.curve[0]!.trainAcc).toBeLessThan(1)
    expect(r.pass).toBe(true)
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it("the lecture's ½·reg·ΣW² convention halves the penalty: reg 1e3 adds ≈ 0.77 (3.0686 − ln 10)", () => {
    const d = makeSynthetic(100, 3072, 10, 4)
    const full = sanityChecks(d, sanityConfig({ maxEpochs: 1 })).checks[1]
    const half = sanityChecks(d, sanityConfig({ maxEpochs: 1, regConvention: 'half' })).checks[1]
    expect(half.convention).toBe('half')
    expect(half.sumW2).toBe(full.sumW2)
    const rise = (c: typeof full): number => c.values.at(-1)!.loss - c.values[0]!.loss
    expect(rise(half)).toBeCloseTo(rise(full) / 2, 10)
    // ½·1e3·(3072·50 + 500)·1e-8 = 0.7705; the sampling std of ½·1e3·ΣW² is 0.5e3·1e-8·√(2n).
    const n = 3072 * 50 + 500
    expect(Math.abs(rise(half) - 0.5e3 * n * 1e-8)).toBeLessThan(
      5 * 0.5e3 * 1e-8 * Math.sqrt(2 * n)
    )
    // The lecture's 3.0686 − ln 10 = 0.7660 lies within that spread of ours.
    expect(Math.abs(rise(half) - (3.06859716482 - Math.log(10)))).toBeLessThan(0.02)
  })

  it('report the budget when the loss does not reach the target', () => {
    const r = sanityChecks(
      makeSynthetic(100, 3072, 10, 5),
      sanityConfig({ maxEpochs: 2, targetLoss: 1e-9 })
    )
    const fit = r.checks[2]
    expect(fit.epochs).toBe(2)
    expect(fit.epochsToTarget).toBeNull()
    expect(fit.pass).toBe(false)
    expect(fit.finalLoss).toBeGreaterThan(1e-9)
  })

  it('fail when the data cannot be overfit (identical inputs, different labels)', () => {
    const d = makeSynthetic(40, 50, 3, 2)
    for (let i = 1; i < d.n; i++) d.X.copyWithin(i * d.dim, 0, d.dim)
    d.y[0] = 0
    d.y[1] = 1
    const r = sanityChecks(d, sanityConfig({ maxEpochs: 30 }))
    expect(r.checks[2].pass).toBe(false)
    expect(r.checks[2].trainAcc).toBeLessThan(1)
    expect(r.pass).toBe(false)
  })

  it('fail the initial-loss check when "small" weights are not small for the data', () => {
    const d = makeSynthetic(50, 100, 5, 3)
    for (let i = 0; i < d.X.length; i++) d.X[i] = d.X[i]! * 1e5
    const r = sanityChecks(d, sanityConfig({ maxEpochs: 5 }))
    expect(r.checks[0].pass).toBe(false)
  })
})
