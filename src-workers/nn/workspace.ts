/**
 * Buffer reuse for training loops: a workspace holds, for a net and a largest batch of `rows`,
 * every array one forward + backward pass writes (the input batch, each layer's output, each
 * layer's input gradient, dScores, the parameter gradients), allocated once on the wasm heap so
 * gemm reads and writes them in place (no staging copies), and reused every iteration. A smaller
 * batch (the last, partial one of an epoch) uses the leading rows of the same buffers.
 *
 * The arithmetic is the layer API's own (each `*Into` function is what the allocating
 * forward/backward calls), so a workspace pass gives the same bits as netForward/netBackward.
 * What a pass returns (outputs, caches, gradients) are views on the workspace: they are
 * overwritten by the next pass on it. The input batch `X` is also a cache entry of the first
 * layer, so it must not change between a forward and its backward.
 *
 * Free a workspace with freeWorkspace (wasm-heap arrays are not garbage collected).
 */
import { allocWasmLike, freeWasm } from '../linalg/gemm'
import {
  backwardLayers,
  forwardLayers,
  gradName,
  type ForwardResult,
  type LossName,
  type Net,
  type OnLayer
} from './net'
import { softmaxLossInto, type LossResult } from './softmax-loss'
import { svmLossInto } from './svm-loss'
import type { FloatArray, Mat } from './tensor'

export interface NetWorkspace<T extends FloatArray = FloatArray> {
  /** The largest batch the buffers hold. */
  rows: number
  /** Input batch, rows × inputSize: gather the data straight into it. */
  X: T
  /** outputs[i]: output of layer i, rows × width_i. */
  outputs: T[]
  /** argmax[i]: maxout winners of layer i (null for other layers). */
  argmax: (Int32Array | null)[]
  /**
   * dInputs[i]: ∂L/∂(input of layer i), rows × width_(i−1); null for an affine layer 0 (∂L/∂X
   * of the data is never needed) and in a forward-only workspace.
   */
  dInputs: (T | null)[]
  /** ∂loss/∂scores, rows × classes. */
  dScores: T | null
  /** Parameter gradients by gradient name (dW1, db1, dalpha1, …). */
  grads: Record<string, T>
}

/** Output width of every layer of `net`. */
function layerWidths(net: Net): number[] {
  const widths: number[] = []
  let w = net.inputSize
  for (const l of net.layers) {
    if (l.type === 'affine') w = l.fanOut
    else if (l.type === 'maxout') w = w / l.pieces
    widths.push(w)
  }
  return widths
}

/**
 * A workspace for batches of up to `rows` rows of `net` (element type of its parameters).
 * `backward: false` gives a forward-only workspace (evaluation): no gradient buffers.
 */
export function createWorkspace<T extends FloatArray>(
  net: Net<T>,
  rows: number,
  options: { backward?: boolean } = {}
): NetWorkspace<T> {
  if (!(Number.isInteger(rows) && rows >= 1))
    throw new RangeError(`createWorkspace: rows must be a positive integer, got ${rows}`)
  const like = Object.values(net.params)[0]
  if (!like) throw new RangeError('createWorkspace: the net has no parameters')
  const backward = options.backward ?? true
  const widths = layerWidths(net)
  const X = allocWasmLike(like, rows * net.inputSize)
  const outputs = widths.map((w) => allocWasmLike(like, rows * w))
  const argmax = net.layers.map((l, i) =>
    l.type === 'maxout' ? new Int32Array(rows * widths[i]!) : null
  )
  const dInputs = net.layers.map((l, i) =>
    !backward || (i === 0 && l.type === 'affine')
      ? null
      : allocWasmLike(like, rows * (i === 0 ? net.inputSize : widths[i - 1]!))
  )
  const dScores = backward ? allocWasmLike(like, rows * widths[widths.length - 1]!) : null
  const grads: Record<string, T> = {}
  if (backward)
    for (const [name, p] of Object.entries(net.params))
      grads[gradName(name)] = allocWasmLike(like, p.length)
  return { rows, X, outputs, argmax, dInputs, dScores, grads }
}

/** Returns a workspace's arrays to the wasm heap; the workspace must not be used afterwards. */
export function freeWorkspace(ws: NetWorkspace): void {
  const all = [ws.X, ...ws.outputs, ...ws.dInputs, ws.dScores, ...Object.values(ws.grads)]
  for (const a of all) if (a) freeWasm(a)
  ws.outputs = []
  ws.dInputs = []
  ws.dScores = null
  ws.grads = {}
}

/**
 * Forward through the whole net on the first `m` rows of ws.X (m ≤ ws.rows): as netForward
 * (the same loop, net.ts forwardLayers), with every output in the workspace. `onLayer` is called
 * before each layer, as forwardLayers's.
 */
export function workspaceForward<T extends FloatArray>(
  net: Net<T>,
  ws: NetWorkspace<T>,
  m: number,
  onLayer?: OnLayer
): ForwardResult<T> {
  if (!(Number.isInteger(m) && m >= 0 && m <= ws.rows))
    throw new RangeError(`workspaceForward: ${m} rows for a workspace of ${ws.rows}`)
  const D = net.inputSize
  const X: Mat<T> = { data: ws.X.subarray(0, m * D) as T, rows: m, cols: D }
  return forwardLayers(
    net,
    X,
    (i) => ({ out: ws.outputs[i]!, argmax: ws.argmax[i] ?? null }),
    onLayer
  )
}

/**
 * Data loss and dScores (into ws.dScores) for the net's loss function, as dataLoss; `norm`
 * (default: the rows of `scores`) divides both, as softmaxLossInto's.
 */
export function workspaceLoss<T extends FloatArray>(
  loss: LossName,
  ws: NetWorkspace<T>,
  scores: Mat<T>,
  y: ArrayLike<number>,
  norm: number = scores.rows
): LossResult<T> {
  if (!ws.dScores) throw new RangeError('workspaceLoss: a forward-only workspace')
  return loss === 'svm'
    ? svmLossInto(scores, y, ws.dScores, norm)
    : softmaxLossInto(scores, y, ws.dScores, norm)
}

/**
 * Backward through the whole net from dScores, using the caches of `fwd` (a workspaceForward on
 * the same workspace): the data gradients of every parameter, in ws.grads (overwritten), as
 * netBackward's (the same loop, net.ts backwardLayers). ∂L/∂X of the data is not computed when
 * ws.dInputs[0] is null (a third of the first layer's work). `onLayer` is called before each
 * layer, as backwardLayers's.
 */
export function workspaceBackward<T extends FloatArray>(
  net: Net<T>,
  ws: NetWorkspace<T>,
  fwd: ForwardResult<T>,
  dScores: Mat<T>,
  onLayer?: OnLayer
): Record<string, T> {
  backwardLayers(
    net,
    fwd,
    dScores,
    (i) => {
      const dx = ws.dInputs[i] ?? null
      if (!dx && !(i === 0 && net.layers[0]!.type === 'affine'))
        throw new RangeError('workspaceBackward: a forward-only workspace')
      return { dx, grads: ws.grads }
    },
    onLayer
  )
  return ws.grads
}

/**
 * Moves the net's parameters onto the wasm heap (so gemm reads the weights in place), updating
 * net.params; the returned function moves them back into ordinary arrays and frees the heap
 * copies. Values are copied exactly.
 */
export function paramsOnWasmHeap<T extends FloatArray>(net: Net<T>): () => void {
  const moved: T[] = []
  for (const [name, p] of Object.entries(net.params)) {
    const w = allocWasmLike(p, p.length)
    w.set(p)
    net.params[name] = w
    moved.push(w)
  }
  return () => {
    for (const [name, p] of Object.entries(net.params)) net.params[name] = p.slice() as T
    for (const w of moved) freeWasm(w)
  }
}
