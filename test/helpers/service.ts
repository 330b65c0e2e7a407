/** A LabService over real Piscina workers running the TypeScript sources (through tsx). */
import { fileURLToPath } from 'node:url'
import type { LabPool } from '../../src-main/lab/pool'
import { LabService } from '../../src-main/lab/service'
import type * as TestWorker from './test-worker'

export const WORKER_SOURCE = fileURLToPath(new URL('./ts-worker.cjs', import.meta.url))

export function makeTestService(threads = 2): LabService {
  return new LabService({
    pool: {
      workerFile: WORKER_SOURCE,
      threads
    },
    mode: 'test',
    version: '0.0.0-test'
  })
}

/**
 * The service's pool as the test worker entry types it (WORKER_SOURCE loads test-worker.ts),
 * so tests can run the test-only tasks.
 */
export function testPool(service: LabService): LabPool<typeof TestWorker> {
  return service.pool as unknown as LabPool<typeof TestWorker>
}
