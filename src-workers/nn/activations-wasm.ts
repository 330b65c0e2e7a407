/**
 * The WebAssembly SIMD path of the elementwise activations (src-workers/linalg/wasm/assembly/
 * elementwise.ts): sigmoid, tanh, ELU, SELU and GELU (both forms), forward and backward, on
 * float32 and float64 arrays; ReLU and leaky ReLU too, bit for bit their rules' values (NaN, ±0
 * and ±∞ included), on arrays on the heap only. activations.ts calls it first and falls back to its TypeScript
 * rules where it declines (other activations, short arrays, no wasm SIMD, or the `js` choice).
 *
 * Accuracy: every value is computed in float64 to a few double ulps of Math.* (≤ 1e-15 relative
 * over the whole real line, ±∞, NaN and −0 as Math.*), so a float32 result is the float32
 * rounding of the TypeScript path's value except where that double lies within a few double
 * ulps of a float32 rounding boundary; backward uses the rules' own f′ forms (from y for sigmoid,
 * tanh, ELU, SELU; from x for GELU). Tested against Math.* in test/unit/nn/activations-wasm.test.ts.
 *
 * Arrays on the wasm heap (a workspace's) are read and written in place; others are copied into
 * a staging block for the call (O(n), small beside the transcendental work).
 */
import type { FloatArray } from '../linalg/gemm'
import { allocBytes, freeBytes, isWasmBacked, wasmHeap, type WasmHeap } from '../linalg/wasm/heap'
import { loadWasmModule } from '../linalg/wasm/kernels'

export type ElementwiseKernelName = 'wasm-simd' | 'js'

/** Below this many elements the TypeScript loop is as fast as a kernel call. */
const MIN_ELEMENTS = 32

interface ElementwiseExports {
  forward32(kind: number, x: number, y: number, n: number, a: number, b: number): void
  forward64(kind: number, x: number, y: number, n: number, a: number, b: number): void
  backward32(
    kind: number,
    x: number,
    y: number,
    g: number,
    dx: number,
    n: number,
    a: number,
    b: number
  ): void
  backward64(
    kind: number,
    x: number,
    y: number,
    g: number,
    dx: number,
    n: number,
    a: number,
    b: number
  ): void
}

function envChoice(): ElementwiseKernelName | 'auto' {
  const proc = (globalThis as { process?: NodeJS.Process }).process
  const v = proc?.env?.LAYERSCOPE_ELEMENTWISE_KERNEL
  return v === 'js' || v === 'wasm-simd' ? v : 'auto'
}

let choice: ElementwiseKernelName | 'auto' = envChoice()

function kernel(): ElementwiseExports | null {
  if (choice === 'js') return null
  return loadWasmModule('elementwise') as unknown as ElementwiseExports | null
}

/** The kernels this runtime can run (js always). */
export function availableElementwiseKernels(): ElementwiseKernelName[] {
  return loadWasmModule('elementwise') ? ['wasm-simd', 'js'] : ['js']
}

/**
 * Picks the elementwise kernel for this thread ('auto': wasm-simd where available; also set by
 * LAYERSCOPE_ELEMENTWISE_KERNEL). Returns the kernel now in use; throws for one this runtime lacks.
 */
export function setElementwiseKernel(name: ElementwiseKernelName | 'auto'): ElementwiseKernelName {
  if (name === 'wasm-simd' && !loadWasmModule('elementwise'))
    throw new Error('setElementwiseKernel: wasm-simd is not available in this runtime')
  choice = name
  return elementwiseKernelName()
}

/** The elementwise kernel in use on this thread. */
export function elementwiseKernelName(): ElementwiseKernelName {
  return kernel() ? 'wasm-simd' : 'js'
}

/**
 * An activation as the kernel knows it: kind (0 sigmoid, 1 tanh, 2 ELU with a = α, 3 SELU with
 * a = λ and b = λ·α, 4 GELU tanh form with a = √(2/π) and b = 0.044715, 5 GELU x·Φ(x), 6 ReLU,
 * 7 leaky ReLU with a = slope) and its constants.
 */
export interface SimdActivation {
  kind: number
  a: number
  b: number
  /**
   * Only when every array is on the wasm heap (a select per element is cheaper than staging a
   * copy in and out): the kernel declines otherwise.
   */
  heapOnly?: boolean
}

/** Byte address of `a`'s first n elements on the heap: in place, or a staged copy. */
class Staging {
  private blocks: number[] = []
  constructor(private readonly h: WasmHeap) {}

  in(a: FloatArray, n: number, copy: boolean): number {
    if (isWasmBacked(a)) return a.byteOffset
    const offset = allocBytes(this.h, n * a.BYTES_PER_ELEMENT)
    this.blocks.push(offset)
    if (copy) this.view(a, offset, n).set(a.subarray(0, n))
    return offset
  }

  /** Copies a staged output back into `a` (no-op when `a` is on the heap). */
  out(a: FloatArray, offset: number, n: number): void {
    if (!isWasmBacked(a)) a.set(this.view(a, offset, n))
  }

  release(): void {
    for (const b of this.blocks) freeBytes(this.h, b)
    this.blocks = []
  }

  private view(like: FloatArray, offset: number, n: number): FloatArray {
    const buf = this.h.memory.buffer
    return like instanceof Float32Array
      ? new Float32Array(buf, offset, n)
      : new Float64Array(buf, offset, n)
  }
}

/** y[0..n) = f(x[0..n)) on the SIMD kernel; false (nothing written) where it declines. */
export function simdForward(k: SimdActivation, x: FloatArray, y: FloatArray, n: number): boolean {
  if (n < MIN_ELEMENTS) return false
  const e = kernel()
  const h = wasmHeap()
  if (!e || !h || x.constructor !== y.constructor) return false
  if (k.heapOnly && !(isWasmBacked(x) && isWasmBacked(y))) return false
  const s = new Staging(h)
  try {
    const px = s.in(x, n, true)
    const py = s.in(y, n, false)
    if (x instanceof Float32Array) e.forward32(k.kind, px, py, n, k.a, k.b)
    else e.forward64(k.kind, px, py, n, k.a, k.b)
    s.out(y, py, n)
  } finally {
    s.release()
  }
  return true
}

/** dx[0..n) = g ⊙ f′(x) (y = f(x)) on the SIMD kernel; false (nothing written) where it declines. */
export function simdBackward(
  k: SimdActivation,
  x: FloatArray,
  y: FloatArray,
  g: FloatArray,
  dx: FloatArray,
  n: number
): boolean {
  if (n < MIN_ELEMENTS) return false
  const e = kernel()
  const h = wasmHeap()
  const T = x.constructor
  if (!e || !h || y.constructor !== T || g.constructor !== T || dx.constructor !== T) return false
  if (k.heapOnly && ![x, y, g, dx].every(isWasmBacked)) return false
  const s = new Staging(h)
  try {
    const px = s.in(x, n, true)
    const py = s.in(y, n, true)
    const pg = s.in(g, n, true)
    const pd = s.in(dx, n, false)
    if (x instanceof Float32Array) e.backward32(k.kind, px, py, pg, pd, n, k.a, k.b)
    else e.backward64(k.kind, px, py, pg, pd, n, k.a, k.b)
    s.out(dx, pd, n)
  } finally {
    s.release()
  }
  return true
}
