/**
 * The worker entry of the team-fault tests (team-faults.test.ts): every production task, with
 * the four tasks of a data-parallel run — `train` and `depth` (leaders), `trainHelper` and
 * `depthHelper` — wrapped so that one thread of a run can die on purpose (./team-faults.ts says
 * how a test arms it). Without an armed fault each runs the production task unchanged. The
 * production worker (src-workers/worker.ts) carries none of this.
 *
 * A dying helper claims a slice of a step (the real team protocol, src-workers/team.ts) and
 * dies holding it: the slice is never done, so the leader waits for it until the pool fails
 * the team. A dying depth leader dies while its helper is in the middle of a slice; a dying
 * training leader dies at a progress report (the only point where a training leader runs code
 * of the caller's: between steps).
 */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { threadId } from 'node:worker_threads'
import type { DepthShare } from '../../src-workers/nn/depth-team'
import { defineTask, type TaskContext } from '../../src-workers/task'
import * as engine from '../../src-workers/tasks/engine'
import * as training from '../../src-workers/tasks/train'
import {
  claimSlice,
  helperReleased,
  slicesDone,
  stepWord,
  waitForWork
} from '../../src-workers/team'
import {
  diedFile,
  FAULT_ENV,
  FAULT_EXIT_CODE,
  FAULT_MESSAGE,
  logFile,
  type TeamFault
} from './team-faults'

export * from '../../src-workers/worker'

/** The armed fault for this thread's role, taken (renamed away) so no other thread dies; or null. */
function takeFault(thread: TeamFault['thread'], run: TeamFault['run']): TeamFault | null {
  const file = process.env[FAULT_ENV]
  if (!file) return null
  let fault: TeamFault
  try {
    fault = JSON.parse(readFileSync(file, 'utf8')) as TeamFault
  } catch {
    return null // not armed (or taken meanwhile)
  }
  if (fault.thread !== thread || fault.run !== run) return null
  try {
    renameSync(file, `${file}.taken-${threadId}`)
  } catch {
    return null // another thread took it first
  }
  return fault
}

/** Appends a line to the log (./team-faults.ts logFile). */
function note(line: string): void {
  const file = process.env[FAULT_ENV]
  if (file) appendFileSync(logFile(file), `${line}\n`)
}

/** Dies as the fault says, after writing the time into the `.died` file. */
function die(fault: TeamFault): never {
  writeFileSync(diedFile(process.env[FAULT_ENV]!), String(Date.now()))
  if (fault.how === 'exit') process.exit(FAULT_EXIT_CODE)
  throw new Error(FAULT_MESSAGE)
}

/**
 * A helper that leaves the steps to the leader for `afterMs`, then claims the next slice it can
 * and dies holding it. Returns (0 slices) only if released or ended before it could claim one.
 */
function dieInASlice(team: SharedArrayBuffer, index: number, fault: TeamFault): number {
  const from = performance.now()
  while (!helperReleased(team, index)) {
    const word = stepWord(team)
    if (performance.now() - from >= (fault.afterMs ?? 0) && claimSlice(team)) die(fault)
    waitForWork(team, word, 5)
  }
  return 0
}

/** Slices of the current step claimed and not yet done (step word: next unclaimed in bits 0–5). */
const inFlight = (team: SharedArrayBuffer): number => (stepWord(team) & 63) - slicesDone(team)

export const trainHelper = defineTask((input: training.TrainHelperInput): number => {
  const fault = takeFault('helper', 'train')
  if (fault) return dieInASlice(input.team, input.index, fault)
  const slices = training.trainHelper(input)
  note(`trainHelper ${threadId} ${slices}`)
  return slices
})

export const depthHelper = defineTask((input: engine.DepthHelperInput): null => {
  const fault = takeFault('helper', 'depth')
  if (fault) dieInASlice(input.share.team, input.index, fault)
  else engine.depthHelper(input)
  return null
})

export const train = defineTask((input: training.TrainTaskInput, ctx: TaskContext) => {
  const shared: { team?: SharedArrayBuffer } = {}
  return training.train(input, {
    progress(fraction, message, data) {
      if (shared.team) {
        const fault = takeFault('leader', 'train')
        if (fault) die(fault)
      }
      return ctx.progress(fraction, message, data)
    },
    share(data) {
      shared.team = (data as training.TrainShare).team
      ctx.share?.(data)
    }
  })
})

export const depth = defineTask((input: engine.DepthTaskInput, ctx: TaskContext) => {
  const shared: { team?: SharedArrayBuffer } = {}
  return engine.depth(input, {
    progress(fraction, message, data) {
      // The leader reports between the layers of its own slice: with another slice claimed and
      // not done, the helper is in the middle of it.
      if (shared.team && inFlight(shared.team) >= 2) {
        const fault = takeFault('leader', 'depth')
        if (fault) die(fault)
      }
      return ctx.progress(fraction, message, data)
    },
    share(data) {
      shared.team = (data as DepthShare).team
      ctx.share?.(data)
    }
  })
})
