/**
 * Issue 16 §2: hostile inputs cannot hang, exhaust or mislead. Every case of the corpus
 * (test/helpers/hostile/corpus.ts, built here: no committed binaries) runs the CLI in a child
 * process and must end, within seconds and in bounded memory, in exit 2 with one line naming
 * the file or option and what is wrong, with nothing on disk changed — or, for the few inputs
 * that are fine once understood, in the accepted result the case checks.
 * HOSTILE_REPORT=FILE writes every case's outcome as JSON (the before/after table).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASES } from '../helpers/hostile/corpus'
import {
  buildCli,
  changes,
  limiter,
  runChild,
  snapshot,
  type BuiltCli,
  type ChildRun
} from '../helpers/hostile/runner'

/** Peak resident memory allowed (MiB): "well under 1 GB" with the worker pool running. */
const MEMORY_MIB = 600
/** Wall time allowed per case (s), on a loaded machine: a refusal takes about one. */
const SECONDS = 15
/** Beyond these the runner stops the child (a hang or a runaway allocation). */
const KILL = { timeoutMs: 30_000, memoryMiB: 1500 }
const NODE_INTERNALS =
  /ERR_[A-Z_]+|The value of "|Array buffer allocation|RangeError|Maximum call stack|internal error|\n\s+at /

const root = await mkdtemp(join(tmpdir(), 'layerscope-hostile-'))
const run = limiter(3)
const report: Record<string, unknown>[] = []

let built: BuiltCli
beforeAll(async () => {
  built = await buildCli()
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
  if (built) await rm(built.dir, { recursive: true, force: true })
  const out = process.env.HOSTILE_REPORT
  if (out) await writeFile(out, JSON.stringify(report, null, 1))
})

function outcome(r: ChildRun): string {
  if (r.killed === 'timeout') return `hung (killed after ${KILL.timeoutMs / 1000} s)`
  if (r.killed === 'memory') return `killed at ${Math.round(r.peakMiB)} MiB`
  if (r.signal) return `signal ${r.signal}`
  const lines = r.stderr.trimEnd().split('\n')
  const first = lines[0]?.slice(0, 160) ?? ''
  return `exit ${r.code}, ${lines.length} line(s)${first ? `: ${JSON.stringify(first)}` : ''}`
}

describe.concurrent('hostile inputs (issue 16 §2)', () => {
  for (const c of CASES) {
    it(`${c.source === 'issue' ? '' : '[own] '}${c.id}: ${c.title}`, async () => {
      const dir = join(root, c.id)
      await (await import('node:fs/promises')).mkdir(dir, { recursive: true })
      const spec = await c.build(dir)
      const before = await snapshot(dir)
      const r = await run(() =>
        runChild(built, spec.argv, { cwd: dir, env: spec.env, limits: KILL })
      )
      const after = await snapshot(dir)
      report.push({
        id: c.id,
        source: c.source,
        title: c.title,
        outcome: outcome(r),
        peakMiB: Math.round(r.peakMiB),
        seconds: Number(r.seconds.toFixed(1)),
        changed: changes(before, after)
      })
      expect(r.killed, outcome(r)).toBeNull()
      expect(r.peakMiB).toBeLessThan(MEMORY_MIB)
      expect(r.seconds).toBeLessThan(SECONDS)
      expect(r.stderr).not.toMatch(NODE_INTERNALS)
      if (spec.expect.kind === 'accepted') {
        await spec.expect.check(r)
        return
      }
      expect(r.stdout).toBe('')
      expect(r.stderr.endsWith('\n')).toBe(true)
      const line = r.stderr.slice(0, -1)
      expect(line.split('\n')).toHaveLength(1)
      // eslint-disable-next-line no-control-regex -- control characters are what it finds
      expect(line).not.toMatch(/[\x00-\x1f\x7f]/)
      expect(line).toContain(spec.expect.names)
      expect(line).toMatch(spec.expect.what)
      expect(r.code).toBe(2)
      expect(changes(before, after)).toEqual([])
    })
  }
})
