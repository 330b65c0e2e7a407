/**
 * Test-only tasks: they let integration tests make a job throw, hang or kill its thread.
 * They live in the test worker entry (test-worker.ts), never in the production worker.
 */
import { LabError } from '../../src-shared/errors'
import type { TaskContext } from '../../src-workers/task'

export interface TestInput {
  mode: 'throw' | 'crash' | 'spin' | 'echo'
  ms?: number
  payload?: unknown
}

export function testTask(input: TestInput, ctx: TaskContext): unknown {
  switch (input.mode) {
    case 'throw':
      throw new LabError('test-failure', 'this job failed on purpose', { where: 'testTask' })
    case 'crash':
      process.exit(3)
      break
    case 'spin': {
      // Busy work that reports progress, so cancellation of a CPU-bound job can be tested.
      const end = Date.now() + (input.ms ?? 10_000)
      const start = Date.now()
      let x = 0
      while (Date.now() < end) {
        for (let i = 0; i < 100_000; i++) x += Math.sqrt(i)
        ctx.progress((Date.now() - start) / (end - start))
      }
      return { x }
    }
    case 'echo':
      return input.payload
  }
  return null
}
