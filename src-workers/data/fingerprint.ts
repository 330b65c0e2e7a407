import { createHash } from 'node:crypto'
import { IMAGE_BYTES } from './types'

/** Records sampled per split (evenly spaced, always including the first and the last). */
const SAMPLES_PER_SPLIT = 257

/**
 * A content fingerprint, the same for the same data in any of the four forms: SHA-256 over the
 * split sizes, every label, and the pixels of 257 evenly spaced records per split (first and
 * last included). About 1.6 MB hashed for the full dataset: a few milliseconds, yet any
 * re-ordering, relabelling, truncation or different copy changes it.
 */
export function datasetFingerprint(
  pixels: Uint8Array,
  labels: Uint8Array,
  splits: { offset: number; count: number }[]
): string {
  const h = createHash('sha256')
  h.update(`layerscope-cifar10-v1:${splits.map((s) => s.count).join(',')}:`)
  for (const s of splits) {
    h.update(labels.subarray(s.offset, s.offset + s.count))
    if (s.count === 0) continue
    const k = Math.min(SAMPLES_PER_SPLIT, s.count)
    for (let i = 0; i < k; i++) {
      const r = s.offset + (k === 1 ? 0 : Math.round((i * (s.count - 1)) / (k - 1)))
      h.update(pixels.subarray(r * IMAGE_BYTES, (r + 1) * IMAGE_BYTES))
    }
  }
  return `sha256:${h.digest('hex').slice(0, 32)}`
}
