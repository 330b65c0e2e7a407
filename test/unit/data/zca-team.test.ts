/**
 * The ZCA fit's products on a team of threads give the same bits as on one thread: the
 * covariance of uint8 records and the whitening matrix, with the leader alone (no helper came)
 * and with a helper thread that takes row blocks; the leader's heap is given back by close().
 */
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { teamProducts, type ZcaShare } from '../../../src-workers/data/zca-team'
import { endTeam, setWanted } from '../../../src-workers/team'
import { kernelName, wasmHeapStats } from '../../../src-workers/linalg/gemm'
import { pixelCovariance, zcaFromCovariance } from '../../../src-workers/linalg/zca'

const d = 700 // three row blocks of 256
const m = 300 // two covariance steps, the second partial
let seed = 99
const pixels = Uint8Array.from({ length: (m + 5) * d }, () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
  return seed >>> 24
})
const offsets = Array.from({ length: m }, (_, i) => (i + 5) * d)
const mean = new Float64Array(d).map((_, f) => 100 + (f % 17))

function fit(runner?: Parameters<typeof pixelCovariance>[6]) {
  const cov = pixelCovariance(pixels, offsets, d, mean, 1 / 255, undefined, runner)
  const covCopy = cov.slice()
  const z = zcaFromCovariance(cov, d, 0.1, undefined, runner)
  return { cov: covCopy, W: z.matrix.slice(), values: z.eigenvalues }
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}

describe.runIf(kernelName() !== 'js')('ZCA products on a team', () => {
  const serial = fit()

  it('the leader alone gives the serial bits, and shares its buffers once', () => {
    const shares: ZcaShare[] = []
    const runner = teamProducts(d, (s) => shares.push(s))
    const live = wasmHeapStats().liveAllocations
    const got = fit(runner)
    runner.close()
    expect(shares.length).toBe(1)
    expect(sameBits(got.cov, serial.cov)).toBe(true)
    expect(sameBits(got.W, serial.W)).toBe(true)
    expect(sameBits(got.values, serial.values)).toBe(true)
    expect(wasmHeapStats().liveAllocations).toBe(live)
  })

  it('a helper thread takes row blocks; the result is the same bits', async () => {
    const ready = new SharedArrayBuffer(4)
    let worker: Worker | null = null
    let team: SharedArrayBuffer | null = null
    const runner = teamProducts(d, (share) => {
      team = share.team
      setWanted(share.team, 1)
      const url = JSON.stringify(new URL('./zca-helper-worker.ts', import.meta.url).href)
      worker = new Worker(`import('tsx/esm/api').then((m) => m.tsImport(${url}, ${url}))`, {
        eval: true,
        workerData: { share, ready }
      })
      // let the helper join before the first product is published
      const flag = new Int32Array(ready)
      for (let i = 0; i < 300 && Atomics.load(flag, 0) === 0; i++) Atomics.wait(flag, 0, 0, 100)
    })
    const got = fit(runner)
    runner.close()
    expect(worker).not.toBeNull()
    const w = worker as unknown as Worker
    const done = new Promise<number>((resolve, reject) => {
      w.once('message', resolve)
      w.once('error', reject)
    })
    endTeam(team!) // as the pool does when the leader's task settles
    const helped = await done
    await w.terminate()
    expect(helped).toBeGreaterThan(0)
    expect(sameBits(got.cov, serial.cov)).toBe(true)
    expect(sameBits(got.W, serial.W)).toBe(true)
  })
})
