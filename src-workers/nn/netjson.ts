/**
 * NET.json (format "layerscope.net", version 1; CLI.md under `loss`) ⇄ Net, and DATA.json → X, y.
 * Validation names the offending path (e.g. `layers[2].W row 3`) in an NnInputError.
 */
import { NnInputError } from './errors'
import type { LayerSpec, LossName, Net } from './net'
import { alloc, toRows, type Dtype, type FloatArray, type Mat } from './tensor'

export type NetJsonLayer =
  | { type: 'affine'; W: number[][]; b?: number[] }
  | { type: 'sigmoid' | 'tanh' | 'relu' | 'selu' | 'linear' }
  | { type: 'leaky-relu'; slope?: number }
  | { type: 'prelu'; alpha: number[] }
  | { type: 'elu'; alpha?: number }
  | { type: 'maxout'; pieces: number }
  | { type: 'gelu'; approximate?: 'tanh' }

export interface NetJson {
  format: 'layerscope.net'
  version: 1
  inputSize: number
  layers: NetJsonLayer[]
  loss: LossName
  reg: number
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function finite(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new NnInputError(`${where}: expected a finite number`)
  return v
}

function posInt(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new NnInputError(`${where}: expected a positive integer`)
  }
  return v
}

function vector(v: unknown, n: number, where: string, out: FloatArray): void {
  if (!Array.isArray(v) || v.length !== n)
    throw new NnInputError(`${where}: expected an array of ${n} numbers`)
  for (let i = 0; i < n; i++) out[i] = finite(v[i], `${where}[${i}]`)
}

/** Reads a rows-of-numbers matrix with `cols` columns (rows = its length) into `out`. */
function matrix(
  v: unknown,
  cols: number | null,
  where: string
): { rows: number; cols: number; values: number[] } {
  if (!Array.isArray(v) || v.length === 0)
    throw new NnInputError(`${where}: expected a non-empty array of rows`)
  const first = v[0]
  const c = cols ?? (Array.isArray(first) ? first.length : 0)
  if (c < 1) throw new NnInputError(`${where}: rows must be non-empty arrays of numbers`)
  const values: number[] = []
  v.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== c) {
      throw new NnInputError(`${where} row ${i}: expected ${c} numbers`)
    }
    row.forEach((x, j) => values.push(finite(x, `${where}[${i}][${j}]`)))
  })
  return { rows: v.length, cols: c, values }
}

/**
 * Parses and checks a NET.json document into a Net of the given dtype. Widths must chain:
 * each affine's W has as many rows as the current width; prelu has one α per unit; maxout's
 * input width divides by its pieces. Parameter names: W1, b1, … per affine, alpha1, … per PReLU.
 */
export function netFromJson(json: unknown, dtype: Dtype): Net<FloatArray> {
  if (!isObj(json)) throw new NnInputError('net: expected a JSON object')
  if (json.format !== 'layerscope.net')
    throw new NnInputError('net.format: expected "layerscope.net"')
  if (json.version !== 1)
    throw new NnInputError(`net.version: unsupported version ${String(json.version)}`)
  const inputSize = posInt(json.inputSize, 'net.inputSize')
  const loss = json.loss ?? 'softmax'
  if (loss !== 'softmax' && loss !== 'svm')
    throw new NnInputError('net.loss: expected "softmax" or "svm"')
  const reg = json.reg === undefined ? 0 : finite(json.reg, 'net.reg')
  if (reg < 0) throw new NnInputError('net.reg: must be ≥ 0')
  if (!Array.isArray(json.layers) || json.layers.length === 0) {
    throw new NnInputError('net.layers: expected a non-empty array')
  }
  if (json.layers.length > MAX_NET_LAYERS) {
    throw new NnInputError(
      `net.layers: ${json.layers.length.toLocaleString('en')} layers, more than the ` +
        `${MAX_NET_LAYERS.toLocaleString('en')} a net may have`
    )
  }
  const layers: LayerSpec[] = []
  const params: Record<string, FloatArray> = {}
  let width = inputSize
  let affines = 0
  let prelus = 0
  json.layers.forEach((raw: unknown, i: number) => {
    const where = `net.layers[${i}]`
    if (!isObj(raw)) throw new NnInputError(`${where}: expected an object`)
    switch (raw.type) {
      case 'affine': {
        affines++
        const m = matrix(raw.W, null, `${where}.W`)
        if (m.rows !== width) {
          throw new NnInputError(`${where}.W: has ${m.rows} rows, but its input is ${width} wide`)
        }
        const W = alloc(dtype, m.rows * m.cols)
        W.set(m.values)
        params[`W${affines}`] = W
        let b: string | null = null
        if (raw.b !== undefined) {
          b = `b${affines}`
          const bias = alloc(dtype, m.cols)
          vector(raw.b, m.cols, `${where}.b`, bias)
          params[b] = bias
        }
        layers.push({ type: 'affine', fanIn: m.rows, fanOut: m.cols, W: `W${affines}`, b })
        width = m.cols
        break
      }
      case 'sigmoid':
      case 'tanh':
      case 'relu':
      case 'selu':
      case 'linear':
        layers.push({ type: raw.type })
        break
      case 'leaky-relu':
        layers.push({
          type: 'leaky-relu',
          slope: raw.slope === undefined ? 0.01 : finite(raw.slope, `${where}.slope`)
        })
        break
      case 'elu':
        layers.push({
          type: 'elu',
          alpha: raw.alpha === undefined ? 1 : finite(raw.alpha, `${where}.alpha`)
        })
        break
      case 'gelu':
        if (
          raw.approximate !== undefined &&
          raw.approximate !== 'tanh' &&
          raw.approximate !== 'none'
        ) {
          throw new NnInputError(`${where}.approximate: expected "tanh"`)
        }
        layers.push({ type: 'gelu', approximate: raw.approximate === 'tanh' ? 'tanh' : 'none' })
        break
      case 'prelu': {
        prelus++
        const name = `alpha${prelus}`
        const alpha = alloc(dtype, width)
        vector(raw.alpha, width, `${where}.alpha`, alpha)
        params[name] = alpha
        layers.push({ type: 'prelu', units: width, alpha: name })
        break
      }
      case 'maxout': {
        const k = posInt(raw.pieces, `${where}.pieces`)
        if (width % k !== 0)
          throw new NnInputError(`${where}.pieces: input width ${width} is not a multiple of ${k}`)
        layers.push({ type: 'maxout', pieces: k })
        width /= k
        break
      }
      default:
        throw new NnInputError(`${where}.type: unknown layer type ${JSON.stringify(raw.type)}`)
    }
  })
  if (affines === 0) throw new NnInputError('net.layers: needs at least one affine layer')
  return { inputSize, layers, params, loss, reg }
}

/** Number of classes the net outputs (its final width). */
export function outputWidth(net: Net): number {
  let w = net.inputSize
  for (const l of net.layers) {
    if (l.type === 'affine') w = l.fanOut
    else if (l.type === 'maxout') w /= l.pieces
  }
  return w
}

/** The NET.json document of a net (plain numbers; the inverse of netFromJson). */
export function netToJson(net: Net): NetJson {
  const layers: NetJsonLayer[] = net.layers.map((l) => {
    switch (l.type) {
      case 'affine': {
        const out: NetJsonLayer = { type: 'affine', W: toRows(net.params[l.W]!, l.fanIn, l.fanOut) }
        if (l.b) out.b = Array.from(net.params[l.b]!)
        return out
      }
      case 'prelu':
        return { type: 'prelu', alpha: Array.from(net.params[l.alpha]!) }
      case 'maxout':
        return { type: 'maxout', pieces: l.pieces }
      case 'leaky-relu':
        return { type: 'leaky-relu', slope: l.slope }
      case 'elu':
        return { type: 'elu', alpha: l.alpha }
      case 'gelu':
        return l.approximate === 'tanh' ? { type: 'gelu', approximate: 'tanh' } : { type: 'gelu' }
      default:
        return { type: l.type }
    }
  })
  return {
    format: 'layerscope.net',
    version: 1,
    inputSize: net.inputSize,
    layers,
    loss: net.loss,
    reg: net.reg
  }
}

/** Most layers a NET.json may list. */
export const MAX_NET_LAYERS = 1000
/** Most numbers one activation matrix (rows × a layer's width) may hold, as for experiments. */
export const MAX_NET_MATRIX = 20_000_000
/** Most parameters a NET.json net may have (weights, biases, α). */
export const MAX_NET_PARAMS = 20_000_000

/**
 * Checks that running `net` on `rows` rows stays within memory: every activation matrix
 * (rows × the widest layer) and the parameter count. Throws NnInputError naming the limit.
 */
export function checkNetSize(net: Net, rows: number): void {
  let params = 0
  for (const p of Object.values(net.params)) params += p.length
  if (params > MAX_NET_PARAMS)
    throw new NnInputError(
      `net: ${params.toLocaleString('en')} parameters, more than the ` +
        `${MAX_NET_PARAMS.toLocaleString('en')} a net may have here`
    )
  let widest = net.inputSize
  let at = 'the input'
  net.layers.forEach((l, i) => {
    const w = l.type === 'affine' ? l.fanOut : 0
    if (w > widest) {
      widest = w
      at = `net.layers[${i}]`
    }
  })
  if (rows * widest > MAX_NET_MATRIX)
    throw new NnInputError(
      `data.X: ${rows.toLocaleString('en')} rows × ${widest.toLocaleString('en')} units ` +
        `(${at}) is ${(rows * widest).toLocaleString('en')} values in one activation matrix, ` +
        `more than the ${MAX_NET_MATRIX.toLocaleString('en')} allowed; use fewer rows or a narrower net`
    )
}

/**
 * Parses DATA.json `{ X: [[…]…], y: […] }` for a net: X must have `inputSize` columns, y one
 * integer label in 0…classes−1 per row.
 */
export function dataFromJson(
  json: unknown,
  inputSize: number,
  classes: number,
  dtype: Dtype
): { X: Mat<FloatArray>; y: Int32Array } {
  if (!isObj(json)) throw new NnInputError('data: expected a JSON object with X and y')
  if (Array.isArray(json.X) && json.X.length * inputSize > MAX_NET_MATRIX)
    throw new NnInputError(
      `data.X: ${json.X.length.toLocaleString('en')} rows of ${inputSize} numbers, more than ` +
        `the ${MAX_NET_MATRIX.toLocaleString('en')} values one input may hold`
    )
  const m = matrix(json.X, null, 'data.X')
  if (m.cols !== inputSize)
    throw new NnInputError(
      `data.X: rows have ${m.cols} numbers, the net's inputSize is ${inputSize}`
    )
  if (!Array.isArray(json.y) || json.y.length !== m.rows) {
    throw new NnInputError(`data.y: expected ${m.rows} labels (one per row of X)`)
  }
  const y = new Int32Array(m.rows)
  json.y.forEach((v: unknown, i: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= classes) {
      throw new NnInputError(`data.y[${i}]: expected an integer class in 0…${classes - 1}`)
    }
    y[i] = v
  })
  const X = alloc(dtype, m.rows * m.cols)
  X.set(m.values)
  return { X: { data: X, rows: m.rows, cols: m.cols }, y }
}
