/**
 * The study's verdict in one sentence, from Welch's t test on the seeds' test accuracies of the
 * best mode and the runner-up (ranked by mean test accuracy), with every pair's test beside it.
 * The sentence says only what the numbers support: p ≥ 0.05 is "no difference beyond
 * seed-to-seed noise", a single seed cannot be tested, and the init is named. Pure.
 */
import type { StudyMode, StudyVerdict } from '../../src-shared/results'
import { welch } from './stats'

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`
const pts = (x: number): string => (100 * x).toFixed(1)
export const fmtP = (p: number): string =>
  p < 0.001 ? 'p < 0.001' : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`

export const STUDY_TEST = "Welch's t test on the seeds' test accuracy (two-sided, α = 0.05)"

export function studyVerdict(modes: readonly StudyMode[], init: string): StudyVerdict {
  const withStats = modes
    .filter((m) => m.mean !== null && m.seeds.length > 0)
    .sort((a, b) => b.mean!.testAcc - a.mean!.testAcc)
  const tests = (m: StudyMode): number[] => m.seeds.map((s) => s.testAcc!)
  const pairs: StudyVerdict['pairs'] = []
  for (let i = 0; i < withStats.length; i++)
    for (let j = i + 1; j < withStats.length; j++) {
      const a = withStats[i]!
      const b = withStats[j]!
      const can = a.seeds.length >= 2 && b.seeds.length >= 2
      pairs.push({
        a: a.mode,
        b: b.mode,
        diff: a.mean!.testAcc - b.mean!.testAcc,
        p: can ? welch(tests(a), tests(b)).p : null
      })
    }
  const base = { pairs, init, t: null, df: null, p: null, compared: null }
  const under = `init ${init}`
  const failed = modes.filter((m) => m.mean === null).map((m) => m.mode)
  const failedNote =
    failed.length > 0
      ? ` (${failed.join(', ')}: no result — every rate tried diverged or failed in full runs)`
      : ''
  const best = withStats[0]
  if (!best) {
    return {
      ...base,
      test: 'none',
      text: `No mode trained without diverging at any rate tried, under ${under}: no verdict.`
    }
  }
  const n = best.seeds.length
  const desc = (m: StudyMode): string =>
    m.seeds.length >= 2
      ? `${pts(m.mean!.testAcc)} ± ${pts(m.std!.testAcc)} %`
      : pct(m.mean!.testAcc)
  const second = withStats[1]
  if (!second) {
    return {
      ...base,
      test: 'none',
      text:
        modes.length === 1
          ? `${best.mode}: ${desc(best)} test accuracy over ${n} seed${n === 1 ? '' : 's'} (${under}).`
          : `Only ${best.mode} trained (${desc(best)} test accuracy, ${under})${failedNote}: nothing to compare it with.`
    }
  }
  const spread = `mean${n >= 2 ? ' ± std' : ''} test accuracy over ${n} seed${n === 1 ? '' : 's'}, each mode at its own learning rate, ${under}`
  const prefix = withStats.length > 2 ? 'Best vs runner-up: ' : ''
  if (best.seeds.length < 2 || second.seeds.length < 2) {
    return {
      ...base,
      compared: [best.mode, second.mode],
      test: 'none',
      text: `${prefix}${best.mode} ${desc(best)} vs ${second.mode} ${desc(second)} (${spread}): one seed per mode cannot separate a difference from seed-to-seed noise — run more seeds${failedNote}.`
    }
  }
  const w = welch(tests(best), tests(second))
  const diff = best.mean!.testAcc - second.mean!.testAcc
  const others =
    withStats.length > 2
      ? ` Other pairs: ${pairs
          .filter((q) => !(q.a === best.mode && q.b === second.mode))
          .map((q) => `${q.a} vs ${q.b} ${q.p === null ? 'untested' : fmtP(q.p)}`)
          .join(', ')}.`
      : ''
  const text =
    w.p >= 0.05
      ? `${prefix}${best.mode} ${desc(best)} vs ${second.mode} ${desc(second)} (${spread}): no difference beyond seed-to-seed noise (Welch's t test, ${fmtP(w.p)})${failedNote}.${others}`
      : `${prefix}${best.mode} leads ${second.mode} by ${pts(diff)} points (${desc(best)} vs ${desc(second)}, ${spread}), beyond the seed-to-seed noise (Welch's t test, ${fmtP(w.p)})${failedNote}.${others}`
  return {
    ...base,
    compared: [best.mode, second.mode],
    test: STUDY_TEST,
    p: w.p,
    t: w.t,
    df: w.df,
    text
  }
}
