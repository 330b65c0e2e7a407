/**
 * Fitting the six preprocessing modes of the seed's "Data Preprocessing" on the training split
 * only (minus a validation split carved from its end, cs231n-style). The fitted result is plain
 * data that gather.ts applies unchanged to train, val and test.
 *
 * Every mode is a per-feature affine map x' = x·scale[f] + shift[f] on the raw 0–255 bytes,
 * followed for `zca` by the whitening matrix W (x_white = W x', rows: X' W) and for `pca` by the
 * projection onto the top K eigenvectors of the covariance (z = Uₖᵀ x', rows: X' Uₖ; K outputs
 * instead of 3072). No rescaling, except in `zca` and `pca`: pixels are divided by 255 first
 * (rescale = 1/255), so ε and the eigenvalues are on the 0–1 scale where the usual values
 * (0.1, 0.01, 1e-5) make sense.
 */
import { DatasetError } from '../errors'
import {
  PREPROCESS_MODES as SHARED_MODES,
  type ResolvedPreprocessing
} from '../../../src-shared/experiments'
import { recordMoments, type RecordMoments } from '../moments'
import { histogramMoments } from '../stats'
import { symmetricEigenColumns } from '../../linalg/eigen'
import { freeWasm } from '../../linalg/gemm'
import type { ProductRunner } from '../../linalg/lower-product'
import { pixelCovariance, zcaFromCovariance } from '../../linalg/zca'
import { IMAGE_BYTES, PLANE, type DatasetHandle, type SplitRange } from '../types'

// The names are the contract's (src-shared/experiments).
export type PreprocessMode = (typeof SHARED_MODES)[number]
export const PREPROCESS_MODES: readonly PreprocessMode[] = SHARED_MODES

export type Split = 'train' | 'val' | 'test'

/**
 * How a fit runs (its parameters, zca's ε and pca's K, are in the ResolvedPreprocessing it is
 * given: src-shared/experiments resolvePreprocessing).
 */
export interface PreprocessOptions {
  /** Training records carved from the END of the training split as validation (default 0). */
  val?: number
  /** zca, pca: records (evenly spaced over the fit range) for the covariance (default 10000). */
  zcaSamples?: number
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
  /** zca, pca: where the covariance (and zca's whitening) products run (default: this thread). */
  products?: ProductRunner
}

export const ZCA_DEFAULT_SAMPLES = 10_000

/** Plain data; post it to workers (the zca matrix lives in a SharedArrayBuffer). */
export interface FittedPreprocessing {
  mode: PreprocessMode
  val: number
  /** The records the statistics were fitted on (the training split minus val). */
  fitRange: SplitRange
  /** x' = x·scale[f] + shift[f] per feature (3072 each, float64). */
  scale: Float64Array
  shift: Float64Array
  /** zca only: 3072×3072 float64 whitening matrix, row-major, in a SharedArrayBuffer. */
  zcaMatrix: Float64Array | null
  /**
   * pca only: 3072×K float64, row-major, column k the eigenvector of the k-th largest
   * eigenvalue (unit length), in a SharedArrayBuffer. The output has K features, not 3072.
   */
  pcaBasis: Float64Array | null
  /** What was fitted, as the CLI `preprocess` JSON's `fit`. */
  fit: Record<string, unknown>
  /**
   * The raw moments of the fit records the fit was computed from (Σx, Σx² — not for zca — and
   * the channel histograms), reused by the `preprocess` view; null for `none` (no pass made).
   */
  moments: RecordMoments | null
}

/** Features per record after preprocessing: K for pca, 3072 otherwise. */
export function outputWidth(fitted: FittedPreprocessing): number {
  return fitted.pcaBasis ? fitted.pcaBasis.length / IMAGE_BYTES : IMAGE_BYTES
}

function round(x: number, digits = 6): number {
  return Number(x.toPrecision(digits))
}

/** The record range of a split, given the validation count. */
export function splitRange(handle: DatasetHandle, split: Split, val = 0): SplitRange {
  checkVal(handle, val)
  if (split === 'test') return { ...handle.test }
  if (split === 'val') return { offset: handle.train.offset + handle.train.count - val, count: val }
  return { offset: handle.train.offset, count: handle.train.count - val }
}

function checkVal(handle: DatasetHandle, val: number): void {
  if (!Number.isInteger(val) || val < 0 || val >= handle.train.count)
    throw new DatasetError(
      'bad-option',
      handle.train.count === 0
        ? `val ${val}: this copy has no training records to hold any out of.`
        : `val ${val}: the validation split must be a whole number from 0 to ${
            handle.train.count - 1
          } (this copy has ${handle.train.count} training records).`,
      { field: 'val' }
    )
}

/** `m` evenly spaced record indices over 0..count-1 (all of them when m = count). */
export function sampleIndices(count: number, m: number): number[] {
  return Array.from({ length: m }, (_, i) =>
    m === count || m === 1 ? i : Math.round((i * (count - 1)) / (m - 1))
  )
}

function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8))
}

/** Fits `spec` (a mode, with zca's ε or pca's K) on the training split minus `val`. */
export function fitPreprocessing(
  handle: DatasetHandle,
  spec: ResolvedPreprocessing,
  opts: PreprocessOptions = {}
): FittedPreprocessing {
  const mode = spec.mode
  if (!PREPROCESS_MODES.includes(mode))
    throw new DatasetError(
      'bad-option',
      `Unknown preprocessing mode '${String(mode)}'; use one of ${PREPROCESS_MODES.join(', ')}.`,
      { field: 'mode' }
    )
  const val = opts.val ?? 0
  const fitRange = splitRange(handle, 'train', val)
  const pixels = new Uint8Array(handle.pixels)
  const n = fitRange.count
  const scale = new Float64Array(IMAGE_BYTES).fill(1)
  const shift = new Float64Array(IMAGE_BYTES)
  if (mode === 'none')
    return {
      mode,
      val,
      fitRange,
      scale,
      shift,
      zcaMatrix: null,
      pcaBasis: null,
      fit: { count: n },
      moments: null
    }

  // Σx² too (except for zca and pca, whose `after` goes through a matrix): the view's
  // statistics of the transformed training records follow from it, in the same pass.
  const linear = mode === 'zca' || mode === 'pca'
  const moments = recordMoments(pixels, fitRange, { squares: !linear, histogram: true })
  const base = { mode, val, fitRange, scale, shift, zcaMatrix: null, pcaBasis: null, moments }
  const { sum, sumSq } = moments
  const histogram = moments.histogram!
  const mean = sum.map((s) => s / n)
  const ch = [0, 1, 2].map((c) => histogramMoments(histogram, c))
  const channelMean = ch.map((m) => m.mean)
  const channelStd = ch.map((m) => m.std)

  switch (mode) {
    case 'mean-image':
      for (let f = 0; f < IMAGE_BYTES; f++) shift[f] = -mean[f]!
      return { ...base, fit: { count: n, meanImage: Array.from(mean, (x) => round(x, 8)) } }
    case 'channel-mean':
    case 'channel-standardize':
      for (let c = 0; c < 3; c++) {
        const s = mode === 'channel-standardize' ? 1 / channelStd[c]! : 1
        for (let p = 0; p < PLANE; p++) {
          scale[c * PLANE + p] = s
          shift[c * PLANE + p] = -channelMean[c]! * s
        }
      }
      return { ...base, fit: { count: n, channelMean, channelStd } }
    case 'standardize': {
      const std = new Float64Array(IMAGE_BYTES)
      for (let f = 0; f < IMAGE_BYTES; f++) {
        const m = mean[f]!
        std[f] = Math.sqrt(Math.max(0, sumSq![f]! / n - m * m))
        // A constant feature cannot be scaled to unit variance: it is only centred.
        const s = std[f]! > 1e-8 ? 1 / std[f]! : 1
        scale[f] = s
        shift[f] = -m * s
      }
      return {
        ...base,
        fit: {
          count: n,
          mean: Array.from(mean, (x) => round(x, 8)),
          std: Array.from(std, (x) => round(x, 8))
        }
      }
    }
    case 'zca':
      return fitZca(handle, { ...base, mode }, mean, spec.epsilon, opts)
    case 'pca':
      return fitPca(handle, { ...base, mode }, mean, spec.components, opts)
  }
}

/**
 * The covariance of the fit records on the 0–1 scale (pixels / 255, centred), over at most
 * `zcaSamples` evenly spaced records, for zca and pca; sets scale and shift to that map.
 * Progress 0…1 of this step is reported as 0…0.2.
 */
function fitCovariance(
  handle: DatasetHandle,
  base: Omit<FittedPreprocessing, 'fit'>,
  mean: Float64Array,
  opts: PreprocessOptions
): { cov: Float64Array; samples: number; ms: number } {
  const t0 = performance.now()
  const { scale, shift, fitRange } = base
  for (let f = 0; f < IMAGE_BYTES; f++) {
    scale[f] = 1 / 255
    shift[f] = -mean[f]! / 255
  }
  const m = Math.min(fitRange.count, Math.max(1, opts.zcaSamples ?? ZCA_DEFAULT_SAMPLES))
  const rows = sampleIndices(fitRange.count, m)
  const d = IMAGE_BYTES
  // Exact integer products of the raw pixels (float32 gemm), centred and scaled in float64.
  const offsets = rows.map((r) => (fitRange.offset + r) * d)
  const cov = pixelCovariance(
    new Uint8Array(handle.pixels),
    offsets,
    d,
    mean,
    1 / 255,
    (f) => {
      opts.signal?.throwIfAborted()
      opts.onProgress?.(0.2 * f)
    },
    opts.products
  )
  return { cov, samples: m, ms: performance.now() - t0 }
}

function fitZca(
  handle: DatasetHandle,
  base: Omit<FittedPreprocessing, 'fit'>,
  mean: Float64Array,
  epsilon: number,
  opts: PreprocessOptions
): FittedPreprocessing {
  const t0 = performance.now()
  if (!(epsilon > 0))
    throw new DatasetError('bad-option', `epsilon ${epsilon}: ZCA needs ε > 0.`, {
      field: 'epsilon'
    })
  const { fitRange } = base
  const d = IMAGE_BYTES
  const { cov, samples: m, ms: covMs } = fitCovariance(handle, base, mean, opts)
  const z = zcaFromCovariance(
    cov,
    d,
    epsilon,
    (f) => {
      opts.signal?.throwIfAborted()
      opts.onProgress?.(0.2 + 0.8 * f)
    },
    opts.products
  )
  // A team's result is already shared memory (its own buffer: nothing else writes it again).
  let zcaMatrix = z.matrix
  if (!(z.matrix.buffer instanceof SharedArrayBuffer)) {
    zcaMatrix = sharedFloat64(d * d)
    zcaMatrix.set(z.matrix)
  }
  return {
    ...base,
    zcaMatrix,
    fit: {
      count: fitRange.count,
      epsilon,
      rescale: 1 / 255,
      samples: m,
      eigenvalues: Array.from(z.eigenvalues, (x) => round(x, 8)),
      covarianceSeconds: round(covMs / 1000, 4),
      eigenSeconds: round(z.eigenMs / 1000, 4),
      seconds: round((performance.now() - t0) / 1000, 4)
    }
  }
}

/**
 * pca: the covariance as for zca (0–1 scale, same records), its eigendecomposition by the same
 * eigensolver, and the top K eigenvectors as the columns of a 3072×K projection.
 */
function fitPca(
  handle: DatasetHandle,
  base: Omit<FittedPreprocessing, 'fit'>,
  mean: Float64Array,
  K: number,
  opts: PreprocessOptions
): FittedPreprocessing {
  const t0 = performance.now()
  const d = IMAGE_BYTES
  if (!(Number.isInteger(K) && K >= 1 && K <= d))
    throw new DatasetError(
      'bad-option',
      `components ${K}: PCA keeps a whole number of eigenvectors from 1 to ${d}.`,
      { field: 'components' }
    )
  const { cov, samples, ms: covMs } = fitCovariance(handle, base, mean, opts)
  const t1 = performance.now()
  const { values, columns } = symmetricEigenColumns(cov, d, {
    onProgress: (f) => {
      opts.signal?.throwIfAborted()
      opts.onProgress?.(0.2 + 0.8 * f)
    },
    // As zca: the back-transformation on the fit's team when it has one (same values).
    ...(opts.products?.applyQ ? { applyQ: opts.products.applyQ } : {})
  })
  const eigenMs = performance.now() - t1
  // Ascending from the solver: the k-th largest is column d−1−k.
  const pcaBasis = sharedFloat64(d * K)
  try {
    for (let r = 0; r < d; r++) {
      const row = r * d
      for (let k = 0; k < K; k++) pcaBasis[r * K + k] = columns[row + d - 1 - k]!
    }
  } finally {
    freeWasm(columns)
  }
  const eigenvalues = Array.from(values).reverse()
  // The trace is the total variance (Σλ = tr C), summed from the diagonal: exact of rounding.
  let total = 0
  for (let f = 0; f < d; f++) total += cov[f * d + f]!
  let kept = 0
  for (let k = 0; k < K; k++) kept += Math.max(0, eigenvalues[k]!)
  return {
    ...base,
    pcaBasis,
    fit: {
      count: base.fitRange.count,
      components: K,
      rescale: 1 / 255,
      samples,
      eigenvalues: eigenvalues.map((x) => round(x, 8)),
      totalVariance: round(total, 10),
      explainedVariance: round(total > 0 ? kept / total : NaN, 8),
      covarianceSeconds: round(covMs / 1000, 4),
      eigenSeconds: round(eigenMs / 1000, 4),
      seconds: round((performance.now() - t0) / 1000, 4)
    }
  }
}
