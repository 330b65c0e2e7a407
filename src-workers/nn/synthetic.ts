/** Synthetic classification data: Gaussian class clusters, a stand-in for CIFAR-10 (`--synthetic N`). */
import { fillNormal, normal, randInt, createRng } from './rng'
import { alloc, type Dtype, type FloatArray } from './tensor'

/** A labelled data set as the sanity checks and training consume it: rows of X, one label each. */
export interface LabelledData {
  /** n × dim, row-major. */
  X: FloatArray
  y: Int32Array
  n: number
  dim: number
  classes: number
}

export interface SyntheticOptions {
  /** Expected distance between two class means, in units of the within-class std (default 3·√2). */
  separation?: number
  dtype?: Dtype
  /** Allocate X and y in SharedArrayBuffers (so worker threads read the same rows). */
  shared?: boolean
}

/**
 * n examples in `dim` dimensions (default 3072, like a CIFAR-10 image) over `classes` classes
 * (default 10), from `seed`: first the class means μ_c ~ N(0, (s²/dim)·I) with s = separation/√2
 * (so ‖μ_c − μ_c'‖ ≈ separation), then for each example in turn a label uniform over the
 * classes and x = μ_y + N(0, I). Entries have mean ≈ 0 and std ≈ 1, so no preprocessing is needed;
 * with the default separation 3√2 ≈ 4.24 a linear classifier gets roughly 90 % right — learnable,
 * not trivial. Growing n keeps the first examples unchanged.
 */
export function makeSynthetic(
  n: number,
  dim = 3072,
  classes = 10,
  seed = 1,
  opts: SyntheticOptions = {}
): LabelledData {
  if (!(Number.isInteger(n) && n >= 1))
    throw new RangeError(`makeSynthetic: n must be a positive integer, got ${n}`)
  const rng = createRng(seed)
  const s = (opts.separation ?? 3 * Math.SQRT2) / Math.SQRT2
  const means = fillNormal(rng, new Float64Array(classes * dim), s / Math.sqrt(dim))
  const dtype = opts.dtype ?? 'float32'
  const X = opts.shared
    ? dtype === 'float32'
      ? new Float32Array(new SharedArrayBuffer(n * dim * 4))
      : new Float64Array(new SharedArrayBuffer(n * dim * 8))
    : alloc(dtype, n * dim)
  const y = opts.shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const c = randInt(rng, classes)
    y[i] = c
    for (let j = 0; j < dim; j++) X[i * dim + j] = means[c * dim + j]! + normal(rng)
  }
  return { X, y, n, dim, classes }
}
