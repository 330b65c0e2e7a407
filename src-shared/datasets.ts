/**
 * Datasets in the API contract: the arguments of `dataset:images` and the shapes of what the
 * `dataset` and `preprocess` jobs and the `dataset:*` calls return. Pixels cross the boundary as
 * base64 copies (32×32 RGB, row-major, R G B interleaved per pixel), never as shared memory.
 * The job configurations (`DatasetOpenConfig`, `PreprocessConfig`) live in ./experiments.
 */
import { z } from 'zod'

/** Bytes of one image as the renderer receives it: 32 × 32 pixels × (R, G, B). */
export const RGB_IMAGE_BYTES = 3072
/** Most images one `dataset:images` call returns. */
export const MAX_IMAGES_PER_CALL = 256

export const DatasetSplitName = z.enum(['train', 'test'])
export type DatasetSplitName = z.infer<typeof DatasetSplitName>

export const DatasetImagesArgs = z.strictObject({
  split: DatasetSplitName,
  /** Position in the split, or in the images of class `label` when it is given. */
  offset: z.number().int().min(0).max(10_000_000),
  count: z.number().int().min(1).max(MAX_IMAGES_PER_CALL),
  /** Only images of this class (0–9). */
  label: z.number().int().min(0).max(9).optional()
})
export type DatasetImagesArgs = z.infer<typeof DatasetImagesArgs>

/** `layerscope dataset PATH --json`, exactly (../shared/CLI.md). Statistics on the 0–255 scale. */
export interface DatasetDescriptionJson {
  format: 'binary' | 'python'
  source: string
  classes: string[]
  splits: {
    train: { count: number; files: string[]; labelCounts: number[] }
    test: { count: number; files: string[]; labelCounts: number[] }
  }
  stats: { channelMean: number[]; channelStd: number[] }
  warnings: string[]
}

/** The open dataset, as `dataset:current` and the `dataset` job return it. */
export interface DatasetSummary {
  /** The path as opened (made absolute against the service's working folder). */
  path: string
  /** Content fingerprint: the same data in any of the four forms gives the same one. */
  fingerprint: string
  description: DatasetDescriptionJson
  /** Mean training image, base64 of 3072 bytes (32×32 RGB interleaved). */
  meanImage: string
  /** Seconds the worker spent reading and describing the copy. */
  seconds: number
}

/** A page of images from the open dataset (`dataset:images`). */
export interface DatasetImages {
  split: DatasetSplitName
  offset: number
  /** Class filter, or null for every image of the split. */
  label: number | null
  /** Images of the split matching the filter (for paging). */
  total: number
  width: 32
  height: 32
  /** base64 of count × 3072 bytes: image k at byte k·3072, 32×32 RGB interleaved, row-major. */
  pixels: string
  /** Class of each returned image. */
  labels: number[]
  /** Index of each returned image within its split. */
  indices: number[]
}

/** What `layerscope preprocess PATH --mode MODE --json` prints (../shared/CLI.md). */
export interface PreprocessSplitJson {
  count: number
  mean: number
  std: number
  channelMean: number[]
  channelStd: number[]
}
export interface PreprocessReportJson {
  mode: string
  fit: Record<string, unknown>
  after: { train: PreprocessSplitJson; val?: PreprocessSplitJson; test: PreprocessSplitJson }
}

/** Pixel histograms of the three channels over shared bin edges. */
export interface ChannelHistograms {
  edges: number[]
  /** counts[c][bin], c = R, G, B. */
  counts: number[][]
}

/** The `preprocess` job's result: the CLI report plus what the Preprocessing view draws. */
export interface PreprocessJobResult {
  report: PreprocessReportJson
  fingerprint: string
  /** Mean of the fitted training records, base64 of 3072 bytes (32×32 RGB interleaved). */
  meanImage: string
  /** Raw bytes (256 bins, edges 0…256) and preprocessed values (256 bins over their range). */
  histograms: { before: ChannelHistograms; after: ChannelHistograms }
  /** True when the fitted statistics came from the service's cache (no refit). */
  cached: boolean
  /** What the Preprocessing view draws of the data (absent in results saved before it). */
  pictures?: PreprocessPicturesJson
}

/** A 2×2 covariance [[xx, xy], [xy, yy]] as [xx, xy, yy]. */
export type Cov2Json = [number, number, number]

/** One stage of the two-feature scatter: points (4 significant digits) and their covariance. */
export interface ScatterStageJson {
  x: number[]
  y: number[]
  cov: Cov2Json
}

/** The pictures of a fitted mode (src-workers/data/preprocess/pictures.ts). Images: base64 RGB. */
export interface PreprocessPicturesJson {
  /** Mean image vs per-channel mean of the fit records, and their difference amplified. */
  centring: {
    meanImage: string
    channelImage: string
    differenceImage: string
    channelMean: number[]
    /** max |meanImage − channelMean| in pixel units, and where. */
    maxAbs: number
    at: { channel: number; row: number; col: number }
    /** Display gain of the difference: 128 + gain·d (127/maxAbs). */
    gain: number
  }
  /** The same training images under this mode, each rescaled by its own [lo, hi] → 0…255. */
  samples: {
    indices: number[]
    labels: number[]
    images: string
    ranges: { lo: number; hi: number }[]
    /** pca: the reconstructions Uₖ z of the images from their K components. */
    reconstructed: boolean
  }
  /** Two pixel features raw → zero-centred → normalized, decorrelated → whitened. */
  scatter: {
    features: { index: number; channel: number; row: number; col: number }[]
    count: number
    raw: ScatterStageJson
    centred: ScatterStageJson
    normalized: ScatterStageJson
    decorrelated: ScatterStageJson
    whitened: ScatterStageJson
    eigenvalues: [number, number]
    /** The training-fitted whitening applied to test images: covariance ≈ I up to sampling. */
    heldOut: { count: number; cov: Cov2Json }
  }
  /** pca: the top eigenvectors as images, 128 + 127·v/max|v|; null for the other modes. */
  eigenvectors: { images: string; count: number; scales: number[] } | null
}
