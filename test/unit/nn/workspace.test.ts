/**
 * The workspace pass (buffers allocated once, reused) against the allocating layer API
 * (netForward, dataLoss, netBackward): identical outputs, loss and gradients, for every layer
 * family and both losses, on a full batch and then a smaller one in the same buffers (stale
 * values from the larger batch must not leak into sums: bias, α, maxout routing, hinge).
 */
import { describe, expect, it } from 'vitest'
import {
  buildNet,
  createRng,
  dataLoss,
  fillNormal,
  netBackward,
  netForward,
  randLabels,
  type ActivationConfig,
  type LossName,
  type Net
} from '../../../src-workers/nn/index'
import { wasmHeapStats } from '../../../src-workers/linalg/gemm'
import {
  createWorkspace,
  freeWorkspace,
  paramsOnWasmHeap,
  workspaceBackward,
  workspaceForward,
  workspaceLoss
} from '../../../src-workers/nn/workspace'

const D = 12
const ROWS = 9

const configs: [string, ActivationConfig, LossName][] = [
  ['relu + softmax', { type: 'relu' }, 'softmax'],
  ['tanh + svm', { type: 'tanh' }, 'svm'],
  ['prelu + softmax', { type: 'prelu' }, 'softmax'],
  ['maxout + svm', { type: 'maxout', pieces: 3 }, 'svm'],
  ['gelu + softmax', { type: 'gelu' }, 'softmax']
]

describe('workspace pass = layer API pass', () => {
  for (const [name, activation, loss] of configs) {
    it(name, () => {
      const rng = createRng(4)
      const net = buildNet(
        { inputSize: D, hidden: [8, 6], classes: 4, activation, init: 'he', loss },
        rng,
        'float32'
      ) as Net<Float32Array>
      // One allocating pass first: gemm's staging area grows to size and stays.
      const warm = netForward(net, { data: new Float32Array(ROWS * D), rows: ROWS, cols: D })
      netBackward(net, dataLoss(net.loss, warm.scores, new Int32Array(ROWS)).dScores, warm)
      const live = wasmHeapStats().liveAllocations
      const restore = paramsOnWasmHeap(net)
      const ws = createWorkspace(net, ROWS)
      // A full batch first, then a smaller one reusing the same buffers.
      for (const m of [ROWS, 5]) {
        const X = fillNormal(rng, new Float32Array(m * D))
        const y = randLabels(rng, m, 4)
        const ref = netForward(net, { data: X.slice(), rows: m, cols: D })
        const refLoss = dataLoss(net.loss, ref.scores, y)
        const refGrads = netBackward(net, refLoss.dScores, ref).grads

        ws.X.set(X)
        const fwd = workspaceForward(net, ws, m)
        const l = workspaceLoss(net.loss, ws, fwd.scores, y)
        const grads = workspaceBackward(net, ws, fwd, l.dScores)
        expect(fwd.outputs.map((o) => [o.rows, o.cols])).toEqual(
          ref.outputs.map((o) => [o.rows, o.cols])
        )
        fwd.outputs.forEach((o, i) =>
          expect(Array.from(o.data)).toEqual(Array.from(ref.outputs[i]!.data))
        )
        expect(l.loss).toBe(refLoss.loss)
        expect(Object.keys(grads).sort()).toEqual(Object.keys(refGrads).sort())
        for (const k of Object.keys(refGrads))
          expect(Array.from(grads[k]!), k).toEqual(Array.from(refGrads[k]!))
      }
      freeWorkspace(ws)
      const before = Object.fromEntries(Object.entries(net.params).map(([k, v]) => [k, v.slice()]))
      restore()
      expect(net.params).toEqual(before)
      expect(wasmHeapStats().liveAllocations).toBe(live)
    })
  }

  it('names what is wrong: a batch larger than the workspace, a forward-only workspace', () => {
    const net = buildNet(
      { inputSize: D, hidden: [5], classes: 3, activation: 'relu', init: 'he' },
      createRng(1),
      'float32'
    ) as Net<Float32Array>
    const ws = createWorkspace(net, 4, { backward: false })
    expect(() => workspaceForward(net, ws, 5)).toThrow(/5 rows for a workspace of 4/)
    const fwd = workspaceForward(net, ws, 4)
    expect(() => workspaceLoss(net.loss, ws, fwd.scores, [0, 1, 2, 0])).toThrow(/forward-only/)
    expect(() => createWorkspace(net, 0)).toThrow(/rows must be a positive integer/)
    freeWorkspace(ws)
  })
})
