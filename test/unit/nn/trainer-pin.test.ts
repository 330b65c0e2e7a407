/**
 * The trainer's numbers do not move when its speed does: the same seed gives bit-identical
 * losses, layer statistics and accuracies to the trainer before its buffer-reuse rewrite
 * (values in trainer-pin.expected.ts, produced by that code), for each deterministic gemm
 * kernel, with a partial last batch in every epoch and every optimizer and layer family.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { availableKernels, setKernel, wasmHeapStats } from '../../../src-workers/linalg/gemm'
import { CASES, runCase } from './trainer-pin.cases'
import { EXPECTED } from './trainer-pin.expected'

const kernels = (['wasm-simd', 'js'] as const).filter((k) => availableKernels().includes(k))

describe('trainNet pinned to the pre-rewrite trainer', () => {
  afterAll(() => void setKernel('auto'))
  for (const kernel of kernels) {
    for (const name of Object.keys(CASES)) {
      it(`${name} on ${kernel}`, () => {
        setKernel(kernel)
        const got = runCase(CASES[name]!)
        expect(got.status).toBe('completed')
        expect(got.losses.length).toBeGreaterThanOrEqual(16)
        expect(got).toEqual(EXPECTED[kernel][name])
        // Whatever a run puts on the wasm heap is given back (gemm's staging area, grown by the
        // first run, stays): a second run ends with as many live allocations and the same numbers.
        const live = wasmHeapStats().liveAllocations
        expect(runCase(CASES[name]!)).toEqual(got)
        expect(wasmHeapStats().liveAllocations).toBe(live)
      })
    }
  }
})
