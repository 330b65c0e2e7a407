/**
 * The team's guard (issue 14): a run on a team must never be meaningfully slower than the same
 * run on its leader alone. On a loaded machine (another process busy on a core) the OS
 * deschedules one thread of the team now and then, and every step waits at the barrier for it;
 * two threads then run a step slower than one would. The leader measures each step — the time
 * it spent on its own slices, and the rest of the step until the next one starts (waiting for
 * the others' slices, merging them, copying the weights back: a team slows that part too, by
 * 1–1.3 ms a step under a busy loop against 0.1 ms solo, recorded) — and this module decides,
 * from those numbers alone, whether the next step is shared or solo (the leader computes every
 * slice, ../team.ts startStep's `solo`: the slices fix the arithmetic, so the bits are the same).
 *
 * The rule: measure both, keep the faster. The leader's own time per slice while sharing is a
 * poor guess of its time alone: the helper is one more runnable thread on a busy machine, so
 * the leader is descheduled in its own slices too (recorded: 5–17 ms for a slice that takes
 * 3.4 ms undisturbed). So the guard compares windows of real steps:
 * - Shared, each window of `window` steps gives the team's time Σ(own + wait) and the estimate
 *   of the leader alone Σ own · slices / ownSlices. While the team is clearly ahead of that
 *   estimate (team < `suspect` × estimate; recorded on the bench epoch, 2-core EPYC: 0.50–0.63
 *   without a busy loop, load 1.1–2.3, where the guard then never probed; 0.63–0.95 with one)
 *   nothing more is done: no cost on a quiet machine. The first `warmup` steps decide nothing (a helper's first slices compile and fault
 *   its pages in).
 * - Otherwise the guard probes: `window` solo steps, timed per kind of step (pass, update,
 *   evaluation: their costs differ), then one shared window, whose time is compared with what
 *   the same steps took solo (each step at its kind's solo mean). The team keeps the run unless
 *   it was slower by more than `margin`; else the run goes solo for `hold` steps and the
 *   comparison is repeated (solo, then one shared window). Each comparison solo wins doubles the
 *   hold (up to `maxHold`); one the team wins resets it, and allows the next probe only after
 *   `calm` windows, doubled with each win (up to `maxCalm`). A load that goes away gives the run
 *   its helper back within a hold; one that comes is noticed within a few windows.
 * - The first `settle` steps after each switch are not timed: the first shared steps after solo
 *   cost the helper its copy of the weights it missed (recorded: 9–12 ms passes against 7.4 ms).
 *   Nor is a step whose wait is far beyond its work (a paused run). A window in which no helper
 *   took a slice (none lent, or none there in time) decides nothing: such a team is solo
 *   already, and must not be held solo when a helper is lent again.
 *
 * Pure (no clock, no threads): the leader passes the times it measured; the unit tests pass
 * recorded ones (test/unit/team-guard.recorded.csv).
 */

export interface TeamGuardOptions {
  /** Steps per window (a decision is made on a window of shared steps). */
  window: number
  /** Steps at the start that decide nothing (the helper's first steps: compiling, page faults). */
  warmup: number
  /** Steps after each switch between solo and shared that are not timed (the hand-over). */
  settle: number
  /** A shared window slower than this fraction of the leader-alone estimate starts a probe. */
  suspect: number
  /** The team loses a comparison when slower than solo by more than this fraction. */
  margin: number
  /** Steps of the first solo phase after the team lost a comparison. */
  hold: number
  /** Longest solo phase. */
  maxHold: number
  /** Shared windows without probes after the team won a comparison (doubling each win). */
  calm: number
  maxCalm: number
  /**
   * `off`: every step shared (the guard only counts); `solo`: every step solo (benchmarks);
   * `flip`: 2 steps solo, 3 shared, … (tests of the hand-over: over 10 steps, each kind of step
   * follows each kind solo and shared).
   */
  mode: 'auto' | 'off' | 'solo' | 'flip'
}

export const GUARD_DEFAULTS: TeamGuardOptions = {
  window: 32,
  warmup: 32,
  settle: 4,
  suspect: 0.7,
  margin: 0.02,
  hold: 128,
  maxHold: 2048,
  calm: 4,
  maxCalm: 32,
  mode: 'auto'
}

/** A step whose wait exceeds this plus 10 × its work is left out (a pause, not contention). */
const PAUSE_MS = 100

/** Kinds of step (their costs differ; solo times are kept per kind): 0 … KINDS − 1. */
export const KINDS = 8

/** What the guard did, for the run's result and the benchmark. */
export interface GuardCounts {
  /** Steps recorded (shared and solo). */
  steps: number
  /** Steps the leader ran alone. */
  soloSteps: number
  /** Comparisons made (a solo stretch, then a shared window) and how many the team lost. */
  comparisons: number
  teamLost: number
}

export interface TeamGuard extends GuardCounts {
  /** Whether the next step runs solo. */
  readonly solo: boolean
  /**
   * One step done: `kind` (0 … KINDS − 1) the sort of step, `ownMs` the leader's time on its
   * `ownSlices` slices, `waitMs` the rest of the step until the next started (the others'
   * slices, the merge), `slices` the step's.
   */
  record(kind: number, ownMs: number, waitMs: number, ownSlices: number, slices: number): void
}

/** The guard's mode from the environment's LAYERSCOPE_TEAM_GUARD (benchmarks set it). */
export function guardMode(value: string | undefined): TeamGuardOptions['mode'] {
  return value === 'off' || value === 'solo' || value === 'flip' ? value : 'auto'
}

export function createTeamGuard(options: Partial<TeamGuardOptions> = {}): TeamGuard {
  const o = { ...GUARD_DEFAULTS, ...options }
  // The current shared window: the team's time, the leader-alone estimate, the solo reference.
  let team = 0
  let estimate = 0
  let reference = 0
  let inWindow = 0
  /** Steps of the window the helpers took part in. */
  let helped = 0
  // Solo times per kind (sum, count) of the current or last solo stretch.
  const soloSum = new Float64Array(KINDS)
  const soloN = new Float64Array(KINDS)
  let soloLeft = 0
  /** The shared window under way follows a solo stretch: its end compares. */
  let comparing = false
  let hold = o.hold
  let calm = o.calm
  let calmLeft = 0

  let settleLeft = 0
  const goSolo = (steps: number): void => {
    soloLeft = steps
    settleLeft = o.settle
    soloSum.fill(0)
    soloN.fill(0)
  }

  const g: TeamGuard = {
    steps: 0,
    soloSteps: 0,
    comparisons: 0,
    teamLost: 0,
    get solo() {
      if (o.mode === 'auto') return soloLeft > 0
      return o.mode === 'solo' || (o.mode === 'flip' && g.steps % 5 < 2)
    },
    record(kind, ownMs, waitMs, ownSlices, slices) {
      if (o.mode !== 'auto') {
        if (g.solo) g.soloSteps++
        g.steps++
        return
      }
      g.steps++
      if (g.steps <= o.warmup) return
      const k = Math.max(0, Math.min(KINDS - 1, kind | 0))
      const alone = ownSlices > 0 ? (ownMs * slices) / ownSlices : -1
      // Far longer than its work: a pause or a stop in a debugger, not the team's doing.
      const paused = waitMs > PAUSE_MS + 10 * Math.max(ownMs, alone)
      const settling = settleLeft > 0
      if (settling) settleLeft--
      if (soloLeft > 0) {
        g.soloSteps++
        if (!paused && !settling) {
          soloSum[k]! += ownMs + waitMs
          soloN[k]!++
        }
        if (--soloLeft === 0) {
          comparing = true
          settleLeft = o.settle
        }
        return
      }
      if (paused || settling) return
      const took = ownMs + waitMs
      const solo = soloN[k]! > 0 ? soloSum[k]! / soloN[k]! : alone
      // A step with neither a solo time of its kind nor an estimate tells nothing.
      if (comparing ? solo < 0 : alone < 0) return
      team += took
      estimate += Math.max(0, alone)
      reference += solo
      if (ownSlices < slices) helped++
      if (++inWindow < o.window) return
      // A window where the helpers took no slice at all is the leader alone already (no helper
      // lent, or none there in time): no suspicion, and a comparison of solo with solo is void.
      if (helped === 0) comparing = false
      else if (comparing) {
        g.comparisons++
        if (team > (1 + o.margin) * reference) {
          g.teamLost++
          goSolo(hold)
          hold = Math.min(o.maxHold, hold * 2)
        } else {
          hold = o.hold
          calmLeft = calm
          calm = Math.min(o.maxCalm, calm * 2)
        }
        comparing = false
      } else if (calmLeft > 0) calmLeft--
      else if (team > o.suspect * estimate) goSolo(o.window)
      team = 0
      estimate = 0
      reference = 0
      inWindow = 0
      helped = 0
    }
  }
  return g
}
