import { describe, expect, it } from 'vitest'
import { channelMeans, decodeBase64, rgbToRgba } from '../../src-renderer/src/data/pixels'
import {
  layerHeatmapOption,
  lossOption,
  smooth,
  thin
} from '../../src-renderer/src/charts/training'
import { classCountsOption, channelHistogramOption } from '../../src-renderer/src/charts/dataset'
import { applyLive, emptySeries } from '../../src-renderer/src/training/series'
import { fitLines } from '../../src-renderer/src/explain/preprocessing'
import { shortcutCommand } from '../../src-renderer/src/sessions/commands'
import { configPairs, runFacts, usedConfig } from '../../src-renderer/src/sessions/runSummary'
import { storedRun, trainJson } from '../helpers/stored-runs'

describe('pixels', () => {
  it('decodes base64 as the platform encodes it and expands RGB to RGBA', () => {
    const bytes = Uint8Array.from({ length: 3072 * 2 }, (_, i) => (i * 7) % 256)
    const b64 = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
    expect(decodeBase64(b64)).toEqual(bytes)
    const rgba = rgbToRgba(bytes, 1)
    // Image 1, pixel 5: bytes 3072 + 15 … 17.
    expect([...rgba.slice(20, 24)]).toEqual([
      bytes[3072 + 15],
      bytes[3072 + 16],
      bytes[3072 + 17],
      255
    ])
    const flat = new Uint8Array(3072).map((_, i) => [10, 20, 30][i % 3]!)
    expect(channelMeans(flat)).toEqual([10, 20, 30])
  })
})

describe('training charts', () => {
  it('smooths with a bias-corrected EMA (hand-computed)', () => {
    // alpha 0.5: acc = 0.5·1 → 0.5/0.5 = 1; acc = 0.25 + 1.5 = 1.75, w = 0.75 → 2.333…
    const s = smooth([1, 3, NaN, 3], 0.5)
    expect(s[0]).toBeCloseTo(1, 12)
    expect(s[1]).toBeCloseTo(1.75 / 0.75, 12)
    expect(s[2]).toBeNull()
    // acc = 0.875 + 1.5 = 2.375, w = 0.875 → 2.714…
    expect(s[3]).toBeCloseTo(2.375 / 0.875, 12)
    expect(smooth([2, Infinity], 0)).toEqual([2, null])
  })

  it('thins long series but keeps the last point', () => {
    const pts = Array.from({ length: 10 }, (_, i) => i)
    expect(thin(pts, 20)).toBe(pts)
    expect(thin(pts, 4)).toEqual([0, 3, 6, 9])
    expect(thin(pts, 3)).toEqual([0, 4, 8, 9])
  })

  it('marks a diverged run and lr changes on the loss chart', () => {
    const o = lossOption(
      [
        {
          name: 'r',
          color: 0,
          losses: [2.3, 2.2, NaN],
          epochs: [],
          lrChanges: [{ iter: 2, lr: 0.01 }],
          diverged: { iteration: 3, layer: 2, where: 'affine' }
        }
      ],
      { smoothing: 0 }
    ) as { series: { data: unknown[]; markLine?: { data: { xAxis: number }[] } }[] }
    expect(o.series).toHaveLength(1)
    expect(o.series[0]!.data).toEqual([
      [1, 2.3],
      [2, 2.2],
      [3, null]
    ])
    expect(o.series[0]!.markLine!.data.map((d) => d.xAxis)).toEqual([2, 3])
  })

  it('heatmap cells are log10 of the values; non-finite and zero cells are left out', () => {
    const o = layerHeatmapOption(
      [0, 10],
      [
        [1, 100],
        [NaN, 0.01]
      ],
      { name: 'std' }
    ) as { series: { data: number[][] }[]; visualMap: { min: number; max: number } }
    expect(o.series[0]!.data).toEqual([
      [0, 0, 0, 1],
      [0, 1, 2, 100],
      [1, 1, -2, 0.01]
    ])
    expect(o.visualMap).toMatchObject({ min: -2, max: 2, text: ['1e2', '1e-2'] })
  })

  it('layer heatmaps span whole decades, labelled at the ends, the title above the bar', () => {
    const o = layerHeatmapOption([0, 10], [[0.8, 17]], { name: 'gradient norm' }) as {
      visualMap: { min: number; max: number; text: string[]; top: number; calculable: boolean }
      title: { top: number; text: string }
    }
    // log10 0.8 = -0.097 and log10 17 = 1.23: the scale runs from 1e-1 to 1e2, no "1e1.2".
    expect(o.visualMap).toMatchObject({ min: -1, max: 2, text: ['1e2', '1e-1'] })
    expect(o.visualMap.calculable).toBe(false)
    expect(o.title.text).toBe('gradient norm')
    expect(o.title.top).toBeLessThan(o.visualMap.top - 14)
    const flat = layerHeatmapOption([0], [[3]], { name: 'std' }) as {
      visualMap: { min: number; max: number }
    }
    expect(flat.visualMap).toMatchObject({ min: 0, max: 1 })
  })
})

describe('dataset charts', () => {
  it('counts per class as two bar series', () => {
    const o = classCountsOption(['a', 'b'], [3, 4], [1, 2]) as {
      series: { name: string; data: number[] }[]
    }
    expect(o.series.map((s) => [s.name, s.data])).toEqual([
      ['train', [3, 4]],
      ['test', [1, 2]]
    ])
  })
  it('channel histograms as densities integrate to 1', () => {
    const o = channelHistogramOption(
      {
        edges: [0, 2, 4],
        counts: [
          [1, 3],
          [2, 2],
          [4, 0]
        ]
      },
      { normalize: true }
    ) as { series: { data: [number, number][] }[] }
    for (const s of o.series) expect(s.data.reduce((a, [, d]) => a + d * 2, 0)).toBeCloseTo(1, 12)
    expect(o.series[0]!.data.map(([x]) => x)).toEqual([1, 3])
  })
})

describe('live training series', () => {
  it('appends losses at their iterations, epochs and stats once, and notes lr changes', () => {
    const s = emptySeries()
    const base = { kind: 'train' as const, iterations: 10, epoch: 1, paused: false }
    applyLive(s, {
      ...base,
      iter: 2,
      lr: 0.1,
      fromIter: 0,
      losses: [3, 2],
      epochs: [],
      stats: [{ iter: 0, actStd: [1], gradNorm: [2] }]
    })
    applyLive(s, {
      ...base,
      iter: 4,
      lr: 0.05,
      fromIter: 2,
      losses: [1.5, 1.2],
      epochs: [{ epoch: 1, iter: 4, loss: 2, trainAcc: 0.3, valAcc: 0.2, lr: 0.05, seconds: 1 }],
      stats: [
        { iter: 0, actStd: [1], gradNorm: [2] },
        { iter: 2, actStd: [0.5], gradNorm: [1] }
      ]
    })
    expect(s.losses).toEqual([3, 2, 1.5, 1.2])
    expect(s.statsIter).toEqual([0, 2])
    expect(s.actStd).toEqual([[1], [0.5]])
    expect(s.epochs).toHaveLength(1)
    expect(s.lrChanges).toEqual([{ iter: 4, lr: 0.05 }])
    expect(s.iter).toBe(4)
  })
})

describe('summaries', () => {
  it('fit lines show short vectors whole and long ones as a range', () => {
    expect(fitLines({ count: 540 })).toEqual([{ name: 'count', value: '540' }])
    expect(fitLines({ channelMean: [1, 2, 3], mean: [5, -1, 2, 9, 0], epsilon: 0.1 })).toEqual([
      { name: 'channelMean', value: '1.000, 2.000, 3.000' },
      { name: 'mean', value: '5 values, -1.000 … 9.000' },
      { name: 'epsilon', value: '0.1000' }
    ])
  })

  it('maps the file shortcuts', () => {
    const k = (key: string, o: Partial<KeyboardEvent> = {}) =>
      shortcutCommand({ key, ctrlKey: true, metaKey: false, shiftKey: false, altKey: false, ...o })
    expect(k('n')).toBe('session:new')
    expect(k('o')).toBe('session:open')
    expect(k('s')).toBe('session:save')
    expect(k('S', { shiftKey: true })).toBe('session:save-as')
    expect(k('s', { ctrlKey: false, metaKey: true })).toBe('session:save')
    expect(k('s', { ctrlKey: false })).toBeNull()
    expect(k('x')).toBeNull()
  })

  it("a train run's facts include where it diverged", () => {
    // Stored before data-parallel training: no `workers` (the schema reads it as 1).
    const { workers: _none, ...older } = trainJson({
      status: 'diverged',
      iterations: 9,
      losses: [2.3, 'NaN'],
      final: null,
      iteration: 7,
      epoch: 1,
      layer: 2,
      where: 'layer 2',
      message: 'diverged',
      divergence: { iteration: 7, reason: 'non-finite', loss: 'NaN', first: 2.3, layer: 2 }
    })
    const run = storedRun('train', older)
    const facts = Object.fromEntries(runFacts(run).map((f) => [f.label, f.value]))
    expect(facts['diverged at']).toBe('iteration 7, layer 2')
    expect(facts['val acc']).toBe('–')
    expect(facts['final loss']).toBe('NaN')
    // A run stored before data-parallel training: one worker; a newer one says its count.
    expect(facts.workers).toBe('1')
    const two = storedRun('train', { ...older, workers: 2 })
    expect(Object.fromEntries(runFacts(two).map((f) => [f.label, f.value])).workers).toBe('2')
  })
})

describe('side-by-side configuration tables', () => {
  const keys = (c: Record<string, unknown>) =>
    Object.fromEntries(configPairs(c).map((p) => [p.key, p.value]))
  const params = { slope: 0.01, alpha: 1, preluAlpha: 0.25, pieces: 2 }

  it('list only the parameters the run used', () => {
    const he = keys({ activation: 'tanh', init: 'he', std: 0.01, layers: 10, params })
    expect(he).toEqual({ activation: 'tanh', init: 'he', layers: '10' })
    const normal = keys({ activation: 'leaky-relu', init: 'normal', std: 0.01, params })
    expect(normal).toEqual({
      activation: 'leaky-relu',
      init: 'normal',
      std: '0.01',
      params: 'slope=0.01'
    })
    expect(keys({ activation: 'elu', params }).params).toBe('alpha=1')
    expect(keys({ activation: 'prelu', params }).params).toBe('preluAlpha=0.25')
    // Before PReLU had its own α, `alpha` was PReLU's.
    expect(keys({ activation: 'prelu', params: { alpha: 0.5, pieces: 2 } }).params).toBe(
      'alpha=0.5'
    )
    expect(keys({ activation: 'maxout', params }).params).toBe('pieces=2')
  })

  it('a comparison keeps what any of its runs used', () => {
    expect(
      usedConfig({
        base: 'depth',
        config: { init: 'he', std: 0.5, params },
        vary: { activation: ['tanh', 'maxout'] }
      })
    ).toEqual({
      base: 'depth',
      config: { init: 'he', params: { pieces: 2 } },
      vary: { activation: ['tanh', 'maxout'] }
    })
    expect(
      usedConfig({ base: 'train', config: { std: 0.5 }, vary: { init: ['he', 'normal'] } }).config
    ).toEqual({ std: 0.5 })
  })
})
