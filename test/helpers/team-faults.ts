/**
 * How a test makes one thread of a data-parallel run die (team-fault-worker.ts): it writes a
 * fault file; the first task of the matching role that reads it takes it (renames it away, so
 * exactly one thread dies and the runs after it are clean), and right before it dies it writes
 * `<file>.died` (Died). The worker finds the file through the pool's env (FAULT_ENV).
 * Tests and worker share this module (the worker entry itself is never imported by a test).
 */
import { renameSync, writeFileSync } from 'node:fs'

export const FAULT_ENV = 'LAYERSCOPE_TEST_TEAM_FAULT'

export interface TeamFault {
  /** The thread that dies: a helper of the run, or its leader. */
  thread: 'helper' | 'leader'
  /** The run it belongs to: a training run or a depth probe. */
  run: 'train' | 'depth'
  /** Its worker thread exits (process.exit), or its task throws. */
  how: 'exit' | 'throw'
  /**
   * A helper: milliseconds it leaves the steps to the leader before it claims a slice (the run
   * under way).
   */
  afterMs?: number
  /**
   * A training leader: 'slice' (default; CIFAR-10 data) — in the gather of its own slice, once
   * its helper has claimed a slice of the same step (both in flight); 'step' (any data) — at
   * its next progress report, between steps. (A depth leader always dies between the layers of
   * its own slice, once its helper is in the middle of one.)
   */
  where?: 'slice' | 'step'
}

/** What a dying thread writes into `<file>.died`. */
export interface Died {
  /** Date.now() right before it died. */
  at: number
  /** A leader that died beside its helper: the helper was then in the middle of a slice. */
  helperInSlice?: boolean
}

/** Exit code of a thread that dies on purpose (process.exit). */
export const FAULT_EXIT_CODE = 7

export const FAULT_MESSAGE = 'test fault: this thread of the team stopped on purpose'

export const diedFile = (file: string): string => `${file}.died`

/**
 * What the clean helpers did, one line each, appended when they end: `trainHelper <thread>
 * <slices computed>`, `depthHelper <thread> 1` — so a test can tell that a run's helper worked,
 * and that a failed run got none in a dead one's place.
 */
export const logFile = (file: string): string => `${file}.log`

/** Arms a fault: written whole, then renamed into place (a reader never sees half of it). */
export function armFault(file: string, fault: TeamFault): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(fault))
  renameSync(`${file}.tmp`, file)
}
