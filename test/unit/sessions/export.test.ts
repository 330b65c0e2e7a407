import { describe, expect, it } from 'vitest'
import {
  exportRunCsv,
  exportRunJson,
  exportRunNet,
  runTables,
  tableToCsv
} from '../../../src-main/lab/sessions/export'
import { newRun } from '../../../src-main/lab/sessions/store'
import type { JsonValue, SessionRun } from '../../../src-shared/session'
import { depthConfig, depthResult, trainResult } from './fixtures'

const run = (kind: SessionRun['kind'], result: JsonValue, title?: string) =>
  newRun({ id: 'r', kind, config: { seed: 1, hidden: [100, 100] }, result, title })

const table = (r: SessionRun, name: string) => {
  const t = runTables(r).find((x) => x.name === name)
  if (!t)
    throw new Error(
      `no table ${name}: ${runTables(r)
        .map((x) => x.name)
        .join(', ')}`
    )
  return t
}

describe('run export', () => {
  it('turns a depth result into a layer table, a histogram table and a summary', () => {
    const result = depthResult(1, 3, 5) as {
      layers: { hist: { edges: number[]; counts: number[] } }[]
    }
    const r = run('depth', result as unknown as JsonValue)
    const layers = table(r, 'layers')
    expect(layers.columns).toEqual([
      'layer',
      'mean',
      'std',
      'preMean',
      'preStd',
      'saturated',
      'dead',
      'dW.mean',
      'dW.std',
      'dX.mean',
      'dX.std'
    ])
    expect(layers.rows.map((row) => row[0])).toEqual([1, 2, 3])
    const hist = table(r, 'layers.hist')
    expect(hist.columns).toEqual(['layers.layer', 'bin', 'from', 'to', 'count'])
    expect(hist.rows).toHaveLength(15)
    const h = result.layers[1]!.hist
    expect(hist.rows[5]).toEqual([2, 0, h.edges[0], h.edges[1], h.counts[0]])
    expect(hist.rows[9]).toEqual([2, 4, h.edges[4], h.edges[5], h.counts[4]])
    const summary = table(r, 'summary')
    expect(summary.rows.map((row) => row[0])).toEqual(
      expect.arrayContaining(['input.mean', 'input.std', 'loss', 'config.activation'])
    )
    expect(table(r, 'config').rows).toEqual([
      ['seed', 1],
      ['hidden[0]', 100],
      ['hidden[1]', 100]
    ])
  })

  it('turns a train history into a table with one row per epoch', () => {
    const t = table(run('train', trainResult(1, 3)), 'history')
    expect(t.columns).toEqual(['epoch', 'iter', 'loss', 'trainAcc', 'valAcc'])
    expect(t.rows.map((row) => row[0])).toEqual([1, 2, 3])
  })

  it('handles gradcheck, compare, series and matrices', () => {
    const grad = run('gradcheck', {
      params: [
        { name: 'W1', relError: 1e-9, worst: [{ index: [0, 1], analytic: 1, numeric: 1 }] },
        { name: 'b1', relError: 2e-9, worst: [{ index: [2], analytic: 3, numeric: 3 }] }
      ],
      verdict: 'great'
    })
    const worst = table(grad, 'params.worst')
    expect(worst.columns).toEqual(['params.name', 'index[0]', 'index[1]', 'analytic', 'numeric'])
    expect(worst.rows).toEqual([
      ['W1', 0, 1, 1, 1],
      ['b1', 2, null, 3, 3]
    ])
    const cmp = run('compare', {
      runs: [
        { vary: { preprocess: 'none' }, result: trainResult(1, 2) },
        { vary: { preprocess: 'zca' }, result: trainResult(2, 2) }
      ]
    })
    expect(table(cmp, 'runs').columns).toContain('result.final.valAcc')
    expect(table(cmp, 'runs.result.history').rows.map((row) => row.slice(0, 2))).toEqual([
      ['none', 1],
      ['none', 2],
      ['zca', 1],
      ['zca', 2]
    ])
    const misc = run('preprocess', {
      fit: { channelMean: [1, 2, 3], eigenvalues: [5, 4, 3, 2, 1, NaN] },
      scores: [
        [1, 2],
        [3, 4]
      ]
    })
    expect(table(misc, 'fit.eigenvalues').rows[5]).toEqual([5, NaN])
    expect(table(misc, 'scores')).toEqual({
      name: 'scores',
      columns: ['row', 'c0', 'c1'],
      rows: [
        [0, 1, 2],
        [1, 3, 4]
      ]
    })
    expect(table(misc, 'summary').rows).toContainEqual(['fit.channelMean[2]', 3])
  })

  it('writes RFC-4180-style CSV that keeps every number', () => {
    const csv = tableToCsv({
      name: 't',
      columns: ['a', 'b,c', 'q"'],
      rows: [
        [-0, NaN, 'x,y'],
        [Infinity, 0.1 + 0.2, 'say "hi"\nthere'],
        [null, true, ' padded']
      ]
    })
    expect(csv).toBe(
      'a,"b,c","q"""\n-0,NaN,"x,y"\nInfinity,0.30000000000000004,"say ""hi""\nthere"\n,true," padded"\n'
    )
    const files = exportRunCsv(run('depth', depthResult(1, 2, 4), 'Tanh, 0.01!'))
    expect(files.map((f) => f.fileName)).toEqual([
      'tanh-0.01-config.csv',
      'tanh-0.01-summary.csv',
      'tanh-0.01-layers.csv',
      'tanh-0.01-layers.hist.csv'
    ])
    const hist = files[3]!.csv.trim().split('\n')
    expect(hist).toHaveLength(1 + 2 * 4)
  })

  it('exports JSON with the tables, NaN and Infinity as strings, and the weights as NET.json', () => {
    const r = run('train', { loss: NaN, history: [{ epoch: 1, loss: Infinity }] })
    const parsed = JSON.parse(exportRunJson(r)) as {
      result: { loss: string }
      tables: { name: string; rows: unknown[][] }[]
      config: unknown
    }
    expect(parsed.result.loss).toBe('NaN')
    expect(parsed.tables.find((t) => t.name === 'history')!.rows).toEqual([[1, 'Infinity']])
    expect(parsed.config).toEqual({ seed: 1, hidden: [100, 100] })
    expect(exportRunNet(r)).toBeNull()
    const net = {
      format: 'layerscope.net' as const,
      version: 1,
      inputSize: 1,
      layers: [{ type: 'affine', W: [[1]], b: [0] }]
    }
    const withNet = newRun({ kind: 'train', config: depthConfig(1), result: 0, net })
    expect(JSON.parse(exportRunNet(withNet)!)).toEqual(net)
  })
})
