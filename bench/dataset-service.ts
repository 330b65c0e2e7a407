/**
 * Datasets through LabService on real workers, on the synthetic full-size copy that
 * `bench/data-load.ts` writes into bench/.data/ (run that once first):
 *
 *   npx tsx bench/dataset-service.ts [FOLDER]     (default: bench/.data/cifar10-full/cifar-10-batches-bin)
 *
 * Times the `dataset` job (read + statistics in a worker, including the thread's start), a
 * 256-image `dataset:images` page (main thread, copies out of shared memory), a `preprocess`
 * job fitting mean-image and the same job again (cache hit), and a CIFAR-10 `depth` job.
 */
import { fileURLToPath } from 'node:url'
import { makeTestService } from '../test/helpers/service'

const path =
  process.argv[2] ??
  fileURLToPath(new URL('./.data/cifar10-full/cifar-10-batches-bin', import.meta.url))

const service = makeTestService(2)
async function job(kind: string, config: unknown): Promise<{ seconds: number; result: unknown }> {
  const t0 = performance.now()
  const r = await service.call('job:start', { kind, config })
  if (!r.ok) throw new Error(r.error.message)
  const done = await service.waitForJob((r.value as { jobId: string }).jobId)
  return { seconds: (performance.now() - t0) / 1000, result: done.result }
}

try {
  const open = await job('dataset', { path })
  const worker = (open.result as { seconds: number }).seconds
  console.log(
    `dataset job: ${open.seconds.toFixed(3)} s (worker read + stats ${worker.toFixed(3)} s)`
  )
  const t0 = performance.now()
  const page = await service.call('dataset:images', { split: 'train', offset: 1000, count: 256 })
  if (!page.ok) throw new Error(page.error.message)
  const t1 = performance.now()
  const filtered = await service.call('dataset:images', {
    split: 'train',
    offset: 1000,
    count: 256,
    label: 3
  })
  if (!filtered.ok) throw new Error(filtered.error.message)
  const t2 = performance.now()
  console.log(
    `dataset:images 256: ${(t1 - t0).toFixed(1)} ms; with a class filter ${(t2 - t1).toFixed(1)} ms`
  )
  const miss = await job('preprocess', { mode: 'mean-image' })
  const hit = await job('preprocess', { mode: 'mean-image' })
  console.log(
    `preprocess mean-image: fit + report ${miss.seconds.toFixed(3)} s; cached ${hit.seconds.toFixed(3)} s`
  )
  const depth = await job('depth', { input: 'cifar', preprocess: 'mean-image', samples: 1000 })
  console.log(`depth, 1000 CIFAR-10 images (10 × 500 tanh): ${depth.seconds.toFixed(3)} s`)
} finally {
  await service.close()
}
