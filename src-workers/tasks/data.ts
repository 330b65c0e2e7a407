/**
 * Dataset tasks: open a CIFAR-10 copy into shared memory, fit a preprocessing mode, describe
 * what it does, and the CIFAR-10 forms of the depth and sanity experiments. The dataset travels
 * as its DatasetHandle (SharedArrayBuffers: every worker reads the same pixels, nothing is
 * copied); a fitted preprocessing travels as plain data (its zca matrix is shared too).
 */
import type { DatasetDescriptionJson } from '../../src-shared/datasets'
import type { DepthConfig, ResolvedPreprocessing, SanityConfig } from '../../src-shared/experiments'
import type { DepthResult, SanityResult } from '../../src-shared/results'
import {
  DatasetError,
  describeDataset,
  fitPreprocessing,
  gatherBatch,
  loadDataset,
  meanImageToRgb,
  measurePreprocessing,
  outputWidth,
  pixelStats,
  type DatasetHandle,
  type FittedPreprocessing,
  type Histograms,
  type PreprocessReport
} from '../data'
import {
  centringPicture,
  displayImages,
  eigenvectorImages,
  featureScatter,
  type CentringPicture,
  type DisplayImages,
  type EigenvectorImages,
  type FeatureScatter
} from '../data/preprocess/pictures'
import { IMAGE_BYTES, NUM_CLASSES } from '../data/types'
import { helpZca, teamProducts, type ZcaShare } from '../data/zca-team'
import { alloc } from '../nn/tensor'
import type { TaskContext } from '../task'
import { depth, sanity } from './engine'

export interface OpenDatasetOutput {
  handle: DatasetHandle
  description: DatasetDescriptionJson
  /** Mean training image, 32×32 RGB interleaved. */
  meanImageRgb: Uint8Array
  seconds: number
}

/** Share of the open job's progress given to reading; the rest is the statistics pass. */
const READ_SHARE = 0.9

/** Reads the copy at `path` (absolute) and describes it (statistics over the training split). */
export async function openDataset(
  input: { path: string },
  ctx: TaskContext
): Promise<OpenDatasetOutput> {
  const t0 = performance.now()
  ctx.progress(0, 'reading')
  const handle = await loadDataset(input.path, {
    onProgress: (f) => ctx.progress(f * READ_SHARE, 'reading')
  })
  ctx.progress(READ_SHARE, 'statistics')
  const stats = pixelStats(handle)
  const description: DatasetDescriptionJson = describeDataset(handle, stats)
  ctx.progress(1)
  return {
    handle,
    description,
    meanImageRgb: stats.meanImageRgb,
    seconds: (performance.now() - t0) / 1000
  }
}

export interface FitInput {
  dataset: DatasetHandle
  /** The mode with its ε (zca) or K (pca), resolved by the service. */
  preprocessing: ResolvedPreprocessing
  val: number
  /**
   * zca, pca: lead a team (data/zca-team.ts): the fit shares its buffers through ctx.share and
   * the pool lends zcaHelper tasks while threads are free. Same numbers with or without helpers.
   */
  team?: boolean
}

/** Fits a preprocessing mode on the training split minus `val` (see data/preprocess). */
export function fitPreprocess(input: FitInput, ctx: TaskContext): FittedPreprocessing {
  const { mode } = input.preprocessing
  const products =
    input.team && (mode === 'zca' || mode === 'pca')
      ? teamProducts(IMAGE_BYTES, (share) => ctx.share?.(share))
      : undefined
  try {
    return fitPreprocessing(input.dataset, input.preprocessing, {
      val: input.val,
      ...(products ? { products } : {}),
      onProgress: (f) => ctx.progress(f, 'fitting')
    })
  } finally {
    products?.close()
  }
}

export interface ZcaHelperInput extends ZcaShare {
  /** 0-based; helper i stays while the pool wants more than i helpers on the team. */
  index: number
}

/** A thread lent to a ZCA fit's team: runs row blocks until released; returns how many. */
export function zcaHelper(input: ZcaHelperInput): number {
  return helpZca(input, input.index)
}

export interface PreprocessViewOutput {
  report: PreprocessReport
  meanImageRgb: Uint8Array
  histograms: { before: Histograms; after: Histograms }
  pictures: {
    centring: CentringPicture
    samples: DisplayImages
    scatter: FeatureScatter
    eigenvectors: EigenvectorImages | null
  }
}

/** The `preprocess` report of a fitted mode, with the mean image and pixel histograms. */
export function preprocessView(
  input: { dataset: DatasetHandle; fitted: FittedPreprocessing },
  ctx: TaskContext
): PreprocessViewOutput {
  const { dataset, fitted } = input
  ctx.progress(0, 'measuring')
  const { report, histograms, meanImage } = measurePreprocessing(dataset, fitted)
  ctx.progress(0.8, 'pictures')
  const pictures = {
    centring: centringPicture(meanImage),
    samples: displayImages(dataset, fitted),
    scatter: featureScatter(dataset, fitted),
    eigenvectors: eigenvectorImages(fitted)
  }
  // mean-image and standardize show the mean image they fitted (as in their `fit` JSON).
  const fittedMean = fitted.fit.meanImage ?? fitted.fit.mean
  const meanImageRgb = meanImageToRgb(
    Array.isArray(fittedMean) && fittedMean.length === IMAGE_BYTES
      ? Float64Array.from(fittedMean as number[])
      : meanImage
  )
  ctx.progress(1)
  return { report, meanImageRgb, histograms: histograms!, pictures }
}

/**
 * The first `count` records of the fitted range (the training split minus val), preprocessed,
 * as a row-major count × width matrix (3072, or K for pca) and their labels. `option` names the
 * setting in errors.
 */
function trainingRows(
  dataset: DatasetHandle,
  fitted: FittedPreprocessing,
  count: number,
  dtype: 'float32' | 'float64',
  option: string
): { X: Float32Array | Float64Array; y: Int32Array; width: number } {
  const available = fitted.fitRange.count
  if (count > available)
    throw new DatasetError(
      'bad-option',
      `${option} ${count}: this dataset has ${available} training image(s)` +
        (fitted.val > 0 ? ` after the ${fitted.val} held out for validation` : '') +
        `; ask for at most ${available}.`,
      { field: option }
    )
  const width = outputWidth(fitted)
  const X = alloc(dtype, count * width)
  const y = new Int32Array(count)
  const BLOCK = 256
  for (let i = 0; i < count; i += BLOCK) {
    const idx = Array.from({ length: Math.min(BLOCK, count - i) }, (_, k) => i + k)
    gatherBatch(
      dataset,
      'train',
      idx,
      fitted,
      X.subarray(i * width, (i + idx.length) * width),
      y.subarray(i, i + idx.length)
    )
  }
  return { X, y, width }
}

export interface DatasetDepthInput {
  config: DepthConfig
  dataset: DatasetHandle
  fitted: FittedPreprocessing
  /** Slices of the samples for a team of threads (default 1). */
  slices?: number
}

/**
 * Depth statistics on CIFAR-10: X = the first `samples` training images, preprocessed with the
 * fitted mode (input width 3072, or K for pca); the rest is the Gaussian experiment unchanged.
 */
export function depthOnDataset(input: DatasetDepthInput, ctx: TaskContext): DepthResult {
  const { config, dataset, fitted } = input
  const { X, width } = trainingRows(dataset, fitted, config.samples, config.dtype, 'samples')
  const result = depth(
    {
      config,
      data: { data: X, rows: config.samples, cols: width },
      ...(input.slices === undefined ? {} : { slices: input.slices })
    },
    ctx
  )
  // The echo says which input this was, so the numbers can be reproduced.
  Object.assign(result.config, { input: 'cifar', preprocess: config.preprocess })
  return result
}

/** Training images the sanity checks get: initial loss uses the first 500, overfit draws 20. */
export const SANITY_RECORDS = 1000

export interface DatasetSanityInput {
  config: SanityConfig
  dataset: DatasetHandle
  fitted: FittedPreprocessing
}

/** Sanity checks on the first min(1000, n) training images, preprocessed with the fitted mode. */
export function sanityOnDataset(input: DatasetSanityInput, ctx: TaskContext): SanityResult {
  const { config, dataset, fitted } = input
  const n = Math.min(SANITY_RECORDS, fitted.fitRange.count)
  const { X, y, width } = trainingRows(dataset, fitted, n, 'float32', 'data')
  return sanity(
    {
      hidden: config.hidden,
      seed: config.seed,
      regConvention: config.regConvention,
      targetLoss: config.targetLoss,
      maxEpochs: config.maxEpochs,
      data: { X, y, n, dim: width, classes: NUM_CLASSES }
    },
    ctx
  )
}
