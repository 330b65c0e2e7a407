/**
 * Loading the WebAssembly GEMM kernels: feature detection, instantiation on this thread's shared
 * heap, and the runtime switch that lets Node 20 run the relaxed-SIMD (FMA) variant.
 *
 * The bytes come from kernels.gen.ts (base64, written by scripts/build-wasm.mjs), so bundlers and
 * Electron need no file paths or asset handling. Compilation is synchronous (modules are ~4 KB).
 */
import {
  WASM_ELEMENTWISE,
  WASM_GATHER,
  WASM_RELAXED_SIMD,
  WASM_SIMD,
  WASM_UPDATE
} from './kernels.gen'
import { wasmApi, type WasmMemory } from './api'
import { wasmHeap } from './heap'

export type WasmKernelName = 'wasm-relaxed-simd' | 'wasm-simd'

/** The exports of src-workers/linalg/wasm/assembly/gemm.ts. Pointers are byte offsets. */
export interface WasmKernel {
  name: WasmKernelName
  /** flags: 1 transA, 2 transB, 4 accumulate. */
  sgemm(
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
    flags: number,
    work: number
  ): void
  dgemm(
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
    flags: number,
    work: number
  ): void
  /** Scratch bytes sgemm (elemBytes 4) or dgemm (8) needs for n output columns. */
  workBytes(n: number, elemBytes: number): number
}

const SOURCES: Record<WasmKernelName, string> = {
  'wasm-relaxed-simd': WASM_RELAXED_SIMD,
  'wasm-simd': WASM_SIMD
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

const bytesCache = new Map<WasmKernelName, Uint8Array<ArrayBuffer>>()
function bytesOf(name: WasmKernelName): Uint8Array<ArrayBuffer> {
  let b = bytesCache.get(name)
  if (!b) bytesCache.set(name, (b = decodeBase64(SOURCES[name])))
  return b
}

let relaxedFlagTried = false

/**
 * Node 20's V8 (11.3) runs relaxed SIMD only behind --experimental-wasm-relaxed-simd, a flag
 * that Node accepts neither in NODE_OPTIONS nor in a Worker's execArgv. Measured on Node 20.20:
 * v8.setFlagsFromString() at run time works, and it is process-wide — set in the main thread or
 * inside a worker, every thread's later compilations accept relaxed SIMD. Newer runtimes
 * (Node ≥ 22, Electron, Chromium) need nothing. Set LAYERSCOPE_NO_RELAXED_SIMD=1 to opt out.
 */
function tryRelaxedSimdFlag(): void {
  if (relaxedFlagTried) return
  relaxedFlagTried = true
  const proc = (globalThis as { process?: NodeJS.Process }).process
  if (!proc?.versions?.node || proc.env.LAYERSCOPE_NO_RELAXED_SIMD === '1') return
  try {
    const v8 = proc.getBuiltinModule?.('node:v8')
    v8?.setFlagsFromString('--experimental-wasm-relaxed-simd')
  } catch {
    // Not Node, or flags locked: the plain-SIMD variant serves.
  }
}

/** Whether this runtime can compile the variant (WebAssembly.validate, shared memory included). */
export function wasmKernelSupported(name: WasmKernelName): boolean {
  if (!wasmApi || !wasmHeap()) return false
  if (wasmApi.validate(bytesOf(name))) return true
  if (name !== 'wasm-relaxed-simd') return false
  tryRelaxedSimdFlag()
  return wasmApi.validate(bytesOf(name))
}

const instances = new Map<WasmKernelName, { memory: object | null; kernel: WasmKernel | null }>()

/**
 * The instantiated variant on this thread's current heap (instantiated again after the heap was
 * dropped, see dropWasmHeap), or null where the runtime cannot run it.
 */
export function loadWasmKernel(name: WasmKernelName): WasmKernel | null {
  const heap = wasmHeap()
  const memory = heap?.memory ?? null
  const cached = instances.get(name)
  if (cached && cached.memory === memory) return cached.kernel
  let kernel: WasmKernel | null = null
  try {
    if (wasmApi && heap && wasmKernelSupported(name)) {
      const module = new wasmApi.Module(bytesOf(name))
      const instance = new wasmApi.Instance(module, { env: { memory: heap.memory } })
      const e = instance.exports as unknown as Omit<WasmKernel, 'name'>
      kernel = { name, sgemm: e.sgemm, dgemm: e.dgemm, workBytes: e.workBytes }
    }
  } catch {
    kernel = null // e.g. a browser main thread refusing synchronous compilation
  }
  instances.set(name, { memory, kernel })
  return kernel
}

/** The single-variant modules beside the gemm (plain SIMD, no relaxed instructions). */
export type WasmModuleName = 'elementwise' | 'gather'

const MODULE_SOURCES: Record<WasmModuleName, string> = {
  elementwise: WASM_ELEMENTWISE,
  gather: WASM_GATHER
}

const modules = new Map<
  WasmModuleName,
  { memory: object; exports: Record<string, unknown> | null }
>()

/**
 * The exports of a single-variant module instantiated on this thread's current heap, or null
 * where the runtime has no wasm SIMD or shared memory. Re-instantiated after the heap is reset.
 */
export function loadWasmModule(name: WasmModuleName): Record<string, unknown> | null {
  const heap = wasmHeap()
  if (!wasmApi || !heap) return null
  const cached = modules.get(name)
  if (cached && cached.memory === heap.memory) return cached.exports
  let exports: Record<string, unknown> | null = null
  try {
    const bytes = decodeBase64(MODULE_SOURCES[name])
    if (wasmApi.validate(bytes)) {
      const module = new wasmApi.Module(bytes)
      exports = new wasmApi.Instance(module, { env: { memory: heap.memory } }).exports
    }
  } catch {
    exports = null // e.g. a browser main thread refusing synchronous compilation
  }
  modules.set(name, { memory: heap.memory, exports })
  return exports
}

/**
 * A shared wasm memory of at least `bytes` bytes (whole 64 KiB pages, fixed size), or null where
 * the runtime has none. Its buffer is a SharedArrayBuffer like any other; the memory itself can be
 * posted to another thread, which can then run a module on it (wasmModuleOn): a team block that
 * both threads' kernels read and write in place.
 */
export function sharedWasmMemory(bytes: number): WasmMemory | null {
  if (!wasmApi) return null
  const pages = Math.max(1, Math.ceil(bytes / 65536))
  try {
    return new wasmApi.Memory({ initial: pages, maximum: pages, shared: true })
  } catch {
    return null
  }
}

/** Modules instantiated on a memory other than this thread's heap (no statics: see update.ts). */
export type WasmOnMemoryName = 'update'

const ON_MEMORY_SOURCES: Record<WasmOnMemoryName, string> = { update: WASM_UPDATE }

const onMemory = new WeakMap<object, Map<WasmOnMemoryName, Record<string, unknown> | null>>()

/**
 * The exports of a module instantiated on `memory` (once per memory and thread), or null where
 * the runtime cannot run it. The module writes nowhere but through the pointers it is given.
 */
export function wasmModuleOn(
  name: WasmOnMemoryName,
  memory: WasmMemory
): Record<string, unknown> | null {
  if (!wasmApi) return null
  let byName = onMemory.get(memory)
  if (!byName) onMemory.set(memory, (byName = new Map()))
  const cached = byName.get(name)
  if (cached !== undefined) return cached
  let exports: Record<string, unknown> | null = null
  try {
    const bytes = decodeBase64(ON_MEMORY_SOURCES[name])
    if (wasmApi.validate(bytes))
      exports = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } }).exports
  } catch {
    exports = null
  }
  byName.set(name, exports)
  return exports
}
