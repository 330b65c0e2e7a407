/**
 * The Depth view's explanation against real runs of the engine: every activation × init the view
 * offers (small stacks, so the test is quick), and the texts checked against the numbers of the
 * run they describe — a trend is claimed only when the measured factor shows it, predictions are
 * set beside measurements, and nothing says "0×" or "not measurable".
 */
import { describe, expect, it } from 'vitest'
import {
  explainDepth,
  meanRmsRatio,
  meanStdRatio,
  reluFamilyKeep,
  rms
} from '../../../src-renderer/src/explain/depth'
import { sig } from '../../../src-renderer/src/format'
import { ACTIVATIONS, DepthConfig, INITS } from '../../../src-shared/experiments'
import type { DepthResult } from '../../../src-shared/results'
import { depth } from '../../../src-workers/tasks/engine'

const ctx = { progress: () => true }

function run(o: Record<string, unknown>): DepthResult {
  return depth(
    {
      config: DepthConfig.parse({ layers: 5, width: 120, samples: 200, dtype: 'float64', ...o })
    },
    ctx
  ) as DepthResult
}

function checkConsistent(r: DepthResult, text: string): void {
  expect(text).not.toMatch(/(^|[^\d.])0×|not measurable|NaN|undefined/)
  const last = r.layers.at(-1)!
  const first = r.layers[0]!
  // A forward trend is claimed only when the measured factor shows it.
  const f = r.config.activation.match(/relu/) ? meanRmsRatio(r) : meanStdRatio(r)
  if (f !== null) {
    const total = Math.pow(f, r.layers.length)
    if (/collapse towards zero/.test(text)) expect(f).toBeLessThan(0.5)
    const claim = text.match(/(?:the scale|\(|— it) (shrinks|grows|stays about the same)/)?.[1]
    if (claim === 'shrinks') expect(total).toBeLessThan(0.8)
    if (claim === 'grows') expect(total).toBeGreaterThan(1.25)
    if (claim === 'stays about the same') {
      expect(total).toBeGreaterThanOrEqual(0.8)
      expect(total).toBeLessThanOrEqual(1.25)
    }
  }
  // The backward direction is the measured one.
  const ratio = first.dX.std / last.dX.std
  if (/∂L\/∂H\) goes from/.test(text)) {
    if (ratio < 1) expect(text).toMatch(/× smaller/)
    else expect(text).toMatch(/× larger/)
    expect(text).toContain(
      `std ${sig(last.dX.std)} at layer ${r.layers.length} to ${sig(first.dX.std)}`
    )
  }
  if (/the large W wins/.test(text)) expect(ratio).toBeGreaterThan(1)
  if (/vanishing derivatives win/.test(text)) expect(ratio).toBeLessThan(1)
  // The pre-activation sentence quotes this run's measurement.
  if (/predicted, /.test(text)) expect(text).toContain(`${sig(last.preStd)} measured`)
}

describe('depth explanation on every activation × init', () => {
  for (const activation of ACTIVATIONS)
    for (const init of INITS)
      it(`${activation} + ${init}`, () => {
        const r = run({ activation, init })
        const text = explainDepth(r).join(' ')
        expect(text.length).toBeGreaterThan(50)
        checkConsistent(r, text)
      })
  for (const activation of ['tanh', 'sigmoid', 'relu'] as const)
    for (const std of [0.01, 1])
      it(`${activation} + N(0, ${std}²)`, () => {
        const r = run({ activation, init: 'normal', std })
        checkConsistent(r, explainDepth(r).join(' '))
      })
})

describe('depth explanation: what the issue found wrong', () => {
  it('the pre-activation follows σ·√n × the RMS of the layer below (sigmoid: mean 0.5)', () => {
    const r = run({ activation: 'sigmoid', init: 'xavier' })
    const text = explainDepth(r).join(' ')
    expect(text).toContain('times the RMS')
    const L = r.layers.length
    const prev = r.layers[L - 2]!
    // Xavier: σ·√n = 1, so the prediction is the RMS itself, and the mean (≈ 0.5) dominates it.
    expect(prev.mean).toBeGreaterThan(0.4)
    expect(Math.abs(r.layers[L - 1]!.preStd / rms(prev) - 1)).toBeLessThan(0.1)
    // The std alone would predict a pre-activation std several times too small.
    expect(prev.std / r.layers[L - 1]!.preStd).toBeLessThan(0.5)
    expect(text).toContain(`${sig(rms(prev))} = ${sig(rms(prev))} predicted`)
  })

  it('PReLU + Xavier predicts from its own slope, (1 + α²)/2, and matches the measurement', () => {
    const r = run({ activation: 'prelu', init: 'xavier' })
    const text = explainDepth(r).join(' ')
    const keep = reluFamilyKeep('prelu', undefined, 0.25)!
    expect(keep).toBeCloseTo(0.53125, 12)
    expect(text).toContain('(1 + a²)/2 = 0.531')
    expect(text).toContain(`= ${sig(Math.sqrt(keep), 2)} per layer`)
    expect(text).not.toMatch(/ReLU zeroes|0\.71/)
    expect(Math.abs(meanRmsRatio(r)! / Math.sqrt(keep) - 1)).toBeLessThan(0.05)
  })

  it('Leaky ReLU uses its slope; ReLU + He says ½ and is measured near 1', () => {
    const leaky = explainDepth(run({ activation: 'leaky-relu', init: 'he' })).join(' ')
    expect(leaky).toContain('scales the negative half by 0.01')
    expect(leaky).not.toContain('ReLU zeroes')
    const r = run({ activation: 'relu', init: 'he' })
    const relu = explainDepth(r).join(' ')
    expect(relu).toContain('keeping ½')
    expect(relu).toContain('= 1.0 per layer')
    expect(relu).toContain('stays about the same')
  })

  it('tanh with N(0, 1): saturated units AND a backward signal that grows — both said', () => {
    const r = depth(
      {
        config: DepthConfig.parse({
          activation: 'tanh',
          init: 'normal',
          std: 1,
          width: 200,
          samples: 300,
          dtype: 'float64'
        })
      },
      ctx
    ) as DepthResult
    const text = explainDepth(r).join(' ')
    const ratio = r.layers[0]!.dX.std / r.layers.at(-1)!.dX.std
    expect(ratio).toBeGreaterThan(100)
    expect(text).toMatch(/below 1 % of its peak/)
    expect(text).toMatch(/× larger \(exploding\)/)
    expect(text).toMatch(/the local derivatives tanh′ nearly vanish where units saturate, yet/)
    expect(text).not.toMatch(/almost no gradient passes back/)
  })

  it('zero init: the signal is exactly zero and symmetry is never broken, no ratios', () => {
    for (const activation of ['tanh', 'relu', 'sigmoid'] as const) {
      const text = explainDepth(run({ activation, init: 'zeros' })).join(' ')
      expect(text).toContain('every pre-activation is exactly 0')
      expect(text).toContain('symmetry is never broken')
      expect(text).not.toMatch(/×|σ·√/)
    }
    expect(explainDepth(run({ activation: 'sigmoid', init: 'zeros' })).join(' ')).toContain(
      'outputs f(0) = 0.500'
    )
  })

  it('constant init: every unit a copy of one, no σ·√n rule', () => {
    const r = run({ activation: 'tanh', init: 'constant', std: 0.002 })
    expect(r.config.std).toBe(0.002)
    const text = explainDepth(r).join(' ')
    expect(text).toContain('Every weight equals 0.002')
    expect(text).toContain('all 120 units of a layer are copies of one')
    expect(text).not.toMatch(/σ·√n/)
  })
})
