/**
 * Gathering preprocessed minibatches from the shared dataset: the fitted affine map per feature
 * (on the SIMD kernel of gather-wasm.ts where available, this file's loop otherwise), then for
 * zca the whitening matrix and for pca the projection onto K eigenvectors (one gemm per batch).
 */
import { gemm } from '../../linalg/gemm'
import { IMAGE_BYTES, type DatasetHandle, type SplitRange } from '../types'
import { outputWidth, splitRange, type FittedPreprocessing, type Split } from './fit'
import { gatherAffineSimd } from './gather-wasm'

type Labels = Int32Array | Uint8Array | Uint32Array | Float64Array | Float32Array

/** The affine part of gather over records range.offset + indices[i]. */
function gatherRange(
  handle: DatasetHandle,
  range: SplitRange,
  indices: ArrayLike<number>,
  fitted: FittedPreprocessing,
  outX: Float32Array | Float64Array,
  outY: Labels | null
): void {
  const pixels = new Uint8Array(handle.pixels)
  const labels = new Uint8Array(handle.labels)
  const { scale, shift } = fitted
  // A local, not the imported constant, in the loop (a getter call per use under CommonJS).
  const d = IMAGE_BYTES
  const B = indices.length
  if (outX.length < B * IMAGE_BYTES)
    throw new RangeError(`gatherBatch: outX holds ${outX.length}, needs ${B * IMAGE_BYTES}`)
  if (outY && outY.length < B)
    throw new RangeError(`gatherBatch: outY holds ${outY.length}, needs ${B}`)
  const starts = new Int32Array(B) // byte offset of each record (< 2³¹: 60,000 × 3072)
  for (let b = 0; b < B; b++) {
    const i = indices[b]!
    if (!(i >= 0 && i < range.count && Number.isInteger(i)))
      throw new RangeError(`gatherBatch: index ${i} outside 0..${range.count - 1}`)
    const r = range.offset + i
    starts[b] = r * d
    if (outY) outY[b] = labels[r]!
  }
  // The SIMD kernel computes the same float64 expression (same bits); this loop is the fallback.
  if (gatherAffineSimd(pixels, starts, d, scale, shift, outX)) return
  for (let b = 0; b < B; b++) {
    const src = starts[b]!
    const dst = b * d
    for (let f = 0; f < d; f++) outX[dst + f] = pixels[src + f]! * scale[f]! + shift[f]!
  }
}

/** Per-thread float32 copies and scratch for zca and pca (keyed by the shared matrix). */
const f32Matrices = new WeakMap<Float64Array, Float32Array>()
let scratch32 = new Float32Array(0)
let scratch64 = new Float64Array(0)

/**
 * Gathers records `indices` (relative to `split`) of the shared dataset, preprocessed with
 * `fitted`, into outX (batch × outputWidth(fitted), row-major: 3072, or K for pca) and their
 * labels into outY. Float32 for training, Float64 for gradient checks.
 */
export function gatherBatch(
  handle: DatasetHandle,
  split: Split,
  indices: ArrayLike<number>,
  fitted: FittedPreprocessing,
  outX: Float32Array | Float64Array,
  outY: Labels | null
): void {
  const range = splitRange(handle, split, fitted.val)
  // x' W (zca, 3072 × 3072) or x' Uₖ (pca, 3072 × K) after the affine map.
  const M = fitted.zcaMatrix ?? fitted.pcaBasis
  if (!M) return gatherRange(handle, range, indices, fitted, outX, outY)
  const B = indices.length
  const d = IMAGE_BYTES
  const n = M.length / d
  if (outX.length < B * n)
    throw new RangeError(`gatherBatch: outX holds ${outX.length}, needs ${B * n}`)
  if (outX instanceof Float64Array) {
    if (scratch64.length < B * d) scratch64 = new Float64Array(B * d)
    const tmp = scratch64.subarray(0, B * d)
    gatherRange(handle, range, indices, fitted, tmp, outY)
    gemm(B, n, d, tmp, M, outX)
  } else {
    let M32 = f32Matrices.get(M)
    if (!M32) {
      M32 = Float32Array.from(M)
      f32Matrices.set(M, M32)
    }
    if (scratch32.length < B * d) scratch32 = new Float32Array(B * d)
    const tmp = scratch32.subarray(0, B * d)
    gatherRange(handle, range, indices, fitted, tmp, outY)
    gemm(B, n, d, tmp, M32, outX)
  }
}

/** Records `idx` of `split`, preprocessed, as a float64 idx.length × outputWidth matrix. */
export function gatherSample(
  handle: DatasetHandle,
  split: Split,
  fitted: FittedPreprocessing,
  idx: number[]
): Float64Array {
  const BLOCK = 256
  const w = outputWidth(fitted)
  const vals = new Float64Array(idx.length * w)
  for (let i = 0; i < idx.length; i += BLOCK)
    gatherBatch(
      handle,
      split,
      idx.slice(i, i + BLOCK),
      fitted,
      vals.subarray(i * w, Math.min(idx.length, i + BLOCK) * w),
      null
    )
  return vals
}
