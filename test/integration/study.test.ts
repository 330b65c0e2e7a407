/**
 * A preprocessing study on the real CIFAR-10 sample, through the service (one job, progress to
 * 1, cancel stops it) and through the CLI (`compare train … --search … --seeds`, the JSON shape
 * of docs/cli.md, recorded with --session). Small budgets: the suite must stay fast.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { JobProgressEvent } from '../../src-shared/contract'
import type { StudyResult } from '../../src-shared/results'
import { STUDY_EPOCHS, StudyConfig } from '../../src-shared/experiments'
import { openSession } from '../../src-main/lab/sessions'
import { mean, sampleStd, welch } from '../../src-workers/study/stats'
import { cli } from '../helpers/cli'
import { requireCifarSample } from '../helpers/fixtures'
import { makeTestService } from '../helpers/service'

const service = makeTestService(2)
const dirs: string[] = []
afterAll(async () => {
  await service.close()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

async function start(kind: 'dataset' | 'study', config: unknown): Promise<string> {
  const res = await service.call('job:start', { kind, config })
  if (!res.ok) throw new Error(res.error.message)
  return (res.value as { jobId: string }).jobId
}

const SMALL = {
  data: { type: 'dataset' },
  hidden: [20],
  batch: 100,
  val: 100,
  epochs: 1,
  init: 'lsuv'
}

describe('study via the service', () => {
  it('one job: every mode searched and seeded, statistics and verdict of its numbers', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await service.waitForJob(await start('dataset', { path: join(dir, 'cifar-10-batches-bin') }))
    const jobId = await start('study', {
      config: SMALL,
      modes: ['mean-image', 'channel-standardize'],
      search: { lo: 1e-6, hi: 1e-1, trials: 3, epochs: 1 },
      seeds: 2
    })
    const events: JobProgressEvent[] = []
    const off = service.on((name, p) => {
      if (name === 'job:progress' && (p as JobProgressEvent).jobId === jobId)
        events.push(p as JobProgressEvent)
    })
    const done = await service.waitForJob(jobId)
    off()
    const r = done.result as StudyResult
    expect(r.modes.map((m) => m.mode)).toEqual(['mean-image', 'channel-standardize'])
    for (const m of r.modes) {
      expect(m.trials).toHaveLength(3)
      for (const t of m.trials) {
        expect(t.lr).toBeGreaterThanOrEqual(1e-6)
        expect(t.lr).toBeLessThanOrEqual(1e-1)
        if (t.status === 'diverged') expect(t.valAcc).toBeNull()
      }
      if (m.bestLr === null) continue
      expect(m.trials.map((t) => t.lr)).toContain(m.bestLr)
      expect(m.seeds.map((s) => s.seed)).toEqual([1, 2])
      const test = m.seeds.map((s) => s.testAcc!)
      expect(m.mean!.testAcc).toBeCloseTo(mean(test), 12)
      expect(m.std!.testAcc).toBeCloseTo(sampleStd(test), 12)
      expect(m.ci95!.testAcc[0]).toBeLessThanOrEqual(m.mean!.testAcc)
      // Seeds differ in init, batch order and validation rows: their numbers differ.
      expect(m.seeds[0]!.losses).not.toEqual(m.seeds[1]!.losses)
    }
    const ok = r.modes.filter((m) => m.mean !== null)
    if (ok.length === 2) {
      const [a, b] = [...ok].sort((x, y) => y.mean!.testAcc - x.mean!.testAcc)
      const p = welch(
        a!.seeds.map((s) => s.testAcc!),
        b!.seeds.map((s) => s.testAcc!)
      ).p
      expect(r.verdict.p).toBeCloseTo(p, 12)
      expect(r.verdict.text).toContain(
        p >= 0.05 ? 'no difference beyond seed-to-seed noise' : 'beyond the seed-to-seed noise'
      )
    }
    expect(r.verdict.text).toContain('init lsuv')
    // One progress bar for the whole study (the throttle may drop the very last update).
    expect(events.length).toBeGreaterThan(0)
    for (const e of events) expect(e.fraction).toBeGreaterThanOrEqual(0)
    for (const e of events) expect(e.fraction).toBeLessThanOrEqual(1)
    expect(events.at(-1)!.fraction).toBeGreaterThan(0.5)
  })

  it('cancel stops the whole study', async (ctx) => {
    const dir = requireCifarSample(ctx)
    await service.waitForJob(await start('dataset', { path: join(dir, 'cifar-10-batches-bin') }))
    const jobId = await start('study', {
      config: { ...SMALL, epochs: 50 },
      modes: ['mean-image', 'channel-mean', 'standardize'],
      search: { trials: 8, epochs: 20 },
      seeds: 3
    })
    await new Promise((r) => setTimeout(r, 300))
    const t0 = Date.now()
    expect(await service.call('job:cancel', { jobId })).toMatchObject({ ok: true })
    await expect(service.waitForJob(jobId)).rejects.toMatchObject({ code: 'cancelled' })
    expect(Date.now() - t0).toBeLessThan(5000)
  })

  it('refuses a study on synthetic data at the door: preprocessing never touches it', async () => {
    const res = await service.call('job:start', {
      kind: 'study',
      config: { config: { data: { type: 'synthetic', n: 100 } }, modes: ['none', 'zca'] }
    })
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.code).toBe('invalid-args')
      expect(res.error.message).toContain('preprocessing is applied to CIFAR-10 data only')
      expect(res.error.details?.path).toEqual(['config', 'modes'])
    }
  })

  it('a study trains STUDY_EPOCHS epochs per seed unless its config says otherwise', () => {
    expect(StudyConfig.parse({ modes: ['none'] }).config.epochs).toBe(STUDY_EPOCHS)
    expect(StudyConfig.parse({ config: {}, modes: ['none'] }).config.epochs).toBe(STUDY_EPOCHS)
    expect(StudyConfig.parse({ config: { epochs: 2 }, modes: ['none'] }).config.epochs).toBe(2)
  })
})

describe('study via the CLI', () => {
  it('compare train --search --seeds: the documented JSON, recorded as one session run', async (ctx) => {
    const sample = requireCifarSample(ctx)
    const dir = await mkdtemp(join(tmpdir(), 'ls-study-'))
    dirs.push(dir)
    const file = join(dir, 'study.layerscope')
    const out = await cli(
      'compare',
      'train',
      '--data',
      join(sample, 'cifar-10-batches-bin'),
      '--vary',
      'preprocess=channel-mean,standardize',
      '--search',
      'lr=1e-5:1e-1',
      '--trials',
      '2',
      '--seeds',
      '2',
      '--epochs',
      '1',
      '--hidden',
      '20',
      '--batch',
      '100',
      '--val',
      '100',
      '--session',
      file,
      '--json'
    )
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    const r = JSON.parse(out.stdout) as StudyResult
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['base', 'modes', 'verdict', 'search', 'seedsPerMode'])
    )
    expect(r.search).toMatchObject({ lo: 1e-5, hi: 1e-1, trials: 2, epochs: 1 })
    for (const m of r.modes) {
      expect(Object.keys(m)).toEqual(
        expect.arrayContaining(['mode', 'trials', 'bestLr', 'seeds', 'mean', 'std', 'ci95'])
      )
      expect(m.trials).toHaveLength(2)
      for (const t of m.trials)
        expect(Object.keys(t)).toEqual(expect.arrayContaining(['lr', 'valAcc', 'status']))
    }
    expect(Object.keys(r.verdict)).toEqual(expect.arrayContaining(['text', 'test', 'p']))
    expect(r.verdict.text).toContain('init he')
    const doc = (await openSession(file)) as unknown as {
      doc?: { runs: unknown[] }
      runs?: unknown[]
    }
    const list = doc.doc?.runs ?? doc.runs ?? []
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ kind: 'study' })
    const text = await cli(
      'compare',
      'train',
      '--data',
      join(sample, 'cifar-10-batches-bin'),
      '--val',
      '20',
      '--hidden',
      '10',
      '--vary',
      'preprocess=channel-standardize,zca',
      '--seeds',
      '2',
      '--epochs',
      '1'
    )
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^channel-standardize: lr 1\.00e-3; test/m)
  })

  it.each([
    [['--search', 'lr=1:1e-3'], '--search: LO (1) must be below HI'],
    [['--search', 'rate=1:2'], "--search 'rate=1:2'"],
    [['--search', 'lr=0:1'], "--search: '0' is not a positive number"],
    [['--trials', '3'], '--trials needs --search'],
    [['--search', 'lr', '--trials', '0'], '--trials'],
    [['--seeds', '11'], '--seeds'],
    [['--seeds', '2', '--vary', 'lr=1,2'], 'a study varies preprocess only'],
    [['--seeds', '2'], '--vary preprocess: preprocessing is applied to CIFAR-10 data only']
  ])('bad study options %j exit 2 naming the option', async (extra, needle) => {
    const hasVary = extra.includes('--vary')
    const out = await cli(
      'compare',
      'train',
      '--synthetic',
      '100',
      ...(hasVary ? [] : ['--vary', 'preprocess=none,zca']),
      ...extra
    )
    expect(out.code).toBe(2)
    expect(out.stderr).toContain(needle)
    expect(out.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(out.stdout).toBe('')
  })
})
