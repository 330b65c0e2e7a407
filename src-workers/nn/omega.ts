/**
 * The lecture's linear-net example of vanishing and exploding gradients: L layers
 * a^l = f(a^{l−1} W^l) with f the identity and every W^l = ωI (width × width, no bias). Then
 * δ^{l−1} = W^l δ^l, so δ^l = ω^{L−l} δ^L and in particular δ¹ = ω^{L−1}·δ^L.
 *
 * Measured here by the engine's own backward pass (affine + linear layers, netBackward) from
 * an upstream δ^L = G ~ randn(samples × width) on an input X ~ randn(samples × width); δ^l is
 * ∂E/∂a^l with E = Σ G ⊙ a^L. Reported per layer: ‖δ^l‖/‖δ^L‖ against ω^{L−l}, and
 * ‖∂E/∂W^l‖ = ‖(a^{l−1})ᵀ δ^l‖, which is ω^{l−1}·ω^{L−l} = ω^{L−1} times ‖Xᵀ G‖ at every layer.
 */
import type { OmegaLayer, OmegaResult } from '../../src-shared/results'
import { netBackward, netForward, type LayerSpec, type Net } from './net'
import { createRng, fillNormal } from './rng'
import { alloc, type Dtype, type FloatArray } from './tensor'

export interface OmegaOptions {
  layers: number
  width: number
  omegas: number[]
  samples: number
  seed: number
  dtype: Dtype
}

function norm(a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!
  return Math.sqrt(s)
}

/** The demonstration for each ω of `opts.omegas` (same X and G for all). */
export function omegaDemo(opts: OmegaOptions, onProgress?: (f: number) => void): OmegaResult {
  const { layers: L, width: n, samples: N, dtype } = opts
  const rng = createRng(opts.seed)
  const X = fillNormal(rng, alloc(dtype, N * n))
  const G = fillNormal(rng, alloc(dtype, N * n))
  // ‖Xᵀ G‖: the weight gradient of a one-layer identity net.
  const xtg = new Float64Array(n * n)
  for (let s = 0; s < N; s++)
    for (let i = 0; i < n; i++) {
      const xi = X[s * n + i]!
      for (let j = 0; j < n; j++) xtg[i * n + j]! += xi * G[s * n + j]!
    }
  const base = norm(xtg)
  const gNorm = norm(G)
  const series = opts.omegas.map((omega, k) => {
    const params: Record<string, FloatArray> = {}
    const specs: LayerSpec[] = []
    for (let l = 1; l <= L; l++) {
      const W = alloc(dtype, n * n)
      for (let i = 0; i < n; i++) W[i * n + i] = omega
      params[`W${l}`] = W
      specs.push({ type: 'affine', fanIn: n, fanOut: n, W: `W${l}`, b: null })
      specs.push({ type: 'linear' })
    }
    const net: Net = { inputSize: n, layers: specs, params, loss: 'softmax', reg: 0 }
    const fwd = netForward(net, { data: X, rows: N, cols: n })
    const back = netBackward(net, { data: G, rows: N, cols: n }, fwd)
    const out: OmegaLayer[] = []
    let maxRel = 0
    for (let l = 1; l <= L; l++) {
      // δ^l = ∂E/∂a^l: the gradient at the input of affine l+1 (layer index 2l), or G itself.
      const delta = l === L ? G : back.dInputs[2 * l]!.data
      const ratio = norm(delta) / gNorm
      const predicted = omega ** (L - l)
      const dWRatio = norm(back.grads[`dW${l}`]!) / base
      maxRel = Math.max(
        maxRel,
        Math.abs(ratio - predicted) / predicted,
        Math.abs(dWRatio - omega ** (L - 1)) / omega ** (L - 1)
      )
      out.push({ layer: l, ratio, predicted, dWRatio })
    }
    onProgress?.((k + 1) / opts.omegas.length)
    return {
      omega,
      layers: out,
      first: { ratio: out[0]!.ratio, predicted: omega ** (L - 1) },
      maxRelError: maxRel
    }
  })
  return { config: { ...opts, omegas: [...opts.omegas] }, series }
}
