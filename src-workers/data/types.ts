/**
 * Plain-data types shared by the CIFAR-10 readers, statistics and preprocessing.
 * Everything here can be posted to a worker: SharedArrayBuffers are shared, not copied.
 */

/** Pixels per image: 3 channel planes (R, G, B) of 32×32, row-major, as in the files. */
export const IMAGE_BYTES = 3072
/** Pixels per channel plane. */
export const PLANE = 1024
/** One binary-version record: 1 label byte + 3072 pixel bytes. */
export const RECORD_BYTES = 3073
export const NUM_CLASSES = 10

/** Records in one official batch file: no CIFAR-10 file holds more. */
export const BATCH_RECORDS = 10_000
/** The largest binary batch (10,000 records of 3073 bytes). */
export const MAX_BINARY_BATCH_BYTES = BATCH_RECORDS * RECORD_BYTES
/** The largest python batch: the official ones are 31,035,704 bytes (pixels, labels, names). */
export const MAX_PICKLE_BATCH_BYTES = 32 * 1024 * 1024
/** The largest batches.meta(.txt): the official ones are 61 and 158 bytes. */
export const MAX_META_BYTES = 64 * 1024
/** The largest whole copy: five training batches and one test batch. */
export const MAX_RECORDS = 6 * BATCH_RECORDS
/** The largest unpacked tar stream read from an archive (the official ones are ~185 MB). */
export const MAX_TAR_BYTES = 256 * 1024 * 1024

/** The standard class names, used when batches.meta(.txt) is missing or unreadable. */
export const STANDARD_CLASSES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck'
]

export type DatasetFormat = 'binary' | 'python'

/** Records [offset, offset + count) of the pixel/label buffers. */
export interface SplitRange {
  offset: number
  count: number
}

export interface DatasetFile {
  /** Name as it appears in the folder or archive (e.g. `data_batch_1.bin`). */
  name: string
  split: 'train' | 'test'
  /** Records this file contributed (from the data, never from batches.meta). */
  count: number
  /** Size in bytes of the file (or archive member). */
  bytes: number
}

/**
 * A loaded CIFAR-10 copy. Pixels: uint8, record-major, each record 3072 bytes in the files'
 * channel-major order (1024 R, 1024 G, 1024 B); training records first (batches 1..5 in
 * order), then test. Labels: one uint8 per record, same order. `pixels.byteLength` may exceed
 * (train.count + test.count) × 3072 when loaded from an archive (the buffer is pre-sized from
 * the archive's uncompressed size); only the ranges below hold data.
 */
export interface DatasetHandle {
  pixels: SharedArrayBuffer
  labels: SharedArrayBuffer
  train: SplitRange
  test: SplitRange
  classes: string[]
  format: DatasetFormat
  /** The batches folder or archive actually read (absolute path). */
  source: string
  files: DatasetFile[]
  warnings: string[]
  /** Content fingerprint, identical for the same data in any of the four forms. */
  fingerprint: string
}

export interface LoadOptions {
  /** Called with a fraction in [0, 1] as bytes are read. */
  onProgress?: (fraction: number) => void
  signal?: AbortSignal
}
