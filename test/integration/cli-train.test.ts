/**
 * `layerscope train` and `layerscope compare` in-process (real workers): CLI.md's JSON shapes,
 * a diverged run exiting 0, bad options exiting 2 with the option named, --session appending.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { CompareResult, TrainResult } from '../../src-shared/results'
import { openSession } from '../../src-main/lab/sessions'
import { cli } from '../helpers/cli'
import { requireCifarSample } from '../helpers/fixtures'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('layerscope train', () => {
  it('prints history, final, seconds and examplesPerSecond; the same seed gives the same numbers', async () => {
    const args = [
      'train',
      '--synthetic',
      '300',
      '--val',
      '100',
      '--hidden',
      '20,20',
      '--epochs',
      '2'
    ]
    const a = await cli(...args, '--batch', '100', '--lr', '1e-2', '--json')
    expect(a.stderr).toBe('')
    expect(a.code).toBe(0)
    const r = JSON.parse(a.stdout) as TrainResult
    expect(r.status).toBe('completed')
    expect(r.history).toHaveLength(2)
    expect(Object.keys(r.history[0]!)).toEqual(
      expect.arrayContaining(['epoch', 'iter', 'loss', 'trainAcc', 'valAcc'])
    )
    expect(r.history[1]).toMatchObject({ epoch: 2, iter: 6 })
    expect(r.final).toEqual({
      trainAcc: expect.any(Number),
      valAcc: expect.any(Number),
      testAcc: expect.any(Number)
    })
    expect(r.seconds).toBeGreaterThan(0)
    expect(r.examplesPerSecond).toBeGreaterThan(0)
    // Two hidden layers + output: three blocks in the stats.
    expect(r.stats.layers).toBe(3)
    const b = JSON.parse((await cli(...args, '--batch', '100', '--lr', '1e-2', '--json')).stdout)
    expect(b.losses).toEqual(r.losses)
    expect(b.final).toEqual(r.final)
  })

  it('a diverged run prints "status": "diverged" with iteration and layer, and exits 0', async () => {
    const out = await cli(
      'train',
      '--synthetic',
      '400',
      '--val',
      '50',
      '--hidden',
      '100,100',
      '--optimizer',
      'sgd',
      '--lr',
      '50',
      '--epochs',
      '5',
      '--json'
    )
    expect(out.code).toBe(0)
    const r = JSON.parse(out.stdout)
    expect(r.status).toBe('diverged')
    expect(r.iteration).toBeGreaterThan(0)
    expect(r.layer).toBeGreaterThan(0)
    expect(r.final).toBeNull()
    expect(['exploded', 'non-finite']).toContain(r.divergence.reason)
    expect(r.divergence.iteration).toBe(r.iteration)
    const text = await cli('train', '--synthetic', '200', '--val', '50', '--hidden', '100,100')
    expect(text.code).toBe(0)
  })

  it('any finite --lr > 0 is accepted; the loss exploding while finite is "exploded" unless --diverge-above 0', async () => {
    const args = [
      'train',
      '--synthetic',
      '100',
      '--val',
      '20',
      '--hidden',
      '20',
      '--optimizer',
      'sgd',
      '--batch',
      '10',
      '--epochs',
      '3'
    ]
    const on = await cli(...args, '--lr', '1000', '--json')
    expect(on.code).toBe(0)
    const r = JSON.parse(on.stdout)
    expect(r.status).toBe('diverged')
    expect(r.divergence).toMatchObject({ reason: 'exploded', factor: 4 })
    expect(r.divergence.loss).toBeGreaterThan(4 * r.divergence.first)
    const text = await cli(...args, '--lr', '1000')
    expect(text.stdout).toMatch(
      /diverged at iteration \d+: the loss .* rose to .*× its first value/
    )
    // Off: only NaN/Infinity ends it, so it runs further (or to the end).
    const off = JSON.parse(
      (await cli(...args, '--lr', '1000', '--diverge-above', '0', '--json')).stdout
    )
    expect(off.status !== 'diverged' || off.divergence.reason === 'non-finite').toBe(true)
    expect(off.losses.length).toBeGreaterThan(r.losses.length)
    for (const [bad, needle] of [
      ['0', '--lr'],
      ['-1', '--lr'],
      ['Infinity', '--lr']
    ] as const) {
      const out = await cli(...args, '--lr', bad)
      expect(out.code).toBe(2)
      expect(out.stderr).toContain(needle)
    }
    const neg = await cli(...args, '--diverge-above', '-1')
    expect(neg.code).toBe(2)
    expect(neg.stderr).toContain('--diverge-above')
  })

  it.each([
    [['train', '--json'], '--data PATH'],
    [['train', '--synthetic', '100', '--data', 'x'], 'exclude each other'],
    [['train', '--synthetic', '10'], '--synthetic'],
    [['train', '--synthetic', '100', '--lr', 'fast'], "--lr: 'fast' is not a number"],
    [['train', '--synthetic', '100', '--optimizer', 'rmsprop'], '--optimizer'],
    [['train', '--synthetic', '100', '--hidden', '10,x'], '--hidden'],
    [['train', '--synthetic', '100', '--batch', '9000'], '--batch'],
    [['compare', '--vary', 'lr=1,2'], 'compare train'],
    [['compare', 'train', '--synthetic', '100'], '--vary'],
    [['compare', 'train', '--synthetic', '100', '--vary', 'colour=red'], '--vary colour'],
    [['compare', 'train', '--data', '.', '--vary', 'preprocess=none,sharpen'], 'sharpen'],
    [
      ['compare', 'train', '--synthetic', '100', '--vary', 'preprocess=none,zca'],
      '--vary preprocess: preprocessing is applied to CIFAR-10 data only'
    ],
    [['compare', 'train', '--synthetic', '100', '--vary', 'lr=1,x'], "--vary lr: 'x'"],
    [
      ['compare', 'depth', '--vary', 'width=1', '--vary', 'layers=1', '--vary', 'bins=3'],
      'one or two'
    ],
    [['compare', 'depth', '--synthetic', '100', '--vary', 'width=1'], '--synthetic']
  ])('bad input %j exits 2 naming the option', async (argv, needle) => {
    const out = await cli(...argv)
    expect(out.code).toBe(2)
    expect(out.stderr).toContain(needle)
    expect(out.stderr.split('\n').filter(Boolean)).toHaveLength(1)
    expect(out.stdout).toBe('')
  })

  it('--data on a missing folder exits 2 naming it', async () => {
    const out = await cli('train', '--data', '/nonexistent/cifar', '--json')
    expect(out.code).toBe(2)
    expect(out.stderr).toContain('/nonexistent/cifar')
  })
})

describe('layerscope compare', () => {
  it('compare depth --vary activation --vary init: the grid, one run each', async () => {
    const out = await cli(
      'compare',
      'depth',
      '--layers',
      '3',
      '--width',
      '40',
      '--samples',
      '50',
      '--vary',
      'activation=tanh,relu',
      '--vary',
      'init=xavier,he',
      '--json'
    )
    expect(out.stderr).toBe('')
    expect(out.code).toBe(0)
    const r = JSON.parse(out.stdout) as CompareResult
    expect(r.runs.map((x) => x.vary)).toEqual([
      { activation: 'tanh', init: 'xavier' },
      { activation: 'tanh', init: 'he' },
      { activation: 'relu', init: 'xavier' },
      { activation: 'relu', init: 'he' }
    ])
    // Each run is the depth command's own result for that configuration.
    const single = await cli(
      'depth',
      '--layers',
      '3',
      '--width',
      '40',
      '--samples',
      '50',
      '--activation',
      'relu',
      '--init',
      'he',
      '--json'
    )
    expect((r.runs[3] as { result: unknown }).result).toEqual(JSON.parse(single.stdout))
  })

  it('compare train --data on the real sample, recorded with --session', async (ctx) => {
    const sample = requireCifarSample(ctx)
    const dir = await mkdtemp(join(tmpdir(), 'ls-cli-train-'))
    dirs.push(dir)
    const file = join(dir, 'runs.layerscope')
    const out = await cli(
      'compare',
      'train',
      '--data',
      join(sample, 'cifar-10-batches-bin'),
      '--val',
      '100',
      '--hidden',
      '20',
      '--batch',
      '100',
      '--optimizer',
      'adam',
      '--vary',
      'preprocess=mean-image,standardize',
      '--session',
      file,
      '--json'
    )
    expect(out.code).toBe(0)
    const r = JSON.parse(out.stdout) as CompareResult
    expect(r.runs.map((x) => x.vary)).toEqual([
      { preprocess: 'mean-image' },
      { preprocess: 'standardize' }
    ])
    for (const run of r.runs) expect('result' in run).toBe(true)
    const doc = await openSession(file)
    const runs = doc as unknown as { doc?: { runs: unknown[] }; runs?: unknown[] }
    const list = runs.doc?.runs ?? runs.runs ?? []
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ kind: 'compare' })
  })
})
