/**
 * Layer-sequential unit-variance initialization (Mishkin & Matas 2015, "All you need is a good
 * init"): start from orthogonal weights, then for each affine layer in order, run the data batch
 * forward and divide W by √Var(affine output) until |Var − 1| < tol (or maxIter rounds).
 * Variance is over all entries of the layer's output, as in the paper.
 */
import { layerForward, type Net } from './net'
import { summary } from './stats'
import type { FloatArray, Mat } from './tensor'

export interface LsuvOptions {
  /** Accepted |Var − 1| (default 0.01; the paper uses 0.1). */
  tol?: number
  /** Rescaling rounds per layer (default 10). */
  maxIter?: number
}

/**
 * Rescales every affine W of `net` in place so that, on batch X[N×inputSize], each affine
 * output has unit variance given the (already rescaled) layers before it. Returns the final
 * variance per affine layer. Biases are left alone. A layer whose output is constant is skipped.
 */
export function lsuvInit<T extends FloatArray>(
  net: Net<T>,
  X: Mat,
  opts: LsuvOptions = {}
): number[] {
  const tol = opts.tol ?? 0.01
  const maxIter = opts.maxIter ?? 10
  let h = X as Mat<T>
  const variances: number[] = []
  for (let i = 0; i < net.layers.length; i++) {
    const l = net.layers[i]!
    let r = layerForward(net, i, h)
    if (l.type === 'affine') {
      const W = net.params[l.W]!
      let v = summary(r.out.data).std ** 2
      for (
        let it = 0;
        it < maxIter && Math.abs(v - 1) >= tol && v > 0 && Number.isFinite(v);
        it++
      ) {
        const s = 1 / Math.sqrt(v)
        for (let k = 0; k < W.length; k++) W[k]! *= s
        r = layerForward(net, i, h)
        v = summary(r.out.data).std ** 2
      }
      variances.push(v)
    }
    h = r.out
  }
  return variances
}
