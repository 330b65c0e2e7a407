/**
 * A sequential net: a list of layer descriptors plus a record of named parameters.
 * Everything is plain data (descriptors, numbers, typed arrays), so a Net crosses worker
 * boundaries as is. Parameters are named in layer order: W1, b1, W2, … for the affine layers,
 * alpha1, alpha2, … for the PReLU layers (counted separately). Gradients use the same names with
 * a `d` prefix (dW1, db1, dalpha1), produced fresh by each backward pass.
 */
import {
  elementwiseBackward,
  elementwiseBackwardInto,
  elementwiseForward,
  elementwiseForwardInto,
  type ElementwiseActivation,
  type ElementwiseCache
} from './activations'
import {
  affineBackward,
  affineBackwardInto,
  affineForward,
  affineForwardInto,
  type AffineCache
} from './affine'
import {
  maxoutBackward,
  maxoutBackwardInto,
  maxoutForward,
  maxoutForwardInto,
  type MaxoutCache
} from './maxout'
import {
  preluBackward,
  preluBackwardInto,
  preluForward,
  preluForwardInto,
  type PreluCache
} from './prelu'
import { softmaxLoss, type LossResult } from './softmax-loss'
import { svmLoss } from './svm-loss'
import type { FloatArray, Mat } from './tensor'

export type LossName = 'softmax' | 'svm'

export type LayerSpec =
  | { type: 'affine'; fanIn: number; fanOut: number; W: string; b: string | null }
  | { type: 'prelu'; units: number; alpha: string }
  | { type: 'maxout'; pieces: number }
  | ElementwiseActivation

export interface Net<T extends FloatArray = FloatArray> {
  inputSize: number
  layers: LayerSpec[]
  /** Parameter name → flat values (W: fanIn × fanOut row-major; b, alpha: vectors). */
  params: Record<string, T>
  loss: LossName
  reg: number
}

export type LayerCache<T extends FloatArray = FloatArray> =
  | { type: 'affine'; cache: AffineCache<T> }
  | { type: 'prelu'; cache: PreluCache<T> }
  | { type: 'maxout'; cache: MaxoutCache<T> }
  | { type: 'elementwise'; cache: ElementwiseCache<T> }

export interface ParamInfo<T extends FloatArray = FloatArray> {
  name: string
  /** Index into net.layers of the layer that owns it. */
  layer: number
  kind: 'weight' | 'bias' | 'alpha'
  /** [fanIn, fanOut] for weights, [n] for vectors. */
  shape: number[]
  data: T
}

/** Gradient name for a parameter name: W1 → dW1. */
export function gradName(param: string): string {
  return `d${param}`
}

function param<T extends FloatArray>(net: Net<T>, name: string): T {
  const p = net.params[name]
  if (!p) throw new RangeError(`net has no parameter ${name}`)
  return p
}

/** The one way to reach a net's parameters: every parameter with its shape, in layer order. */
export function parameters<T extends FloatArray>(net: Net<T>): ParamInfo<T>[] {
  const out: ParamInfo<T>[] = []
  net.layers.forEach((l, i) => {
    if (l.type === 'affine') {
      out.push({
        name: l.W,
        layer: i,
        kind: 'weight',
        shape: [l.fanIn, l.fanOut],
        data: param(net, l.W)
      })
      if (l.b)
        out.push({ name: l.b, layer: i, kind: 'bias', shape: [l.fanOut], data: param(net, l.b) })
    } else if (l.type === 'prelu') {
      out.push({
        name: l.alpha,
        layer: i,
        kind: 'alpha',
        shape: [l.units],
        data: param(net, l.alpha)
      })
    }
  })
  return out
}

/**
 * Where a layer's forward writes: `out` (≥ rows × width, overwritten) and, for maxout, the
 * winners' indices. Absent: fresh arrays (the allocating layer API).
 */
export interface ForwardBuffers<T extends FloatArray = FloatArray> {
  out: T
  argmax: Int32Array | null
}

/**
 * Where a layer's backward writes: dx = ∂L/∂input (null: not computed — only an affine layer
 * may skip it, as layer 0 does when ∂L/∂X of the data is not needed) and the parameter gradients
 * by gradient name (the layer's own entries are overwritten). Absent: fresh arrays.
 */
export interface BackwardBuffers<T extends FloatArray = FloatArray> {
  dx: T | null
  grads: Record<string, T>
}

/**
 * Forward through layer `i`: out = layer_i(input), with its cache — the one dispatch over layer
 * types, into given buffers or fresh ones (the same arithmetic either way).
 */
export function layerForward<T extends FloatArray>(
  net: Net<T>,
  i: number,
  input: Mat<T>,
  bufs?: ForwardBuffers<T>
): { out: Mat<T>; cache: LayerCache<T> } {
  const l = net.layers[i]
  if (!l) throw new RangeError(`layer ${i} out of range`)
  switch (l.type) {
    case 'affine': {
      const W = { data: param(net, l.W), rows: l.fanIn, cols: l.fanOut }
      const b = l.b ? param(net, l.b) : null
      const r = bufs ? affineForwardInto(input, W, b, bufs.out) : affineForward(input, W, b)
      return { out: r.out, cache: { type: 'affine', cache: r.cache } }
    }
    case 'prelu': {
      const alpha = param(net, l.alpha)
      const r = bufs ? preluForwardInto(input, alpha, bufs.out) : preluForward(input, alpha)
      return { out: r.out, cache: { type: 'prelu', cache: r.cache } }
    }
    case 'maxout': {
      const r = bufs
        ? maxoutForwardInto(input, l.pieces, bufs.out, bufs.argmax!)
        : maxoutForward(input, l.pieces)
      return { out: r.out, cache: { type: 'maxout', cache: r.cache } }
    }
    default: {
      const r = bufs ? elementwiseForwardInto(l, input, bufs.out) : elementwiseForward(l, input)
      return { out: r.out, cache: { type: 'elementwise', cache: r.cache } }
    }
  }
}

/**
 * Backward through layer `i`: from dout = ∂L/∂out, returns dx = ∂L/∂input (null when `bufs`
 * asks an affine layer to skip it) and this layer's parameter gradients keyed by gradient name
 * (dW1, db1, dalpha1) — into given buffers or fresh ones.
 */
export function layerBackward<T extends FloatArray>(
  net: Net<T>,
  i: number,
  dout: Mat<T>,
  cache: LayerCache<T>,
  bufs?: BackwardBuffers<T>
): { dx: Mat<T> | null; grads: Record<string, T> } {
  const l = net.layers[i]
  if (!l) throw new RangeError(`layer ${i} out of range`)
  const need = (): T => {
    if (!bufs?.dx) throw new RangeError(`layer ${i} (${l.type}) needs a buffer for ∂L/∂input`)
    return bufs.dx
  }
  if (cache.type === 'affine' && l.type === 'affine') {
    const dW = gradName(l.W)
    const db = l.b ? gradName(l.b) : null
    if (!bufs) {
      const r = affineBackward(dout, cache.cache)
      const grads: Record<string, T> = { [dW]: r.dW }
      if (db && r.db) grads[db] = r.db
      return { dx: r.dx, grads }
    }
    const r = affineBackwardInto(dout, cache.cache, {
      dx: bufs.dx,
      dW: bufs.grads[dW]!,
      db: db ? bufs.grads[db]! : null
    })
    return { dx: r.dx, grads: bufs.grads }
  }
  if (cache.type === 'prelu' && l.type === 'prelu') {
    const da = gradName(l.alpha)
    if (!bufs) {
      const r = preluBackward(dout, cache.cache)
      return { dx: r.dx, grads: { [da]: r.dalpha } }
    }
    return {
      dx: preluBackwardInto(dout, cache.cache, need(), bufs.grads[da]!).dx,
      grads: bufs.grads
    }
  }
  if (cache.type === 'maxout') {
    const dx = bufs
      ? maxoutBackwardInto(dout, cache.cache, need()).dx
      : maxoutBackward(dout, cache.cache).dx
    return { dx, grads: bufs?.grads ?? {} }
  }
  if (cache.type === 'elementwise') {
    const dx = bufs
      ? elementwiseBackwardInto(dout, cache.cache, need()).dx
      : elementwiseBackward(dout, cache.cache).dx
    return { dx, grads: bufs?.grads ?? {} }
  }
  throw new TypeError(`layer ${i} (${l.type}) does not match its cache (${cache.type})`)
}

export interface ForwardResult<T extends FloatArray = FloatArray> {
  /** The last layer's output, N × classes. */
  scores: Mat<T>
  /** One cache per layer. */
  caches: LayerCache<T>[]
  /** outputs[i] = output of layer i (outputs[last] = scores). */
  outputs: Mat<T>[]
}

/** Between layers of a pass: e.g. progress or an abort check (throwing stops the pass). */
export type OnLayer = (i: number) => void

/**
 * The one forward loop: X → every layer in turn (buffers from `bufs(i)`, or fresh), calling
 * `onLayer` before each layer.
 */
export function forwardLayers<T extends FloatArray>(
  net: Net<T>,
  X: Mat<T>,
  bufs?: (i: number) => ForwardBuffers<T>,
  onLayer?: OnLayer
): ForwardResult<T> {
  let h = X
  const caches: LayerCache<T>[] = []
  const outputs: Mat<T>[] = []
  for (let i = 0; i < net.layers.length; i++) {
    onLayer?.(i)
    const r = layerForward(net, i, h, bufs?.(i))
    caches.push(r.cache)
    outputs.push(r.out)
    h = r.out
  }
  return { scores: h, caches, outputs }
}

/** Forward through the whole stack: X[N×inputSize] → scores[N×C]. */
export function netForward<T extends FloatArray>(net: Net<T>, X: Mat<T>): ForwardResult<T> {
  if (X.cols !== net.inputSize) {
    throw new RangeError(`netForward: X has ${X.cols} columns, the net expects ${net.inputSize}`)
  }
  return forwardLayers(net, X)
}

export interface BackwardResult<T extends FloatArray = FloatArray> {
  /** dW1, db1, dalpha1, … for every parameter (data gradients only: no regularization). */
  grads: Record<string, T>
  /** dInputs[i] = ∂L/∂(input of layer i); dInputs[0] = ∂L/∂X. */
  dInputs: Mat<T>[]
}

/**
 * The one backward loop: from dScores through every layer in reverse, with the caches of `fwd`
 * (buffers from `bufs(i)`, or fresh), calling `onLayer` before each layer. Stops early when a
 * layer returns no dx (layer 0's ∂L/∂X, when not asked for); dInputs has a hole there.
 */
export function backwardLayers<T extends FloatArray>(
  net: Net<T>,
  fwd: ForwardResult<T>,
  dScores: Mat<T>,
  bufs?: (i: number) => BackwardBuffers<T>,
  onLayer?: OnLayer
): BackwardResult<T> {
  const grads: Record<string, T> = {}
  const dInputs: Mat<T>[] = new Array<Mat<T>>(net.layers.length)
  let g = dScores
  for (let i = net.layers.length - 1; i >= 0; i--) {
    onLayer?.(i)
    const cache = fwd.caches[i]
    if (!cache) throw new RangeError(`backward: no cache for layer ${i}`)
    const r = layerBackward(net, i, g, cache, bufs?.(i))
    Object.assign(grads, r.grads)
    if (!r.dx) break
    dInputs[i] = r.dx
    g = r.dx
  }
  return { grads, dInputs }
}

/** Backward through the whole stack from dScores = ∂L/∂scores, using the caches of `fwd`. */
export function netBackward<T extends FloatArray>(
  net: Net<T>,
  dScores: Mat<T>,
  fwd: ForwardResult<T>
): BackwardResult<T> {
  return backwardLayers(net, fwd, dScores)
}

/** Data loss and ∂loss/∂scores for the net's loss function. */
export function dataLoss<T extends FloatArray>(
  loss: LossName,
  scores: Mat<T>,
  y: ArrayLike<number>
): LossResult<T> {
  return loss === 'svm' ? svmLoss(scores, y) : softmaxLoss(scores, y)
}

/** L2 penalty reg·Σ_l ‖W_l‖² over affine weights (biases and PReLU α excluded). */
export function l2Penalty(net: Net, reg: number): number {
  let s = 0
  for (const p of parameters(net)) {
    if (p.kind !== 'weight') continue
    for (let i = 0; i < p.data.length; i++) s += p.data[i]! * p.data[i]!
  }
  return reg * s
}

/** Adds the penalty's gradient 2·reg·W to each weight's gradient in `grads` (nothing if reg = 0). */
export function addL2Gradient<T extends FloatArray>(
  net: Net<T>,
  grads: Record<string, T>,
  reg: number
): void {
  if (reg === 0) return
  // (2·reg)·W: the product as written left to right, hoisted out of the loop.
  const twoReg = 2 * reg
  for (const p of parameters(net)) {
    if (p.kind !== 'weight') continue
    const g = grads[gradName(p.name)]!
    const w = p.data
    for (let i = 0; i < g.length; i++) g[i]! += twoReg * w[i]!
  }
}

export interface LossAndGrads<T extends FloatArray = FloatArray> {
  loss: number
  dataLoss: number
  regLoss: number
  scores: Mat<T>
  /** dW1, db1, … including the regularization term 2·reg·W on weights. */
  grads: Record<string, T>
}

/**
 * Full objective and its gradients for X[N×D], labels y[N]:
 * loss = dataLoss(scores(X), y) + reg·Σ‖W‖², dW += 2·reg·W. `reg` defaults to net.reg.
 */
export function lossAndGrads<T extends FloatArray>(
  net: Net<T>,
  X: Mat<T>,
  y: ArrayLike<number>,
  reg: number = net.reg
): LossAndGrads<T> {
  const fwd = netForward(net, X)
  const d = dataLoss(net.loss, fwd.scores, y)
  const { grads } = netBackward(net, d.dScores, fwd)
  const regLoss = l2Penalty(net, reg)
  addL2Gradient(net, grads, reg)
  return { loss: d.loss + regLoss, dataLoss: d.loss, regLoss, scores: fwd.scores, grads }
}

/** Loss only (no backward): used by finite differences. */
export function lossOnly<T extends FloatArray>(
  net: Net<T>,
  X: Mat<T>,
  y: ArrayLike<number>,
  reg: number = net.reg
): number {
  const fwd = netForward(net, X)
  return dataLoss(net.loss, fwd.scores, y).loss + l2Penalty(net, reg)
}

/** Rows whose highest score is the label (ties to the lowest class index). */
export function countCorrect(scores: Mat, y: ArrayLike<number>): number {
  const { rows: N, cols: C } = scores
  let right = 0
  for (let i = 0; i < N; i++) {
    let best = 0
    for (let j = 1; j < C; j++) if (scores.data[i * C + j]! > scores.data[i * C + best]!) best = j
    if (best === y[i]) right++
  }
  return right
}

/** Fraction of rows whose highest score is the label (ties to the lowest class index). */
export function accuracy(scores: Mat, y: ArrayLike<number>): number {
  return scores.rows === 0 ? 0 : countCorrect(scores, y) / scores.rows
}

/** A deep copy of a net (parameters copied; descriptors are immutable data and shared). */
export function cloneNet<T extends FloatArray>(net: Net<T>): Net<T> {
  const params: Record<string, T> = {}
  for (const [k, v] of Object.entries(net.params)) params[k] = v.slice() as T
  return { ...net, layers: net.layers.slice(), params }
}
