/**
 * The gather's per-feature affine map x' = pixel·scale[f] + shift[f] on the WebAssembly SIMD
 * kernel (src-workers/linalg/wasm/assembly/gather.ts): float64 arithmetic as the TypeScript loop
 * (one rounding per operation, no fused multiply-add), so the values are the same bits, float32
 * or float64. The records' bytes, scale and shift are copied into one staging block on the
 * thread's wasm heap per call (memcpy-fast, a few hundred KB for a batch of 200); an output on
 * the heap (a training workspace's batch) is written in place, any other copied out.
 *
 * gather.ts calls it first and keeps its loop where it declines (no wasm SIMD, or
 * LAYERSCOPE_GATHER_KERNEL=js); the staging block is freed before returning.
 */
import { allocBytes, freeBytes, isWasmBacked, wasmHeap } from '../../linalg/wasm/heap'
import { loadWasmModule } from '../../linalg/wasm/kernels'

export type GatherKernelName = 'wasm-simd' | 'js'

interface GatherExports {
  affine32(src: number, n: number, d: number, scale: number, shift: number, out: number): void
  affine64(src: number, n: number, d: number, scale: number, shift: number, out: number): void
}

function envChoice(): GatherKernelName | 'auto' {
  const proc = (globalThis as { process?: NodeJS.Process }).process
  const v = proc?.env?.LAYERSCOPE_GATHER_KERNEL
  return v === 'js' || v === 'wasm-simd' ? v : 'auto'
}

let choice: GatherKernelName | 'auto' = envChoice()

function kernel(): GatherExports | null {
  if (choice === 'js') return null
  return loadWasmModule('gather') as unknown as GatherExports | null
}

/** Picks the gather kernel for this thread ('auto': wasm-simd where available). */
export function setGatherKernel(name: GatherKernelName | 'auto'): GatherKernelName {
  if (name === 'wasm-simd' && !loadWasmModule('gather'))
    throw new Error('setGatherKernel: wasm-simd is not available in this runtime')
  choice = name
  return gatherKernelName()
}

/** The gather kernel in use on this thread. */
export function gatherKernelName(): GatherKernelName {
  return kernel() ? 'wasm-simd' : 'js'
}

/**
 * outX[b·d + f] = pixels[starts[b] + f]·scale[f] + shift[f] for b < starts.length, f < d, on the
 * SIMD kernel. Returns false (nothing written) where the kernel is not available.
 */
export function gatherAffineSimd(
  pixels: Uint8Array,
  starts: ArrayLike<number>,
  d: number,
  scale: Float64Array,
  shift: Float64Array,
  outX: Float32Array | Float64Array
): boolean {
  const e = kernel()
  const h = wasmHeap()
  if (!e || !h) return false
  const n = starts.length
  const inPlace = isWasmBacked(outX)
  const outBytes = inPlace ? 0 : n * d * outX.BYTES_PER_ELEMENT
  // [scale | shift | out (when staged) | pixels]: the float blocks first keep them 16-aligned.
  const base = allocBytes(h, 16 * d + outBytes + n * d)
  try {
    const buf = h.memory.buffer
    const pScale = base
    const pShift = base + 8 * d
    const pOut = inPlace ? outX.byteOffset : pShift + 8 * d
    const pPix = pShift + 8 * d + outBytes
    new Float64Array(buf, pScale, d).set(scale.subarray(0, d))
    new Float64Array(buf, pShift, d).set(shift.subarray(0, d))
    const staged = new Uint8Array(buf, pPix, n * d)
    for (let b = 0; b < n; b++) {
      const s = starts[b]!
      staged.set(pixels.subarray(s, s + d), b * d)
    }
    if (outX instanceof Float32Array) e.affine32(pPix, n, d, pScale, pShift, pOut)
    else e.affine64(pPix, n, d, pScale, pShift, pOut)
    if (!inPlace) {
      const out =
        outX instanceof Float32Array
          ? new Float32Array(buf, pOut, n * d)
          : new Float64Array(buf, pOut, n * d)
      outX.set(out)
    }
  } finally {
    freeBytes(h, base)
  }
  return true
}
