/**
 * The lecture's claims: the catalog is complete and consistent, the judge does what its comment
 * says, and every card that needs no depth table gives its expected verdict when run in-process
 * (the five tables and their companions run in test/integration/cli-lecture-run.test.ts).
 */
import { describe, expect, it } from 'vitest'
import {
  claimById,
  claimSeeds,
  judgeClaim,
  LECTURE_CLAIMS,
  LECTURE_SECTIONS,
  LectureConfig,
  type LectureClaim
} from '../../../src-shared/lecture'
import { CARD_RUNNERS, runLectureCard } from '../../../src-workers/lecture/cards'

describe('the catalog', () => {
  it('has about fifty claims in the lecture’s section order, each with a runner', () => {
    expect(LECTURE_CLAIMS.length).toBeGreaterThanOrEqual(50)
    const ids = LECTURE_CLAIMS.map((c) => c.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(Object.keys(CARD_RUNNERS).sort()).toEqual([...ids].sort())
    const order = LECTURE_SECTIONS.map((s) => s.id)
    const sections = LECTURE_CLAIMS.map((c) => order.indexOf(c.section))
    expect(sections).toEqual([...sections].sort((a, b) => a - b))
    for (const c of LECTURE_CLAIMS) {
      if (c.rows && c.printed) expect(c.printed.length, c.id).toBe(c.rows.length)
      if (c.expect !== 'reproduces') expect(c.why, c.id).toBeTruthy()
      if (c.judge.kind === 'close') expect(c.printed ?? c.target, c.id).toBeTruthy()
    }
  })

  it('quotes the lecture’s figures: the five tables, 108.000006, 3.0686, 2.3026', () => {
    expect(claimById('table-tanh-small')!.printed!.slice(0, 3)).toEqual([
      0.998388, 0.213081, 0.047551
    ])
    expect(claimById('table-relu-he')!.printed!.at(-1)).toBe(0.84452)
    expect(claimById('x4-centred')!.printed).toEqual([108.000006])
    expect(claimById('reg-1e3-half')!.printed).toEqual([3.06859716482])
    expect(claimById('initial-loss')!.printed).toEqual([2.30261216167])
  })

  it('validates `only` against the claim ids', () => {
    expect(LectureConfig.parse({ only: ['he-std'] }).seeds).toBe(5)
    const bad = LectureConfig.safeParse({ only: ['nope'] })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toMatch(/no claim 'nope'/)
  })
})

describe('judgeClaim', () => {
  const close: LectureClaim = {
    id: 't',
    section: 'init',
    statement: 's',
    measures: 'm',
    printed: [1],
    judge: { kind: 'close', tol: 0.01 },
    expect: 'reproduces',
    seeds: 5
  }
  it('close: |mean − target| ≤ tol + 4·std, std the sample std over seeds', () => {
    // mean 1.045, sample std √(4·0.01²/4) = 0.01
    const per = [[1.035], [1.055], [1.045], [1.035], [1.055]]
    const r = judgeClaim(close, per, [1, 2, 3, 4, 5])
    expect(r.measured[0]).toBeCloseTo(1.045, 12)
    expect(r.spread[0]).toBeCloseTo(0.01, 12)
    // 0.045 ≤ 0.01 + 4·0.01: reproduces; with a spread of 0 it would not
    expect(r.verdict).toBe('reproduces')
    expect(judgeClaim(close, [[1.045]], [1]).verdict).toBe('differs')
    const far = judgeClaim(close, [[1.2], [1.2], [1.2], [1.2], [1.2]], [1, 2, 3, 4, 5])
    expect(far.verdict).toBe('differs')
    expect(far.asExpected).toBe(false)
    expect(far.detail).toMatch(/measured 1\.2 ± 0 against 1/)
    const off = judgeClaim({ ...close, expect: 'lecture-off', why: 'w' }, [[1.2]], [1])
    expect([off.verdict, off.asExpected]).toEqual(['lecture-off', true])
  })
  it('range: every seed within [lo, hi], per entry', () => {
    const c: LectureClaim = {
      ...close,
      printed: null,
      judge: { kind: 'range', lo: [0, 1], hi: [1, 1] }
    }
    expect(
      judgeClaim(
        c,
        [
          [0.5, 1],
          [0.9, 1]
        ],
        [1, 2]
      ).verdict
    ).toBe('reproduces')
    const r = judgeClaim(
      c,
      [
        [0.5, 1],
        [1.1, 1]
      ],
      [1, 2]
    )
    expect(r.entryPass).toEqual([false, true])
    expect(r.verdict).toBe('differs')
  })
})

/** Cards backed by the 10 × 500 depth tables: slow, run by the integration test. */
const DEPTH_CARDS = new Set([
  'table-tanh-small',
  'small-init-gradients',
  'table-tanh-unit',
  'unit-init-saturated',
  'unit-init-gradients-zero',
  'xavier-variance',
  'table-tanh-xavier',
  'xavier-linear-assumption',
  'table-relu-xavier',
  'relu-xavier-halving',
  'relu-xavier-caption',
  'table-relu-he',
  'relu-positive-bias',
  'initial-loss',
  'reg-raises-loss',
  'reg-1e3-half',
  'reg-1e3-full',
  'overfit-zero-cost'
])

describe('every light card gives its expected verdict', () => {
  for (const claim of LECTURE_CLAIMS.filter((c) => !DEPTH_CARDS.has(c.id))) {
    it(claim.id, () => {
      const seeds = claimSeeds(claim, 5)
      const per = seeds.map((seed) => runLectureCard({ id: claim.id, seed }))
      const r = judgeClaim(claim, per, seeds)
      expect(r.verdict, `${claim.id}: ${r.detail}`).toBe(claim.expect)
    })
  }
})

describe('cards against mathematics', () => {
  it('x⁴ at 3: the centred quotient is 108 + 12h² (the lecture prints 108.000006)', () => {
    expect(runLectureCard({ id: 'x4-centred', seed: 1 })[0]).toBeCloseTo(108.000012, 9)
  })
  it('E[ELU(z)] and E[ReLU(z)] for z ~ N(0,1) within 4 standard errors of the closed forms', () => {
    const [elu, relu] = runLectureCard({ id: 'elu-mean', seed: 9 }) as [number, number]
    // Var(ReLU(z)) = ½ − 1/(2π); standard error over 10⁵ draws.
    expect(Math.abs(relu - 1 / Math.sqrt(2 * Math.PI))).toBeLessThan(
      4 * Math.sqrt((0.5 - 1 / (2 * Math.PI)) / 1e5)
    )
    expect(
      Math.abs(elu - (1 / Math.sqrt(2 * Math.PI) + Math.exp(0.5) * 0.15865525393145707 - 0.5))
    ).toBeLessThan(0.005)
  })
  it('the ω demo reproduces ω^(L−1) to float64 precision', () => {
    for (const v of runLectureCard({ id: 'omega-formula', seed: 1 })) expect(v).toBeCloseTo(1, 12)
  })
  it('an unknown card id is an error', () => {
    expect(() => runLectureCard({ id: 'nope', seed: 1 })).toThrow(/no lecture card 'nope'/)
  })
})
