/**
 * A thread of a data-parallel run that dies (issue 14), through LabService and real worker
 * threads (a 2-thread pool whose worker entry, test/helpers/team-fault-worker.ts, lets a test
 * make one thread of a run die on purpose: its thread exits, or its task throws).
 *
 * - A helper that dies holding a slice (training and the depth probe): the run fails at once
 *   with `worker-died` and a message saying a helper thread of the run stopped and why — the
 *   same in the service's job:failed event and, one line with no stack, in the CLI — instead of
 *   the leader waiting for the slice forever; the failed run gets no helper in the dead one's
 *   place; then both threads serve the next run alone: it is lent a helper (a training run's
 *   computes slices), has workers: 2 and the bits of a clean run with the same seed.
 * - A leader that dies while its helper is in the middle of a slice (a depth probe; a training
 *   run on the CIFAR-10 sample, where the leader's own gather is where test code can run on it
 *   inside a step), or between steps (training on any data): the helper leaves at once (the
 *   team ended), and the pool's threads come back for the next run.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobFailedEvent, LabErrorData } from '../../src-shared/contract'
import type { DepthResult, TrainResult } from '../../src-shared/results'
import { runCli } from '../../src-main/cli'
import { requireCifarSample } from '../helpers/fixtures'
import { LabService } from '../../src-main/lab/service'
import {
  armFault,
  diedFile,
  type Died,
  FAULT_ENV,
  FAULT_EXIT_CODE,
  FAULT_MESSAGE,
  logFile,
  type TeamFault
} from '../helpers/team-faults'
import { lastIterOf, trainNumbers, until } from '../helpers/runs'

const FAULT_WORKER = fileURLToPath(new URL('../helpers/team-fault-worker.cjs', import.meta.url))
// Made in beforeAll (a run that filters every test out runs no hook, and must leave nothing).
const dir = path.join(os.tmpdir(), `layerscope-team-faults-${process.pid}-${randomUUID()}`)
const FAULT = path.join(dir, 'fault.json')

const service = new LabService({
  pool: { workerFile: FAULT_WORKER, threads: 2, env: { [FAULT_ENV]: FAULT } },
  mode: 'test',
  version: '0.0.0-test'
})
afterAll(async () => {
  await service.close()
  rmSync(dir, { recursive: true, force: true })
})

async function start(kind: 'train' | 'depth' | 'dataset', config: unknown): Promise<string> {
  const res = await service.call('job:start', { kind, config })
  if (!res.ok) throw new Error(res.error.message)
  return (res.value as { jobId: string }).jobId
}

/** The job:failed event of a job, or null (every event is recorded from the start). */
const failedEvents = new Map<string, JobFailedEvent & { at: number }>()
service.on((name, payload) => {
  if (name === 'job:failed') {
    const e = payload as JobFailedEvent
    failedEvents.set(e.jobId, { ...e, at: Date.now() })
  }
})

/**
 * How a job that must fail fails: its error (as waitForJob rejects with it, and as the
 * job:failed event carries it) and when. A job still running `ms` after it should have failed
 * hangs: it is cancelled (so the test ends) and the test fails.
 */
async function failure(jobId: string, ms = 20_000): Promise<LabErrorData & { at: number }> {
  const outcome = await Promise.race([
    service.waitForJob(jobId).then(
      () => 'completed' as const,
      (err: unknown) => err
    ),
    new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms))
  ])
  if (outcome === 'hung') {
    await service.call('job:cancel', { jobId })
    await service.waitForJob(jobId).catch(() => undefined)
    throw new Error(
      `the run neither failed nor finished within ${ms} ms: it hangs (fault taken: ${!existsSync(FAULT)}, died: ${existsSync(diedFile(FAULT))}, helpers: ${service.pool.helperTasks})`
    )
  }
  if (outcome === 'completed') throw new Error('the run completed: the fault did not happen')
  const event = failedEvents.get(jobId)!
  const e = outcome as LabErrorData
  // What the service tells the UI is what the caller gets.
  expect(event.error).toEqual({
    code: e.code,
    message: e.message,
    ...(e.details === undefined ? {} : { details: e.details })
  })
  return { ...event.error, at: event.at }
}

/** The dying thread's record: when it died (and, a leader, that its helper was mid-slice). */
const died = (): Died => JSON.parse(readFileSync(diedFile(FAULT), 'utf8')) as Died
const diedAt = (): number => died().at

function arm(fault: TeamFault): void {
  for (const f of [diedFile(FAULT), logFile(FAULT), `${FAULT}.helper-in-slice`])
    rmSync(f, { force: true })
  armFault(FAULT, fault)
}

/** The fault was taken by a thread (and no thread is left to take it). */
const taken = (): void => expect(existsSync(FAULT)).toBe(false)

/** The clean helpers' log: [thread, slices computed (depth: 1)] per helper task. */
function logged(task: 'trainHelper' | 'depthHelper'): [number, number][] {
  if (!existsSync(logFile(FAULT))) return []
  return readFileSync(logFile(FAULT), 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((w) => w[0] === task)
    .map((w) => [Number(w[1]), Number(w[2])])
}

// ---------------------------------------------------------------------------- training

/**
 * The clean run: a few seconds, so that a helper on a thread replacing a dead one (which must
 * start first) still computes slices of it on a loaded machine.
 */
const RUN = {
  data: { type: 'synthetic', n: 1600 },
  val: 200,
  hidden: [40],
  epochs: 30,
  batch: 100,
  optimizer: 'momentum',
  lr: 5e-3,
  statsEvery: 7
}
/** Long enough that it is still training when its faulty thread dies, on any machine. */
const LONG = { ...RUN, epochs: 400 }

const trainResult = async (jobId: string) => (await service.waitForJob(jobId)).result as TrainResult

let trainReference: TrainResult

/**
 * The next training run alone, after a fault: both threads serve it (its helper computes slices
 * on a thread of its own), it has workers: 2 and the bits of the clean run with the same seed.
 */
async function nextTrainRunIsClean(): Promise<void> {
  expect(service.pool.helperTasks).toBe(0)
  rmSync(logFile(FAULT), { force: true })
  const id = await start('train', RUN)
  await until(() => service.pool.teamHelpers[0] === 1)
  const r = await trainResult(id)
  expect(r.workers).toBe(2)
  expect(trainNumbers(r)).toEqual(trainNumbers(trainReference))
  await until(() => service.pool.helperTasks === 0, 5000)
  const helpers = logged('trainHelper')
  expect(helpers).toHaveLength(1)
  expect(helpers[0]![1]).toBeGreaterThan(0)
}

beforeAll(async () => {
  mkdirSync(dir, { recursive: true })
  trainReference = await trainResult(await start('train', RUN))
  expect(trainReference.workers).toBe(2)
  expect(trainReference.status).toBe('completed')
  // Its helper leaves after the run's end: let it go before a test reads the log.
  await until(() => service.pool.helperTasks === 0, 5000)
})

describe('a helper of a training run dies in the middle of a slice', () => {
  it.each(['exit', 'throw'] as const)(
    'its thread %s: the run fails at once with worker-died saying a helper stopped; both threads serve the next run',
    async (how) => {
      arm({ thread: 'helper', run: 'train', how, afterMs: 300 })
      const id = await start('train', LONG)
      const err = await failure(id)
      taken()
      expect(err.code).toBe('worker-died')
      expect(err.message).toMatch(/^a helper thread of this run stopped, so the run stopped too: /)
      // Why the helper stopped: its thread's exit code, or its error.
      expect(err.message).toContain(how === 'exit' ? `code: ${FAULT_EXIT_CODE}` : FAULT_MESSAGE)
      expect(err.details).toMatchObject({
        task: 'trainHelper',
        helper: { code: how === 'exit' ? 'worker-died' : 'internal' }
      })
      // Promptly: the leader does not wait for the slice the helper held.
      expect(err.at - diedAt()).toBeLessThan(2000)
      await until(() => service.pool.helperTasks === 0, 5000)
      // The failed run got no helper in the dead one's place.
      expect(logged('trainHelper')).toEqual([])
      await nextTrainRunIsClean()
    }
  )
})

/** Opens the CIFAR-10 sample in the service (once). */
let cifarOpen = false
async function openCifar(ctx: { skip: (note?: string) => never }): Promise<void> {
  const sample = requireCifarSample(ctx)
  if (cifarOpen) return
  await service.waitForJob(
    await start('dataset', { path: path.join(sample, 'cifar-10-batches-bin') })
  )
  cifarOpen = true
}

/** On the CIFAR-10 sample (500 training images); slices of 100 rows × 3072 → 400 units. */
const CIFAR_LONG = {
  data: { type: 'dataset' },
  preprocess: 'standardize',
  val: 100,
  epochs: 400,
  batch: 200,
  hidden: [400],
  optimizer: 'adam',
  lr: 1e-3
}

/**
 * A training leader died (`how`): the run failed with the leader's own error, the team ended
 * with it (its helper finishes what it holds and leaves its thread within 2 s), and both threads
 * serve the next run.
 */
async function leaderDiedHelperLeft(err: LabErrorData, how: 'exit' | 'throw'): Promise<void> {
  if (how === 'exit') {
    expect(err.code).toBe('worker-died')
    expect(err.message).toBe(
      `the worker running train stopped: worker exited with code: ${FAULT_EXIT_CODE}`
    )
  } else expect(err).toMatchObject({ code: 'internal', message: FAULT_MESSAGE })
  await until(() => service.pool.helperTasks === 0, 2000)
  expect(Date.now() - diedAt()).toBeLessThan(2000)
  await nextTrainRunIsClean()
}

describe('the leader of a training run dies while its helper is in the middle of a slice', () => {
  for (const how of ['exit', 'throw'] as const)
    it(`its thread ${how}s: the helper leaves, both threads serve the next run`, async (ctx) => {
      await openCifar(ctx)
      arm({ thread: 'leader', run: 'train', how, where: 'slice' })
      const err = await failure(await start('train', CIFAR_LONG))
      taken()
      // It died in its own slice, the helper in the middle of one of the same step.
      expect(died().helperInSlice).toBe(true)
      await leaderDiedHelperLeft(err, how)
    })
})

describe('the leader of a training run dies between steps', () => {
  it.each(['exit', 'throw'] as const)(
    'its thread %s: the helper leaves, both threads serve the next run',
    async (how) => {
      const id = await start('train', LONG)
      const { iter, off } = lastIterOf(service, id)
      await until(() => iter() > 5 && service.pool.teamHelpers[0] === 1)
      off()
      expect(service.pool.helperTasks).toBe(1)
      arm({ thread: 'leader', run: 'train', how, where: 'step' })
      const err = await failure(id)
      taken()
      await leaderDiedHelperLeft(err, how)
    }
  )
})

// ---------------------------------------------------------------------------- depth probe

/** A probe whose slices take seconds (a helper that joins surely claims one). */
const BIG = { layers: 4, width: 1500, samples: 1500, activation: 'tanh', init: 'xavier' }
const PROBE = { layers: 5, width: 400, samples: 2000, activation: 'relu', init: 'he' }

const depthResult = async (jobId: string) => (await service.waitForJob(jobId)).result as DepthResult

let depthReference: DepthResult

/**
 * The next probe alone, after a fault: the pool lends it a helper (on the second thread), it has
 * workers: 2 and the bits of the clean probe. (Whether that helper joins before the probe ends
 * depends on how fast a thread replacing a dead one starts; the slices fix the bits either way.)
 */
async function nextProbeIsClean(): Promise<void> {
  expect(service.pool.helperTasks).toBe(0)
  const id = await start('depth', PROBE)
  await until(() => service.pool.teamHelpers[0] === 1)
  const r = await depthResult(id)
  expect(r.config.workers).toBe(2)
  expect(r).toEqual(depthReference)
  await until(() => service.pool.helperTasks === 0, 5000)
}

describe('a helper of a depth probe dies in the middle of a slice', () => {
  beforeAll(async () => {
    depthReference = await depthResult(await start('depth', PROBE))
    expect(depthReference.config.workers).toBe(2)
    await until(() => service.pool.helperTasks === 0, 5000)
  })

  it.each(['exit', 'throw'] as const)(
    'its thread %s: the probe fails at once with worker-died saying a helper stopped; both threads serve the next probe',
    async (how) => {
      arm({ thread: 'helper', run: 'depth', how })
      const err = await failure(await start('depth', BIG))
      taken()
      expect(err.code).toBe('worker-died')
      expect(err.message).toMatch(/^a helper thread of this run stopped, so the run stopped too: /)
      expect(err.message).toContain(how === 'exit' ? `code: ${FAULT_EXIT_CODE}` : FAULT_MESSAGE)
      expect(err.details).toMatchObject({ task: 'depthHelper' })
      expect(err.at - diedAt()).toBeLessThan(2000)
      await until(() => service.pool.helperTasks === 0, 5000)
      // The failed probe got no helper in the dead one's place.
      expect(logged('depthHelper')).toEqual([])
      await nextProbeIsClean()
    }
  )
})

describe('the leader of a depth probe dies while its helper is in the middle of a slice', () => {
  it.each(['exit', 'throw'] as const)(
    'its thread %s: the helper leaves within a layer, both threads serve the next probe',
    async (how) => {
      arm({ thread: 'leader', run: 'depth', how })
      const id = await start('depth', BIG)
      const err = await failure(id)
      taken()
      expect(died().helperInSlice).toBe(true)
      if (how === 'exit') expect(err.code).toBe('worker-died')
      else expect(err).toMatchObject({ code: 'internal', message: FAULT_MESSAGE })
      // The helper was in its slice (the leader died only then): it stops at its next layer.
      await until(() => service.pool.helperTasks === 0, 5000)
      expect(Date.now() - diedAt()).toBeLessThan(2500)
      await nextProbeIsClean()
    }
  )
})

// ---------------------------------------------------------------------------- the CLI

describe('the CLI', () => {
  it('a helper that dies: exit 1 and one line saying a helper thread of the run stopped', async () => {
    arm({ thread: 'helper', run: 'train', how: 'exit', afterMs: 300 })
    let stdout = ''
    let stderr = ''
    const code = await runCli(
      ['train', '--synthetic', '1600', '--val', '200', '--hidden', '40', '--epochs', '400'],
      {
        io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
        workerFile: FAULT_WORKER,
        threads: 2,
        env: { [FAULT_ENV]: FAULT }
      }
    )
    taken()
    expect(code).toBe(1)
    expect(stdout).toBe('')
    // One line, no stack trace: what stopped, and why.
    expect(stderr).toMatch(
      new RegExp(
        `^layerscope train: internal error: a helper thread of this run stopped, so the run stopped too: the worker running trainHelper stopped: .*code: ${FAULT_EXIT_CODE}\\n$`
      )
    )
  })
})
