/** The lecture's bands, defined once (src-shared/verdicts) and applied by the engine. */
import { describe, expect, it } from 'vitest'
import { verdictFor, worstVerdict } from '../../../src-shared/verdicts'
import { verdictFor as engineVerdict } from '../../../src-workers/nn/gradcheck'

describe('verdict bands', () => {
  it('great < 1e-7 ≤ check < 1e-4 ≤ concern < 1e-2 ≤ wrong; NaN and ∞ are wrong', () => {
    const cases: [number, string][] = [
      [0, 'great'],
      [9.99e-8, 'great'],
      [1e-7, 'check'],
      [9.99e-5, 'check'],
      [1e-4, 'concern'],
      [1e-2, 'wrong'],
      [NaN, 'wrong'],
      [Infinity, 'wrong']
    ]
    for (const [eps, v] of cases) {
      expect(verdictFor(eps), String(eps)).toBe(v)
      expect(engineVerdict(eps)).toBe(v)
    }
    expect(worstVerdict(['great', 'concern', 'check'])).toBe('concern')
    expect(worstVerdict([])).toBe('great')
  })
})
