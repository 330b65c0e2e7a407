/**
 * The worker entry of the team-fault tests (team-faults.test.ts): every production task, with
 * the four tasks of a data-parallel run — `train` and `depth` (leaders), `trainHelper` and
 * `depthHelper` — wrapped so that one thread of a run can die on purpose (./team-faults.ts says
 * how a test arms it). Without an armed fault each runs the production task unchanged. The
 * production worker (src-workers/worker.ts) carries none of this.
 *
 * A dying helper claims a slice of a step (the real team protocol, src-workers/team.ts) and
 * dies holding it: the slice is never done, so the leader waits for it until the pool fails
 * the team. A dying leader dies while its helper is in the middle of a slice — the helper (the
 * production one, its data watched) reports each step it works a slice of, and the leader dies
 * only in its own slice of that step with no slice of it done: a depth leader between the
 * layers of its slice (its progress reports), a training leader on CIFAR-10 in the gather of
 * its slice (its preprocessing is read there). Or, `where: 'step'`, a training leader dies at a
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

/** The armed fault if it is for this role (and `where`, for a training leader); else null. */
function armedFault(
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
  return fault
}

/** The armed fault for this role, taken (renamed away) so no other thread dies; or null. */
function takeFault(
  thread: TeamFault['thread'],
  run: TeamFault['run'],
  where?: TeamFault['where']
): TeamFault | null {
  const fault = armedFault(thread, run, where)
  if (!fault) return null
  const file = process.env[FAULT_ENV]!
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

/** The generation of the team's current step (bits 12… of the step word, src-workers/team.ts). */
const stepGen = (team: SharedArrayBuffer): number => stepWord(team) >>> 12

/** Where a helper reports the step it is working a slice of (for a leader armed to die). */
const inSliceFile = (): string => `${process.env[FAULT_ENV]!}.helper-in-slice`

/**
 * A helper's data, whose `key` the helper reads inside each slice it works (and not outside
 * one): each first read of a step writes the step's generation into inSliceFile.
 */
function reportingSlices<T extends object>(data: T, key: keyof T, team: SharedArrayBuffer): T {
  let reported = -1
  return new Proxy(data, {
    get(target, k, receiver) {
      if (k === key && stepGen(team) !== reported) {
        reported = stepGen(team)
        writeFileSync(inSliceFile(), String(reported))
      }
      return Reflect.get(target, k, receiver) as unknown
    }
  })
}

/**
 * The helper is in the middle of a slice of the current step: it reported this step, and no
 * slice of it is done yet (the leader calls this inside its own slice).
 */
function helperInSlice(team: SharedArrayBuffer): boolean {
  let gen: number
  try {
    gen = Number(readFileSync(inSliceFile(), 'utf8'))
  } catch {
    return false
  }
  return gen === stepGen(team) && slicesDone(team) === 0
}

/** Dies as the fault says, after writing the `.died` record. */
function die(fault: TeamFault, died: Omit<Died, 'at'> = {}): never {
  const record: Died = { at: Date.now(), ...died }
  writeFileSync(diedFile(process.env[FAULT_ENV]!), JSON.stringify(record))
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

/**
 * A leader in its own slice, armed to die beside its helper: waits (up to 100 ms: the helper
 * claims its slice right after the step is published, unless the step is the leader's alone)
 * for the helper to be in the middle of a slice of this step, and dies then.
 */
function dieBesideHelper(team: SharedArrayBuffer, run: TeamFault['run'], where?: 'slice'): void {
  const end = performance.now() + 100
  while (!helperInSlice(team)) if (performance.now() > end) return
  const fault = takeFault('leader', run, where)
  if (fault) die(fault, { helperInSlice: true })
}

export const trainHelper = defineTask((input: training.TrainHelperInput): number => {
  const fault = takeFault('helper', 'train')
  if (fault) return dieInASlice(input.team, input.index, fault)
  // Its leader armed to die beside it: report the slices it works (CIFAR-10: its gather reads
  // the preprocessing's scale, once per slice).
  const data =
    'fitted' in input.data && armedFault('leader', 'train', 'slice')
      ? { ...input.data, fitted: reportingSlices(input.data.fitted, 'scale', input.team) }
      : input.data
  const slices = training.trainHelper({ ...input, data })
  note(`trainHelper ${threadId} ${slices}`)
  return slices
})

export const depthHelper = defineTask((input: engine.DepthHelperInput): null => {
  const fault = takeFault('helper', 'depth')
  if (fault) {
    dieInASlice(input.share.team, input.index, fault)
    return null
  }
  // Its leader armed to die beside it: report the slices it works (a pass or statistics slice
  // reads the layer outputs; nothing else does).
  const share = armedFault('leader', 'depth')
    ? reportingSlices(input.share, 'outputs', input.share.team)
    : input.share
  engine.depthHelper({ ...input, share })
  note(`depthHelper ${threadId} 1`)
  return null
})

/**
 * CIFAR-10 preprocessing whose `scale`, read by every gather (gatherBatch) and by nothing else,
 * is where a training leader armed to die in its slice does so: inside its own slice, once its
 * helper is in the middle of one.
 */
function watchedFitted(
  fitted: FittedPreprocessing,
  shared: { team?: SharedArrayBuffer }
): FittedPreprocessing {
  return new Proxy(fitted, {
    get(target, key, receiver) {
      if (key === 'scale' && shared.team && armedFault('leader', 'train', 'slice'))
        dieBesideHelper(shared.team, 'train', 'slice')
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
          if (fault) die(fault)
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
      // The leader reports between the layers of its own slice (and after each statistics
      // slice): it dies there once its helper is in the middle of a slice.
      if (shared.team && armedFault('leader', 'depth') && helperInSlice(shared.team)) {
        const fault = takeFault('leader', 'depth')
        if (fault) die(fault, { helperInSlice: true })
      }
      return ctx.progress(fraction, message, data)
    },
    share(data) {
      shared.team = (data as DepthShare).team
      ctx.share?.(data)
    }
  })
})
