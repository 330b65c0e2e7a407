import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import {
  advance,
  createRng,
  fillNormal,
  nextU32,
  normal,
  randInt,
  rngAtNormal,
  uniform,
  type Rng
} from '../../../src-workers/nn/index'

function draws(seed: number): number[] {
  const rng = createRng(seed)
  const out: number[] = []
  for (let i = 0; i < 20; i++) out.push(nextU32(rng), uniform(rng), normal(rng))
  return out
}

/** xoshiro128** written out with BigInt arithmetic, as in the reference C code. */
function referenceXoshiro(s: bigint[], n: number): number[] {
  const M = 0xffffffffn
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    out.push(Number((rotl((s[1]! * 5n) & M, 7n) * 9n) & M))
    const t = (s[1]! << 9n) & M
    s[2] = s[2]! ^ s[0]!
    s[3] = s[3]! ^ s[1]!
    s[1] = s[1]! ^ s[2]!
    s[0] = s[0]! ^ s[3]!
    s[2] = s[2]! ^ t
    s[3] = rotl(s[3]!, 11n)
  }
  return out
}

describe('seeded RNG', () => {
  it('is xoshiro128** (checked against a BigInt transcription of the reference)', () => {
    const rng: Rng = { s: [1, 2, 3, 4], spare: null }
    const ours = Array.from({ length: 50 }, () => nextU32(rng))
    expect(ours).toEqual(referenceXoshiro([1n, 2n, 3n, 4n], 50))
    expect(ours[0]).toBe(11520) // rotl(2·5, 7)·9
  })

  it('gives the same numbers for the same seed, different ones for another seed', () => {
    expect(draws(42)).toEqual(draws(42))
    expect(draws(42)).not.toEqual(draws(43))
  })

  it('gives the same numbers in a worker thread', async () => {
    // A plain-JS entry that loads the TypeScript worker through tsx's API (a .ts entry given
    // directly to Worker is not transformed on Node 20).
    const url = JSON.stringify(new URL('./rng-worker.ts', import.meta.url).href)
    const worker = new Worker(`import('tsx/esm/api').then((m) => m.tsImport(${url}, ${url}))`, {
      eval: true,
      workerData: 7
    })
    const got = await new Promise<number[]>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    await worker.terminate()
    expect(got).toEqual(draws(7))
  })

  it('uniform and normal have the right moments (6σ sampling bands)', () => {
    const rng = createRng(1)
    const n = 200_000
    let su = 0
    let su2 = 0
    let outside = 0
    for (let i = 0; i < n; i++) {
      const u = uniform(rng)
      if (!(u >= 0 && u < 1)) outside++
      su += u
      su2 += u * u
    }
    expect(outside).toBe(0)
    // U(0,1): mean 1/2 (sd of the mean √(1/12/n)), E[u²] = 1/3 (sd √(4/45/n))
    expect(Math.abs(su / n - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / n))
    expect(Math.abs(su2 / n - 1 / 3)).toBeLessThan(6 * Math.sqrt(4 / 45 / n))
    const z = fillNormal(rng, new Float64Array(n))
    let m = 0
    let m2 = 0
    let m4 = 0
    for (const v of z) {
      m += v
      m2 += v * v
      m4 += v ** 4
    }
    // N(0,1): mean 0 (sd 1/√n), E z² = 1 (sd √(2/n)), E z⁴ = 3 (sd √(96/n))
    expect(Math.abs(m / n)).toBeLessThan(6 / Math.sqrt(n))
    expect(Math.abs(m2 / n - 1)).toBeLessThan(6 * Math.sqrt(2 / n))
    expect(Math.abs(m4 / n - 3)).toBeLessThan(6 * Math.sqrt(96 / n))
  })

  it('randInt is uniform over its range (chi-square within 6σ)', () => {
    const rng = createRng(3)
    const k = 7
    const n = 70_000
    const counts = new Array<number>(k).fill(0)
    for (let i = 0; i < n; i++) counts[randInt(rng, k)]!++
    const e = n / k
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0)
    // χ² with k − 1 = 6 dof: mean 6, sd √12
    expect(chi2).toBeLessThan(6 + 6 * Math.sqrt(12))
    expect(normal(rng)).not.toBe(normal(rng))
  })
})

describe('jumping ahead in the stream', () => {
  it('advance(n) leaves the state n nextU32 calls would, for n up to millions', () => {
    for (const seed of [1, 42, 2 ** 40 + 3]) {
      const walked = createRng(seed)
      let at = 0
      for (const n of [0, 1, 2, 3, 5, 31, 32, 33, 64, 1000, 65_537, 1_234_567, 4_000_001]) {
        for (; at < n; at++) nextU32(walked)
        const jumped = createRng(seed)
        advance(jumped, n)
        expect(jumped.s, `seed ${seed}, n ${n}`).toEqual(walked.s)
        expect(nextU32(jumped)).toBe(nextU32({ s: [...walked.s], spare: null }))
      }
    }
  })

  it('rngAtNormal(seed, i) draws normal i, i + 1, … of the stream, even and odd i', () => {
    const rng = createRng(9)
    const z = Array.from({ length: 41 }, () => normal(rng))
    for (const i of [0, 1, 2, 7, 20, 39]) {
      const at = rngAtNormal(9, i)
      expect([normal(at), normal(at)], `index ${i}`).toEqual([z[i], z[i + 1]])
    }
  })

  it('refuses a jump it cannot make exactly', () => {
    expect(() => advance(createRng(1), -1)).toThrow(RangeError)
    expect(() => advance(createRng(1), 1.5)).toThrow(RangeError)
    expect(() => advance(createRng(1), 2 ** 53)).toThrow(RangeError)
  })
})
