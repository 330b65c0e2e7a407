/**
 * The lecture's CLI additions in-process (runCli with the TypeScript workers): sanity's
 * regularization convention and overfit-to-zero-cost, values against mathematics and the
 * lecture's printed figures.
 */
import { cli } from '../helpers/cli'
import { describe, expect, it } from 'vitest'

async function json<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json')
  expect(r.stderr, argv.join(' ')).toBe('')
  expect(r.code, argv.join(' ')).toBe(0)
  return JSON.parse(r.stdout) as T
}

async function bad(pattern: RegExp, ...argv: string[]): Promise<void> {
  const r = await cli(...argv)
  expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(pattern)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
}

interface SanityJson {
  checks: [
    { name: string; value: number },
    { name: string; values: { reg: number; loss: number }[]; convention: string; sumW2: number },
    {
      name: string
      trainAcc: number
      finalLoss: number
      epochs: number
      targetLoss: number
      maxEpochs: number
      epochsToFullAccuracy: number | null
      epochsToTarget: number | null
      pass: boolean
    }
  ]
  pass: boolean
}

describe('layerscope sanity: --reg-half, the sweep to 1e3, overfit to zero cost', () => {
  it('reg 1e3 adds ½·1e3·ΣW² with --reg-half and 1e3·ΣW² without', async () => {
    const half = await json<SanityJson>('sanity', '--synthetic', '100', '--reg-half')
    const full = await json<SanityJson>('sanity', '--synthetic', '100')
    const [, h] = half.checks
    const [, f] = full.checks
    expect(h.convention).toBe('half')
    expect(f.convention).toBe('full')
    expect(h.values.at(-1)!.reg).toBe(1000)
    expect(h.values.at(-1)!.loss - h.values[0]!.loss).toBeCloseTo(500 * h.sumW2, 10)
    expect(f.values.at(-1)!.loss - f.values[0]!.loss).toBeCloseTo(1000 * f.sumW2, 10)
    // The lecture's 3.0686 (CIFAR-10, 3072 → 50 → 10, std 1e-4): ours within 0.02 of it.
    expect(Math.abs(h.values.at(-1)!.loss - 3.06859716482)).toBeLessThan(0.02)
    const o = half.checks[2]
    expect(o).toMatchObject({ targetLoss: 0.01, maxEpochs: 2000, trainAcc: 1, pass: true })
    expect(o.finalLoss).toBeLessThan(0.01)
    expect(o.epochsToTarget).toBe(o.epochs)
    const t = await cli('sanity', '--synthetic', '50', '--reg-half')
    expect(t.stdout).toMatch(/penalty ½·reg·ΣW²\): .*reg 1000 → 3\.0\d+/)
    expect(t.stdout).toMatch(/below 0\.01 at epoch \d+; budget 2000 epochs/)
  })

  it('a budget too small for the target: reported, and the check fails', async () => {
    const r = await cli(
      'sanity',
      '--synthetic',
      '60',
      '--target-loss',
      '1e-6',
      '--max-epochs',
      '3',
      '--json'
    )
    expect(r.code).toBe(0)
    const o = (JSON.parse(r.stdout) as SanityJson).checks[2]
    expect(o).toMatchObject({
      epochs: 3,
      maxEpochs: 3,
      targetLoss: 1e-6,
      epochsToTarget: null,
      pass: false
    })
    await bad(/--target-loss/, 'sanity', '--synthetic', '60', '--target-loss', '0')
    await bad(/--max-epochs/, 'sanity', '--synthetic', '60', '--max-epochs', '1.5')
  })
})

describe('layerscope scalar-check', () => {
  it("x⁴ at 3: slopes 1 and 2, the lecture's 108.000006 flagged (108.000012)", async () => {
    const r = await json<{
      exact: number
      series: { dtype: string; forward: { slope: number }; centred: { slope: number } }[]
      lecture: { measured: { centred: number }; printed: { centred: number } }
    }>('scalar-check')
    expect(r.exact).toBe(108)
    expect(r.series.map((s) => s.dtype)).toEqual(['float64', 'float32'])
    for (const s of r.series) {
      expect(Math.abs(s.forward.slope - 1)).toBeLessThan(0.1)
      expect(Math.abs(s.centred.slope - 2)).toBeLessThan(0.1)
    }
    expect(r.lecture.measured.centred).toBeCloseTo(108.000012, 8)
    expect(r.lecture.printed.centred).toBe(108.000006)
    const t = await cli('scalar-check')
    expect(t.stdout).toMatch(/centred 108\.000012 \(printed 108\.000006: the lecture is off\)/)
    const k = await cli('scalar-check', '--fn', 'abs')
    expect(k.stdout).toMatch(/a kink: left derivative -1, right derivative 1/)
    await bad(/--fn: .*x4/, 'scalar-check', '--fn', 'cube')
    await bad(/--per-decade/, 'scalar-check', '--per-decade', '0')
  })
})

describe('layerscope omega and the linear activation', () => {
  it('δ¹ = ω^(L−1)·δᴸ for ω below and above 1; linear works in depth and gradcheck', async () => {
    const r = await json<{
      series: { omega: number; first: { ratio: number; predicted: number } }[]
    }>('omega', '--layers', '6', '--omegas', '0.8,1.25')
    expect(r.series.map((s) => s.omega)).toEqual([0.8, 1.25])
    for (const s of r.series) {
      expect(s.first.predicted).toBeCloseTo(s.omega ** 5, 12)
      expect(s.first.ratio / s.first.predicted).toBeCloseTo(1, 10)
    }
    await bad(/--omegas: 'x' is not a number/, 'omega', '--omegas', '0.9,x')
    await bad(/--omegas: .*1e±250/, 'omega', '--omegas', '0.001', '--layers', '100')
    const d = await json<{ layers: { std: number }[] }>(
      'depth',
      '--activation',
      'linear',
      '--init',
      'xavier',
      '--layers',
      '3',
      '--width',
      '100',
      '--samples',
      '200'
    )
    for (const l of d.layers) expect(Math.abs(l.std - 1)).toBeLessThan(0.2)
    const g = await json<{ verdict: string }>('gradcheck', '--activation', 'linear', '--reg', '0')
    expect(g.verdict).toBe('great')
    const t = await json<{ status: string; history: unknown[] }>(
      'train',
      '--synthetic',
      '300',
      '--activation',
      'linear',
      '--hidden',
      '10',
      '--epochs',
      '1',
      '--val',
      '50'
    )
    expect(t.status).toBe('completed')
    expect(t.history).toHaveLength(1)
  })
})
