/**
 * One typed facade over the Piscina pool: `run(task, input, { signal, onProgress })`.
 * Task names and their input/output types come from the worker module's own exports.
 * Every failure comes back as a LabError: the task's own typed error, `cancelled` on abort,
 * or `worker-died` when the thread exits under a job; the pool replaces the thread and
 * keeps serving the next job.
 *
 * Elastic teams (issue 14): a data-parallel run (`runTeam`) is a leader task that shares a team
 * block once it starts (src-workers/team.ts); the pool lends it helper tasks while threads are
 * free — a run alone takes every thread, runs started together get one each — and takes them
 * back when another task arrives (the team's `wanted` count drops, the helper leaves after its
 * slice, and the queued task gets its thread), giving them back when tasks end. The numbers do
 * not depend on how many helpers a team had: its slices fix the arithmetic. A helper that fails
 * fails its team (failTeam): the leader stops waiting, and the run fails with `worker-died`
 * naming the helper's reason; a leader that settles ends its team (endTeam): its helpers leave.
 */
import { availableParallelism } from 'node:os'
import { MessageChannel } from 'node:worker_threads'
import { Piscina } from 'piscina'
import { LabError } from '../../src-shared/errors'
import type * as WorkerModule from '../../src-workers/worker'
import type { ProgressMessage, ShareMessage, TaskEnvelope } from '../../src-workers/task'
import { endTeam, failTeam, setWanted, teamSlices } from '../../src-workers/team'

/** A worker module's tasks: the production entry, or a test entry that adds test-only tasks. */
export type Tasks = typeof WorkerModule
export type TaskName<M = Tasks> = {
  [K in keyof M]: M[K] extends (msg: { input: infer _I }) => Promise<TaskEnvelope<infer _O>>
    ? K
    : never
}[keyof M]
type TaskFn<M, K extends keyof M> = M[K] extends (msg: { input: infer I }) => Promise<infer E>
  ? { input: I; envelope: E }
  : never
export type TaskInput<K extends TaskName<M>, M = Tasks> = TaskFn<M, K>['input']
export type TaskOutput<K extends TaskName<M>, M = Tasks> =
  TaskFn<M, K>['envelope'] extends TaskEnvelope<infer O> ? O : never

export interface PoolOptions {
  /** The worker entry (built `worker.js`, or `src-workers/worker.ts` with tsx in execArgv). */
  workerFile: string | URL
  /** Threads; default one per core. */
  threads?: number
  execArgv?: string[]
  env?: Record<string, string>
}

export interface RunOptions {
  signal?: AbortSignal
  onProgress?: (p: ProgressMessage) => void
  /** Data the task hands over while it runs (TaskContext.share). */
  onShare?: (data: unknown) => void
}

/** How a team's helpers are started: their task and its input for helper `index`. */
export interface TeamHelpers<H extends TaskName<M> & string, M = Tasks> {
  task: H
  input: (shared: { team: SharedArrayBuffer }, index: number) => TaskInput<H, M>
}

interface Team {
  block: SharedArrayBuffer
  /** Helpers the team can use (slices − 1). */
  most: number
  /** Helper indices whose task is running. */
  running: Set<number>
  start: (index: number) => void
}

export class LabPool<M = Tasks> {
  readonly threads: number
  private readonly piscina: Piscina

  constructor(opts: PoolOptions) {
    this.threads = Math.max(1, opts.threads ?? availableParallelism())
    const filename = opts.workerFile instanceof URL ? opts.workerFile.href : opts.workerFile
    this.piscina = new Piscina({
      filename,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      execArgv: opts.execArgv ?? [],
      ...(opts.env ? { env: { ...process.env, ...opts.env } } : {})
    })
    // A worker that fails outside a task (e.g. its module cannot load) is reported here;
    // without a listener the 'error' event would take the whole process down.
    // Piscina does not settle the tasks waiting for such a worker, so fail them here.
    this.piscina.on('error', (err: unknown) => {
      this.lastError = err instanceof Error ? err.message : String(err)
      const failure = new LabError(
        'worker-failed',
        `a worker thread could not start: ${this.lastError}`
      )
      for (const fail of this.waiting) fail(failure)
      this.waiting.clear()
    })
  }

  /** Rejecters of the runs in flight, for failures Piscina reports only on the pool. */
  private readonly waiting = new Set<(err: LabError) => void>()

  /** The last pool-level error (a worker that failed to start), for diagnostics. */
  lastError: string | null = null

  /** Tasks running or queued other than helpers (each holds, or waits for, a thread). */
  private primaries = 0
  /** Teams in the order their leaders started. */
  private readonly teams: Team[] = []

  /**
   * Helper tasks holding (or queued for) a thread now, teams ended or not: a helper leaves its
   * thread only when its task returns, which may be after its team's leader has settled.
   */
  get helperTasks(): number {
    return this.helpersInFlight
  }

  private helpersInFlight = 0

  /** Helpers the pool lends each running team now, in start order (for tests and the UI). */
  get teamHelpers(): number[] {
    return this.teams.map((t) => t.running.size)
  }

  /**
   * Shares the threads no primary task holds among the teams, first come first served, each up
   * to its slices − 1; starts the helpers a team may have and has not, and tells each team how
   * many it may keep (the others leave after their current slice).
   */
  private rebalance(): void {
    let free = this.threads - this.primaries
    for (const t of this.teams) {
      const want = Math.max(0, Math.min(t.most, free))
      free -= want
      setWanted(t.block, want)
      for (let i = 0; i < want; i++) if (!t.running.has(i)) t.start(i)
    }
  }

  async run<K extends TaskName<M> & string>(
    task: K,
    input: TaskInput<K, M>,
    opts: RunOptions = {}
  ): Promise<TaskOutput<K, M>> {
    this.primaries++
    this.rebalance()
    try {
      return await this.runTask(task, input, opts)
    } finally {
      this.primaries--
      this.rebalance()
    }
  }

  /**
   * Runs a leader task that may share a team block (`{ team, … }` through TaskContext.share):
   * the pool then lends it helper tasks (`helpers.task` with `helpers.input(shared, index)`)
   * while threads are free, and ends the team when the leader settles.
   */
  async runTeam<K extends TaskName<M> & string, H extends TaskName<M> & string>(
    task: K,
    input: TaskInput<K, M>,
    helpers: TeamHelpers<H, M>,
    opts: RunOptions = {}
  ): Promise<TaskOutput<K, M>> {
    let team: Team | null = null
    /** The first helper failure: the leader then fails (TeamFailed), and this says why. */
    let helperFailure: LabError | null = null
    const onShare = (data: unknown): void => {
      opts.onShare?.(data)
      const block = (data as { team?: unknown } | null)?.team
      if (team || !(block instanceof SharedArrayBuffer)) return
      const shared = data as { team: SharedArrayBuffer }
      const t: Team = {
        block,
        most: teamSlices(block) - 1,
        running: new Set(),
        start: (index) => {
          t.running.add(index)
          this.helpersInFlight++
          this.runTask(helpers.task, helpers.input(shared, index), {})
            .catch((err: unknown) => {
              // A helper that died under a slice: the leader stops waiting and fails; the
              // failed team gets no helper again (rebalance would start one in its place).
              helperFailure ??=
                err instanceof LabError ? err : new LabError('worker-died', String(err))
              t.most = 0
              failTeam(block)
            })
            .finally(() => {
              this.helpersInFlight--
              t.running.delete(index)
              // Left because released or ended; a still-wanted slot is refilled.
              if (this.teams.includes(t)) this.rebalance()
            })
        }
      }
      team = t
      this.teams.push(t)
      this.rebalance()
    }
    try {
      return await this.run(task, input, { ...opts, onShare })
    } catch (err) {
      // The leader failed because a helper did (awaitSlices threw TeamFailed; the leader's task
      // maps it to worker-died, or to internal where it does not): one typed error for every
      // kind of run, saying which thread stopped and why.
      const helper = helperFailure as LabError | null
      if (helper && !(err instanceof LabError && err.code === 'cancelled'))
        throw new LabError(
          'worker-died',
          `a helper thread of this run stopped, so the run stopped too: ${helper.message}`,
          { task: helpers.task, helper: helper.toData() }
        )
      throw err
    } finally {
      const t = team as Team | null
      if (t) {
        endTeam(t.block)
        this.teams.splice(this.teams.indexOf(t), 1)
        this.rebalance()
      }
    }
  }

  private async runTask<K extends TaskName<M> & string>(
    task: K,
    input: TaskInput<K, M>,
    opts: RunOptions = {}
  ): Promise<TaskOutput<K, M>> {
    const { port1, port2 } = new MessageChannel()
    if (opts.onProgress || opts.onShare) {
      const { onProgress, onShare } = opts
      port1.on('message', (m: ProgressMessage | ShareMessage) => {
        if ('share' in m) onShare?.(m.share)
        else onProgress?.(m)
      })
    }
    let fail: ((err: LabError) => void) | undefined
    const failed = new Promise<never>((_, reject) => {
      fail = reject
    })
    this.waiting.add(fail!)
    try {
      const envelope = (await Promise.race([
        this.piscina.run(
          { input, port: port2 },
          {
            name: task,
            transferList: [port2],
            ...(opts.signal ? { signal: opts.signal } : {})
          }
        ),
        failed
      ])) as TaskEnvelope<TaskOutput<K, M>>
      if (envelope.ok) return envelope.value
      throw new LabError(envelope.error.code, envelope.error.message, envelope.error.details)
    } catch (err) {
      if (err instanceof LabError) throw err
      if (opts.signal?.aborted || (err instanceof Error && err.name === 'AbortError')) {
        throw new LabError('cancelled', `${task} was cancelled`)
      }
      const message = err instanceof Error ? err.message : String(err)
      throw new LabError('worker-died', `the worker running ${task} stopped: ${message}`, {
        task
      })
    } finally {
      this.waiting.delete(fail!)
      port1.close()
    }
  }

  get queueSize(): number {
    return this.piscina.queueSize
  }

  async close(): Promise<void> {
    await this.piscina.destroy()
  }
}
