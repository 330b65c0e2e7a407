/**
 * The cost of each activation: nanoseconds per element of the engine's own forward and backward
 * layer functions (the ones training runs, SIMD kernels where they exist), on N(0, 1) inputs,
 * median of repeats after a warm-up. Maxout is timed per output element (k inputs each).
 */
import { activationConfig, elementwiseOf, type ActivationName } from './build'
import { elementwiseBackwardInto, elementwiseForwardInto } from './activations'
import { maxoutBackwardInto, maxoutForwardInto } from './maxout'
import { preluBackwardInto, preluForwardInto } from './prelu'
import { createRng, fillNormal } from './rng'
import { alloc, type Dtype, type FloatArray, type Mat } from './tensor'

/** Activations whose forward pass calls exp (or erf), against the ones that only compare. */
export const EXP_BASED: readonly ActivationName[] = ['sigmoid', 'tanh', 'elu', 'selu', 'gelu']

export interface ActivationCostRow {
  activation: ActivationName
  /** 'exp' when f needs exp/erf, 'max' when it is a comparison (and a multiply). */
  family: 'exp' | 'max' | 'identity'
  forwardNs: number
  backwardNs: number
  /** Every timed repeat's ns per element (forward, backward), for the spread. */
  forwardRuns: number[]
  backwardRuns: number[]
}

export interface ActivationCostOptions {
  activations: readonly ActivationName[]
  /** Elements per pass (rows × 1000 columns). */
  elements: number
  repeats: number
  dtype: Dtype
  seed: number
  slope: number
  alpha: number
  preluAlpha: number
  pieces: number
  onProgress?: (fraction: number) => void
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Forward and backward of one activation as two closures over preallocated buffers. */
function passes(
  name: ActivationName,
  o: ActivationCostOptions,
  x: Mat,
  g: FloatArray
): { fwd: () => void; bwd: () => void } {
  const n = x.rows * x.cols
  const out = alloc(o.dtype, n)
  const dx = alloc(o.dtype, n)
  if (name === 'prelu') {
    const alpha = alloc(o.dtype, x.cols).fill(o.preluAlpha)
    const dalpha = alloc(o.dtype, x.cols)
    let cache = preluForwardInto(x, alpha, out).cache
    return {
      fwd: () => {
        cache = preluForwardInto(x, alpha, out).cache
      },
      bwd: () => {
        preluBackwardInto({ data: g, rows: x.rows, cols: x.cols }, cache, dx, dalpha)
      }
    }
  }
  if (name === 'maxout') {
    // k·D inputs → D outputs: the same number of outputs as the others.
    const k = o.pieces
    const wide: Mat = { data: alloc(o.dtype, n * k), rows: x.rows, cols: x.cols * k }
    fillNormal(createRng(o.seed + 1), wide.data)
    const argmax = new Int32Array(n)
    const dwide = alloc(o.dtype, n * k)
    let cache = maxoutForwardInto(wide, k, out, argmax).cache
    return {
      fwd: () => {
        cache = maxoutForwardInto(wide, k, out, argmax).cache
      },
      bwd: () => {
        maxoutBackwardInto({ data: g, rows: x.rows, cols: x.cols }, cache, dwide)
      }
    }
  }
  const act = elementwiseOf(
    activationConfig({ type: name, slope: o.slope, alpha: o.alpha, pieces: o.pieces })
  )!
  let cache = elementwiseForwardInto(act, x, out).cache
  return {
    fwd: () => {
      cache = elementwiseForwardInto(act, x, out).cache
    },
    bwd: () => {
      elementwiseBackwardInto({ data: g, rows: x.rows, cols: x.cols }, cache, dx)
    }
  }
}

/**
 * Times every activation in `o.activations`: one warm-up pass each way, then `repeats` timed
 * passes, interleaved across activations so a load change on the machine hits all of them.
 */
export function activationCost(o: ActivationCostOptions): ActivationCostRow[] {
  const cols = 1000
  const rows = Math.max(1, Math.round(o.elements / cols))
  const n = rows * cols
  const rng = createRng(o.seed)
  const x: Mat = { data: fillNormal(rng, alloc(o.dtype, n)), rows, cols }
  const g = fillNormal(rng, alloc(o.dtype, n))
  const all = o.activations.map((name) => ({ name, ...passes(name, o, x, g) }))
  for (const a of all) {
    a.fwd()
    a.bwd()
  }
  const fw = all.map(() => [] as number[])
  const bw = all.map(() => [] as number[])
  const now = (): number => performance.now()
  for (let r = 0; r < o.repeats; r++) {
    all.forEach((a, i) => {
      let t = now()
      a.fwd()
      fw[i]!.push(((now() - t) * 1e6) / n)
      t = now()
      a.bwd()
      bw[i]!.push(((now() - t) * 1e6) / n)
    })
    o.onProgress?.((r + 1) / o.repeats)
  }
  return all.map((a, i) => ({
    activation: a.name,
    family: a.name === 'linear' ? 'identity' : EXP_BASED.includes(a.name) ? 'exp' : 'max',
    forwardNs: median(fw[i]!),
    backwardNs: median(bw[i]!),
    forwardRuns: fw[i]!,
    backwardRuns: bw[i]!
  }))
}
