/** The charts draw the bands the engine applies: the one list in src-shared/verdicts. */
import { describe, expect, it } from 'vitest'
import { VERDICT_BANDS as CHART_BANDS, verdictOf } from '../../src-renderer/src/charts/gradcheck'
import { VERDICT_BANDS, verdictFor } from '../../src-shared/verdicts'

describe('chart bands', () => {
  it('are the shared bands', () => {
    expect(CHART_BANDS).toBe(VERDICT_BANDS)
    for (const eps of [0, 9.99e-8, 1e-7, 1e-4, 1e-2, NaN])
      expect(verdictOf(eps)).toBe(verdictFor(eps))
  })
})
