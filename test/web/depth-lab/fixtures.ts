/** Depth results built by hand for the chart, explanation and store tests (known numbers). */
import type { DepthResult } from '../../../src-shared/results'

/** A tanh stack whose std shrinks by exactly `ratio` per layer, as N(0, σ) in its linear range. */
export function depthResult(
  o: { layers?: number; ratio?: number; activation?: string; init?: string; std?: number } = {}
): DepthResult {
  const L = o.layers ?? 3
  const ratio = o.ratio ?? 0.5
  return {
    config: {
      layers: L,
      width: 500,
      activation: o.activation ?? 'tanh',
      init: o.init ?? 'normal',
      std: o.std ?? 0.01,
      samples: 1000,
      inputWidth: 500,
      upstream: 'randn',
      bins: 4,
      seed: 1,
      bias: null,
      dtype: 'float32'
    },
    input: { mean: 0, std: 1 },
    layers: Array.from({ length: L }, (_, i) => ({
      layer: i + 1,
      mean: 0.001 * (i + 1),
      std: ratio ** (i + 1),
      preMean: 0,
      preStd: ratio ** (i + 1),
      saturated: i / 10,
      dead: i === L - 1 ? 0.25 : 0,
      hist: { edges: [-1, -0.5, 0, 0.5, 1], counts: [1, 3, 5, 1] },
      dW: { mean: 0, std: 1e-5 * (i + 1), norm: 1e-3 * (i + 1) },
      dX: { mean: 0, std: 10 ** (i - L), norm: 10 ** (i - L + 2) }
    })),
    loss: 1
  }
}
