/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna) on 32-bit integers, its 128-bit
 * state filled by splitmix32 from the seed. Pure integer arithmetic (Math.imul, >>> 0), so the
 * same seed gives the same stream in any thread, process or JavaScript engine.
 *
 * The state is plain data (`{ s: number[4], spare }`), so a generator can cross a worker
 * boundary and resume where it left off.
 */
import type { FloatArray } from './tensor'

export interface Rng {
  /** xoshiro128** state words, unsigned 32-bit. */
  s: [number, number, number, number]
  /** Second Box–Muller variate waiting to be returned, or null. */
  spare: number | null
}

/** splitmix32 step: returns [next state, output]. Used only to spread the seed over 128 bits. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0
  let z = next
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
  return [next, (z ^ (z >>> 16)) >>> 0]
}

/** A generator seeded with an integer (any safe integer; the low 32 bits and high bits mix in). */
export function createRng(seed: number): Rng {
  let st = (seed >>> 0) ^ (Math.floor(seed / 4294967296) >>> 0)
  const s: [number, number, number, number] = [0, 0, 0, 0]
  for (let i = 0; i < 4; i++) {
    const [next, out] = splitmix32(st)
    st = next
    s[i] = out
  }
  // xoshiro's state must not be all zero; splitmix32 makes that practically impossible, but be sure.
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1
  return { s, spare: null }
}

/** Next raw 32-bit unsigned integer (xoshiro128**). Advances `rng`. */
export function nextU32(rng: Rng): number {
  const s = rng.s
  const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0
  const t = (s[1] << 9) >>> 0
  s[2] = (s[2] ^ s[0]) >>> 0
  s[3] = (s[3] ^ s[1]) >>> 0
  s[1] = (s[1] ^ s[2]) >>> 0
  s[0] = (s[0] ^ s[3]) >>> 0
  s[2] = (s[2] ^ t) >>> 0
  s[3] = rotl(s[3], 11)
  return result
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}

/** Uniform in [0, 1) with 53 random bits (two 32-bit draws). */
export function uniform(rng: Rng): number {
  const hi = nextU32(rng) >>> 5 // 27 bits
  const lo = nextU32(rng) >>> 6 // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992
}

/** Uniform integer in {0, …, n−1}, unbiased (rejection of the short top range). */
export function randInt(rng: Rng, n: number): number {
  if (!(n >= 1 && n <= 4294967296))
    throw new RangeError(`randInt: n must be in [1, 2^32], got ${n}`)
  const limit = 4294967296 - (4294967296 % n)
  for (;;) {
    const r = nextU32(rng)
    if (r < limit) return r % n
  }
}

/**
 * Standard normal N(0, 1) by the Box–Muller transform: from u1 ∈ (0, 1], u2 ∈ [0, 1),
 * r = √(−2 ln u1), z0 = r cos 2πu2, z1 = r sin 2πu2; z1 is kept for the next call.
 */
export function normal(rng: Rng): number {
  if (rng.spare !== null) {
    const z = rng.spare
    rng.spare = null
    return z
  }
  const u1 = 1 - uniform(rng) // (0, 1]: log never sees 0
  const u2 = uniform(rng)
  const r = Math.sqrt(-2 * Math.log(u1))
  rng.spare = r * Math.sin(2 * Math.PI * u2)
  return r * Math.cos(2 * Math.PI * u2)
}

/** Fills `out` with N(mean, std²) samples in index order and returns it. */
export function fillNormal<T extends FloatArray>(rng: Rng, out: T, std = 1, mean = 0): T {
  for (let i = 0; i < out.length; i++) out[i] = mean + std * normal(rng)
  return out
}

/** `n` labels drawn uniformly from {0, …, classes−1}. */
export function randLabels(rng: Rng, n: number, classes: number): Int32Array {
  const y = new Int32Array(n)
  for (let i = 0; i < n; i++) y[i] = randInt(rng, classes)
  return y
}
