/**
 * The worker entry the tests run: every production task plus `test` (throw, crash, spin, echo),
 * which the production worker (src-workers/worker.ts) does not carry.
 */
import { defineTask } from '../../src-workers/task'
import { testTask } from './test-tasks'

export * from '../../src-workers/worker'
export const test = defineTask(testTask)
