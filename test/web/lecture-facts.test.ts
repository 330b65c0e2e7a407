/** Session run facts for the lecture's run kinds: a lecture report, a scalar check, an ω demo. */
import { describe, expect, it } from 'vitest'
import { runFacts } from '../../src-renderer/src/sessions/runSummary'
import type { SessionRun } from '../../src-shared/session'

const run = (kind: SessionRun['kind'], result: SessionRun['result']): SessionRun => ({
  id: 'r1',
  kind,
  title: 't',
  notes: '',
  tags: [],
  createdAt: '2026-12-04T00:00:00.000Z',
  config: {},
  result
})

describe('run facts of the lecture kinds', () => {
  it('a lecture report counts its verdicts', () => {
    const facts = runFacts(
      run('lecture', {
        cards: [
          { verdict: 'reproduces' },
          { verdict: 'reproduces' },
          { verdict: 'differs' },
          { verdict: 'lecture-off' }
        ],
        pass: true,
        seconds: 1
      })
    )
    expect(facts).toEqual([
      { label: 'claims', value: '4' },
      { label: 'reproduce', value: '2' },
      { label: 'differ', value: '1' },
      { label: 'lecture off', value: '1' },
      { label: 'all as expected', value: 'yes' }
    ])
  })
  it('a scalar check and an ω demo say their numbers', () => {
    const s = runFacts(
      run('scalar-check', {
        fn: 'x4',
        label: 'x⁴',
        x: 3,
        series: [{ dtype: 'float64', forward: { slope: 1.0062 }, centred: { slope: 1.9998 } }]
      })
    )
    expect(s[0]).toEqual({ label: 'function', value: 'x⁴ at x = 3' })
    expect(s[1]!.value).toMatch(/forward 1\.01, centred 2\.00/)
    const o = runFacts(
      run('omega', {
        series: [{ omega: 0.5, first: { ratio: 0.001953125, predicted: 0.001953125 } }]
      })
    )
    expect(o[0]!.label).toBe('ω = 0.5')
    expect(o[0]!.value).toMatch(/^δ¹\/δᴸ 0\.001953/)
  })
})
