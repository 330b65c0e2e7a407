/**
 * PReLU's own α on the command line: --prelu-alpha (default 0.25) for depth, gradcheck, train
 * and compare, separate from ELU's --alpha; --help says so; bad values name the option.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSession } from '../../src-main/lab/sessions'
import type { DepthResult, TrainResult } from '../../src-shared/results'
import { cli } from '../helpers/cli'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const rmsOf = (m: { mean: number; std: number }): number => Math.hypot(m.mean, m.std)

describe('--prelu-alpha', () => {
  it('--help of depth, gradcheck, train and compare names it with its default 0.25', async () => {
    for (const cmd of ['depth', 'gradcheck', 'train', 'compare']) {
      const r = await cli(cmd, '--help')
      expect(r.code, cmd).toBe(0)
      expect(r.stdout, cmd).toMatch(
        /--prelu-alpha A \(prelu's initial α for every unit, default 0\.25/
      )
      expect(r.stdout, cmd).toMatch(/--alpha A \(elu, default 1\)/)
    }
  })

  it('depth --activation prelu --init he: 0.25 by default, the RMS no longer grows as √2 per layer', async () => {
    const args = [
      'depth',
      '--activation',
      'prelu',
      '--init',
      'he',
      '--width',
      '200',
      '--samples',
      '300'
    ]
    const r = await cli(...args, '--json')
    expect(r.code, r.stderr).toBe(0)
    const d = JSON.parse(r.stdout) as DepthResult & { config: { alpha: number } }
    expect(d.config.alpha).toBe(0.25)
    const per = Math.pow(rmsOf(d.layers.at(-1)!) / rmsOf(d.input), 1 / d.layers.length)
    expect(per).toBeGreaterThan(0.98)
    expect(per).toBeLessThan(1.08) // √(1 + 0.25²) = 1.031; the identity would be 1.414
    // --prelu-alpha 1 is the identity: √2 per layer. ELU's --alpha does not touch PReLU.
    const id = JSON.parse(
      (await cli(...args, '--prelu-alpha', '1', '--alpha', '0.3', '--json')).stdout
    ) as DepthResult & { config: { alpha: number } }
    expect(id.config.alpha).toBe(1)
    const perId = Math.pow(rmsOf(id.layers.at(-1)!) / rmsOf(id.input), 1 / id.layers.length)
    expect(Math.abs(perId / Math.SQRT2 - 1)).toBeLessThan(0.03)
  })

  it('train --activation prelu starts at 0.25 (recorded in the session) and --prelu-alpha changes it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'layerscope-prelu-'))
    dirs.push(dir)
    const file = join(dir, 's.lsession')
    const base = ['train', '--synthetic', '100', '--val', '20', '--hidden', '10', '--batch', '50']
    const a = await cli(...base, '--activation', 'prelu', '--session', file, '--json')
    expect(a.code, a.stderr).toBe(0)
    const s = await openSession(file)
    const config = s.runs[0]!.config as { params: Record<string, number> }
    expect(config.params).toEqual({ slope: 0.01, alpha: 1, preluAlpha: 0.25, pieces: 2 })
    const b = await cli(...base, '--activation', 'prelu', '--prelu-alpha', '0.25', '--json')
    const c = await cli(...base, '--activation', 'prelu', '--prelu-alpha', '1', '--json')
    const ra = JSON.parse(a.stdout) as TrainResult
    // The first loss, split: data + regularization term = the first entry of losses.
    expect(ra.initialLoss!.reg).toBeGreaterThan(0)
    expect(ra.initialLoss!.data + ra.initialLoss!.reg).toBe(ra.losses[0])
    expect((JSON.parse(b.stdout) as TrainResult).losses).toEqual(ra.losses)
    expect((JSON.parse(c.stdout) as TrainResult).losses).not.toEqual(ra.losses)
  })

  it('a bad value names the option (exit 2)', async () => {
    const r = await cli('depth', '--activation', 'prelu', '--prelu-alpha', '11')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--prelu-alpha: /)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('gradcheck --exclude-kinks', () => {
  it('prints both verdicts, and the flag picks the one the verdict counts', async () => {
    const args = ['gradcheck', '--layers', '3', '--width', '16', '--samples', '16', '--h', '1e-2']
    const a = await cli(...args, '--json')
    const b = await cli(...args, '--exclude-kinks', '--json')
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    const ra = JSON.parse(a.stdout) as import('../../src-shared/results').GradcheckResult
    const rb = JSON.parse(b.stdout) as import('../../src-shared/results').GradcheckResult
    expect(rb.kinksExcluded).toBe(true)
    expect(ra.kinksExcluded).toBeUndefined()
    expect(rb.verdicts).toEqual(ra.verdicts)
    expect(rb.verdict).toBe(ra.verdicts!.excludingKinks)
    const text = await cli(...args, '--exclude-kinks')
    expect(text.stdout).toMatch(/entries at kinks excluded/)
    expect(text.stdout).toMatch(
      /both ways: \w+ counting every entry, \w+ with the \d+ entr(y|ies) at kinks left out/
    )
    expect((await cli('gradcheck', '--help')).stdout).toContain('--exclude-kinks')
  })
})

describe('activation-cost', () => {
  it('prints one row per activation asked for, in JSON and as a table; bad names exit 2', async () => {
    const r = await cli(
      'activation-cost',
      '--activation',
      'relu,sigmoid',
      '--elements',
      '20000',
      '--repeats',
      '3',
      '--json'
    )
    expect(r.code, r.stderr).toBe(0)
    const j = JSON.parse(r.stdout) as import('../../src-shared/results').ActivationCostResult
    expect(j.rows.map((x) => [x.activation, x.family])).toEqual([
      ['relu', 'max'],
      ['sigmoid', 'exp']
    ])
    expect(j.rows[0]!.forwardRuns).toHaveLength(3)
    const t = await cli(
      'activation-cost',
      '--activation',
      'tanh',
      '--elements',
      '20000',
      '--repeats',
      '1'
    )
    expect(t.stdout).toMatch(/^ns per element \(float32, 20000 elements, median of 1/)
    const bad = await cli('activation-cost', '--activation', 'swish')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--activation: 'swish' is not an activation/)
  })
})
