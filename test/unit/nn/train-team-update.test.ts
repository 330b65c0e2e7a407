/**
 * The 2-slice SGD update's WebAssembly kernel (wasm/assembly/update.ts), run on a team block that
 * is a shared wasm memory, against the TypeScript loop it replaces (train-team-update.ts sgd2):
 * the same bits for every element — finite values over 40 binades, ±0, ±∞, NaN, subnormals,
 * float32's extremes — with and without the penalty term and the kept sum, over chunks that
 * start and end off a 4-element boundary (NaNs compared as NaN, whatever their payload); and its
 * Σw² of a range of the weights against the TypeScript loop, bit for bit.
 */
import { describe, expect, it } from 'vitest'
import { buildNet, createRng, type Net } from '../../../src-workers/nn/index'
import { uniform } from '../../../src-workers/nn/rng'
import { adoptTeamMemory, createTrainTeam, teamMemory } from '../../../src-workers/nn/train-team'
import { touchTeamPages, views } from '../../../src-workers/nn/train-team-layout'
import { rangeSquares, sgd2 } from '../../../src-workers/nn/train-team-update'

const SPECIAL = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 3.4e38, -3.4e38, 1.2e-38, 1, -1]

/** Each element's bits, every NaN as one (its payload is the hardware's, not the arithmetic's). */
const bits = (x: Float32Array): number[] =>
  Array.from(new Uint32Array(x.slice().buffer), (u, i) => (Number.isNaN(x[i]) ? -1 : u))

function block(): SharedArrayBuffer {
  const net = buildNet(
    { inputSize: 37, hidden: [13], classes: 3, activation: { type: 'relu' }, init: 'he' },
    createRng(1),
    'float32'
  ) as Net
  return createTrainTeam(net, 2, 8)
}

describe('the 2-slice SGD update in WebAssembly on the team block', () => {
  it('the block is a shared wasm memory whose buffer it is; a helper adopts the same memory', () => {
    const team = block()
    const memory = teamMemory(team)
    expect(memory?.buffer).toBe(team)
    expect(adoptTeamMemory(memory!)).toBe(team)
    expect(views(team).sgd2).toBeTypeOf('function')
  })

  for (const [twoReg, lr, keep] of [
    [0, 0.3, false],
    [0, 1e-4, true],
    [0.5, 1e-4, false],
    [0.123456789, 0.7, true]
  ] as const) {
    it(`twoReg ${twoReg}, lr ${lr}, sum ${keep ? 'kept' : 'not kept'}: the bits of the TypeScript loop`, () => {
      const v = views(block())
      const kernel = v.sgd2!
      const P = v.params.length
      const rng = createRng(7)
      const draw = (): number =>
        uniform(rng) < 0.05
          ? SPECIAL[Math.floor(uniform(rng) * SPECIAL.length)]!
          : (uniform(rng) - 0.5) * 10 ** (uniform(rng) * 40 - 20)
      for (const a of [v.slot(0), v.slot(1), v.params]) for (let i = 0; i < P; i++) a[i] = draw()
      const w0 = v.params.slice()
      // The TypeScript loop on copies (it reads the slots of v, writes w and sum given to it).
      const wantW = w0.slice()
      const wantSum = new Float32Array(P)
      const a = 3
      const b = P - 2
      sgd2(v, a, b, keep ? wantSum.subarray(a, b) : null, twoReg, wantW.subarray(a, b), lr)
      v.sum.fill(0)
      kernel(
        v.at.slot(0) + 4 * a,
        v.at.slot(1) + 4 * a,
        v.at.params + 4 * a,
        keep ? v.at.sum + 4 * a : 0,
        b - a,
        twoReg,
        lr
      )
      expect(bits(v.params)).toEqual(bits(wantW))
      expect(bits(v.sum)).toEqual(bits(wantSum))
    })
  }

  it('Σw² of a range: the bits of the TypeScript loop (four running sums, the same order)', () => {
    const v = views(block())
    const kernel = v.sumSquares!
    const P = v.params.length
    const rng = createRng(9)
    for (let i = 0; i < P; i++) v.params[i] = (uniform(rng) - 0.5) * 10 ** (uniform(rng) * 16 - 8)
    for (const [a, b] of [
      [0, P],
      [3, P - 2],
      [5, 6],
      [1, 4],
      [7, 7 + 13]
    ] as const) {
      const want = rangeSquares(v.params, a, b)
      expect(Object.is(kernel(v.at.params + 4 * a, b - a), want), `[${a}, ${b})`).toBe(true)
    }
    v.params[10] = Infinity
    expect(kernel(v.at.params, P)).toBe(Infinity)
    v.params[11] = NaN
    expect(kernel(v.at.params, P)).toBeNaN()
  })
})

describe('touchTeamPages (a joining helper maps the block before its first step)', () => {
  it('changes no byte of the block, header included', () => {
    const team = block()
    const bytes = new Uint8Array(team)
    const rng = createRng(3)
    const v = views(team)
    // Every hot range (and what lies between) holds data, as in the middle of a run.
    const end = v.hot.at(-1)![1]
    for (let i = 64; i < end; i++) bytes[i] = Math.floor(uniform(rng) * 256)
    const before = bytes.slice()
    touchTeamPages(team)
    expect(bytes).toEqual(before)
  })
})
