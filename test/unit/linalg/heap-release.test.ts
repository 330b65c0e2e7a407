/**
 * The wasm heap is given back: releaseWasmHeap drops the memory when nothing is live (and not
 * otherwise), every kernel works again on the fresh heap, and a task that grew the heap past
 * KEEP_HEAP_BYTES (a ZCA fit) leaves its worker with a one-page heap.
 */
import { describe, expect, it } from 'vitest'
import {
  allocWasmFloat32,
  allocWasmFloat64,
  freeWasm,
  gemm,
  kernelName,
  releaseWasmHeap,
  wasmHeapStats
} from '../../../src-workers/linalg/gemm'
import { symvLower, symvKernelName } from '../../../src-workers/linalg/symv'
import { elementwiseForward } from '../../../src-workers/nn/activations'
import { elementwiseKernelName } from '../../../src-workers/nn/activations-wasm'
import { gatherKernelName } from '../../../src-workers/data/preprocess/gather-wasm'
import { defineTask, KEEP_HEAP_BYTES } from '../../../src-workers/task'

const PAGE = 65536
const wasm = kernelName() !== 'js'

describe.runIf(wasm)('giving the wasm heap back', () => {
  it('drops a grown heap when nothing is live; kernels run on the fresh one', () => {
    const big = allocWasmFloat32(12_000_000) // 48 MB
    big[big.length - 1] = 1
    freeWasm(big)
    expect(wasmHeapStats().heapBytes).toBeGreaterThan(48e6)
    expect(releaseWasmHeap()).toBe(true)
    expect(wasmHeapStats()).toEqual({ liveAllocations: 0, liveBytes: 0, heapBytes: PAGE })

    // gemm (on and off the heap), symv, the activation and gather kernels, on the new memory
    const A = allocWasmFloat32(6)
    A.set([1, 2, 3, 4, 5, 6])
    const B = Float32Array.of(1, 0, 0, 1, 1, 1)
    const C = allocWasmFloat32(4)
    gemm(2, 2, 3, A, B, C)
    expect(Array.from(C)).toEqual([4, 5, 10, 11])
    expect(kernelName()).not.toBe('js')
    const S = allocWasmFloat64(4)
    S.set([2, 0, 1, 3]) // lower triangle of [[2, 1], [1, 3]]
    const x = allocWasmFloat64(2)
    x.set([1, 1])
    const y = allocWasmFloat64(2)
    symvLower(S, 2, 0, 2, x, y)
    expect(Array.from(y)).toEqual([3, 4])
    expect(symvKernelName()).toBe('wasm-simd')
    const t = elementwiseForward(
      { type: 'tanh' },
      { data: new Float64Array(64).fill(0.5), rows: 8, cols: 8 }
    )
    expect(t.out.data[63]).toBe(Math.tanh(0.5))
    expect(elementwiseKernelName()).toBe('wasm-simd')
    expect(gatherKernelName()).toBe('wasm-simd')
    for (const a of [A, C, S, x, y]) freeWasm(a)
  })

  it('keeps the heap (and every live array) while anything is allocated', () => {
    const live = allocWasmFloat64(5_000_000) // 40 MB
    live[0] = 42
    expect(releaseWasmHeap()).toBe(false)
    expect(wasmHeapStats().liveAllocations).toBe(1)
    expect(live[0]).toBe(42)
    gemm(1, 1, 1, live, live, live.subarray(1))
    expect(live[1]).toBe(42 * 42)
    freeWasm(live)
    expect(releaseWasmHeap()).toBe(true)
  })

  it('a task that grew the heap past KEEP_HEAP_BYTES (as a ZCA fit does) leaves one page', async () => {
    // What a fit does to the heap: large transient arrays (eigen's 3072² columns: 75 MB), freed.
    const task = defineTask((input: { floats: number }) => {
      const a = allocWasmFloat64(input.floats)
      a.fill(1)
      const s = a.reduce((x, y) => x + y, 0)
      freeWasm(a)
      return s
    })
    const floats = Math.ceil((KEEP_HEAP_BYTES * 1.5) / 8)
    const out = await task({ input: { floats } })
    expect(out).toEqual({ ok: true, value: floats })
    expect(wasmHeapStats()).toEqual({ liveAllocations: 0, liveBytes: 0, heapBytes: PAGE })
    // a small task keeps its heap (no page faults for the next one)
    const small = await task({ input: { floats: 100_000 } })
    expect(small.ok).toBe(true)
    expect(wasmHeapStats().heapBytes).toBeGreaterThan(PAGE)
    expect(releaseWasmHeap()).toBe(true)
  })
})
