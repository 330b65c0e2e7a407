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

/*
 * Jumping ahead. xoshiro128**'s state update is linear over GF(2) on its 128 state bits (xor,
 * shift, rotate): one step is a 128 × 128 bit matrix T, and n steps are Tⁿ. The powers T^(2^k)
 * are built once (each the square of the one before) and stored by columns (128 columns of 4
 * words); advancing by n applies the powers of n's set bits to the state, about 128 × 4 word
 * operations each. So a thread can start at any point of a stream without drawing what lies
 * before it, and draw exactly the numbers the one-thread stream has there.
 */
const JUMP_BITS = 53
const jumpPowers: Uint32Array[] = []

/** The state words after one xoshiro step from `s` (the output is not needed). */
function stepState(s: Uint32Array): void {
  const t = (s[1]! << 9) >>> 0
  s[2] = s[2]! ^ s[0]!
  s[3] = s[3]! ^ s[1]!
  s[1] = s[1]! ^ s[2]!
  s[0] = s[0]! ^ s[3]!
  s[2] = s[2]! ^ t
  s[3] = rotl(s[3]!, 11)
}

/** M·v for M by columns (column b = M·e_b, 4 words at 4b) and a 4-word vector v. */
function applyColumns(M: Uint32Array, v: Uint32Array, out: Uint32Array): void {
  let a = 0
  let b = 0
  let c = 0
  let d = 0
  for (let bit = 0; bit < 128; bit++) {
    if (((v[bit >>> 5]! >>> (bit & 31)) & 1) === 0) continue
    const o = 4 * bit
    a ^= M[o]!
    b ^= M[o + 1]!
    c ^= M[o + 2]!
    d ^= M[o + 3]!
  }
  out[0] = a >>> 0
  out[1] = b >>> 0
  out[2] = c >>> 0
  out[3] = d >>> 0
}

function jumpPower(k: number): Uint32Array {
  if (jumpPowers.length === 0) {
    const T = new Uint32Array(128 * 4)
    const e = new Uint32Array(4)
    for (let bit = 0; bit < 128; bit++) {
      e.fill(0)
      e[bit >>> 5] = (1 << (bit & 31)) >>> 0
      stepState(e)
      T.set(e, 4 * bit)
    }
    jumpPowers.push(T)
  }
  while (jumpPowers.length <= k) {
    const P = jumpPowers[jumpPowers.length - 1]!
    const P2 = new Uint32Array(128 * 4)
    const col = new Uint32Array(4)
    for (let bit = 0; bit < 128; bit++) {
      applyColumns(P, P.subarray(4 * bit, 4 * bit + 4), col)
      P2.set(col, 4 * bit)
    }
    jumpPowers.push(P2)
  }
  return jumpPowers[k]!
}

/**
 * Advances `rng`'s integer stream by `n` steps (0 ≤ n < 2^53), exactly as `n` calls of nextU32
 * would, in time logarithmic in n. A waiting Box–Muller spare is dropped.
 */
export function advance(rng: Rng, n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && n < 2 ** JUMP_BITS))
    throw new RangeError(`advance: n must be an integer in [0, 2^${JUMP_BITS}), got ${n}`)
  const v = Uint32Array.from(rng.s)
  const out = new Uint32Array(4)
  for (let k = 0; n > 0; k++, n = Math.floor(n / 2)) {
    if (n % 2 === 0) continue
    applyColumns(jumpPower(k), v, out)
    v.set(out)
  }
  rng.s = [v[0]!, v[1]!, v[2]!, v[3]!]
  rng.spare = null
}

/**
 * A generator positioned at normal draw `index` of the stream `createRng(seed)` makes with
 * normal(): draw `index` is the next normal() it returns. Every Box–Muller pair takes four
 * integer steps; an odd index starts inside a pair (its first variate is drawn and dropped).
 * Valid for a stream of normal draws only (uniform/randInt draws in between shift it).
 */
export function rngAtNormal(seed: number, index: number): Rng {
  const rng = createRng(seed)
  advance(rng, 4 * Math.floor(index / 2))
  if (index % 2 === 1) normal(rng)
  return rng
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
