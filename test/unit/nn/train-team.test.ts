/**
 * Data-parallel steps against the single-thread step: a minibatch cut into slices whose losses
 * and dScores are divided by the whole batch's rows, the slices' gradients summed in order, is
 * the whole batch's gradient — in float64 to 1e-12 relative (every layer family, both losses,
 * slices of unequal and empty sizes), and in float32 within the summation-order error of the
 * trainer's own slice code (teamStep with no helpers: the leader computes every slice). Whole
 * runs: the same seed and slices give the same bits; slices 2 learns as slices 1 does.
 */
import { describe, expect, it } from 'vitest'
import {
  buildNet,
  createRng,
  fillNormal,
  lossAndGrads,
  randLabels,
  type ActivationConfig,
  type LossName,
  type Net
} from '../../../src-workers/nn/index'
import { createEvaluator } from '../../../src-workers/nn/train-eval'
import { localStep } from '../../../src-workers/nn/train-step'
import {
  createTrainTeam,
  largestSlice,
  sliceRows,
  teamStep
} from '../../../src-workers/nn/train-team'
import { trainNet } from '../../../src-workers/nn/trainer'
import { trainOptions } from '../../helpers/configs'
import {
  createWorkspace,
  freeWorkspace,
  workspaceBackward,
  workspaceForward,
  workspaceLoss
} from '../../../src-workers/nn/workspace'
import { splitsOf, type PinCase } from './trainer-pin.cases'

const D = 10
const configs: [string, ActivationConfig, LossName][] = [
  ['relu + softmax', { type: 'relu' }, 'softmax'],
  ['tanh + svm', { type: 'tanh' }, 'svm'],
  ['prelu + softmax', { type: 'prelu' }, 'softmax'],
  ['maxout + svm', { type: 'maxout', pieces: 3 }, 'svm'],
  ['elu + softmax', { type: 'elu' }, 'softmax']
]

const relError = (a: number, b: number) =>
  Math.abs(a - b) / Math.max(1e-300, Math.abs(a) + Math.abs(b))

describe('slices cut by rows, divided by the whole batch, summed in order', () => {
  it('cuts every row into exactly one slice, in order, sizes within one of each other', () => {
    for (const m of [1, 2, 5, 7, 200])
      for (const S of [1, 2, 3, 4, 8]) {
        const rows: number[] = []
        for (let s = 0; s < S; s++) {
          const [lo, hi] = sliceRows(m, S, s)
          for (let r = lo; r < hi; r++) rows.push(r)
        }
        expect(rows).toEqual(Array.from({ length: m }, (_, i) => i))
        expect(largestSlice(m, S)).toBe(Math.max(1, Math.ceil(m / S)))
      }
  })

  for (const [name, activation, loss] of configs) {
    it(`float64 ${name}: Σ slice gradients = the batch gradient to 1e-12`, () => {
      const rng = createRng(11)
      const net = buildNet(
        { inputSize: D, hidden: [9, 7], classes: 4, activation, init: 'he', loss },
        rng,
        'float64'
      ) as Net<Float64Array>
      const m = 11
      const X = fillNormal(rng, new Float64Array(m * D))
      const y = randLabels(rng, m, 4)
      const ref = lossAndGrads(net, { data: X, rows: m, cols: D }, y, 0)
      for (const S of [2, 3, 12]) {
        const ws = createWorkspace(net, largestSlice(m, S))
        const sum: Record<string, Float64Array> = {}
        let lossSum = 0
        for (let s = 0; s < S; s++) {
          const [lo, hi] = sliceRows(m, S, s)
          if (hi === lo) continue
          ws.X.set(X.subarray(lo * D, hi * D))
          const fwd = workspaceForward(net, ws, hi - lo)
          const l = workspaceLoss(net.loss, ws, fwd.scores, y.subarray(lo, hi), m)
          lossSum += l.loss
          const g = workspaceBackward(net, ws, fwd, l.dScores)
          for (const [k, v] of Object.entries(g)) {
            const acc = (sum[k] ??= new Float64Array(v.length))
            for (let i = 0; i < v.length; i++) acc[i]! += v[i]!
          }
        }
        freeWorkspace(ws)
        expect(relError(lossSum, ref.dataLoss)).toBeLessThan(1e-12)
        expect(Object.keys(sum).sort()).toEqual(Object.keys(ref.grads).sort())
        for (const [k, want] of Object.entries(ref.grads)) {
          const got = sum[k]!
          let worst = 0
          let scale = 0
          for (let i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(got[i]! - want[i]!))
            scale = Math.max(scale, Math.abs(want[i]!))
          }
          expect(worst / scale, `${k} with ${S} slices`).toBeLessThan(1e-12)
        }
      }
    })
  }
})

const pin: PinCase = {
  n: 150,
  val: 30,
  test: 40,
  dim: 48,
  classes: 5,
  dataSeed: 3,
  opts: trainOptions({
    hidden: [20, 16],
    activation: 'relu',
    init: 'he',
    optimizer: 'momentum',
    lr: 0.02,
    momentum: 0.9,
    reg: 1e-3,
    epochs: 4,
    batch: 32,
    statsEvery: 3,
    seed: 5
  })
}

describe('teamStep (float32) against localStep', () => {
  it('gives the batch loss, block std, gradient norms and SGD update within the summation-order error', () => {
    const data = splitsOf(pin)
    const build = () =>
      buildNet(
        {
          inputSize: pin.dim,
          hidden: [20, 16],
          classes: 5,
          activation: { type: 'tanh' },
          init: 'xavier'
        },
        createRng(2),
        'float32'
      ) as Net<Float32Array>
    const netLocal = build()
    const netTeam = build()
    const before = Object.fromEntries(
      Object.entries(netLocal.params).map(([k, v]) => [k, v.slice()])
    )
    const B = 32
    const idx = Int32Array.from({ length: B }, (_, i) => (i * 7) % pin.n)
    const wsLocal = createWorkspace(netLocal, B)
    const localSrc = localStep(netLocal, data, wsLocal, 1e-3)
    const local = localSrc.step(idx, true)
    const S = 3
    const wsTeam = createWorkspace(netTeam, largestSlice(B, S))
    const teamSrc = teamStep(
      createTrainTeam(netTeam, S, B),
      { net: netTeam, ws: wsTeam, data, leader: true },
      1e-3
    )
    const got = teamSrc.step(idx, true)
    if (!local.ok || !got.ok) throw new Error('diverged')
    // float32 sums of 32 terms: a few ulps of the largest term, relative to the gradient's scale.
    expect(relError(got.loss, local.loss)).toBeLessThan(1e-6)
    got.actStd!.forEach((s, b) => expect(relError(s, local.actStd![b]!)).toBeLessThan(1e-6))
    const sgd = { name: 'sgd' as const, lr: 1 }
    const normsLocal = localSrc.update(sgd, true)!
    const normsTeam = teamSrc.update(sgd, true)!
    normsTeam.forEach((n, l) => expect(relError(n, normsLocal[l]!)).toBeLessThan(1e-5))
    // lr 1: w' − w = −(gradient + 2·reg·W), element by element.
    for (const [k, w0] of Object.entries(before)) {
      const a = netLocal.params[k]!
      const b = netTeam.params[k]!
      let worst = 0
      let scale = 0
      for (let i = 0; i < w0.length; i++) {
        worst = Math.max(worst, Math.abs(a[i]! - w0[i]! - (b[i]! - w0[i]!)))
        scale = Math.max(scale, Math.abs(a[i]! - w0[i]!))
      }
      expect(worst / scale, k).toBeLessThan(B * 2 ** -23 + (4 * 2 ** -24 * 1) / scale)
    }
    freeWorkspace(wsLocal)
    freeWorkspace(wsTeam)
  })
})

describe('teamStep update on 2 slices (its own one-pass loop)', () => {
  for (const reg of [0, 1e-2]) {
    it(`reg ${reg}: the same bits as the float32 sum slot₀ + slot₁, + 2·reg·W, then w − lr·g; penalty = reg·Σw²`, () => {
      const data = splitsOf(pin)
      const net = buildNet(
        {
          inputSize: pin.dim,
          hidden: [20, 16],
          classes: 5,
          activation: { type: 'relu' },
          init: 'he'
        },
        createRng(4),
        'float32'
      ) as Net<Float32Array>
      const before = Object.fromEntries(Object.entries(net.params).map(([k, v]) => [k, v.slice()]))
      const B = 31
      const S = 2
      const idx = Int32Array.from({ length: B }, (_, i) => (i * 5 + 3) % pin.n)
      // Each slice's gradient as the team computes it (loss and dScores divided by B).
      const ws = createWorkspace(net, largestSlice(B, S))
      const slots: Record<string, Float32Array>[] = []
      for (let s = 0; s < S; s++) {
        const [lo, hi] = sliceRows(B, S, s)
        const y = new Int32Array(hi - lo)
        data.gather('train', idx.subarray(lo, hi), ws.X.subarray(0, (hi - lo) * pin.dim), y)
        const fwd = workspaceForward(net, ws, hi - lo)
        const l = workspaceLoss(net.loss, ws, fwd.scores, y, B)
        const g = workspaceBackward(net, ws, fwd, l.dScores)
        slots.push(Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v.slice()])))
      }
      let sumSq = 0
      const weights = new Set(net.layers.flatMap((l) => (l.type === 'affine' ? [l.W] : [])))
      for (const [k, w] of Object.entries(before))
        if (weights.has(k)) for (const x of w) sumSq += x * x
      const team = teamStep(createTrainTeam(net, S, B), { net, ws, data, leader: true }, reg)
      const got = team.step(idx, false)
      if (!got.ok) throw new Error('diverged')
      expect(relError(got.penalty, reg * sumSq)).toBeLessThanOrEqual(1e-15)
      const lr = 0.3
      team.update({ name: 'sgd', lr }, false)
      for (const [k, w0] of Object.entries(before)) {
        const g = slots[0]![`d${k}`]!.slice()
        const g1 = slots[1]![`d${k}`]!
        for (let i = 0; i < g.length; i++) g[i]! += g1[i]!
        if (reg !== 0 && weights.has(k))
          for (let i = 0; i < g.length; i++) g[i]! += 2 * reg * w0[i]!
        const want = w0.slice()
        for (let i = 0; i < want.length; i++) want[i]! -= lr * g[i]!
        expect(net.params[k], k).toEqual(want)
      }
      freeWorkspace(ws)
    })
  }
})

describe('teamStep evaluate (accuracy on the team)', () => {
  const build = () =>
    buildNet(
      {
        inputSize: pin.dim,
        hidden: [20, 16],
        classes: 5,
        activation: { type: 'relu' },
        init: 'he'
      },
      createRng(9),
      'float32'
    ) as Net<Float32Array>

  it("gives the one-thread evaluator's accuracy on every split, over several rounds", () => {
    const data = splitsOf(pin)
    const net = build()
    const evalWs = createWorkspace(net, 500, { backward: false })
    const one = createEvaluator(net, data, evalWs)
    // 3 slices of 11 rows' workspaces: rounds of 768 rows, chunks of 11 within a slice
    const ws = createWorkspace(net, largestSlice(32, 3))
    const team = teamStep(createTrainTeam(net, 3, 32), { net, ws, data, leader: true }, 0)
    const idx = Int32Array.from({ length: 1700 }, (_, i) => (i * 7 + 3) % pin.n)
    for (const [split, rows] of [
      ['train', idx],
      ['train', idx.subarray(0, 5)],
      ['val', pin.val],
      ['test', pin.test]
    ] as const) {
      const want = one(split, rows)
      const got = team.evaluate(split, rows)
      expect(got, split).toEqual(want)
      if (!got.ok) throw new Error('diverged')
      // a real accuracy (not 0 or 1 by accident): the counts were added
      if (typeof rows !== 'number' && rows.length > 100) expect(got.acc).toBeGreaterThan(0)
    }
    expect(team.evaluate('train', [])).toEqual({ ok: true, acc: 0 })
    freeWorkspace(ws)
    freeWorkspace(evalWs)
  })

  it('reports the same divergence as the one-thread evaluator when a weight is NaN', () => {
    const data = splitsOf(pin)
    const net = build()
    const evalWs = createWorkspace(net, 500, { backward: false })
    const ws = createWorkspace(net, largestSlice(32, 2))
    const team = teamStep(createTrainTeam(net, 2, 32), { net, ws, data, leader: true }, 0)
    net.params.W2![5] = NaN
    const want = createEvaluator(net, data, evalWs)('val', pin.val)
    expect(want.ok).toBe(false)
    expect(team.evaluate('val', pin.val)).toEqual(want)
    freeWorkspace(ws)
    freeWorkspace(evalWs)
  })
})

describe('trainNet with slices', () => {
  const run = (slices: number, seed = pin.opts.seed): ReturnType<typeof trainNet> =>
    trainNet(splitsOf(pin), { ...pin.opts, seed, slices })

  it('the same seed and slices give the same bits; the result says its workers', () => {
    const a = run(2)
    const b = run(2)
    expect(a.workers).toBe(2)
    expect(a.status).toBe('completed')
    expect(b.losses).toEqual(a.losses)
    expect(b.stats).toEqual(a.stats)
    expect(b.history.map(({ seconds: _s, ...h }) => h)).toEqual(
      a.history.map(({ seconds: _s, ...h }) => h)
    )
    expect(b.final).toEqual(a.final)
    expect(run(1).workers).toBe(1)
  })

  it('slices 2 follows slices 1: first losses equal to float32 rounding, same accuracy within noise', () => {
    const one = run(1)
    const two = run(2)
    expect(two.losses).toHaveLength(one.losses.length)
    // Before the first update the minibatch and weights are the same: only the sum order differs.
    expect(relError(two.losses[0]!, one.losses[0]!)).toBeLessThan(1e-6)
    for (let i = 0; i < 5; i++) expect(relError(two.losses[i]!, one.losses[i]!)).toBeLessThan(1e-4)
    if (one.status === 'diverged' || two.status === 'diverged') throw new Error('diverged')
    // 40 test examples: a binomial sd of at most 0.08 each; the two runs barely differ.
    expect(Math.abs(two.final.testAcc - one.final.testAcc)).toBeLessThan(0.1)
  })
})
