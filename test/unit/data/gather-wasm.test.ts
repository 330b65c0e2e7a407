/**
 * The SIMD gather against the TypeScript loop it replaces: for every preprocessing mode, float32
 * and float64 batches (on the wasm heap and off it, full and odd sizes, repeated indices) are
 * the same bits; bad indices fail the same way; the heap is given back.
 */
import { afterAll, describe, expect, it } from 'vitest'
import {
  PREPROCESS_MODES,
  outputWidth,
  fitPreprocessing,
  gatherBatch,
  type FittedPreprocessing,
  type Split
} from '../../../src-workers/data/preprocess'
import { gatherKernelName, setGatherKernel } from '../../../src-workers/data/preprocess/gather-wasm'
import {
  allocWasmFloat32,
  allocWasmFloat64,
  freeWasm,
  wasmHeapStats
} from '../../../src-workers/linalg/gemm'
import { loadWasmModule } from '../../../src-workers/linalg/wasm/kernels'
import { memoryHandle, syntheticBatch } from '../../helpers/data-writers'
import { preprocessing } from '../../helpers/configs'

const h = memoryHandle(syntheticBatch(70, 5), syntheticBatch(20, 6))
const hasWasm = loadWasmModule('gather') !== null
afterAll(() => void setGatherKernel('auto'))

function gatherWith(
  kernel: 'js' | 'wasm-simd',
  fitted: FittedPreprocessing,
  split: Split,
  idx: number[],
  out: Float32Array | Float64Array
): { X: number[]; y: number[] } {
  setGatherKernel(kernel)
  expect(gatherKernelName()).toBe(kernel)
  const y = new Int32Array(idx.length)
  out.fill(NaN)
  gatherBatch(h, split, idx, fitted, out, y)
  return { X: Array.from(out), y: Array.from(y) }
}

describe.runIf(hasWasm)('SIMD gather equals the TypeScript path', () => {
  for (const mode of PREPROCESS_MODES) {
    it(`${mode}: same bits, float32 and float64, on and off the wasm heap`, () => {
      const fitted = fitPreprocessing(h, preprocessing(mode), { val: 10, zcaSamples: 40 })
      const cases: [Split, number[]][] = [
        ['train', [0, 59, 3, 3, 17, 42, 8]],
        ['val', [9, 0]],
        ['test', Array.from({ length: 20 }, (_, i) => 19 - i)]
      ]
      const before = wasmHeapStats().liveAllocations
      for (const [split, idx] of cases) {
        // 3072 values per record, pca's K components.
        const n = idx.length * outputWidth(fitted)
        for (const make of [
          (m: number) => new Float32Array(m),
          (m: number) => new Float64Array(m),
          allocWasmFloat32,
          allocWasmFloat64
        ]) {
          const out = make(n)
          const js = gatherWith('js', fitted, split, idx, out)
          const simd = gatherWith('wasm-simd', fitted, split, idx, out)
          expect(simd.y).toEqual(js.y)
          // toEqual on numbers is Object.is per element: bit-equal values (NaN never expected)
          let same = true
          for (let i = 0; i < n && same; i++) same = Object.is(simd.X[i], js.X[i])
          expect(same).toBe(true)
          expect(js.X.some(Number.isNaN)).toBe(false)
          freeWasm(out)
        }
      }
      expect(wasmHeapStats().liveAllocations).toBe(before)
    })
  }

  it('an index outside the split fails before anything is written, on either path', () => {
    const fitted = fitPreprocessing(h, preprocessing('mean-image'))
    for (const k of ['js', 'wasm-simd'] as const) {
      setGatherKernel(k)
      const out = new Float32Array(2 * 3072).fill(7)
      expect(() => gatherBatch(h, 'test', [0, 20], fitted, out, null)).toThrow(
        /index 20 outside 0\.\.19/
      )
      expect(out.every((v) => v === 7)).toBe(true)
    }
  })
})
