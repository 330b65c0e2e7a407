/**
 * Two pinned session runs side by side: stored results — read by their kind's schema, as the
 * service does on open (older builds' and the CLI's shapes migrated there) — turned into the
 * chart builders' input, the tables of A and B, and the component's
 * choice of what to draw per run kind (charts stubbed: ECharts cannot render in happy-dom).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- chart options are untyped records */
import { mount } from '@vue/test-utils'
import { defineComponent, h } from 'vue'
import { describe, expect, it } from 'vitest'
import type { CheckedRun } from '../../src-shared/session'
import { stdByLayerOption, gradByLayerOption } from '../../src-renderer/src/charts/depth'
import { paramErrorsOption } from '../../src-renderer/src/charts/gradcheck'
import { overfitCurveOption, overfitCurvesOption } from '../../src-renderer/src/charts/sanity'
import SideBySide from '../../src-renderer/src/sessions/SideBySide.vue'
import {
  compareAccuracies,
  compareDepthRuns,
  datasetStats,
  depthResultOf,
  gradcheckPairs,
  gradcheckParamsOf,
  layerHistograms,
  mixedKindsText,
  overfitCurveOf,
  pairStats,
  preprocessStats,
  sanityRows,
  sideBySidePlan
} from '../../src-renderer/src/sessions/sideBySide'
import type { PinnedRun } from '../../src-renderer/src/stores/session'
import {
  DepthResultSchema,
  GradcheckResultSchema,
  SanityResultSchema
} from '../../src-shared/result-schemas'
import type { CompareResult } from '../../src-shared/results'
import { depthConfigJson, storedRun as run, trainJson } from '../helpers/stored-runs'

const layer = (n: number, std: number, dWstd: number) => ({
  layer: n,
  mean: 0,
  std,
  preMean: 0,
  preStd: std * 2,
  saturated: 0,
  dead: 0,
  hist: { edges: [-1, 0, 1], counts: [3, 1] },
  dW: { mean: 0, std: dWstd },
  dX: { mean: 0, std: dWstd / 10 }
})
const depthJson = (stds: number[]) => ({
  config: depthConfigJson(stds.length),
  input: { mean: 0, std: 1 },
  layers: stds.map((s, i) => layer(i + 1, s, 1e-3 * (i + 1))),
  loss: 2.3
})

const depth = (v: unknown) => DepthResultSchema.parse(v)

describe('numbers as stored', () => {
  it('the schema reads the CLI strings for non-finite numbers and refuses any other string', () => {
    const r = depth({ ...depthJson([0.5]), loss: 'NaN' })
    expect(r.loss).toBeNaN()
    expect(depth({ ...depthJson([0.5]), loss: 'Infinity' }).loss).toBe(Infinity)
    expect(depth({ ...depthJson([0.5]), loss: '-Infinity' }).loss).toBe(-Infinity)
    expect(depth({ ...depthJson([0.5]), loss: 0.5 }).loss).toBe(0.5)
    expect(() => depth({ ...depthJson([0.5]), loss: '0.5' })).toThrow(/expected a number/)
  })
})

describe('depth runs', () => {
  it('a complete stored result feeds the std and gradient builders unchanged', () => {
    const r = depthResultOf(depth(depthJson([0.6, 0.3])))!
    const o = stdByLayerOption([{ name: 'A', result: r }], { log: false }) as any
    expect(o.series[0].data).toEqual([
      [0, 1],
      [1, 0.6],
      [2, 0.3]
    ])
    const g = gradByLayerOption([{ name: 'A', result: r }], { log: true }) as any
    expect(g.series[0].data).toEqual([
      [1, 1e-3],
      [2, 2e-3]
    ])
  })

  it('an older result without gradients, histograms or layer numbers: migrated to gaps, not a crash', () => {
    const old = {
      config: depthConfigJson(3),
      input: { mean: 0, std: 1 },
      layers: [
        { mean: 0, std: 0.5 },
        { mean: 0, std: 'NaN' },
        { mean: 0, std: 0.1 }
      ],
      loss: 2.3
    }
    const r = depthResultOf(depth(old))!
    expect(r.layers.map((l) => l.layer)).toEqual([1, 2, 3])
    expect(r.layers[0]!.dW.std).toBeNaN()
    expect(r.layers[2]!.hist).toEqual({ edges: [], counts: [] })
    // Edges must be one longer than counts: a mismatched histogram is refused where it is.
    const bad = { ...old, layers: [{ mean: 0, std: 0.1, hist: { edges: [0, 1], counts: [1, 2] } }] }
    const refused = DepthResultSchema.safeParse(bad)
    expect(refused.error?.issues.map((i) => i.path.join('.'))).toEqual(['layers.0.hist.edges'])
    const o = stdByLayerOption([{ name: 'old', result: r }], { log: true }) as any
    expect(o.series[0].data).toEqual([
      [0, 1],
      [1, 0.5],
      [2, null],
      [3, 0.1]
    ])
    const g = gradByLayerOption([{ name: 'old', result: r }], { log: true }) as any
    expect(g.series[0].data.every((p: unknown[]) => p[1] === null)).toBe(true)
  })

  it('no layers at all gives null (only the facts are shown)', () => {
    expect(depthResultOf(depth(depthJson([])))).toBeNull()
  })

  it("the same layer's histogram from both runs, keeping each run's slot", () => {
    const a = { name: 'A', result: depth(depthJson([1, 1, 1])) }
    const b = { name: 'B', result: depth(depthJson([1, 1])) }
    expect(layerHistograms([a, b], 2).map((s) => [s.name, s.index])).toEqual([
      ['A', 0],
      ['B', 1]
    ])
    // Layer 3 exists only in A; B keeps index 1 when A is missing.
    expect(layerHistograms([a, b], 3).map((s) => s.name)).toEqual(['A'])
    expect(layerHistograms([null, b], 1).map((s) => s.index)).toEqual([1])
  })
})

const gcParam = (name: string, eps: number | string, verdict: string) => ({
  name,
  relError: eps,
  normRelError: eps,
  verdict,
  kinks: 0,
  worst: []
})

describe('gradient checks', () => {
  it('reads ε = normRelError and the verdict each parameter was given; none listed: null', () => {
    const p = gradcheckParamsOf(
      GradcheckResultSchema.parse({
        maxRelError: 1,
        verdict: 'wrong',
        params: [
          gcParam('W1', 5e-8, 'great'),
          { ...gcParam('b1', 3e-3, 'concern'), relError: 1 },
          gcParam('W2', 'Infinity', 'wrong')
        ]
      })
    )!
    expect(p).toEqual([
      { name: 'W1', eps: 5e-8, verdict: 'great' },
      { name: 'b1', eps: 3e-3, verdict: 'concern' },
      { name: 'W2', eps: Infinity, verdict: 'wrong' }
    ])
    expect(
      gradcheckParamsOf(
        GradcheckResultSchema.parse({ params: [], maxRelError: 0, verdict: 'great' })
      )
    ).toBeNull()
  })

  it('pairs parameters by name, A order first', () => {
    const a = [
      { name: 'W1', eps: 1e-9, verdict: 'great' as const },
      { name: 'b1', eps: 1e-9, verdict: 'great' as const }
    ]
    const b = [
      { name: 'b1', eps: 1e-3, verdict: 'concern' as const },
      { name: 'alpha', eps: 1e-5, verdict: 'check' as const }
    ]
    const pairs = gradcheckPairs(a, b)
    expect(pairs.map((p) => p.name)).toEqual(['W1', 'b1', 'alpha'])
    expect(pairs[0]!.b).toBeNull()
    expect(pairs[1]!.b?.verdict).toBe('concern')
    expect(pairs[2]!.a).toBeNull()
  })

  it('grouped bars in decades above 1e-14 with the three band edges; NaN full height', () => {
    const o = paramErrorsOption([
      { name: 'A', params: [{ name: 'W1', eps: 1e-9 }] },
      {
        name: 'B',
        params: [
          { name: 'W1', eps: NaN },
          { name: 'b1', eps: 0 }
        ]
      }
    ]) as any
    expect(o.xAxis.data).toEqual(['W1', 'b1'])
    // 1e-9 is 5 decades above the floor; b1 is missing from A: a gap.
    expect(o.series[0].data[0]).toBeCloseTo(5, 12)
    expect(o.series[0].data[1]).toBeNull()
    // NaN: no agreement, full height (ε ≥ 1); 0 sits at the floor.
    expect(o.series[1].data).toEqual([14, 0])
    const edges = o.series[0].markLine.data.map((d: { yAxis: number }) => d.yAxis)
    expect(edges[0]).toBeCloseTo(7, 12)
    expect(edges[1]).toBeCloseTo(10, 12)
    expect(edges[2]).toBeCloseTo(12, 12)
    // Labels and tooltips read as ε again.
    expect(o.yAxis.axisLabel.formatter(4)).toBe('1e-10')
    expect(o.tooltip.valueFormatter(12)).toBe('0.01')
  })
})

describe('sanity checks', () => {
  const full = {
    pass: false,
    checks: [
      { name: 'initial-loss', value: 2.3026, expected: Math.log(10), tolerance: 0.1, pass: true },
      {
        name: 'regularization-raises-loss',
        values: [
          { reg: 0, loss: 2.3 },
          { reg: 1, loss: 2.9 }
        ],
        pass: true
      },
      {
        name: 'overfit-small-subset',
        examples: 20,
        epochs: 200,
        trainAcc: 0.95,
        finalLoss: 0.4,
        lr: 0.1,
        pass: false,
        curve: [
          { epoch: 0, loss: 2.3, trainAcc: 0.1 },
          { epoch: 200, loss: 0.4, trainAcc: 0.95 }
        ]
      }
    ]
  }
  it('the three checks of A and B in one table; a missing check says so', () => {
    const rows = sanityRows(
      SanityResultSchema.parse(full),
      SanityResultSchema.parse({
        pass: false,
        checks: [{ name: 'initial-loss', value: 9, expected: 2.303, tolerance: 0.1, pass: false }]
      })
    )
    expect(rows.map((r) => r.check)).toEqual([
      'initial loss ≈ ln C',
      'regularization raises the loss',
      'overfits a small subset'
    ])
    expect(rows[0]!.a).toEqual({ text: '2.303 (expected 2.303)', pass: true })
    expect(rows[0]!.b).toEqual({ text: '9.000 (expected 2.303)', pass: false })
    expect(rows[1]!.a.text).toBe('loss 2.300 → 2.900 (reg 0 → 1.00)')
    expect(rows[2]!.a).toEqual({
      text: 'train acc 95.0 %, loss 0.400 after 200 epochs on 20 examples',
      pass: false
    })
    expect(rows[1]!.b).toEqual({ text: 'not run', pass: null })
    // An empty slot: every check 'not run'.
    expect(sanityRows(undefined, SanityResultSchema.parse(full))[0]!.a).toEqual({
      text: 'not run',
      pass: null
    })
  })

  it('overfit curves: an older run without one gives none; two runs overlay on shared axes', () => {
    const { curve: _kept, ...older } = full.checks[2]!
    const withoutCurve = SanityResultSchema.parse({ ...full, checks: [older] })
    expect(overfitCurveOf(withoutCurve)).toEqual([])
    const curve = overfitCurveOf(SanityResultSchema.parse(full))
    expect(curve).toHaveLength(2)
    const o = overfitCurvesOption([
      { name: 'A', curve },
      { name: 'B', curve: [{ epoch: 0, loss: 2, trainAcc: 0.5 }] }
    ]) as any
    expect(o.series.map((s: { name: string }) => s.name)).toEqual([
      'A · loss',
      'A · train accuracy',
      'B · loss',
      'B · train accuracy'
    ])
    expect(o.series[3]).toMatchObject({ yAxisIndex: 1, data: [[0, 50]] })
    expect(o.series[0].color).not.toBe(o.series[2].color)
    // The Sanity view's single curve keeps its own names.
    const single = overfitCurveOption(curve) as any
    expect(single.series.map((s: { name: string }) => s.name)).toEqual(['loss', 'train accuracy'])
  })
})

describe('comparisons', () => {
  const cmp = run('compare', {
    base: 'train',
    runs: [
      {
        vary: { lr: 0.01 },
        result: trainJson({ final: { trainAcc: 0.5, valAcc: 0.4, testAcc: 0.38 } })
      },
      { vary: { lr: 10 }, error: { code: 'diverged', message: 'NaN' } },
      {
        vary: { lr: 0.1 },
        result: trainJson({ final: { trainAcc: 0.6, valAcc: null, testAcc: 0.5 } })
      }
    ]
  }).result
  it("each run's final accuracies, named by slot and varied setting; failures as failures", () => {
    expect(compareAccuracies(cmp, 'A')).toEqual([
      { name: 'A · lr=0.01', valAcc: 0.4, testAcc: 0.38, failed: false },
      { name: 'A · lr=10 (failed)', valAcc: null, testAcc: null, failed: true },
      { name: 'A · lr=0.1', valAcc: null, testAcc: 0.5, failed: false }
    ])
  })
  it('depth comparisons become depth chart runs; each base only its own', () => {
    const d: CompareResult = run('compare', {
      base: 'depth',
      runs: [{ vary: { init: 'he' }, result: depthJson([1, 1]) }]
    }).result
    expect(compareDepthRuns(d, 'B').map((r) => r.name)).toEqual(['B · init=he'])
    // Each reader draws only its own base.
    expect(compareAccuracies(d, 'B')).toEqual([])
    expect(compareDepthRuns(cmp, 'A')).toEqual([])
  })
})

const split = { count: 1, mean: 0, std: 1, channelMean: [0, 0, 0], channelStd: [1, 1, 1] }
const hists = { edges: [0, 1], counts: [[1], [1], [1]] }
const preprocessRun = (report: Record<string, unknown>) =>
  run('preprocess', {
    report,
    fingerprint: 'f',
    meanImage: '',
    histograms: { before: hists, after: hists },
    cached: false
  })
const labelled = (count: number) => ({ count, files: [], labelCounts: [] })

describe('fitted statistics', () => {
  it('preprocessing fits side by side, vectors shortened as the view shows them', () => {
    const a = preprocessRun({
      mode: 'channel-mean',
      fit: { channelMean: [125.3, 123, 113.9], count: 50000 },
      after: {
        train: {
          count: 50000,
          mean: 0,
          std: 62.9,
          channelMean: [0, 0, 0],
          channelStd: [63, 62, 66.7]
        },
        test: {
          count: 10000,
          mean: 0.5,
          std: 63,
          channelMean: [1, 0, 0.5],
          channelStd: [63, 62, 66]
        }
      }
    })
    const b = preprocessRun({ mode: 'none', fit: {}, after: { train: split, test: split } })
    const pairs = pairStats(preprocessStats(a.result), preprocessStats(b.result))
    expect(pairs[0]).toEqual({ name: 'mode', a: 'channel-mean', b: 'none' })
    expect(pairs.find((p) => p.name === 'channelMean')).toEqual({
      name: 'channelMean',
      a: '125.3, 123.0, 113.9',
      b: '–'
    })
    expect(pairs.find((p) => p.name === 'count')?.a).toBe('50,000')
    expect(pairs.find((p) => p.name === 'after: train mean, std')?.a).toBe('0, 62.9')
  })

  it('dataset statistics: counts, channel statistics, warnings, a short fingerprint', () => {
    const s = datasetStats(
      run('dataset', {
        path: '/data/cifar',
        fingerprint: 'abcdef0123456789',
        description: {
          format: 'binary',
          source: '/data/cifar',
          classes: [],
          splits: { train: labelled(50000), test: labelled(10000) },
          stats: { channelMean: [125.3, 123, 113.9], channelStd: [63, 62.1, 66.7] },
          warnings: ['partial copy']
        },
        meanImage: '',
        seconds: 1
      }).result
    )
    expect(s).toEqual([
      { name: 'format', value: 'binary' },
      { name: 'train images', value: '50,000' },
      { name: 'test images', value: '10,000' },
      { name: 'channel means (R, G, B)', value: '125.3, 123.0, 113.9' },
      { name: 'channel stds (R, G, B)', value: '63.00, 62.10, 66.70' },
      { name: 'warnings', value: '1' },
      { name: 'fingerprint', value: 'abcdef012345' }
    ])
  })
})

describe('what is compared', () => {
  it('same kind, mixed kinds, one or none', () => {
    const d = run('depth', depthJson([1]))
    const g = run('gradcheck', { params: [], maxRelError: 0, verdict: 'great' })
    expect(sideBySidePlan(d, d)).toEqual({ mode: 'same', kind: 'depth' })
    expect(sideBySidePlan(d, g)).toEqual({ mode: 'mixed', kinds: ['depth', 'gradcheck'] })
    expect(sideBySidePlan(null, g)).toEqual({ mode: 'one', kind: 'gradcheck' })
    expect(sideBySidePlan(null, null)).toEqual({ mode: 'none' })
    expect(mixedKindsText(['depth', 'gradcheck'])).toMatch(
      /^A is a depth run and B is a gradient check: they measure different things/
    )
  })
})

// ChartPanel draws with ECharts, which happy-dom cannot: a stub that shows its title and
// how many series its option has.
const ChartStub = defineComponent({
  props: { title: { type: String, required: true }, option: { type: Object, required: true } },
  setup: (p) => () =>
    h(
      'figure',
      { class: 'chart-stub', 'data-series': (p.option as { series: unknown[] }).series.length },
      p.title
    )
})

function mountPinned(a: CheckedRun | null, b: CheckedRun | null) {
  const pin = (r: CheckedRun | null): PinnedRun | null =>
    r ? { file: '/x/s.layerscope', run: r } : null
  return mount(SideBySide, {
    props: { pinned: [pin(a), pin(b)] as const },
    global: { stubs: { ChartPanel: ChartStub } }
  })
}

describe('SideBySide', () => {
  it('two depth runs: std and gradient charts with both runs, and a layer histogram overlay', async () => {
    const w = mountPinned(
      run('depth', depthJson([0.6, 0.3]), { title: 'tanh' }),
      run('depth', depthJson([1, 1, 1]), { title: 'relu' })
    )
    const charts = w.findAll('.chart-stub')
    expect(charts.map((c) => c.text())).toEqual([
      'Std of activations by layer (A and B)',
      'Gradient std per layer, log (A and B)',
      'Layer 1: activations of A and B (densities)'
    ])
    expect(charts.map((c) => c.attributes('data-series'))).toEqual(['2', '4', '2'])
    // Layer 3 exists only in B (the picker goes up to the deeper run): one histogram.
    await w.get('input[aria-label="Layer to compare"]').setValue(3)
    const hist = w.findAll('.chart-stub').at(-1)!
    expect(hist.text()).toBe('Layer 3: activations of A and B (densities)')
    expect(hist.attributes('data-series')).toBe('1')
  })

  it('runs of different kinds: says so plainly and overlays nothing', () => {
    const w = mountPinned(run('depth', depthJson([1])), run('sanity', { checks: [], pass: true }))
    expect(w.get('[data-testid="side-by-side-mixed"]').text()).toContain(
      'A is a depth run and B is a sanity check'
    )
    expect(w.findAll('.chart-stub')).toHaveLength(0)
  })

  it('gradient checks: a verdict-coloured table and one grouped chart', () => {
    const w = mountPinned(
      run('gradcheck', {
        verdict: 'great',
        maxRelError: 1e-9,
        params: [gcParam('W1', 1e-9, 'great')]
      }),
      run('gradcheck', {
        verdict: 'wrong',
        maxRelError: 0.5,
        params: [gcParam('W1', 0.5, 'wrong')]
      })
    )
    const table = w.get('[data-testid="side-by-side-gradcheck"]')
    expect(table.findAll('tbody .badge').map((b) => b.classes())).toEqual([
      ['badge', 'great'],
      ['badge', 'wrong']
    ])
    expect(w.findAll('.chart-stub').map((c) => c.attributes('data-series'))).toEqual(['2'])
  })

  it('a depth run with nothing to draw next to a good one says which', () => {
    const w = mountPinned(run('depth', depthJson([])), run('depth', depthJson([1])))
    expect(w.text()).toContain('A kept no per-layer statistics to draw.')
    expect(w.findAll('.chart-stub')[0]!.attributes('data-series')).toBe('1')
  })
})
