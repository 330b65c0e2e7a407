/**
 * The team guard (src-workers/team-guard.ts) on timings: made-up ones that pin its rule (a quiet
 * machine never probes; a helper that makes steps slower sends the run solo; the hold doubles
 * while solo keeps winning and the helper comes back when the load goes; a pause is not
 * contention) and recorded ones (team-guard.recorded.csv: a bench epoch of 20,000 examples,
 * 3072→100→10 ReLU, batch 200, 2 slices: 203 steps — pass, update, …, evaluation rounds — as
 * the leader of a 2-thread team records them, each step's wait running until the next step
 * starts; 2-core AMD EPYC; `busy-loop`: one busy loop on a core, load 2.6–3.1, where the team
 * was ahead; `one-core`: the whole process pinned to one core (taskset -c 0), load 1.9–2.2,
 * where solo was ahead; each with every step shared, then the same run with every step solo).
 * Replaying a pair — each step taken from the solo or the shared recording as the guard says —
 * gives the time the run would have taken with the guard.
 * Solo steps on a team (../../src-workers/team.ts startStep's `solo`): the leader claims every
 * slice, others find none. The hook in teamStep records every step, as it ran, in the mode
 * LAYERSCOPE_TEAM_GUARD names.
 */
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { buildNet, createRng, type Net } from '../../src-workers/nn/index'
import { createTrainTeam, largestSlice, teamStep } from '../../src-workers/nn/train-team'
import { createWorkspace, freeWorkspace } from '../../src-workers/nn/workspace'
import { trainOptions } from '../helpers/configs'
import { splitsOf, type PinCase } from './nn/trainer-pin.cases'
import {
  claimSlice,
  finishSlice,
  initTeam,
  slicesDone,
  startStep,
  stepWord,
  TEAM_HEADER_BYTES
} from '../../src-workers/team'
import {
  createTeamGuard,
  GUARD_DEFAULTS,
  guardMode,
  type TeamGuard
} from '../../src-workers/team-guard'

/** [kind, own ms, wait ms, own slices, slices] */
type Step = [number, number, number, number, number]

const recorded = (() => {
  const text = readFileSync(new URL('./team-guard.recorded.csv', import.meta.url), 'utf8')
  const pairs = new Map<string, { team: Step[]; solo: Step[] }>()
  for (const line of text.trim().split('\n').slice(1)) {
    const [pair, mode, ...nums] = line.split(',')
    const p = pairs.get(pair!) ?? { team: [], solo: [] }
    pairs.set(pair!, p)
    p[mode as 'team' | 'solo'].push(nums.map(Number) as Step)
  }
  return pairs
})()

const total = (steps: Step[]): number => steps.reduce((a, s) => a + s[1] + s[2], 0)

/** Each step from the solo or the shared recording, as the guard says; the run's total time. */
function replay(g: TeamGuard, team: Step[], solo: Step[]): number {
  let t = 0
  for (let i = 0; i < team.length; i++) {
    const s = g.solo ? solo[i]! : team[i]!
    t += s[1] + s[2]
    g.record(...s)
  }
  return t
}

/** A step of an ideal 2-slice pass or 8-chunk update: `own` per slice, the helper `late` ms after. */
function steps(n: number, perSlice: number, late: number): Step[] {
  const out: Step[] = []
  for (let i = 0; i < n; i++) {
    const pass = i % 2 === 0
    const S = pass ? 2 : 8
    const c = pass ? perSlice : perSlice / 8
    out.push(pass ? [1, c, late, 1, S] : [2, (c * S) / 2, late / 4, S / 2, S])
  }
  return out
}
/** The same steps solo: every slice on the leader at `perSlice`. */
function soloSteps(n: number, perSlice: number): Step[] {
  return steps(n, perSlice, 0).map(([k, , , , S]) => [
    k,
    k === 1 ? perSlice * S : perSlice,
    0,
    S,
    S
  ])
}

describe('the rule on made-up timings', () => {
  it('a quiet machine (the helper ends with the leader) never goes solo', () => {
    const g = createTeamGuard()
    replay(g, steps(4000, 3.4, 0.1), soloSteps(4000, 3.4))
    expect(g.soloSteps).toBe(0)
    expect(g.comparisons).toBe(0)
    expect(g.steps).toBe(4000)
  })

  it('a helper that makes steps slower: solo after one probe, retries spaced out while solo wins', () => {
    const g = createTeamGuard()
    const n = 6000
    // The helper finishes 5 ms after the leader: a shared pass takes 8.4 ms, a solo one 6.8 ms.
    const t = replay(g, steps(n, 3.4, 5), soloSteps(n, 3.4))
    const { window, hold, warmup } = GUARD_DEFAULTS
    expect(g.teamLost).toBe(g.comparisons)
    // Warm-up, one shared window, a probe; then holds of 128, 256, 512, 1024, 2048, 2048 …,
    // each followed by a shared window (the retry).
    let at = warmup + window
    let k = 0
    let h = hold
    while (at + window < n) {
      at += window + h + window // a solo stretch, then a shared window
      k++
      h = Math.min(GUARD_DEFAULTS.maxHold, h * 2)
    }
    expect(g.comparisons).toBeGreaterThanOrEqual(k - 1)
    expect(g.comparisons).toBeLessThanOrEqual(k)
    expect(g.soloSteps / n).toBeGreaterThan(0.85)
    // Within 3 % of solo throughout, while always shared would be 11 % slower.
    const solo = total(soloSteps(n, 3.4))
    expect(t / solo).toBeLessThan(1.03)
    expect(total(steps(n, 3.4, 5)) / solo).toBeGreaterThan(1.1)
  })

  it('the helper comes back within a hold once the load is gone', () => {
    const g = createTeamGuard()
    const slow = steps(3000, 3.4, 5)
    const quiet = steps(3000, 3.4, 0.1)
    const solo = soloSteps(6000, 3.4)
    replay(g, slow, solo.slice(0, 3000))
    expect(g.solo || g.soloSteps > 2000).toBe(true)
    const before = g.soloSteps
    replay(g, quiet, solo.slice(3000))
    // At most the hold under way (≤ maxHold) plus one shared window more solo, then shared.
    expect(g.soloSteps - before).toBeLessThanOrEqual(GUARD_DEFAULTS.maxHold)
    expect(g.solo).toBe(false)
    const lost = g.teamLost
    replay(g, quiet.slice(0, 1000), solo.slice(0, 1000))
    expect(g.teamLost).toBe(lost)
    expect(g.solo).toBe(false)
  })

  it('a probe the team wins leaves it shared, and spaces the next probes out', () => {
    // Suspicious (team at 0.8 of the estimate) but faster than solo really is (solo 2× slower:
    // the leader shared its core in the solo recording).
    const g = createTeamGuard()
    const team = steps(4000, 3.4, 2)
    replay(g, team, soloSteps(4000, 6.8))
    expect(g.comparisons).toBeGreaterThan(0)
    expect(g.teamLost).toBe(0)
    // calm 4, 8, 16, 32, 32 … windows between probes: few probes, each one window solo.
    expect(g.comparisons).toBeLessThanOrEqual(8)
    expect(g.soloSteps).toBe(g.comparisons * GUARD_DEFAULTS.window)
  })

  it('a pause (a wait far beyond the work) is left out, and does not send a quiet run solo', () => {
    const g = createTeamGuard()
    const quiet = steps(2000, 3.4, 0.1)
    // The user pauses the run for 5 s at a few steps: no window is spoilt by it.
    for (const i of [100, 400, 1300]) quiet[i] = [1, 3.4, 5000, 1, 2]
    replay(g, quiet, soloSteps(2000, 3.4))
    expect(g.soloSteps).toBe(0)
    expect(g.comparisons).toBe(0)
  })

  it('a team no helper works for (none lent) is never held solo: a helper lent later works at once', () => {
    const g = createTeamGuard()
    // The leader computes every slice: a window at 1.1 × the estimate, but no helper in it.
    for (let i = 0; i < 3000; i++)
      g.record(i % 2 ? 2 : 1, i % 2 ? 0.5 : 6.8, 0.7, i % 2 ? 8 : 2, i % 2 ? 8 : 2)
    expect(g.soloSteps).toBe(0)
    expect(g.solo).toBe(false)
    expect(g.comparisons).toBe(0)
  })

  it('steps the leader took no slice of carry no estimate; kinds keep their own solo times', () => {
    const g = createTeamGuard({ window: 4, hold: 8, warmup: 0, settle: 0 })
    // A window with only empty-handed leader steps decides nothing.
    for (let i = 0; i < 10; i++) g.record(1, 0, 9, 0, 2)
    expect(g.solo).toBe(false)
    // 4 suspicious steps: a probe of 4 solo steps.
    for (let i = 0; i < 4; i++) g.record(1, 3, 5, 1, 2)
    expect(g.solo).toBe(true)
    g.record(1, 6, 0, 2, 2)
    g.record(2, 1, 0, 8, 8)
    g.record(1, 6, 0, 2, 2)
    g.record(2, 1, 0, 8, 8)
    expect(g.solo).toBe(false)
    // Shared: passes 7 ms (solo 6), updates 0.9 ms (solo 1): 2·7 + 2·0.9 = 15.8 > 14 → solo.
    g.record(1, 4, 3, 1, 2)
    g.record(2, 0.45, 0.45, 4, 8)
    g.record(1, 4, 3, 1, 2)
    g.record(2, 0.45, 0.45, 4, 8)
    expect(g.teamLost).toBe(1)
    expect(g.solo).toBe(true)
  })
})

describe('the rule on recorded timings', () => {
  const pair = (name: string) => recorded.get(name)!
  const times = <T>(a: T[], k: number): T[] => Array.from({ length: k }, () => a).flat()

  it('the recordings: the same 203 steps shared and solo; the team ahead with the busy loop, solo on one core', () => {
    for (const { team, solo } of recorded.values()) {
      expect(team).toHaveLength(203)
      expect(solo.map((s) => s[0])).toEqual(team.map((s) => s[0]))
    }
    expect(total(pair('busy-loop').team)).toBeLessThan(0.95 * total(pair('busy-loop').solo))
    expect(total(pair('one-core').solo)).toBeLessThan(0.95 * total(pair('one-core').team))
  })

  it('busy loop (team ahead): the guard keeps the team, within 1 % of always shared', () => {
    const { team, solo } = pair('busy-loop')
    const g = createTeamGuard()
    expect(replay(g, team, solo) / total(team)).toBeLessThan(1.01)
    expect(g.teamLost).toBe(0)
    // 5 epochs of the same: probes spaced out, still within 1 %.
    const g5 = createTeamGuard()
    expect(replay(g5, times(team, 5), times(solo, 5)) / (5 * total(team))).toBeLessThan(1.01)
  })

  it('one core (solo ahead): the guard goes solo; over 5 epochs within 3 % of always solo', () => {
    const { team, solo } = pair('one-core')
    const g = createTeamGuard()
    // One epoch: warm-up, a window, a probe, then solo — faster than always shared already.
    expect(replay(g, team, solo)).toBeLessThan(0.97 * total(team))
    expect(g.teamLost).toBeGreaterThan(0)
    const g5 = createTeamGuard()
    expect(replay(g5, times(team, 5), times(solo, 5)) / (5 * total(solo))).toBeLessThan(1.03)
    expect(g5.soloSteps / g5.steps).toBeGreaterThan(0.75)
  })

  it('deterministic: the same timings, the same decisions', () => {
    const { team, solo } = recorded.get('one-core')!
    const trace = (): boolean[] => {
      const g = createTeamGuard()
      return team.map((s, i) => {
        const was = g.solo
        g.record(...(was ? solo[i]! : s))
        return was
      })
    }
    expect(trace()).toEqual(trace())
  })
})

describe('modes from LAYERSCOPE_TEAM_GUARD', () => {
  it('off never goes solo, solo always, flip 2 of every 5; anything else is auto', () => {
    expect(guardMode(undefined)).toBe('auto')
    expect(guardMode('yes')).toBe('auto')
    const seq = (mode: 'off' | 'solo' | 'flip'): boolean[] => {
      const g = createTeamGuard({ mode })
      return Array.from({ length: 12 }, () => {
        const s = g.solo
        g.record(1, 3, 50, 1, 2)
        return s
      })
    }
    expect(seq(guardMode('off') as 'off')).toEqual(Array(12).fill(false))
    expect(seq(guardMode('solo') as 'solo')).toEqual(Array(12).fill(true))
    const f = [true, true, false, false, false]
    expect(seq(guardMode('flip') as 'flip')).toEqual([...f, ...f, true, true])
  })
})

describe('a solo step on a team (team.ts)', () => {
  it('publishes every slice claimed; the leader claims them all in order; the bits of the word say so', () => {
    const team = new SharedArrayBuffer(TEAM_HEADER_BYTES)
    initTeam(team, 3)
    const gen = startStep(team, 5, true)
    const word = stepWord(team)
    expect(word >>> 12).toBe(gen)
    expect((word >>> 6) & 63).toBe(5)
    expect(word & 63).toBe(5) // next unclaimed = 5: nothing for another thread
    const got: number[] = []
    for (let c = claimSlice(team); c; c = claimSlice(team)) {
      expect(c.gen).toBe(gen)
      expect(c.slices).toBe(5)
      got.push(c.slice)
      finishSlice(team)
    }
    expect(got).toEqual([0, 1, 2, 3, 4])
    expect(slicesDone(team)).toBe(5)
    // A shared step after it: claimable by anyone again (the reservation is gone).
    const next = startStep(team, 3)
    expect(stepWord(team) & 63).toBe(0)
    expect(claimSlice(team)).toEqual({ gen: next, slice: 0, slices: 3 })
  })
})

describe('the hook in teamStep (train-team.ts)', () => {
  const saved = process.env.LAYERSCOPE_TEAM_GUARD
  afterEach(() => {
    if (saved === undefined) delete process.env.LAYERSCOPE_TEAM_GUARD
    else process.env.LAYERSCOPE_TEAM_GUARD = saved
  })
  const pin: PinCase = {
    n: 64,
    val: 0,
    test: 16,
    dim: 12,
    classes: 3,
    dataSeed: 2,
    opts: trainOptions({ hidden: [8], batch: 16, seed: 1 })
  }

  for (const mode of ['solo', 'flip', 'off'] as const) {
    it(`records every step of the leader, each as it ran (LAYERSCOPE_TEAM_GUARD=${mode})`, () => {
      process.env.LAYERSCOPE_TEAM_GUARD = mode
      const data = splitsOf(pin)
      const net = buildNet(
        { inputSize: pin.dim, hidden: [8], classes: 3, activation: { type: 'relu' }, init: 'he' },
        createRng(3),
        'float32'
      ) as Net<Float32Array>
      const ws = createWorkspace(net, largestSlice(16, 2))
      const src = teamStep(createTrainTeam(net, 2, 16), { net, ws, data, leader: true }, 0)
      const idx = Int32Array.from({ length: 16 }, (_, i) => i)
      for (let i = 0; i < 5; i++) {
        expect(src.step(idx, false).ok).toBe(true)
        src.update({ name: 'sgd', lr: 0.1 }, false)
      }
      expect(src.evaluate('test', pin.test).ok).toBe(true)
      // 11 steps; each is recorded when the next starts: 10 so far.
      expect(src.guard.steps).toBe(10)
      expect(src.guard.soloSteps).toBe({ solo: 10, flip: 4, off: 0 }[mode])
      freeWorkspace(ws)
    })
  }
})
