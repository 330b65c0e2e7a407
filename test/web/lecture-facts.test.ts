/** Session run facts for the lecture's run kinds: a lecture report, a scalar check, an ω demo. */
import { describe, expect, it } from 'vitest'
import { runFacts } from '../../src-renderer/src/sessions/runSummary'
import { storedRun as run } from '../helpers/stored-runs'

const card = (verdict: string) => ({
  id: 'c',
  measured: [],
  spread: [],
  perSeed: [],
  seeds: [],
  verdict,
  expected: verdict,
  asExpected: true,
  entryPass: [],
  detail: '',
  seconds: 0
})
const fit = (slope: number) => ({
  slope,
  fitFrom: null,
  fitTo: null,
  predictedBestH: null,
  floor: null
})

describe('run facts of the lecture kinds', () => {
  it('a lecture report counts its verdicts', () => {
    const facts = runFacts(
      run('lecture', {
        cards: [card('reproduces'), card('reproduces'), card('differs'), card('lecture-off')],
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
        value: 81,
        exact: 108,
        left: 108,
        right: 108,
        series: [{ dtype: 'float64', points: [], forward: fit(1.0062), centred: fit(1.9998) }]
      })
    )
    expect(s[0]).toEqual({ label: 'function', value: 'x⁴ at x = 3' })
    expect(s[1]!.value).toMatch(/forward 1\.01, centred 2\.00/)
    const o = runFacts(
      run('omega', {
        config: { layers: 10, width: 50, omegas: [0.5], samples: 100, seed: 1, dtype: 'float64' },
        series: [
          {
            omega: 0.5,
            layers: [],
            first: { ratio: 0.001953125, predicted: 0.001953125 },
            maxRelError: 0
          }
        ]
      })
    )
    expect(o[0]!.label).toBe('ω = 0.5')
    expect(o[0]!.value).toMatch(/^δ¹\/δᴸ 0\.001953/)
  })
})
