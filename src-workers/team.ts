/**
 * A team: the threads that compute one run's work together (a leader and 0…n helpers), meeting
 * in a SharedArrayBuffer. Each step the leader cuts the work into a fixed number of slices and
 * publishes them; every thread of the team (the leader too) claims slices one at a time until
 * none is left, writes each slice's results into its own slot, and counts it done; the leader
 * waits until every slice is done and combines the slots in slice order. The slices, not the
 * threads, fix the arithmetic: any number of helpers (none included) gives the same bits, so
 * helpers may join and leave between slices (elastic scheduling, src-main/lab/pool.ts).
 *
 * Header (Int32): [0] step word = (step generation << 12) | (slices of this step << 6) | next
 * unclaimed slice — one word, so a claim names its step and its slice count atomically; [1] slices done; [2] helpers wanted (helper i stays while
 * i < wanted); [3] ended (the leader is gone: helpers leave); [4] failed (a helper died: the
 * leader stops waiting and fails); [5] slices per step; [6..15] free for the layout of the
 * work (rows, sizes). Plain data with no imports, so both the main process and workers use it.
 *
 * A solo step (startStep's `solo`, decided by team-guard.ts when helpers make steps slower): the
 * leader publishes the step with every slice already claimed, and without waking anyone, and
 * then claims the slices itself from a reservation this thread keeps. Helpers find nothing to
 * claim and sleep on; they stay on the team (not released to the pool), so the next shared step
 * has them back at once. The slices are the same, so are the bits.
 */

export const TEAM_HEADER_BYTES = 64
/** Slices per step are at most this (6 bits of the step word). */
export const MAX_SLICES = 63

const STEP = 0
const DONE = 1
const WANTED = 2
const ENDED = 3
const FAILED = 4
const SLICES = 5
const GEN_MASK = (1 << 19) - 1
/**
 * Milliseconds a waiting thread spins (re-reading the word) before it sleeps: a step's slices
 * take milliseconds, and a sleeping thread's wake-up can cost as much on a busy machine.
 */
const SPIN_MS = 0.3

/** Spins until `h[i]` differs from `v` or SPIN_MS pass; true if it changed. */
function spin(h: Int32Array, i: number, v: number): boolean {
  const end = performance.now() + SPIN_MS
  do {
    for (let k = 0; k < 64; k++) if (Atomics.load(h, i) !== v) return true
  } while (performance.now() < end)
  return false
}

function header(team: SharedArrayBuffer): Int32Array {
  return new Int32Array(team, 0, TEAM_HEADER_BYTES / 4)
}

/** The Int32 words of the header free for the work's own layout (indices 0…9). */
export function teamWords(team: SharedArrayBuffer): Int32Array {
  return new Int32Array(team, 24, 10)
}

/** Writes a fresh header: `slices` per step, no step published yet (every slice claimed). */
export function initTeam(team: SharedArrayBuffer, slices: number): void {
  if (!(Number.isInteger(slices) && slices >= 1 && slices <= MAX_SLICES))
    throw new RangeError(`a team cuts its work into 1…${MAX_SLICES} slices, got ${slices}`)
  const h = header(team)
  h.fill(0)
  h[SLICES] = slices
  Atomics.store(h, STEP, (slices << 6) | slices) // generation 0, nothing left to claim
}

export function teamSlices(team: SharedArrayBuffer): number {
  return Atomics.load(header(team), SLICES)
}

/** A solo step's slices this (leader) thread has not taken yet, per team. */
const reserved = new WeakMap<SharedArrayBuffer, { gen: number; next: number; slices: number }>()

/**
 * Leader: publish step data first (plain writes), then this: `slices` (default the team's)
 * become claimable — by every thread of the team, or (`solo`) by this thread alone.
 */
export function startStep(
  team: SharedArrayBuffer,
  slices = teamSlices(team),
  solo = false
): number {
  if (!(Number.isInteger(slices) && slices >= 1 && slices <= MAX_SLICES))
    throw new RangeError(`a step has 1…${MAX_SLICES} slices, got ${slices}`)
  const h = header(team)
  const gen = ((Atomics.load(h, STEP) >>> 12) + 1) & GEN_MASK
  Atomics.store(h, DONE, 0)
  if (solo) {
    reserved.set(team, { gen, next: 0, slices })
    // Every slice claimed already; no notify: a sleeping helper sleeps on (it wakes by itself
    // within its wait, finds nothing, and sleeps again).
    Atomics.store(h, STEP, (gen << 12) | (slices << 6) | slices)
    return gen
  }
  reserved.delete(team)
  Atomics.store(h, STEP, (gen << 12) | (slices << 6))
  Atomics.notify(h, STEP)
  return gen
}

/** Claims the next slice of the current step: { gen, slice }, or null when none is left. */
export function claimSlice(
  team: SharedArrayBuffer
): { gen: number; slice: number; slices: number } | null {
  const r = reserved.get(team)
  if (r) {
    if (r.next < r.slices) return { gen: r.gen, slice: r.next++, slices: r.slices }
    reserved.delete(team)
    return null
  }
  const h = header(team)
  for (;;) {
    const w = Atomics.load(h, STEP)
    const k = w & 63
    const slices = (w >>> 6) & 63
    if (k >= slices) return null
    if (Atomics.compareExchange(h, STEP, w, w + 1) === w) return { gen: w >>> 12, slice: k, slices }
  }
}

/** Counts a claimed slice done (after its results are written). */
export function finishSlice(team: SharedArrayBuffer): void {
  const h = header(team)
  Atomics.add(h, DONE, 1)
  Atomics.notify(h, DONE)
}

/** Slices of the current step done so far (by any thread of the team). */
export function slicesDone(team: SharedArrayBuffer): number {
  return Atomics.load(header(team), DONE)
}

/** Thrown by awaitSlices when a helper died under a slice. */
export class TeamFailed extends Error {
  constructor() {
    super('a helper thread of this run stopped in the middle of a step')
  }
}

/** Leader: blocks until every slice of the step is done (or a helper failed: TeamFailed). */
export function awaitSlices(team: SharedArrayBuffer): void {
  const h = header(team)
  const slices = (Atomics.load(h, STEP) >>> 6) & 63
  for (;;) {
    const done = Atomics.load(h, DONE)
    if (done >= slices) return
    if (Atomics.load(h, FAILED) !== 0) throw new TeamFailed()
    if (!spin(h, DONE, done)) Atomics.wait(h, DONE, done, 100)
  }
}

/** The generation that follows `gen` (the one the next startStep publishes). */
export function nextGen(gen: number): number {
  return (gen + 1) & GEN_MASK
}

/**
 * Helper: blocks until step `gen` is settled — every slice done, or a later step published (the
 * leader publishes only after the last slice), or the team ended or failed. A helper that has
 * run out of slices uses it to act on the step's results at once instead of on the next step.
 */
export function awaitStep(team: SharedArrayBuffer, gen: number): void {
  const h = header(team)
  for (;;) {
    const word = Atomics.load(h, STEP)
    const done = Atomics.load(h, DONE)
    if (word >>> 12 !== gen || done >= ((word >>> 6) & 63)) return
    if (Atomics.load(h, ENDED) !== 0 || Atomics.load(h, FAILED) !== 0) return
    // Spin on both words (a new step changes STEP, a finished slice DONE), then sleep briefly.
    const end = performance.now() + SPIN_MS
    let changed = false
    do {
      for (let k = 0; k < 64 && !changed; k++)
        changed = Atomics.load(h, DONE) !== done || Atomics.load(h, STEP) !== word
    } while (!changed && performance.now() < end)
    if (!changed) Atomics.wait(h, DONE, done, 1)
  }
}

/**
 * Helper: waits (at most `ms`) for a step word different from `seen`; returns the word now.
 * Wakes at once on a new step, on release (setWanted) and on the end (endTeam).
 */
export function waitForWork(team: SharedArrayBuffer, seen: number, ms: number): number {
  const h = header(team)
  if (!spin(h, STEP, seen)) Atomics.wait(h, STEP, seen, ms)
  return Atomics.load(h, STEP)
}

export function stepWord(team: SharedArrayBuffer): number {
  return Atomics.load(header(team), STEP)
}

/** Whether helper `index` (0-based) should leave: released, or the leader is gone. */
export function helperReleased(team: SharedArrayBuffer, index: number): boolean {
  const h = header(team)
  return Atomics.load(h, ENDED) !== 0 || index >= Atomics.load(h, WANTED)
}

/** Main: how many helpers the team may have now (helpers 0…n−1 stay, the others leave). */
export function setWanted(team: SharedArrayBuffer, n: number): void {
  const h = header(team)
  Atomics.store(h, WANTED, n)
  Atomics.notify(h, STEP)
}

export function teamWanted(team: SharedArrayBuffer): number {
  return Atomics.load(header(team), WANTED)
}

/** Main: the leader's task settled; every helper leaves. */
export function endTeam(team: SharedArrayBuffer): void {
  const h = header(team)
  Atomics.store(h, ENDED, 1)
  Atomics.notify(h, STEP)
}

/** Main: a helper's task failed under the team; the leader fails instead of waiting forever. */
export function failTeam(team: SharedArrayBuffer): void {
  const h = header(team)
  Atomics.store(h, FAILED, 1)
  Atomics.notify(h, DONE)
}

export function teamEnded(team: SharedArrayBuffer): boolean {
  return Atomics.load(header(team), ENDED) !== 0
}
