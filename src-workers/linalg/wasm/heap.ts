/**
 * The per-thread WebAssembly heap: one shared `WebAssembly.Memory` that every kernel variant
 * imports, and a small first-fit allocator that hands out Float32Array / Float64Array views on
 * it. gemm() reads such views in place; arrays from anywhere else are copied in per call.
 *
 * Why shared memory: growing an ordinary wasm memory detaches its ArrayBuffer, which would turn
 * every view handed out so far into a zero-length array. Growing a shared memory never detaches:
 * old views keep their bytes and stay valid, so an allocation can never break an earlier one.
 *
 * Rules for callers:
 * - `freeWasm(view)` every view from `allocWasm*` when done (no GC backstop: a subarray can
 *   outlive the view it came from, so freeing on collection would be unsafe).
 * - Views are backed by a SharedArrayBuffer. Before posting a result to another thread or
 *   returning it with Piscina.move(), copy it with `.slice()` (a plain ArrayBuffer).
 * - The heap belongs to the thread (worker) that created it; nothing here is thread-safe.
 */
import type { FloatArray } from '../gemm'
import { wasmApi, type WasmMemory } from './api'

const PAGE = 65536
/** wasm32 limit; only reserved address space until used. Must match build-wasm.mjs. */
const MAX_PAGES = 65536
/** Allocations are 64-byte aligned (cache lines; keeps SIMD loads aligned). */
const ALIGN = 64
/** Bytes below this are left to the modules' own statics (they have none today; see heapBase). */
const HEAP_START = 1024

interface Block {
  offset: number
  size: number
}

export interface WasmHeap {
  memory: WasmMemory
  /** Every SharedArrayBuffer object the memory has exposed (one per size it has had). */
  buffers: WeakSet<ArrayBufferLike>
  /** Free blocks, sorted by offset, never adjacent (coalesced). */
  free: Block[]
  /** Live allocations: offset → size in bytes. */
  live: Map<number, number>
  end: number
}

let heap: WasmHeap | null | undefined

/** This thread's heap, created on first use; null when the runtime has no shared wasm memory. */
export function wasmHeap(): WasmHeap | null {
  if (heap !== undefined) return heap
  if (!wasmApi) return (heap = null)
  try {
    const memory = new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: true })
    const buffers = new WeakSet<ArrayBufferLike>([memory.buffer])
    heap = {
      memory,
      buffers,
      free: [{ offset: HEAP_START, size: memory.buffer.byteLength - HEAP_START }],
      live: new Map(),
      end: memory.buffer.byteLength
    }
  } catch {
    heap = null
  }
  return heap
}

function alignUp(x: number, a: number): number {
  return Math.ceil(x / a) * a
}

function grow(h: WasmHeap, bytes: number): void {
  const pages = Math.max(Math.ceil(bytes / PAGE), h.end / PAGE) // at least double: amortized
  const target = Math.min(MAX_PAGES, h.end / PAGE + pages)
  if (target * PAGE - h.end < bytes) {
    throw new RangeError(`wasm heap exhausted: cannot grow by ${bytes} bytes past ${h.end}`)
  }
  h.memory.grow(target - h.end / PAGE)
  h.buffers.add(h.memory.buffer)
  release(h, h.end, target * PAGE - h.end)
  h.end = target * PAGE
}

/** Reserve `bytes` (rounded up to ALIGN) and return the byte offset. Contents are arbitrary. */
export function allocBytes(h: WasmHeap, bytes: number): number {
  const size = alignUp(Math.max(bytes, 1), ALIGN)
  for (;;) {
    for (let i = 0; i < h.free.length; i++) {
      const b = h.free[i]!
      if (b.size < size) continue
      const offset = b.offset
      if (b.size === size) h.free.splice(i, 1)
      else {
        b.offset += size
        b.size -= size
      }
      h.live.set(offset, size)
      return offset
    }
    const last = h.free[h.free.length - 1]
    const tail = last && last.offset + last.size === h.end ? last.size : 0
    grow(h, size - tail)
  }
}

function release(h: WasmHeap, offset: number, size: number): void {
  const free = h.free
  let i = 0
  while (i < free.length && free[i]!.offset < offset) i++
  const prev = free[i - 1]
  const next = free[i]
  if (prev && prev.offset + prev.size === offset) {
    prev.size += size
    if (next && prev.offset + prev.size === next.offset) {
      prev.size += next.size
      free.splice(i, 1)
    }
  } else if (next && offset + size === next.offset) {
    next.offset = offset
    next.size += size
  } else {
    free.splice(i, 0, { offset, size })
  }
}

/** Return an allocation made by allocBytes. */
export function freeBytes(h: WasmHeap, offset: number): void {
  const size = h.live.get(offset)
  if (size === undefined) throw new Error(`wasm heap: no live allocation at ${offset}`)
  h.live.delete(offset)
  release(h, offset, size)
}

/** Whether `a` is a view on this thread's wasm heap (so gemm can read it in place). */
export function isWasmBacked(a: FloatArray): boolean {
  const h = wasmHeap()
  return h !== null && h.buffers.has(a.buffer)
}

/**
 * A zero-filled Float32Array of `length` elements on the wasm heap (a plain Float32Array when
 * the runtime has no shared wasm memory). Give it back with freeWasm().
 */
export function allocWasmFloat32(length: number): Float32Array {
  const h = wasmHeap()
  if (!h) return new Float32Array(length)
  const offset = allocBytes(h, length * 4)
  return new Float32Array(h.memory.buffer, offset, length).fill(0)
}

/** As allocWasmFloat32, for float64 (gradient checks). */
export function allocWasmFloat64(length: number): Float64Array {
  const h = wasmHeap()
  if (!h) return new Float64Array(length)
  const offset = allocBytes(h, length * 8)
  return new Float64Array(h.memory.buffer, offset, length).fill(0)
}

/** A zero-filled wasm-heap array of `length` elements with the element type of `like`. */
export function allocWasmLike<T extends FloatArray>(like: T, length: number): T {
  return (like instanceof Float32Array ? allocWasmFloat32(length) : allocWasmFloat64(length)) as T
}

/**
 * Free a view made by allocWasm*. Plain arrays (the no-wasm fallback) are ignored; a view that
 * is not the start of a live allocation (a subarray, a double free) throws.
 */
export function freeWasm(a: FloatArray): void {
  const h = wasmHeap()
  if (!h || !h.buffers.has(a.buffer)) return
  freeBytes(h, a.byteOffset)
}

/**
 * Gives this thread's heap back: when nothing is allocated on it, the memory is dropped (a wasm
 * memory never shrinks, so this is the only way its pages return to the system once the views
 * on it are collected) and the next use starts a fresh one-page heap, on which the kernels are
 * instantiated again. Returns whether it was dropped (false while anything is still live).
 */
export function dropWasmHeap(): boolean {
  if (!heap || heap.live.size > 0) return false
  heap = undefined
  return true
}

/** Live allocations and sizes, for leak checks in tests and the bench. */
export function wasmHeapStats(): { liveAllocations: number; liveBytes: number; heapBytes: number } {
  const h = wasmHeap()
  if (!h) return { liveAllocations: 0, liveBytes: 0, heapBytes: 0 }
  let liveBytes = 0
  for (const size of h.live.values()) liveBytes += size
  return { liveAllocations: h.live.size, liveBytes, heapBytes: h.end }
}
