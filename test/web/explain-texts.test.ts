/**
 * The explanation texts of the Activations, Preprocessing, Training and Sanity views, each
 * against the numbers it is built from — including the cases where those numbers contradict
 * the textbook, where the text must not claim the textbook.
 */
import { describe, expect, it } from 'vitest'
import { explainActivations, leftSide } from '../../src-renderer/src/explain/activations'
import { explainPreprocessing } from '../../src-renderer/src/explain/preprocessing'
import { sanityDataText } from '../../src-renderer/src/explain/sanity'
import { explainTraining } from '../../src-renderer/src/explain/training'
import { sig } from '../../src-renderer/src/format'
import { activationDf, DEFAULT_PARAMS } from '../../src-renderer/src/math/activations'
import type { TrainRunMeta } from '../../src-renderer/src/stores/training'
import { emptySeries } from '../../src-renderer/src/training/series'
import type { PreprocessJobResult } from '../../src-shared/datasets'

describe('Activations view explanation', () => {
  it('quotes f′ computed here: sigmoid at most 0.25, 0.25¹⁰, sigmoid′(10) and tanh′(10)', () => {
    const text = explainActivations([]).join(' ')
    expect(text).toContain('at most 0.25')
    expect(text).toContain(`≈ ${sig(0.25 ** 10, 2)}`)
    expect(text).toContain(`sigmoid′ is ${sig(activationDf('sigmoid', 10), 2)}`)
    expect(text).toContain(`tanh′ is ${sig(activationDf('tanh', 10), 2)}`)
  })

  it('ELU, GELU and SELU at −10 are saturated, not dead; ReLU is dead; leaky keeps its slope', () => {
    expect(leftSide('elu')).toMatch(/saturated, not dead/)
    expect(leftSide('gelu')).toMatch(/saturated, not dead/)
    expect(leftSide('selu')).toMatch(/saturated, not dead/)
    expect(leftSide('relu')).toMatch(/dead there/)
    expect(leftSide('leaky-relu')).toBe('Leaky ReLU keeps the slope 0.010 on the whole left side')
    expect(leftSide('prelu')).toBe('PReLU keeps the slope 0.25 on the whole left side')
    // The parameters on screen change the words: ELU with α = 0 is dead on the left.
    expect(leftSide('elu', { ...DEFAULT_PARAMS, alpha: 0 })).toMatch(/dead there/)
    expect(leftSide('prelu', { ...DEFAULT_PARAMS, preluAlpha: 1 })).toBe(
      'PReLU keeps the slope 1.0 on the whole left side'
    )
  })

  it('speaks only of the curves shown', () => {
    const text = explainActivations(['tanh', 'elu']).join(' ')
    expect(text).toContain("ELU's slope falls")
    expect(text).not.toContain('Leaky ReLU')
    expect(text).not.toContain('Maxout')
  })
})

function prep(mode: string, mean: number, std: number): { mode: string; r: PreprocessJobResult } {
  const split = {
    count: 100,
    mean,
    std,
    channelMean: [mean, mean, mean],
    channelStd: [std, std, std]
  }
  return {
    mode,
    r: {
      report: { mode, fit: {}, after: { train: split, test: { ...split, mean: mean + 0.001 } } },
      fingerprint: 'x',
      meanImage: '',
      histograms: { before: { edges: [], counts: [] }, after: { edges: [], counts: [] } },
      cached: false
    }
  }
}

describe('Preprocessing explanation', () => {
  it('before fitting: the lecture’s advice as the lecture’s, not “about the same / adds little”', () => {
    const text = explainPreprocessing([]).join(' ')
    expect(text).not.toMatch(/about the same|adds little/)
    expect(text).toContain('normalizing speeds up training')
    expect(text).toContain('centring alone')
  })

  it('after fitting: what this data shows, mode by mode', () => {
    const text = explainPreprocessing([
      prep('none', 120.7, 64.2),
      prep('mean-image', 0, 62.9),
      prep('standardize', 0, 1)
    ]).join(' ')
    expect(text).toContain('mean-image and standardize leave the training pixels centred')
    expect(text).toContain('none (mean 121) does not')
    expect(text).toContain('ranges from 1.00 to 64.2')
    expect(text).toContain('standardize is near unit scale')
    expect(text).not.toMatch(/about the same|adds little/)
  })

  it('a mode that did not centre is not called centred', () => {
    const text = explainPreprocessing([
      prep('mean-image', 3, 60),
      prep('channel-mean', 0, 61)
    ]).join(' ')
    expect(text).toContain('channel-mean leaves the training pixels centred')
    expect(text).toContain('mean-image (mean 3.00) does not')
  })
})

const run = { name: 'run 1', diverged: null } as unknown as TrainRunMeta

describe('Training explanation', () => {
  it('compares the first DATA loss with ln 10, and names the regularization term apart', () => {
    const s = { ...emptySeries(), losses: [2.52], initialLoss: { data: 2.3031, reg: 0.217 } }
    const text = explainTraining(run, s).join(' ')
    expect(text).toContain('first data loss was 2.303')
    expect(text).toContain('close to it')
    expect(text).toContain('regularization term added 0.217, for a total of 2.520')
  })

  it('a data loss far from ln 10 is called so; a total loss alone is not compared with ln 10', () => {
    const far = { ...emptySeries(), losses: [9], initialLoss: { data: 8.9, reg: 0.1 } }
    expect(explainTraining(run, far).join(' ')).toContain('far above it')
    const old = { ...emptySeries(), losses: [2.52] }
    const text = explainTraining(run, old).join(' ')
    expect(text).toContain('total loss of 2.520')
    expect(text).toContain('cannot be set against ln 10')
    expect(text).not.toMatch(/close to it|far (above|below) it/)
  })
})

describe('Sanity view data wording', () => {
  it('says "synthetic" only for synthetic data', () => {
    expect(sanityDataText({ source: 'synthetic', examples: 500, preprocess: 'none' })).toMatch(
      /^synthetic CIFAR-sized data \(500 examples/
    )
    const open = sanityDataText({ source: 'dataset', examples: 500, preprocess: 'mean-image' })
    expect(open).toContain('open CIFAR-10 dataset')
    expect(open).toContain('mean-image')
    expect(open).not.toMatch(/synthetic/)
  })
})

describe('Gradient check explanation: both verdicts', () => {
  const param = (kinks: number, all: 'great' | 'check' | 'concern', excl: 'great' | 'check') => ({
    name: 'W1',
    relError: 1e-3,
    normRelError: 1e-5,
    verdict: all,
    kinks,
    worst: [],
    allEntries: { relError: 1e-3, normRelError: 1e-5, verdict: all, entries: 10 },
    excludingKinks: { relError: 1e-9, normRelError: 1e-10, verdict: excl, entries: 10 - kinks }
  })
  it('says which verdict the kinks change, from the report', async () => {
    const { explainGradcheck } = await import('../../src-renderer/src/explain/gradcheck')
    const c = { dtype: 'float64' as const, h: 1e-5, burnIn: 0 }
    const differ = explainGradcheck(
      {
        params: [param(3, 'concern', 'great')],
        maxRelError: 1e-3,
        verdict: 'concern',
        verdicts: { allEntries: 'concern', excludingKinks: 'great' }
      },
      c
    ).join(' ')
    expect(differ).toContain(
      'Counting every entry the verdict is concern; with the kink entries left out it is great'
    )
    const same = explainGradcheck(
      {
        params: [param(1, 'great', 'great')],
        maxRelError: 1e-9,
        verdict: 'great',
        verdicts: { allEntries: 'great', excludingKinks: 'great' }
      },
      c
    ).join(' ')
    expect(same).toContain('Both ways the verdict is great')
  })
})

describe('Training explanation: dead and identical units', () => {
  it('reports dead units start → end with the bias, and units that stayed copies', async () => {
    const { explainUnits } = await import('../../src-renderer/src/explain/training')
    const u = {
      examples: 1000,
      width: [100],
      deadAtStart: [0.02],
      deadAtEnd: [0.11],
      distinctAtStart: [100],
      distinctAtEnd: [100]
    }
    const t = explainUnits(u, { bias: 0, init: 'he', activation: 'relu' }).join(' ')
    expect(t).toContain('exactly 0 on all 1000 probe examples')
    expect(t).toContain('layer 1: 2.0 % → 11 %')
    expect(t).toContain('a slightly positive start (e.g. 0.01')
    const pos = explainUnits(u, { bias: 0.01, init: 'he', activation: 'relu' }).join(' ')
    expect(pos).toContain('The biases started at 0.01, slightly positive')
    const none = explainUnits(
      { ...u, deadAtStart: [0], deadAtEnd: [0] },
      { bias: 0, init: 'he', activation: 'tanh' }
    ).join(' ')
    expect(none).toContain('The biases started at 0.')
    expect(none).not.toContain('slightly positive')
    const sym = explainUnits(
      { ...u, distinctAtStart: [1], distinctAtEnd: [1] },
      { bias: 0, init: 'constant', activation: 'relu' }
    ).join(' ')
    expect(sym).toContain('Layer 1: only 1 of its 100 units differ at the end (1 at the start)')
    expect(sym).toContain('the symmetry never broke')
  })
})
