/**
 * Matrix multiply, the engine's hot spot. Row-major, flat typed arrays.
 *
 *   C[m×n] (+)= op(A) · op(B)
 *   op(A) is A[m×k] or, with transA, Aᵀ where A is stored k×m;
 *   op(B) is B[k×n] or, with transB, Bᵀ where B is stored n×k.
 *
 * The three products training needs: X·W (nn), Xᵀ·dY (tn, for dW), dY·Wᵀ (nt, for dX).
 * Works for Float32Array and Float64Array alike (A, B, C of one dtype). C must not overlap A
 * or B. Arithmetic is plain IEEE: a NaN or ∞ anywhere in A or B reaches C (no zero skipping);
 * without `accumulate`, C's old contents are never read.
 *
 * Design. This file is the single entry point; three kernels sit behind it:
 * - `wasm-relaxed-simd` and `wasm-simd`: one AssemblyScript source (wasm/assembly/gemm.ts)
 *   compiled twice at build time (scripts/build-wasm.mjs → wasm/kernels.gen.ts, base64). It is
 *   a Goto/BLIS-style GEMM: op(B) is packed into 8-wide column strips per 256-deep slice of k
 *   (≤ 2048 columns at a time), op(A) into 4-tall row strips per 96-row block, and a 4×8 f32x4
 *   register tile (4×4 with f64x2 for float64) runs over the packed strips. Packing absorbs the
 *   transposes, so the caller never materializes one. The relaxed variant multiplies-adds with
 *   f32x4.relaxed_madd (a single FMA on x86/ARM); the other with mul + add. The tile size is
 *   set by V8's register allocation on x64: larger tiles spill (see the assembly source).
 * - `js`: a plain TypeScript loop nest with contiguous inner loops, for runtimes without wasm
 *   SIMD or shared memory.
 * The best available kernel is picked once per thread (WebAssembly.validate), overridable with
 * setKernel() or the LAYERSCOPE_GEMM_KERNEL environment variable. On Node 20, whose V8 keeps
 * relaxed SIMD behind a flag, the loader turns the flag on with v8.setFlagsFromString (process-
 * wide; LAYERSCOPE_NO_RELAXED_SIMD=1 opts out): see wasm/kernels.ts.
 *
 * Memory. The wasm kernels read and write only their linear memory, a shared WebAssembly.Memory
 * per thread (wasm/heap.ts). Arrays from allocWasmFloat32/allocWasmFloat64 live there and are
 * used in place; any other array is copied into a reusable staging area (and C copied back),
 * which costs O(mk + kn + mn) against the product's O(mnk).
 */
import { allocBytes, dropWasmHeap, freeBytes, isWasmBacked, wasmHeap } from './wasm/heap'
import { loadWasmKernel, type WasmKernel, type WasmKernelName } from './wasm/kernels'

export type FloatArray = Float32Array | Float64Array

export interface GemmOptions {
  transA?: boolean
  transB?: boolean
  /** Add into C instead of overwriting it. */
  accumulate?: boolean
}

export type KernelName = WasmKernelName | 'js'

export {
  allocWasmFloat32,
  allocWasmFloat64,
  allocWasmLike,
  freeWasm,
  isWasmBacked,
  wasmHeapStats
} from './wasm/heap'

const PREFERENCE: readonly KernelName[] = ['wasm-relaxed-simd', 'wasm-simd', 'js']

let active: KernelName | null = null
let wasm: WasmKernel | null = null

/** The kernels this runtime can run, best first; 'js' is always last. */
export function availableKernels(): KernelName[] {
  return PREFERENCE.filter((k) => k === 'js' || loadWasmKernel(k) !== null)
}

/**
 * Choose the kernel: a name (throws if this runtime cannot run it) or 'auto' (the best
 * available). Returns the kernel now in use. Per thread.
 */
export function setKernel(name: KernelName | 'auto'): KernelName {
  if (name === 'auto') {
    const chosen = availableKernels()[0] ?? 'js'
    wasm = chosen === 'js' ? null : loadWasmKernel(chosen)
    active = chosen
    return chosen
  }
  if (!PREFERENCE.includes(name)) throw new Error(`unknown gemm kernel '${String(name)}'`)
  if (name === 'js') {
    wasm = null
  } else {
    const k = loadWasmKernel(name)
    if (!k) throw new Error(`gemm kernel '${name}' is not available in this runtime`)
    wasm = k
  }
  active = name
  return name
}

/** Which kernel gemm() runs on this thread. */
export function kernelName(): KernelName {
  if (active === null) {
    const env = (globalThis as { process?: NodeJS.Process }).process?.env.LAYERSCOPE_GEMM_KERNEL
    setKernel(env ? (env as KernelName | 'auto') : 'auto')
  }
  return active!
}

/** Staging area for outside arrays and packing scratch, grown on demand and kept. */
let scratch = { offset: 0, bytes: 0 }

function scratchOffset(bytes: number): number {
  if (scratch.bytes >= bytes) return scratch.offset
  const h = wasmHeap()!
  if (scratch.bytes > 0) freeBytes(h, scratch.offset)
  const size = Math.max(bytes, Math.ceil(scratch.bytes * 1.5))
  scratch = { offset: allocBytes(h, size), bytes: size }
  return scratch.offset
}

/**
 * Returns this thread's wasm heap to the system after a large computation (a ZCA fit leaves
 * 200–300 MB behind otherwise, a wasm memory never shrinking): frees gemm's staging area and,
 * when nothing else is allocated, drops the memory (see dropWasmHeap). Returns whether it did;
 * false (nothing changed but the staging area) while arrays are still live on the heap.
 */
export function releaseWasmHeap(): boolean {
  const h = wasmHeap()
  if (!h) return false
  if (scratch.bytes > 0) {
    freeBytes(h, scratch.offset)
    scratch = { offset: 0, bytes: 0 }
  }
  return dropWasmHeap()
}

function checkArgs(m: number, n: number, k: number, A: FloatArray, B: FloatArray, C: FloatArray) {
  for (const [name, v] of [
    ['m', m],
    ['n', n],
    ['k', k]
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemm: ${name} = ${v} is not a size`)
  }
  const f32 = A instanceof Float32Array
  if (f32 !== B instanceof Float32Array || f32 !== C instanceof Float32Array) {
    throw new TypeError('gemm: A, B and C must all be Float32Array or all Float64Array')
  }
  if (A.length < m * k || B.length < k * n || C.length < m * n) {
    throw new RangeError(
      `gemm: arrays too short for ${m}×${n}×${k} (A ${A.length}, B ${B.length}, C ${C.length})`
    )
  }
}

export function gemm<T extends FloatArray>(
  m: number,
  n: number,
  k: number,
  A: T,
  B: T,
  C: T,
  opts: GemmOptions = {}
): T {
  const { transA = false, transB = false, accumulate = false } = opts
  checkArgs(m, n, k, A, B, C)
  if (m === 0 || n === 0) return C
  kernelName()
  // After releaseWasmHeap the instance is on a dropped memory: instantiate on the new heap.
  if (wasm !== null && active !== null && active !== 'js') wasm = loadWasmKernel(active)
  if (wasm === null) {
    gemmJs(m, n, k, A, B, C, transA, transB, accumulate)
    return C
  }

  const h = wasmHeap()!
  const f32 = A instanceof Float32Array
  const eb = f32 ? 4 : 8
  const inA = isWasmBacked(A)
  const inB = isWasmBacked(B)
  const inC = isWasmBacked(C)
  const bytesA = inA ? 0 : align64(m * k * eb)
  const bytesB = inB ? 0 : align64(k * n * eb)
  const bytesC = inC ? 0 : align64(m * n * eb)
  const base = scratchOffset(bytesA + bytesB + bytesC + wasm.workBytes(n, eb))
  const buf = h.memory.buffer
  const view = (offset: number, length: number): FloatArray =>
    f32 ? new Float32Array(buf, offset, length) : new Float64Array(buf, offset, length)

  let pA = A.byteOffset
  let pB = B.byteOffset
  let pC = C.byteOffset
  let stagedC: FloatArray | null = null
  if (!inA) {
    pA = base
    view(pA, m * k).set(A.subarray(0, m * k))
  }
  if (!inB) {
    pB = base + bytesA
    view(pB, k * n).set(B.subarray(0, k * n))
  }
  if (!inC) {
    pC = base + bytesA + bytesB
    stagedC = view(pC, m * n)
    if (accumulate) stagedC.set(C.subarray(0, m * n))
  }
  const flags = (transA ? 1 : 0) | (transB ? 2 : 0) | (accumulate ? 4 : 0)
  const work = base + bytesA + bytesB + bytesC
  if (f32) wasm.sgemm(m, n, k, pA, pB, pC, flags, work)
  else wasm.dgemm(m, n, k, pA, pB, pC, flags, work)
  if (stagedC) C.set(stagedC)
  return C
}

function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64
}

/**
 * The TypeScript kernel. nn and tn run C[i,:] += op(A)[i,p]·B[p,:] (contiguous in B and C);
 * nt and tt run C[i,j] += op(A)[i,:]·B[j,:] as dot products (contiguous in B).
 */
function gemmJs(
  m: number,
  n: number,
  k: number,
  A: FloatArray,
  B: FloatArray,
  C: FloatArray,
  transA: boolean,
  transB: boolean,
  accumulate: boolean
): void {
  if (!accumulate) C.fill(0, 0, m * n)
  const sa = transA ? 1 : k // stride between rows i of op(A)
  const sp = transA ? m : 1 // stride between columns p of op(A)
  if (!transB) {
    for (let i = 0; i < m; i++) {
      const cRow = i * n
      for (let p = 0; p < k; p++) {
        const a = A[i * sa + p * sp]!
        const bRow = p * n
        for (let j = 0; j < n; j++) C[cRow + j]! += a * B[bRow + j]!
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      const aRow = i * sa
      const cRow = i * n
      for (let j = 0; j < n; j++) {
        const bRow = j * k
        let s = 0
        for (let p = 0; p < k; p++) s += A[aRow + p * sp]! * B[bRow + p]!
        C[cRow + j]! += s
      }
    }
  }
}
