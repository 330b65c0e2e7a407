/** The `loss` command: forward and backward of a NET.json on a DATA.json (CLI.md `loss`). */
import { gradName, lossAndGrads } from './net'
import { checkNetSize, dataFromJson, netFromJson, outputWidth } from './netjson'
import { toRows, type Dtype } from './tensor'

export type LayerGradJson = { dW: number[][]; db?: number[] } | { dalpha: number[] } | null

export interface LossCommandResult {
  scores: number[][]
  loss: number
  dataLoss: number
  regLoss: number
  /** Aligned with the net's layers: {dW, db} for affine (no db without bias), {dalpha} for prelu, null otherwise. */
  grads: LayerGradJson[]
}

/**
 * Runs `layerscope loss`: parses NET.json and DATA.json contents (already JSON-parsed), computes
 * loss = dataLoss + reg·Σ‖W‖² (reg from the net) and every gradient, in `dtype` (default float64).
 * Throws NnInputError for malformed input.
 */
export function lossCommand(
  netJson: unknown,
  dataJson: unknown,
  dtype: Dtype = 'float64'
): LossCommandResult {
  const net = netFromJson(netJson, dtype)
  const { X, y } = dataFromJson(dataJson, net.inputSize, outputWidth(net), dtype)
  checkNetSize(net, X.rows)
  const r = lossAndGrads(net, X, y)
  const grads: LayerGradJson[] = net.layers.map((l) => {
    if (l.type === 'affine') {
      const g: { dW: number[][]; db?: number[] } = {
        dW: toRows(r.grads[gradName(l.W)]!, l.fanIn, l.fanOut)
      }
      if (l.b) g.db = Array.from(r.grads[gradName(l.b)]!)
      return g
    }
    if (l.type === 'prelu') return { dalpha: Array.from(r.grads[gradName(l.alpha)]!) }
    return null
  })
  return {
    scores: toRows(r.scores.data, r.scores.rows, r.scores.cols),
    loss: r.loss,
    dataLoss: r.dataLoss,
    regLoss: r.regLoss,
    grads
  }
}
