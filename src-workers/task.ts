/**
 * The shape every Piscina task shares. A task is a plain function over plain data:
 * `(input, ctx) => output`. `defineTask` adapts it to Piscina's calling convention:
 * the caller sends `{ input, port }` (the port transferred) and gets back an envelope,
 * so typed errors keep their code and where across the thread boundary.
 * Cancellation is the pool's job (Piscina terminates the thread on abort).
 */
import type { MessagePort } from 'node:worker_threads'
import type { LabErrorData } from '../src-shared/contract'
import { toErrorData } from '../src-shared/errors'
import { releaseWasmHeap, wasmHeapStats } from './linalg/gemm'

export interface TaskContext {
  /**
   * Report progress in [0, 1], optionally with a small plain-data payload (a live partial
   * result); throttled here to at most 20 messages a second. Returns whether it was sent (a
   * task streaming increments keeps what was not sent for the next call).
   */
  progress(fraction: number, message?: string, data?: unknown): boolean
  /**
   * Hands plain data (e.g. a team's SharedArrayBuffer) to the caller at once, never throttled:
   * the pool's `onShare` receives it while the task runs.
   */
  share?(data: unknown): void
}

export interface ProgressMessage {
  fraction: number
  message?: string
  /** Optional live payload (e.g. new losses of a training run); absent on plain progress. */
  data?: unknown
}

/** What TaskContext.share sends (told apart from progress by its `share` key). */
export interface ShareMessage {
  share: unknown
}

export type TaskEnvelope<O> = { ok: true; value: O } | { ok: false; error: LabErrorData }

export interface TaskMessage<I> {
  input: I
  port?: MessagePort
}

const MIN_INTERVAL_MS = 50

/**
 * A heap grown past this by a task (a ZCA fit: 200–300 MB; a depth probe of wide layers) is
 * given back when the task ends, so an idle worker does not hold it; smaller heaps stay, saving
 * the next task the page faults of growing one again.
 */
export const KEEP_HEAP_BYTES = 32 * 1024 * 1024

/** After a task: drop the thread's wasm heap if it grew past KEEP_HEAP_BYTES and nothing is live. */
export function trimWasmHeap(): void {
  if (wasmHeapStats().heapBytes > KEEP_HEAP_BYTES) releaseWasmHeap()
}

export function makeProgress(port: MessagePort | undefined): TaskContext {
  let last = 0
  return {
    progress(fraction, message, data) {
      if (!port) return false
      const now = performance.now()
      const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0))
      if (f < 1 && now - last < MIN_INTERVAL_MS) return false
      last = now
      const m: ProgressMessage = { fraction: f }
      if (message !== undefined) m.message = message
      if (data !== undefined) m.data = data
      port.postMessage(m)
      return true
    },
    share(data) {
      const m: ShareMessage = { share: data }
      port?.postMessage(m)
    }
  }
}

export function defineTask<I, O>(
  fn: (input: I, ctx: TaskContext) => O | Promise<O>
): (msg: TaskMessage<I>) => Promise<TaskEnvelope<O>> {
  return async ({ input, port }) => {
    try {
      const value = await fn(input, makeProgress(port))
      return { ok: true, value }
    } catch (err) {
      return { ok: false, error: toErrorData(err) }
    } finally {
      port?.close()
      trimWasmHeap()
    }
  }
}
