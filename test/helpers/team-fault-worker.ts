/**
 * The worker entry of the team-fault tests (team-faults.test.ts): every production task, with
 * the four tasks of a data-parallel run — `train` and `depth` (leaders), `trainHelper` and
 * `depthHelper` — wrapped so that one thread of a run can die on purpose (./team-faults.ts says
 * how a test arms it). Without an armed fault each runs the production task unchanged. The
 * production worker (src-workers/worker.ts) carries none of this.
 *
 * A dying helper claims a slice of a step (the real team protocol, src-workers/team.ts) and
 * dies holding it: the slice is never done, so the leader waits for it until the pool fails
 * the team. A dying leader dies while its helper is in the middle of a slice: a depth leader
 * between the layers of its own slice (its progress reports), a training leader on CIFAR-10 in
 * the gather of its own slice (its preprocessing is read there) — or, `where: 'step'`, at a
 * progress report between steps (any data).
 */
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { threadId } from 'node:worker_threads'
import type { FittedPreprocessing } from '../../src-workers/data/preprocess/fit'
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
  type Died,
  type TeamFault
} from './team-faults'

export * from '../../src-workers/worker'

/**
 * The armed fault for this thread's role (and `where`, for a training leader), taken (renamed
 * away) so no other thread dies; or null.
 */
function takeFault(
  thread: TeamFault['thread'],
  run: TeamFault['run'],
  where?: TeamFault['where']
): TeamFault | null {
  const file = process.env[FAULT_ENV]
  if (!file) return null
  let fault: TeamFault
  try {
    fault = JSON.parse(readFileSync(file, 'utf8')) as TeamFault
  } catch {
    return null // not armed (or taken meanwhile)
  }
  if (fault.thread !== thread || fault.run !== run) return null
  if (where !== undefined && (fault.where ?? 'slice') !== where) return null
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

/**
 * Slices of the current step claimed and not yet done; 0 before the first step. (The step word:
 * generation in bits 12…, next unclaimed slice in bits 0–5.)
 */
function inFlight(team: SharedArrayBuffer): number {
  const word = stepWord(team)
  return word >>> 12 === 0 ? 0 : (word & 63) - slicesDone(team)
}

/** Dies as the fault says, after writing when, and the slices in flight, into the `.died` file. */
function die(fault: TeamFault, team: SharedArrayBuffer): never {
  const died: Died = { at: Date.now(), inFlight: inFlight(team) }
  writeFileSync(diedFile(process.env[FAULT_ENV]!), JSON.stringify(died))
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
    if (performance.now() - from >= (fault.afterMs ?? 0) && claimSlice(team)) die(fault, team)
    waitForWork(team, word, 5)
  }
  return 0
}

/**
 * A leader in its own slice: waits (up to 10 s) until the helper has claimed a slice of the
 * step too — both in flight, neither done — and dies.
 */
function dieBesideHelper(team: SharedArrayBuffer, fault: TeamFault): never {
  const end = performance.now() + 10_000
  while (inFlight(team) < 2 && performance.now() < end);
  die(fault, team)
}

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

/**
 * CIFAR-10 preprocessing whose `val`, read by every gather (gatherBatch), is where a training
 * leader armed to die in its slice does so: inside a step, with its own slice in flight.
 */
function watchedFitted(
  fitted: FittedPreprocessing,
  shared: { team?: SharedArrayBuffer }
): FittedPreprocessing {
  return new Proxy(fitted, {
    get(target, key, receiver) {
      if (key === 'val' && shared.team && inFlight(shared.team) >= 1) {
        const fault = takeFault('leader', 'train', 'slice')
        if (fault) dieBesideHelper(shared.team, fault)
      }
      return Reflect.get(target, key, receiver) as unknown
    }
  })
}

export const train = defineTask((input: training.TrainTaskInput, ctx: TaskContext) => {
  const shared: { team?: SharedArrayBuffer } = {}
  const data =
    'fitted' in input.data
      ? { ...input.data, fitted: watchedFitted(input.data.fitted, shared) }
      : input.data
  return training.train(
    { ...input, data },
    {
      progress(fraction, message, payload) {
        if (shared.team) {
          const fault = takeFault('leader', 'train', 'step')
          if (fault) die(fault, shared.team)
        }
        return ctx.progress(fraction, message, payload)
      },
      share(payload) {
        shared.team = (payload as training.TrainShare).team
        ctx.share?.(payload)
      }
    }
  )
})

export const depth = defineTask((input: engine.DepthTaskInput, ctx: TaskContext) => {
  const shared: { team?: SharedArrayBuffer } = {}
  return engine.depth(input, {
    progress(fraction, message, data) {
      // The leader reports between the layers of its own slice: with another slice claimed and
      // not done, the helper is in the middle of it.
      if (shared.team && inFlight(shared.team) >= 2) {
        const fault = takeFault('leader', 'depth')
        if (fault) die(fault, shared.team)
      }
      return ctx.progress(fraction, message, data)
    },
    share(data) {
      shared.team = (data as DepthShare).team
      ctx.share?.(data)
    }
  })
})
