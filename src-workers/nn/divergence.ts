/** Finding where a net blew up: the first layer whose output holds a NaN or ±Infinity. */
import { netForward, type ForwardResult, type Net } from './net'
import type { FloatArray, Mat } from './tensor'

export interface Divergence {
  /** 1-based index into net.layers of the first layer with a non-finite output; layers + 1 for the loss. */
  layer: number
  /** That layer's type ('affine', 'relu', …), or 'loss'. */
  type: string
  /** How many non-finite entries that layer produced (0 for 'loss'). */
  count: number
}

/** Number of NaN/±Infinity entries in `a`. */
export function countNonFinite(a: ArrayLike<number>): number {
  let n = 0
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) n++
  return n
}

/**
 * The first layer of a finished forward pass whose output is not all finite; if every output is
 * finite but `loss` is given and not finite, the loss itself; otherwise null.
 */
export function firstNonFinite(net: Net, fwd: ForwardResult, loss?: number): Divergence | null {
  for (let i = 0; i < fwd.outputs.length; i++) {
    const count = countNonFinite(fwd.outputs[i]!.data)
    if (count > 0) return { layer: i + 1, type: net.layers[i]!.type, count }
  }
  if (loss !== undefined && !Number.isFinite(loss)) {
    return { layer: net.layers.length + 1, type: 'loss', count: 0 }
  }
  return null
}

/** Runs X[N×D] forward and reports the first non-finite layer, or null if all is finite. */
export function findDivergence<T extends FloatArray>(net: Net<T>, X: Mat<T>): Divergence | null {
  return firstNonFinite(net, netForward(net, X))
}
