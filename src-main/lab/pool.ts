/**
 * One typed facade over the Piscina pool: `run(task, input, { signal, onProgress })`.
 * Task names and their input/output types come from the worker module's own exports.
 * Every failure comes back as a LabError: the task's own typed error, `cancelled` on abort,
 * or `worker-died` when the thread exits under a job; the pool replaces the thread and
 * keeps serving the next job.
 */
import { availableParallelism } from 'node:os'
import { MessageChannel } from 'node:worker_threads'
import { Piscina } from 'piscina'
import { LabError } from '../../src-shared/errors'
import type * as WorkerModule from '../../src-workers/worker'
import type { ProgressMessage, TaskEnvelope } from '../../src-workers/task'

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

  async run<K extends TaskName<M> & string>(
    task: K,
    input: TaskInput<K, M>,
    opts: RunOptions = {}
  ): Promise<TaskOutput<K, M>> {
    const { port1, port2 } = new MessageChannel()
    if (opts.onProgress) {
      const onProgress = opts.onProgress
      port1.on('message', (m: ProgressMessage) => onProgress(m))
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
