/**
 * The lecture's advice beside the measurements: each piece of evidence follows its numbers —
 * "supports" when they back the advice, "qualifies" when they go against it.
 */
import { describe, expect, it } from 'vitest'
import { recommendations } from '../../src-renderer/src/explain/recommendations'
import { DEFAULT_PARAMS } from '../../src-renderer/src/math/activations'
import type { LiveRow } from '../../src-renderer/src/stores/activations'
import type { ActivationCostRow } from '../../src-shared/results'

const live = (a: LiveRow['activation'], o: Partial<LiveRow> = {}): LiveRow => ({
  activation: a,
  preStd: 1,
  mean: 0,
  std: 1,
  saturated: 0,
  dead: 0,
  ...o
})
const cost = (a: string, ns: number): ActivationCostRow => ({
  activation: a,
  family: ['sigmoid', 'tanh', 'elu', 'gelu', 'selu'].includes(a) ? 'exp' : 'max',
  forwardNs: ns / 2,
  backwardNs: ns / 2,
  forwardRuns: [ns / 2],
  backwardRuns: [ns / 2]
})

const textual = (r: ReturnType<typeof recommendations>[number]) =>
  r.evidence.map((e) => `${e.stance}: ${e.text}`).join('\n')

describe('recommendations', () => {
  it('states the four pieces of advice in the lecture’s order, asking for what is not measured', () => {
    const r = recommendations({ live: [], cost: [], params: DEFAULT_PARAMS })
    expect(r.map((x) => x.advice)).toEqual([
      'Use ReLU, and be careful with the learning rate.',
      'Try Leaky ReLU, Maxout or ELU.',
      'Try tanh, but do not expect much.',
      'Do not use sigmoid (in hidden layers).'
    ])
    expect(r[0]!.missing).toContain('the cost measurement')
    // Facts from the formulas need no run.
    expect(textual(r[0]!)).toContain('supports: ReLU′ = 1 for every x > 0')
    expect(textual(r[3]!)).toContain('sigmoid′ is at most 0.25')
  })

  it('cheaper ReLU supports; a ReLU that is not cheaper on this machine qualifies', () => {
    const cheap = recommendations({
      live: [],
      cost: [cost('relu', 1), cost('sigmoid', 4), cost('tanh', 3)],
      params: DEFAULT_PARAMS
    })
    expect(textual(cheap[0]!)).toContain(
      'supports: Measured here, ReLU runs at 0.25× the cost of sigmoid'
    )
    const notCheap = recommendations({
      live: [],
      cost: [cost('relu', 2), cost('sigmoid', 2.1), cost('tanh', 1)],
      params: DEFAULT_PARAMS
    })
    const t = textual(notCheap[0]!)
    expect(t).toContain('qualifies: Measured here, ReLU runs at about the same cost as sigmoid')
    expect(t).toContain(
      'qualifies: Measured here, ReLU runs at 2.0× the cost of tanh (2.0 vs 1.0 ns per element, forward + backward) — not cheaper'
    )
    expect(textual(notCheap[3]!)).toContain(
      'qualifies: exp() is a bit expensive: sigmoid runs at about the same cost as relu'
    )
  })

  it('dead ReLU units qualify "use ReLU"; leaky/maxout/ELU with none support the variants', () => {
    const r = recommendations({
      live: [
        live('relu', { dead: 0.12, mean: 0.56 }),
        live('leaky-relu', { mean: 0.55 }),
        live('maxout', { mean: 0.9 }),
        live('elu', { mean: 0.16 })
      ],
      cost: [],
      params: DEFAULT_PARAMS
    })
    expect(textual(r[0]!)).toContain(
      "qualifies: In the live forward pass 12 % of ReLU's units are dead"
    )
    const v = textual(r[1]!)
    expect(v).toContain('supports: leaky-relu: 0 % dead units (ReLU: 12 %)')
    expect(v).toContain(
      "supports: ELU's outputs are closer to zero mean than ReLU's (0.16 vs 0.56)"
    )
    expect(r[1]!.missing).toEqual(['the cost measurement'])
  })

  it('numbers against the textbook are not dressed as support', () => {
    const r = recommendations({
      live: [
        live('relu', { mean: 0.1 }),
        live('elu', { mean: 0.3 }),
        live('tanh', { mean: 0.2, saturated: 0 }),
        live('sigmoid', { mean: 0.05 })
      ],
      cost: [],
      params: DEFAULT_PARAMS
    })
    expect(textual(r[1]!)).toContain(
      "qualifies: Here ELU's mean (0.30) is not closer to zero than ReLU's (0.10)"
    )
    expect(textual(r[2]!)).toContain('qualifies: Its mean in the live pass is 0.20, not near zero')
    expect(textual(r[2]!)).toContain(
      'qualifies: With these weights only 0 % of its entries are saturated'
    )
    expect(textual(r[3]!)).toContain('qualifies: Its mean in the live pass is only 0.050')
    expect(textual(r[3]!)).not.toContain('Not zero-centred')
  })
})
