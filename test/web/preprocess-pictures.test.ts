/**
 * The Preprocessing view's picture builders and sentences: the numbers drawn and said are the
 * numbers given (the cumulative variance ends at 1, the K line sits at K, the texts quote the
 * measured values and change with them).
 */
import { describe, expect, it } from 'vitest'
import {
  componentsFor,
  cumulativeVariance,
  cumulativeVarianceOption,
  featureName,
  niceCeil,
  nonzeroEigenvalues,
  scatterRows,
  scatterStageOption,
  spectrumOption,
  stageRange
} from '../../src-renderer/src/charts/preprocessPictures'
import { channelHistogramOption } from '../../src-renderer/src/charts/dataset'
import {
  centringText,
  correlation,
  pcaText,
  samplesText,
  scatterText
} from '../../src-renderer/src/explain/preprocessPictures'
import { explainPreprocessing } from '../../src-renderer/src/explain/preprocessing'
import type { PreprocessJobResult, PreprocessPicturesJson } from '../../src-shared/datasets'

type Opt = Record<string, unknown> & {
  series: { data: number[][]; markLine?: { data: { xAxis: number }[] } }[]
  xAxis: { min: number; max: number; name: string }
  yAxis: { type: string; min?: number; max?: number; name: string }
}

const stage = (x: number[], y: number[], cov: [number, number, number]) => ({ x, y, cov })
const scatter: PreprocessPicturesJson['scatter'] = {
  features: [
    { index: 527, channel: 0, row: 16, col: 15 },
    { index: 528, channel: 0, row: 16, col: 16 }
  ],
  count: 3,
  raw: stage([10, 200, 100], [20, 180, 110], [6066.7, 5200, 4466.7]),
  centred: stage([-93.3, 96.7, -3.3], [-83.3, 76.7, 6.7], [6066.7, 5200, 4466.7]),
  normalized: stage([-1.2, 1.24, -0.04], [-1.25, 1.15, 0.1], [1, 0.99, 1]),
  decorrelated: stage([-125, 124, 1], [2, -3, 1], [10400, 1e-13, 4.5]),
  whitened: stage([-1.22, 1.21, 0.01], [0.9, -1.4, 0.5], [1, 1e-16, 1]),
  eigenvalues: [10400, 4.5],
  heldOut: { count: 600, cov: [1.04, 0.02, 0.95] }
}

describe('scatter builders', () => {
  it('raw on 0…255; later stages square and symmetric about 0, holding every point', () => {
    expect(stageRange('raw', scatter.raw)).toEqual([0, 255])
    const [lo, hi] = stageRange('decorrelated', scatter.decorrelated)
    expect(lo).toBe(-hi)
    expect(hi).toBeGreaterThanOrEqual(125)
    expect(hi).toBeLessThanOrEqual(200)
    const o = scatterStageOption(scatter, 'whitened') as unknown as Opt
    expect(o.series[0]!.data).toEqual([
      [-1.22, 0.9],
      [1.21, -1.4],
      [0.01, 0.5]
    ])
    expect(o.xAxis.min).toBe(-2)
    expect(o.xAxis.name).toBe('principal axis 1')
    const raw = scatterStageOption(scatter, 'raw') as unknown as Opt
    expect(raw.xAxis.name).toBe('R(16,15)')
    expect(scatterRows(scatter)).toHaveLength(15)
  })

  it('niceCeil rounds up to a nice number', () => {
    expect(niceCeil(1.22)).toBe(2)
    expect(niceCeil(2.9)).toBe(3)
    expect(niceCeil(96.7)).toBe(100)
    expect(niceCeil(2)).toBe(2)
    expect(niceCeil(0.031)).toBeCloseTo(0.04, 12)
  })
})

describe('pca spectrum builders', () => {
  const eig = [5, 3, 1, 0.5, 0.5, 1e-15, -1e-16]

  it('cumulative explained variance rises to exactly 1; components for a fraction', () => {
    const c = cumulativeVariance(eig)
    expect(c[0]).toBeCloseTo(0.5, 12)
    expect(c[1]).toBeCloseTo(0.8, 12)
    expect(c.at(-1)).toBe(1)
    for (let i = 1; i < c.length; i++) expect(c[i]!).toBeGreaterThanOrEqual(c[i - 1]!)
    expect(componentsFor(eig, 0.8)).toBe(2)
    expect(componentsFor(eig, 0.85)).toBe(3)
    expect(componentsFor(eig, 1)).toBe(5)
    expect(nonzeroEigenvalues(eig)).toBe(5)
  })

  it('the spectrum is on a log axis without the zero eigenvalues; K is marked', () => {
    const o = spectrumOption(eig, 2) as unknown as Opt
    expect(o.yAxis.type).toBe('log')
    expect(o.series[0]!.data).toEqual([
      [1, 5],
      [2, 3],
      [3, 1],
      [4, 0.5],
      [5, 0.5]
    ])
    expect(o.series[0]!.markLine!.data[0]!.xAxis).toBe(2)
    const c = cumulativeVarianceOption(eig, 3) as unknown as Opt
    expect(c.yAxis).toMatchObject({ min: 0, max: 1 })
    const last = c.series[0]!.data.at(-1)!
    expect(last[0]).toBe(5)
    expect(last[1]).toBeCloseTo(1, 12)
    expect(c.series[0]!.markLine!.data[0]!.xAxis).toBe(3)
  })

  it('a one-row histogram (pca) is drawn as one series of all values, not as R', () => {
    const o = channelHistogramOption({
      edges: [0, 1, 19.546047894669364],
      counts: [[3, 4]]
    }) as unknown as {
      series: { name: string }[]
      legend?: unknown
      yAxis: { name: string }
      xAxis: { axisLabel: { formatter: (v: number) => string } }
    }
    expect(o.series.map((s) => s.name)).toEqual(['all values'])
    expect(o.legend).toBeUndefined()
    expect(o.yAxis.name).toBe('values')
    expect(o.xAxis.axisLabel.formatter(19.546047894669364)).toBe('19.5')
    expect(o.xAxis.axisLabel.formatter(-20)).toBe('-20')
  })
})

describe('sentences from the numbers', () => {
  it('centring quotes the channel means, the max difference and where', () => {
    const t = centringText({
      meanImage: '',
      channelImage: '',
      differenceImage: '',
      channelMean: [125.31, 122.96, 113.87],
      maxAbs: 41.23,
      at: { channel: 1, row: 3, col: 30 },
      gain: 127 / 41.23
    }).join(' ')
    expect(t).toContain('R 125.3, G 123.0, B 113.9')
    expect(t).toContain('at most 41.2 pixel values (at G(3,30))')
    expect(t).toContain('3.08× amplified')
  })

  it('scatter: correlation, std ratio verdict, eigenvalues, whitened and held-out covariance', () => {
    const t = scatterText(scatter)
    expect(correlation(scatter.raw.cov)).toBeCloseTo(5200 / Math.sqrt(6066.7 * 4466.7), 12)
    expect(t[0]).toContain(`correlation ${correlation(scatter.raw.cov).toFixed(3)}`)
    expect(t[0]).toContain('R(16,15) and R(16,16)')
    // The raw points' means: (10 + 200 + 100)/3 and (20 + 180 + 110)/3.
    expect(t[0]).toContain('subtracts their means (103.3, 103.3)')
    // std 77.9 vs 66.8: ratio 1.17 < 1.2.
    expect(t[1]).toContain('ratio 1.17')
    expect(t[1]).toContain('nearly equal')
    expect(t[2]).toContain('λ₁ = 1.04e4 and λ₂ = 4.50')
    expect(t[3]).toContain('[[1.000, 0.000], [0.000, 1.000]]')
    expect(t[4]).toContain('600 test images')
    expect(t[4]).toContain('[[1.04, 0.02], [0.02, 0.95]]')
    const uneven = scatterText({
      ...scatter,
      centred: { ...scatter.centred, cov: [100, 10, 25] }
    })
    expect(uneven[1]).toContain('ratio 2.00')
    expect(uneven[1]).toContain('rescaled unevenly')
  })

  it('pca: kept variance, components for 90 % and 99 %, the zero eigenvalues', () => {
    const t = pcaText({
      components: 2,
      samples: 6,
      eigenvalues: [5, 3, 1, 0.5, 0.5, 0]
    })
    expect(t[0]).toContain('top 2 of 6 eigenvectors: 80.0 %')
    expect(t[1]).toBe('90 % of the variance takes 3 components, 99 % takes 5.')
    expect(t[2]).toContain('Only 5 eigenvalues are non-zero')
    expect(pcaText({ components: 1, eigenvalues: [2, 1] })).toHaveLength(2)
    expect(pcaText({})).toEqual([])
  })

  it('samples: the spans quoted are the ranges given; pca says reconstruction', () => {
    const s = {
      indices: [0, 1],
      labels: [6, 9],
      images: '',
      ranges: [
        { lo: -100, hi: 120 },
        { lo: -50, hi: 30 }
      ],
      reconstructed: false
    }
    expect(samplesText('mean-image', s)).toContain('from 80.0 to 220')
    expect(samplesText('pca', { ...s, reconstructed: true })).toContain('reconstructions')
    expect(featureName({ channel: 2, row: 0, col: 31 })).toBe('B(0,31)')
  })
})

describe('the view explanation names pca components, not pixels', () => {
  it('quotes K and the measured mean and std of the components', () => {
    const split = { count: 540, mean: 1e-17, std: 2.64, channelMean: [], channelStd: [] }
    const r = {
      report: {
        mode: 'pca',
        fit: { components: 20 },
        after: { train: split, test: { ...split, mean: 0.0068, count: 600 } }
      },
      fingerprint: 'x',
      meanImage: '',
      histograms: { before: { edges: [], counts: [] }, after: { edges: [], counts: [] } },
      cached: false
    } as PreprocessJobResult
    const text = explainPreprocessing([{ mode: 'pca', r }])
    expect(text[0]).toContain("pca: the training images' 20 components")
    expect(text[0]).toContain('std 2.64')
    expect(text.at(-1)).toContain('components have no colour channels')
    expect(explainPreprocessing([{ mode: 'none', r }]).at(-1)).not.toContain('pca')
  })
})
