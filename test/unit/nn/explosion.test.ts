/**
 * Divergence a user recognises: a loss that explodes while staying finite ends the run as
 * `exploded` (smoothed loss > K × the first), a NaN/Infinity as `non-finite`; K = 0 turns the
 * factor off. The watch is checked against a moving average written out here.
 */
import { describe, expect, it } from 'vitest'
import { createLossWatch, EXPLOSION_WINDOW } from '../../../src-workers/nn/explosion'
import { trainNet, type TrainOptions, type TrainSplits } from '../../../src-workers/nn/trainer'
import { trainOptions } from '../../helpers/configs'
import { splitsOf } from './trainer-pin.cases'

/** The first 1-based iteration whose trailing mean of `w` losses exceeds k × losses[0]. */
function firstCrossing(losses: number[], k: number, w: number): number | null {
  for (let i = 0; i < losses.length; i++) {
    const win = losses.slice(Math.max(0, i - w + 1), i + 1)
    const mean = win.reduce((a, b) => a + b, 0) / win.length
    if (mean > k * losses[0]!) return i + 1
  }
  return null
}

describe('createLossWatch', () => {
  it('fires at the first iteration whose moving average passes K × the first loss', () => {
    const losses = [2.3, 2.2, 2.5, 3, 5, 9, 14, 30, 80, 400]
    const watch = createLossWatch(4)
    let at: number | null = null
    losses.forEach((l, i) => {
      if (at === null && watch.observe(l)) at = i + 1
    })
    expect(at).toBe(firstCrossing(losses, 4, EXPLOSION_WINDOW))
    // (2.3+2.2+2.5+3+5)/5 = 3; … (5+9+14+30+80)/5 = 27.6 > 9.2 at iteration 9, but
    // (3+5+9+14+30)/5 = 12.2 > 9.2 already at iteration 8.
    expect(at).toBe(8)
  })

  it('a single spike is smoothed away; a falling loss never fires; K = 0 never fires', () => {
    const spike = createLossWatch(4)
    const seq = [2, 2, 2, 2, 2, 30, 2, 2, 2, 2] // mean with the spike: 7.6 < 8
    expect(seq.map((l) => spike.observe(l)).every((x) => x === null)).toBe(true)
    const falling = createLossWatch(4)
    for (let i = 0; i < 100; i++) expect(falling.observe(2.3 * Math.exp(-i / 20))).toBeNull()
    const off = createLossWatch(0)
    for (let i = 0; i < 30; i++) expect(off.observe(10 ** i)).toBeNull()
  })

  it('reports the smoothed loss, the first and their ratio', () => {
    const w = createLossWatch(2, 2)
    expect(w.observe(1)).toBeNull()
    expect(w.observe(2)).toBeNull() // mean 1.5
    expect(w.observe(6)).toEqual({ smoothed: 4, first: 1, ratio: 4 })
  })
})

const small = { n: 200, val: 40, test: 40, dim: 48, classes: 5, dataSeed: 3 }
const opts = (lr: number, divergeAbove?: number): TrainOptions =>
  trainOptions({
    hidden: [32],
    activation: 'relu',
    init: 'he',
    optimizer: 'sgd',
    lr,
    reg: 0,
    epochs: 5,
    batch: 20,
    statsEvery: 10,
    seed: 2,
    ...(divergeAbove === undefined ? {} : { divergeAbove })
  })

/** The same splits with every pixel multiplied by `scale`. */
function scaled(s: TrainSplits, scale: number): TrainSplits {
  return {
    ...s,
    gather(split, idx, X, y) {
      s.gather(split, idx, X, y)
      for (let i = 0; i < idx.length * s.dim; i++) X[i]! *= scale
    }
  }
}

describe('trainNet divergence', () => {
  it('a loss that explodes while finite ends "exploded" at the iteration the factor says', () => {
    const data = scaled(splitsOf({ ...small, opts: opts(1) }), 10)
    const off = trainNet(data, opts(0.5, 0))
    // Without the factor the run's loss climbs far above its start and may even end "completed".
    const firstOff = off.losses[0]!
    const expected = firstCrossing(off.losses.filter(Number.isFinite), 4, EXPLOSION_WINDOW)
    expect(expected).not.toBeNull()
    expect(Math.max(...off.losses.filter(Number.isFinite))).toBeGreaterThan(4 * firstOff)

    const r = trainNet(data, opts(0.5))
    expect(r.status).toBe('diverged')
    if (r.status !== 'diverged') return
    expect(r.divergence.reason).toBe('exploded')
    expect(r.divergence.iteration).toBe(expected)
    expect(r.iteration).toBe(expected)
    expect(r.losses).toEqual(off.losses.slice(0, expected!))
    expect(r.divergence.first).toBe(firstOff)
    expect(r.divergence.loss).toBeGreaterThan(4 * firstOff)
    expect(Number.isFinite(r.divergence.loss)).toBe(true)
    expect(r.divergence.layer).toBeUndefined()
    expect(r.divergence.factor).toBe(4)
    expect(r.message).toMatch(/rose to .*× its first value/)
    expect(r.final).toBeNull()
  })

  it('a larger K lets the same run go further before it is called diverged', () => {
    const data = scaled(splitsOf({ ...small, opts: opts(1) }), 10)
    const k4 = trainNet(data, opts(0.5, 4))
    const k50 = trainNet(data, opts(0.5, 50))
    expect(k4.status).toBe('diverged')
    if (k4.status !== 'diverged') return
    expect(k50.status !== 'diverged' || k50.iteration > k4.iteration).toBe(true)
  })

  it('a NaN in the inputs ends "non-finite" in layer block 1', () => {
    const clean = splitsOf({ ...small, opts: opts(1e-3) })
    // Training row 57 has a NaN pixel: the first minibatch that holds it blows up layer 1.
    const data: TrainSplits = {
      ...clean,
      gather(split, idx, X, y) {
        clean.gather(split, idx, X, y)
        if (split !== 'train') return
        for (let i = 0; i < idx.length; i++) if (idx[i] === 57) X[i * clean.dim + 5] = NaN
      }
    }
    const r = trainNet(data, opts(1e-3))
    expect(r.status).toBe('diverged')
    if (r.status !== 'diverged') return
    expect(r.divergence).toMatchObject({ reason: 'non-finite', layer: 1 })
    expect(r.divergence.iteration).toBeGreaterThanOrEqual(1)
    // Row 57 is in one of the first epoch's 10 minibatches of 20.
    expect(r.divergence.iteration).toBeLessThanOrEqual(10)
    expect(Number.isNaN(r.divergence.loss)).toBe(true)
    expect(r.losses).toHaveLength(r.divergence.iteration - 1)
    expect(r.losses.every(Number.isFinite)).toBe(true)
    if (r.losses.length) expect(r.divergence.first).toBe(r.losses[0])
  })

  it('a rate so large the loss overflows is non-finite even with the factor off', () => {
    const data = scaled(splitsOf({ ...small, opts: opts(1) }), 1e3)
    const r = trainNet(data, { ...opts(1e6, 0), epochs: 20 })
    expect(r.status).toBe('diverged')
    if (r.status !== 'diverged') return
    expect(r.divergence.reason).toBe('non-finite')
    expect(r.divergence.layer).toBeGreaterThan(0)
  })

  it('a healthy run completes', () => {
    const r = trainNet(splitsOf({ ...small, opts: opts(1e-2) }), opts(1e-2))
    expect(r.status).toBe('completed')
  })
})
