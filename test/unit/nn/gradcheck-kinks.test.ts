/**
 * Kinks in the verdict: every report carries both ways of counting (every entry, kink entries
 * left out), and --exclude-kinks picks which one the top-level fields are.
 */
import { describe, expect, it } from 'vitest'
import { GradcheckConfig } from '../../../src-shared/experiments'
import { gradcheck } from '../../../src-workers/tasks/engine'

const ctx = { progress: () => true }
// ReLU with a large step: several pre-activations cross 0 between θ − h and θ + h.
const base = { activation: 'relu' as const, layers: 3, width: 16, samples: 16, h: 1e-2 }

describe('gradcheck with and without the kinks', () => {
  it('reports both verdicts; the kink entries are what separates them', () => {
    const r = gradcheck(GradcheckConfig.parse(base), ctx)
    const kinks = r.params.reduce((a, p) => a + p.kinks, 0)
    expect(kinks).toBeGreaterThan(0)
    expect(r.kinksExcluded).toBeUndefined()
    for (const p of r.params) {
      expect(p.allEntries).toEqual({
        relError: p.relError,
        normRelError: p.normRelError,
        verdict: p.verdict,
        // input 4 → 16 → 16 → 3 classes
        entries: { W1: 64, b1: 16, W2: 256, b2: 16, W3: 48, b3: 3 }[p.name]
      })
      expect(p.excludingKinks!.entries).toBe(p.allEntries!.entries - p.kinks)
      // Without kinks, the same entries minus some: a parameter with no kinks is unchanged.
      if (p.kinks === 0) expect(p.excludingKinks).toEqual(p.allEntries)
    }
    const kinked = r.params.filter((p) => p.kinks > 0)
    // A kink mixes two slopes: leaving those entries out lowers the error of their parameter.
    expect(kinked.some((p) => p.excludingKinks!.normRelError < p.allEntries!.normRelError)).toBe(
      true
    )
    expect(r.verdicts).toEqual({
      allEntries: r.verdict,
      excludingKinks: expect.any(String) as unknown
    })
  })

  it('excludeKinks makes the top-level fields the kink-free ones; the other way stays reported', () => {
    const all = gradcheck(GradcheckConfig.parse(base), ctx)
    const ex = gradcheck(GradcheckConfig.parse({ ...base, excludeKinks: true }), ctx)
    expect(ex.kinksExcluded).toBe(true)
    expect(ex.verdicts).toEqual(all.verdicts)
    expect(ex.verdict).toBe(all.verdicts!.excludingKinks)
    ex.params.forEach((p, i) => {
      expect(p.normRelError).toBe(all.params[i]!.excludingKinks!.normRelError)
      expect(p.allEntries).toEqual(all.params[i]!.allEntries)
    })
  })
})
