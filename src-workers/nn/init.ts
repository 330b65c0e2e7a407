/**
 * Weight initializations by name. Each takes the seeded RNG explicitly and fills a fanIn × fanOut
 * matrix (row-major, out = x·W) in index order, so a seed fixes the weights.
 *
 * | name       | W_ij                                                    |
 * |------------|---------------------------------------------------------|
 * | zeros      | 0                                                       |
 * | normal     | N(0, std²), std default 0.01 ("small random numbers")   |
 * | xavier     | N(0, 1/fanIn)                                           |
 * | glorot     | N(0, 2/(fanIn + fanOut))                                |
 * | he         | N(0, 2/fanIn)                                           |
 * | orthogonal | gain · Q, Q from the QR of a Gaussian matrix (Saxe 2013)|
 * | lsuv       | orthogonal here; lsuv.ts then rescales on a data batch  |
 * | constant   | std for every entry: all units equal (symmetry never breaks) |
 */
import { INITS } from '../../src-shared/experiments'
import { fillNormal, normal, type Rng } from './rng'
import { alloc, type Dtype, type FloatArray } from './tensor'

// The names are the contract's (src-shared/experiments).
export type InitName = (typeof INITS)[number]
export const INIT_NAMES: readonly InitName[] = INITS

/** An initialization: a bare name, or a name with its std (normal) or gain (orthogonal, lsuv). */
export type InitSpec = InitName | { name: InitName; std?: number; gain?: number }

/** The contract's init (its name, std and gain, parsed) as an InitSpec. */
export function initOf(c: { init: InitName; std: number; gain?: number }): InitSpec {
  return { name: c.init, std: c.std, ...(c.gain === undefined ? {} : { gain: c.gain }) }
}

function normalized(spec: InitSpec): { name: InitName; std?: number; gain?: number } {
  return typeof spec === 'string' ? { name: spec } : spec
}

/** The std a Gaussian rule draws with, or null for zeros / orthogonal / lsuv. */
export function initStd(spec: InitSpec, fanIn: number, fanOut: number): number | null {
  const s = normalized(spec)
  switch (s.name) {
    case 'zeros':
      return 0
    case 'normal':
      return s.std ?? 0.01
    case 'xavier':
      return 1 / Math.sqrt(fanIn)
    case 'glorot':
      return Math.sqrt(2 / (fanIn + fanOut))
    case 'he':
      return Math.sqrt(2 / fanIn)
    default:
      return null
  }
}

/**
 * A new fanIn × fanOut weight matrix drawn by `spec` from `rng`. For `lsuv` this is the
 * orthogonal starting point only; `lsuvInit` must then see data.
 */
export function initWeights(
  spec: InitSpec,
  fanIn: number,
  fanOut: number,
  rng: Rng,
  dtype: Dtype
): FloatArray {
  const W = alloc(dtype, fanIn * fanOut)
  if (normalized(spec).name === 'constant') return W.fill(normalized(spec).std ?? 0.01)
  const std = initStd(spec, fanIn, fanOut)
  if (std !== null) {
    if (std !== 0) fillNormal(rng, W, std)
    return W
  }
  const gain = normalized(spec).gain ?? 1
  W.set(orthogonal(fanIn, fanOut, rng, gain))
  return W
}

/**
 * A rows × cols matrix with orthonormal columns (rows ≥ cols) or rows (rows < cols), times gain:
 * draw G ~ N(0,1) of shape max × min, take its thin QR by modified Gram–Schmidt applied twice
 * ("twice is enough" for full double orthogonality), fix signs so diag R > 0 (which makes Q
 * Haar-distributed), and transpose when rows < cols. So WᵀW = gain²·I (or WWᵀ).
 */
export function orthogonal(rows: number, cols: number, rng: Rng, gain = 1): Float64Array {
  const tall = Math.max(rows, cols)
  const wide = Math.min(rows, cols)
  // Columns of G stored contiguously: q[c * tall + r].
  const q = new Float64Array(tall * wide)
  for (let r = 0; r < tall; r++) for (let c = 0; c < wide; c++) q[c * tall + r] = normal(rng)
  for (let c = 0; c < wide; c++) {
    const col = c * tall
    let rDiag = 0
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const prev = p * tall
        let dot = 0
        for (let r = 0; r < tall; r++) dot += q[prev + r]! * q[col + r]!
        for (let r = 0; r < tall; r++) q[col + r]! -= dot * q[prev + r]!
      }
      let norm = 0
      for (let r = 0; r < tall; r++) norm += q[col + r]! * q[col + r]!
      norm = Math.sqrt(norm)
      if (pass === 0) rDiag = norm
      for (let r = 0; r < tall; r++) q[col + r]! /= norm
    }
    // The sign of R's diagonal is positive by construction (norms), so no flip is needed: Gram–Schmidt
    // already yields the unique QR with diag R > 0. rDiag is kept only to reject a degenerate draw.
    if (!(rDiag > 0)) throw new RangeError('orthogonal: degenerate Gaussian draw')
  }
  const W = new Float64Array(rows * cols)
  for (let c = 0; c < wide; c++) {
    for (let r = 0; r < tall; r++) {
      const v = gain * q[c * tall + r]!
      if (rows >= cols) W[r * cols + c] = v
      else W[c * cols + r] = v
    }
  }
  return W
}
