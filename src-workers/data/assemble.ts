/**
 * The batch assembler shared by folder and archive loading: decodes each batch's bytes
 * (binary records or a pickle), places the training batches in batch order from record 0 and
 * the test batch after them in SharedArrayBuffers sized up front, then reads the class names,
 * adds the partial-copy warnings and returns the postable DatasetHandle. An empty training
 * split is an error: there would be nothing to fit statistics on.
 */
import {
  binaryRecordCount,
  checkClassNames,
  decodePickleBatch,
  metaLabelNames,
  parseMetaTxt,
  placeBinaryBatch
} from './batch'
import { DatasetError } from './errors'
import { datasetFingerprint } from './fingerprint'
import { parsePickle, peekBatchRecordCount } from './pickle'
import {
  IMAGE_BYTES,
  MAX_RECORDS,
  STANDARD_CLASSES,
  type DatasetFile,
  type DatasetFormat,
  type DatasetHandle
} from './types'

/** A batch whose bytes are decoded, ready to be written at a record offset. */
export interface ReadyBatch {
  name: string
  bytes: number
  count: number
  /** 0 for test, else the data_batch number (1–5). */
  batch: number
  write(pixels: Uint8Array, labels: Uint8Array, at: number): void
}

/**
 * Decodes one batch. `name` as listed in the folder/archive; `where` names the file in errors.
 */
export function readyBatch(
  format: DatasetFormat,
  name: string,
  where: string,
  buf: Uint8Array,
  batch: number
): ReadyBatch {
  if (format === 'binary') {
    const count = binaryRecordCount(buf.length, where)
    return {
      name,
      bytes: buf.length,
      count,
      batch,
      write: (pixels, labels, at) => void placeBinaryBatch(buf, where, pixels, labels, at)
    }
  }
  const b = decodePickleBatch(parsePickle(buf, where), where)
  return {
    name,
    bytes: buf.length,
    count: b.count,
    batch,
    write: (pixels, labels, at) => {
      pixels.set(b.pixels, at * IMAGE_BYTES)
      labels.set(b.labels, at)
    }
  }
}

/**
 * Records a batch file of `bytes` bytes can hold, from its size (binary, exact) or the shape
 * its pickle declares (`prefix`: the file's first bytes) — never more than its bytes allow.
 */
export function recordsIn(
  format: DatasetFormat,
  where: string,
  bytes: number,
  prefix?: Uint8Array
): number {
  if (format === 'binary') return binaryRecordCount(bytes, where)
  const most = Math.floor(bytes / IMAGE_BYTES)
  const declared = prefix ? peekBatchRecordCount(prefix, where) : undefined
  return declared !== undefined && Number.isSafeInteger(declared) && declared >= 0
    ? Math.min(declared, most)
    : most
}

/** Train batches in batch order from record 0, then test; pre-sized, grows only if misjudged. */
export class BatchAssembler {
  private pixelsSab: SharedArrayBuffer
  private labelsSab: SharedArrayBuffer
  private pixels: Uint8Array
  private labels: Uint8Array
  private cursor = 0
  private capacity: number
  private readonly files: DatasetFile[] = []
  private readonly placed: ReadyBatch[] = []
  private readonly held = new Map<number, ReadyBatch>()
  private lastPlaced = 0
  /** Whether the buffers had to grow (the archive's gzip size field was wrong). */
  grown = false

  constructor(capacity: number) {
    this.capacity = Math.max(0, Math.min(MAX_RECORDS, capacity))
    this.pixelsSab = new SharedArrayBuffer(this.capacity * IMAGE_BYTES)
    this.labelsSab = new SharedArrayBuffer(this.capacity)
    this.pixels = new Uint8Array(this.pixelsSab)
    this.labels = new Uint8Array(this.labelsSab)
  }

  /** Adds a batch: placed now if it is the next training batch, else held for `finish`. */
  add(b: ReadyBatch): void {
    if (b.batch === 0 || b.batch !== this.lastPlaced + 1) {
      this.held.set(b.batch, b)
      return
    }
    this.place(b)
    this.lastPlaced = b.batch
    for (
      let next = this.held.get(this.lastPlaced + 1);
      next;
      next = this.held.get(this.lastPlaced + 1)
    ) {
      this.held.delete(this.lastPlaced + 1)
      this.place(next)
      this.lastPlaced++
    }
  }

  private place(b: ReadyBatch): void {
    if (this.cursor + b.count > this.capacity) {
      const cap = Math.max(this.cursor + b.count, Math.ceil(this.capacity * 1.5))
      const p = new SharedArrayBuffer(cap * IMAGE_BYTES)
      const l = new SharedArrayBuffer(cap)
      new Uint8Array(p).set(this.pixels.subarray(0, this.cursor * IMAGE_BYTES))
      new Uint8Array(l).set(this.labels.subarray(0, this.cursor))
      this.pixelsSab = p
      this.labelsSab = l
      this.pixels = new Uint8Array(p)
      this.labels = new Uint8Array(l)
      this.capacity = cap
      this.grown = true
    }
    b.write(this.pixels, this.labels, this.cursor)
    this.cursor += b.count
    this.placed.push(b)
    this.files.push({
      name: b.name,
      split: b.batch === 0 ? 'test' : 'train',
      count: b.count,
      bytes: b.bytes
    })
  }

  /**
   * Places the held batches (training by number, then test), checks the training split is not
   * empty, reads the class names and returns the handle. `meta`: the class-name file, if any.
   */
  finish(
    format: DatasetFormat,
    source: string,
    meta: { name: string; buf: Uint8Array } | undefined,
    warnings: string[]
  ): DatasetHandle {
    const rest = [...this.held.values()].sort(
      (a, b) => (a.batch || Infinity) - (b.batch || Infinity)
    )
    this.held.clear()
    for (const b of rest) this.place(b)
    const trainCount = this.placed.filter((b) => b.batch > 0).reduce((s, b) => s + b.count, 0)
    const testCount = this.placed.filter((b) => b.batch === 0).reduce((s, b) => s + b.count, 0)
    if (!this.placed.some((b) => b.batch > 0)) throw noTraining(source)
    if (trainCount === 0)
      throw new DatasetError(
        'no-training-data',
        `${source}: the training batches hold no records (the training split is empty), so ` +
          `there is nothing to fit statistics on. Copy the dataset again.`,
        { file: source }
      )
    const classes = classNames(format, meta, warnings)
    partialWarnings(format, this.placed, warnings)
    const train = { offset: 0, count: trainCount }
    const test = { offset: trainCount, count: testCount }
    return {
      pixels: this.pixelsSab,
      labels: this.labelsSab,
      train,
      test,
      classes,
      format,
      source,
      files: this.files,
      warnings,
      fingerprint: datasetFingerprint(this.pixels, this.labels, [train, test])
    }
  }
}

export function noTraining(where: string): DatasetError {
  return new DatasetError(
    'no-training-data',
    `${where} holds no training batch (data_batch_1 … data_batch_5), so there is nothing to ` +
      `fit statistics on. Copy the dataset again.`,
    { file: where }
  )
}

function classNames(
  format: DatasetFormat,
  meta: { name: string; buf: Uint8Array } | undefined,
  warnings: string[]
): string[] {
  if (!meta) return checkClassNames(undefined, undefined, warnings)
  try {
    const names =
      format === 'binary'
        ? parseMetaTxt(meta.buf)
        : metaLabelNames(parsePickle(meta.buf, meta.name), meta.name)
    return checkClassNames(names, meta.name, warnings)
  } catch (e) {
    if (!(e instanceof DatasetError)) throw e
    warnings.push(`${meta.name} could not be read (${e.message}); using the standard class names.`)
    return [...STANDARD_CLASSES]
  }
}

function partialWarnings(format: DatasetFormat, placed: ReadyBatch[], warnings: string[]): void {
  const have = new Set(placed.filter((b) => b.batch > 0).map((b) => b.batch))
  const ext = format === 'binary' ? '.bin' : ''
  const missing = [1, 2, 3, 4, 5].filter((k) => !have.has(k)).map((k) => `data_batch_${k}${ext}`)
  const trainCount = placed.filter((b) => b.batch > 0).reduce((s, b) => s + b.count, 0)
  if (missing.length)
    warnings.push(
      `Partial copy: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing; ` +
        `using the ${trainCount} training records present.`
    )
  if (!placed.some((b) => b.batch === 0))
    warnings.push(`Partial copy: test_batch${ext} is missing; the test split is empty.`)
}
