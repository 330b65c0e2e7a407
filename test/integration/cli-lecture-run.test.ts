/**
 * `layerscope lecture`: a subset with --only (exit codes, JSON, the text report, bad ids), and
 * one full run — every claim with 5 seeds on a 2-thread pool — which must pass (exit 0: every
 * claim that should reproduce does) within the two-minute budget of docs/cli.md.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src-main/cli'
import type { LectureResult } from '../../src-shared/lecture'
import { LECTURE_CLAIMS } from '../../src-shared/lecture'
import { WORKER_SOURCE } from '../helpers/service'

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    workerFile: WORKER_SOURCE,
    threads: 2
  })
  return { code, stdout, stderr }
}

describe('layerscope lecture', () => {
  it('--only: the verdicts of a table, the reg convention and the x⁴ example', async () => {
    const r = await cli(
      'lecture',
      '--only',
      'table-relu-he,reg-1e3-full,x4-centred,he-std',
      '--json'
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as LectureResult
    expect(out.cards.map((c) => [c.id, c.verdict])).toEqual([
      ['table-relu-he', 'reproduces'],
      ['he-std', 'reproduces'],
      ['x4-centred', 'lecture-off'],
      ['reg-1e3-full', 'differs']
    ])
    expect(out.pass).toBe(true)
    const he = out.cards[0]!
    expect(he.seeds).toEqual([1, 2, 3, 4, 5])
    expect(he.measured).toHaveLength(11)
    expect(he.spread.every((s) => s >= 0)).toBe(true)
    const t = await cli('lecture', '--only', 'x4-centred,reg-1e3-full', '--seeds', '2')
    expect(t.code).toBe(0)
    expect(t.stdout).toMatch(/x4-centred: .*\n {4}lecture 108\.000006 · measured 108\.000012/)
    expect(t.stdout).toMatch(/the lecture is off — the value: measured 108\.000012/)
    expect(t.stdout).toMatch(/differs — .*\n {4}why: The app’s default penalty is reg·ΣW²/)
    expect(t.stdout).toMatch(
      /2 claims: 0 reproduce, 1 differ, 1 show the lecture is off; every claim as expected/
    )
  }, 120_000)

  it('bad input: an unknown claim or seed count names the option (exit 2)', async () => {
    const a = await cli('lecture', '--only', 'he-std,nope')
    expect(a.code).toBe(2)
    expect(a.stderr).toMatch(/^layerscope lecture: --only: no claim 'nope'/)
    const b = await cli('lecture', '--seeds', '0')
    expect(b.code).toBe(2)
    expect(b.stderr).toMatch(/--seeds/)
    const l = await cli('lecture', '--list', '--json')
    expect((JSON.parse(l.stdout) as { claims: unknown[] }).claims).toHaveLength(
      LECTURE_CLAIMS.length
    )
  })

  it('--session keeps the lecture report as a run of kind lecture', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-lecture-'))
    try {
      const file = path.join(dir, 'lecture.layerscope')
      const r = await cli('lecture', '--only', 'he-std,x4-centred', '--session', file)
      expect(r.code).toBe(0)
      const s = await cli('session', file, '--json')
      const doc = JSON.parse(s.stdout) as {
        runs: { kind: string; config: { only: string[] }; result: LectureResult }[]
      }
      expect(doc.runs).toHaveLength(1)
      expect(doc.runs[0]!.kind).toBe('lecture')
      expect(doc.runs[0]!.config.only).toEqual(['he-std', 'x4-centred'])
      expect(doc.runs[0]!.result.cards.map((c) => c.verdict)).toEqual(['reproduces', 'lecture-off'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('the full run passes: every claim gives its expected verdict', async () => {
    const t0 = Date.now()
    const r = await cli('lecture', '--json')
    const seconds = (Date.now() - t0) / 1000
    expect(r.stderr).toBe('')
    const out = JSON.parse(r.stdout) as LectureResult
    const wrong = out.cards.filter((c) => !c.asExpected).map((c) => `${c.id}: ${c.detail}`)
    expect(wrong).toEqual([])
    expect(r.code).toBe(0)
    expect(out.cards.map((c) => c.id)).toEqual(LECTURE_CLAIMS.map((c) => c.id))
    expect(seconds).toBeLessThan(180)
  }, 240_000)
})
