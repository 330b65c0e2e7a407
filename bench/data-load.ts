/**
 * Load-time benchmark for the CIFAR-10 readers on a synthetic FULL-SIZE copy
 * (5 × 10,000 training + 10,000 test records) written once into bench/.data/ (gitignored)
 * in all four official forms.
 *
 *   npx tsx bench/data-load.ts            load + statistics, each form, best and median of 3
 *   npx tsx bench/data-load.ts --zca      also time the ZCA fit (covariance + eigen, 3072²)
 *
 * Targets (issue 4): binary folder with statistics ≤ 1 s, python folder ≤ 1.5 s, .tar.gz ≤ 3 s.
 */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadDataset } from '../src-workers/data/load'
import { fitPreprocessing } from '../src-workers/data/preprocess'
import { resolvePreprocessing } from '../src-shared/experiments'
import { describeDataset, pixelStats } from '../src-workers/data/stats'
import {
  FOLDER_NAME,
  cifarFiles,
  syntheticBatch,
  tarGzBytes,
  writeFiles
} from '../test/helpers/data-writers'

const DATA = fileURLToPath(new URL('./.data/cifar10-full', import.meta.url))
const MARK = join(DATA, '.complete-v2')

async function ensureData(): Promise<void> {
  if (existsSync(MARK)) return
  const t0 = performance.now()
  console.error(`writing a synthetic full-size CIFAR-10 copy into ${DATA} …`)
  const train = [1, 2, 3, 4, 5].map((k) => syntheticBatch(10_000, k, true))
  const test = syntheticBatch(10_000, 99, true)
  await mkdir(DATA, { recursive: true })
  for (const format of ['binary', 'python'] as const) {
    const files = cifarFiles(format, train, test)
    await writeFiles(join(DATA, FOLDER_NAME[format]), files)
    const name = format === 'binary' ? 'cifar-10-binary.tar.gz' : 'cifar-10-python.tar.gz'
    await writeFile(join(DATA, name), await tarGzBytes(FOLDER_NAME[format], files, 9))
  }
  await writeFile(MARK, 'ok\n')
  console.error(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
}

const FORMS = [
  ['cifar-10-batches-bin', 1.0],
  ['cifar-10-batches-py', 1.5],
  ['cifar-10-binary.tar.gz', 3.0],
  ['cifar-10-python.tar.gz', 3.0]
] as const

async function main(): Promise<void> {
  await ensureData()
  const rows: string[] = []
  for (const [form, target] of FORMS) {
    const times: number[] = []
    let split = { load: 0, stats: 0 }
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now()
      const h = await loadDataset(join(DATA, form))
      const t1 = performance.now()
      const s = pixelStats(h)
      describeDataset(h, s)
      const t2 = performance.now()
      if (h.train.count !== 50_000 || h.test.count !== 10_000) throw new Error('wrong counts')
      times.push((t2 - t0) / 1000)
      if (rep === 0 || t2 - t0 < (split.load + split.stats) * 1000)
        split = { load: (t1 - t0) / 1000, stats: (t2 - t1) / 1000 }
    }
    times.sort((a, b) => a - b)
    const best = times[0]!
    rows.push(
      `${form.padEnd(24)} best ${best.toFixed(3)} s  median ${times[1]!.toFixed(3)} s  ` +
        `(load ${split.load.toFixed(3)} + stats ${split.stats.toFixed(3)})  target ≤ ${target} s  ` +
        (best <= target ? 'OK' : 'SLOW')
    )
    console.log(rows.at(-1))
  }
  if (process.argv.includes('--zca')) {
    const h = await loadDataset(join(DATA, 'cifar-10-batches-bin'))
    const t0 = performance.now()
    const fitted = fitPreprocessing(h, resolvePreprocessing('zca'), {
      val: 1000,
      onProgress: (f) => process.stderr.write(`\r  zca ${(f * 100).toFixed(0)}%  `)
    })
    process.stderr.write('\n')
    const fit = fitted.fit as { covarianceSeconds: number; eigenSeconds: number; samples: number }
    console.log(
      `zca fit (3072 features, ${fit.samples} samples): ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
        `(covariance ${fit.covarianceSeconds} s, eigen ${fit.eigenSeconds} s)`
    )
  }
}

await main()
