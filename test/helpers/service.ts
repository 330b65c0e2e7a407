/** A LabService over real Piscina workers running the TypeScript sources (through tsx). */
import { fileURLToPath } from 'node:url'
import { LabService } from '../../src-main/lab/service'

export const WORKER_SOURCE = fileURLToPath(new URL('./ts-worker.cjs', import.meta.url))

export function makeTestService(threads = 2): LabService {
  return new LabService({
    pool: {
      workerFile: WORKER_SOURCE,
      threads,
      env: { LAYERSCOPE_TEST_TASKS: '1' }
    },
    mode: 'test',
    version: '0.0.0-test'
  })
}
