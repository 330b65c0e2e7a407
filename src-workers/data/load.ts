/**
 * loadDataset: a CIFAR-10 copy from disk into SharedArrayBuffers, in any of the four official
 * forms. Runs in a worker; reports progress as a fraction of bytes read and honours an
 * AbortSignal between chunks.
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'
import * as tar from 'tar-stream'
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
import { batchRole, formatOfName, resolveSource, type FolderEntry } from './source'
import {
  IMAGE_BYTES,
  STANDARD_CLASSES,
  type DatasetFile,
  type DatasetFormat,
  type DatasetHandle,
  type LoadOptions
} from './types'

const CHUNK = 8 << 20
/** Bytes of a python batch read to find its record count before allocating. */
const PEEK_BYTES = 1 << 20

/** A batch whose bytes are in memory, ready to be written at a record offset. */
interface ReadyBatch {
  name: string
  bytes: number
  count: number
  /** 0 for test, else the data_batch number. */
  batch: number
  write(pixels: Uint8Array, labels: Uint8Array, at: number): void
}

/** Train batches in batch order from record 0, then test; pre-sized, grows only if misjudged. */
class Placement {
  pixelsSab: SharedArrayBuffer
  labelsSab: SharedArrayBuffer
  pixels: Uint8Array
  labels: Uint8Array
  cursor = 0
  readonly files: DatasetFile[] = []
  grown = false

  constructor(private capacity: number) {
    this.pixelsSab = new SharedArrayBuffer(capacity * IMAGE_BYTES)
    this.labelsSab = new SharedArrayBuffer(capacity)
    this.pixels = new Uint8Array(this.pixelsSab)
    this.labels = new Uint8Array(this.labelsSab)
  }

  place(b: ReadyBatch): void {
    if (this.cursor + b.count > this.capacity) {
      // Only when an archive's gzip size field was wrong (e.g. several gzip members).
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
    this.files.push({
      name: b.name,
      split: b.batch === 0 ? 'test' : 'train',
      count: b.count,
      bytes: b.bytes
    })
  }
}

/** `name` as listed in the folder/archive; `where` names the file in errors (a full path). */
function binaryBatch(name: string, where: string, buf: Uint8Array, batch: number): ReadyBatch {
  const count = binaryRecordCount(buf.length, where)
  return {
    name,
    bytes: buf.length,
    count,
    batch,
    write: (pixels, labels, at) => void placeBinaryBatch(buf, where, pixels, labels, at)
  }
}

function pythonBatch(name: string, where: string, buf: Uint8Array, batch: number): ReadyBatch {
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

function readyBatch(
  format: DatasetFormat,
  name: string,
  where: string,
  buf: Uint8Array,
  batch: number
) {
  return format === 'binary'
    ? binaryBatch(name, where, buf, batch)
    : pythonBatch(name, where, buf, batch)
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

function noTraining(where: string): DatasetError {
  return new DatasetError(
    'no-training-data',
    `${where} holds no training batch (data_batch_1 … data_batch_5), so there is nothing to ` +
      `fit statistics on. Copy the dataset again.`,
    { file: where }
  )
}

async function readFileInto(
  path: string,
  size: number,
  scratch: { buf: Buffer },
  opts: LoadOptions,
  onBytes: (n: number) => void
): Promise<Buffer> {
  if (scratch.buf.length < size) scratch.buf = Buffer.allocUnsafe(size)
  const buf = scratch.buf.subarray(0, size)
  let fh
  try {
    fh = await open(path, 'r')
  } catch (e) {
    throw new DatasetError('io-error', `Cannot open ${path}: ${(e as Error).message}`, {
      file: path
    })
  }
  try {
    let off = 0
    while (off < size) {
      opts.signal?.throwIfAborted()
      const { bytesRead } = await fh.read(buf, off, Math.min(CHUNK, size - off), off)
      if (bytesRead === 0)
        throw new DatasetError(
          'io-error',
          `${path} became shorter while it was read (${off} of ${size} bytes).`,
          { file: path, offset: off }
        )
      off += bytesRead
      onBytes(bytesRead)
    }
    return buf
  } finally {
    await fh.close()
  }
}

async function readPrefix(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.allocUnsafe(n)
    const { bytesRead } = await fh.read(buf, 0, n, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

function finish(
  format: DatasetFormat,
  source: string,
  placement: Placement,
  placed: ReadyBatch[],
  classes: string[],
  warnings: string[]
): DatasetHandle {
  const trainCount = placed.filter((b) => b.batch > 0).reduce((s, b) => s + b.count, 0)
  const testCount = placed.filter((b) => b.batch === 0).reduce((s, b) => s + b.count, 0)
  const train = { offset: 0, count: trainCount }
  const test = { offset: trainCount, count: testCount }
  return {
    pixels: placement.pixelsSab,
    labels: placement.labelsSab,
    train,
    test,
    classes,
    format,
    source,
    files: placement.files,
    warnings,
    fingerprint: datasetFingerprint(placement.pixels, placement.labels, [train, test])
  }
}

async function loadFolder(
  dir: string,
  format: DatasetFormat,
  entries: FolderEntry[],
  warnings: string[],
  opts: LoadOptions
): Promise<DatasetHandle> {
  const train: { e: FolderEntry; batch: number }[] = []
  let test: FolderEntry | undefined
  let meta: FolderEntry | undefined
  for (const e of entries) {
    const r = batchRole(e.name, format)
    if (r.kind === 'train') train.push({ e, batch: r.batch })
    else if (r.kind === 'test') test = e
    else if (r.kind === 'meta') meta = e
  }
  if (!train.length) throw noTraining(dir)
  train.sort((a, b) => a.batch - b.batch)
  const order = [...train, ...(test ? [{ e: test, batch: 0 }] : [])]

  // Record counts before reading: exact from sizes (binary) or the pickle's array shape.
  let capacity = 0
  for (const { e } of order) {
    if (format === 'binary') capacity += binaryRecordCount(e.bytes, e.path)
    else {
      const prefix = await readPrefix(e.path, Math.min(e.bytes, PEEK_BYTES))
      capacity += peekBatchRecordCount(prefix, e.path) ?? Math.floor(e.bytes / IMAGE_BYTES)
    }
  }
  const total = order.reduce((s, o) => s + o.e.bytes, 0) || 1
  let done = 0
  const progress = (n: number) => {
    done += n
    opts.onProgress?.(Math.min(1, done / total))
  }

  const placement = new Placement(capacity)
  const scratch = { buf: Buffer.alloc(0) }
  const placed: ReadyBatch[] = []
  for (const { e, batch } of order) {
    const buf = await readFileInto(e.path, e.bytes, scratch, opts, progress)
    const b = readyBatch(format, e.name, e.path, buf, batch)
    placement.place(b)
    placed.push(b)
  }
  const metaBuf = meta
    ? { name: meta.path, buf: await readFileInto(meta.path, meta.bytes, scratch, opts, () => {}) }
    : undefined
  const classes = classNames(format, metaBuf, warnings)
  partialWarnings(format, placed, warnings)
  opts.onProgress?.(1)
  return finish(format, dir, placement, placed, classes, warnings)
}

/** The uncompressed size mod 2^32 from the gzip trailer (ISIZE). */
async function gzipIsize(file: string, bytes: number): Promise<number> {
  if (bytes < 18)
    throw new DatasetError(
      'gzip-corrupt',
      `${file} is only ${bytes} bytes: too short to be a gzip archive. Download it again.`,
      { file }
    )
  const fh = await open(file, 'r')
  try {
    const b = Buffer.alloc(4)
    await fh.read(b, 0, 4, bytes - 4)
    const head = Buffer.alloc(2)
    await fh.read(head, 0, 2, 0)
    if (head[0] !== 0x1f || head[1] !== 0x8b)
      throw new DatasetError(
        'gzip-corrupt',
        `${file} is not a gzip file (its first bytes are not 1f 8b). The official archives ` +
          `are .tar.gz files; download it again.`,
        { file, offset: 0 }
      )
    return b.readUInt32LE(0)
  } finally {
    await fh.close()
  }
}

async function loadArchive(
  file: string,
  bytes: number,
  warnings: string[],
  opts: LoadOptions
): Promise<DatasetHandle> {
  const isize = await gzipIsize(file, bytes)
  const placement = new Placement(Math.floor(isize / IMAGE_BYTES))
  const placed: ReadyBatch[] = []
  const held = new Map<number, ReadyBatch>()
  let lastPlaced = 0
  let format: DatasetFormat | undefined
  const metas = new Map<string, { name: string; buf: Uint8Array }>()
  const place = (b: ReadyBatch) => {
    placement.place(b)
    placed.push(b)
  }

  const input = createReadStream(file, { highWaterMark: 1 << 20 })
  const gunzip = createGunzip({ chunkSize: 1 << 20 })
  const extract = tar.extract()
  let compressedRead = 0
  let tarOffset = 0
  let member = ''
  let stage: 'gzip' | 'tar' | undefined
  let cause: Error | undefined
  const fail = (kind: 'gzip' | 'tar', err: Error) => {
    if (!stage) {
      stage = kind
      cause = err
    }
    input.destroy()
    extract.destroy(err)
  }
  input.on('data', (c) => {
    compressedRead += c.length
    opts.onProgress?.(Math.min(0.999, compressedRead / bytes))
  })
  input.on('error', (e) => fail('gzip', e))
  gunzip.on('error', (e) => fail('gzip', e))
  gunzip.on('data', (c: Buffer) => void (tarOffset += c.length))
  extract.on('error', (e) => {
    if (!stage) {
      stage = 'tar'
      cause = e
    }
  })
  const onAbort = () => extract.destroy(opts.signal?.reason as Error)
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  input.pipe(gunzip).pipe(extract)

  try {
    for await (const entry of extract) {
      const h = entry.header
      member = h.name
      const name = basename(h.name)
      const f = h.type === 'file' || h.type === 'contiguous-file' ? formatOfName(name) : undefined
      const isMeta = name === 'batches.meta' || name === 'batches.meta.txt'
      if (!f && !isMeta) {
        entry.resume()
        continue
      }
      const size = h.size ?? 0
      const buf = Buffer.allocUnsafe(size)
      let off = 0
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        chunk.copy(buf, off)
        off += chunk.length
      }
      if (off !== size)
        throw new DatasetError('tar-corrupt', `${file}: member ${h.name} ends early.`, {
          file,
          field: h.name
        })
      if (isMeta) {
        metas.set(name, { name: `${file}/${h.name}`, buf })
        continue
      }
      if (!f) continue
      if (format && f !== format) {
        warnings.push(`${file}: ignoring ${h.name} (${f} batch in a ${format} archive).`)
        continue
      }
      format = f
      const role = batchRole(name, f)
      const batch = role.kind === 'train' ? role.batch : 0
      const b = readyBatch(f, name, `${file}/${h.name}`, buf, batch)
      if (batch === 0 || batch !== lastPlaced + 1) held.set(batch, b)
      else {
        place(b)
        lastPlaced = batch
        for (let next = held.get(lastPlaced + 1); next; next = held.get(lastPlaced + 1)) {
          held.delete(lastPlaced + 1)
          place(next)
          lastPlaced++
        }
      }
    }
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason
    if (e instanceof DatasetError) throw e
    const err = cause ?? (e as Error)
    if (
      stage === 'gzip' ||
      (stage === undefined && (err as { code?: string }).code?.startsWith('Z_'))
    )
      throw new DatasetError(
        'gzip-corrupt',
        `${file} is not a valid gzip stream (${err.message}) near compressed byte ` +
          `${compressedRead}. The download is damaged or incomplete; download it again.`,
        { file, offset: compressedRead }
      )
    throw new DatasetError(
      'tar-corrupt',
      `${file} is not a valid tar archive after gunzip (${err.message}) near byte ${tarOffset} of ` +
        `the tar stream${member ? `, after member ${member}` : ''}. Download it again.`,
      { file, offset: tarOffset, ...(member ? { field: member } : {}) }
    )
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
    input.destroy()
  }
  opts.signal?.throwIfAborted()
  if (cause) {
    // A stream error that ended iteration without throwing.
    throw new DatasetError(
      stage === 'gzip' ? 'gzip-corrupt' : 'tar-corrupt',
      `${file}: ${cause.message}. The archive is damaged; download it again.`,
      { file }
    )
  }
  if (!format) {
    throw new DatasetError(
      'no-cifar-files',
      `${file} holds no CIFAR-10 batches (data_batch_1…5, test_batch). Point Layerscope at ` +
        `cifar-10-binary.tar.gz or cifar-10-python.tar.gz.`,
      { file }
    )
  }
  const rest = [...held.values()].sort((a, b) => (a.batch || Infinity) - (b.batch || Infinity))
  if (!placed.length && !rest.some((b) => b.batch > 0)) throw noTraining(file)
  for (const b of rest) place(b)
  if (placement.grown)
    warnings.push(`${file}: the gzip size field was wrong, so the pixel buffer had to grow.`)
  const metaName = format === 'binary' ? 'batches.meta.txt' : 'batches.meta'
  const classes = classNames(format, metas.get(metaName), warnings)
  partialWarnings(format, placed, warnings)
  opts.onProgress?.(1)
  return finish(format, file, placement, placed, classes, warnings)
}

/**
 * Reads the CIFAR-10 copy at `path` (a batches folder, an official .tar.gz, or a folder holding
 * one). Throws DatasetError for bad input; the AbortSignal's reason when aborted.
 */
export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<DatasetHandle> {
  opts.signal?.throwIfAborted()
  const src = await resolveSource(path)
  const warnings = [...src.notes]
  if (src.kind === 'folder') return loadFolder(src.dir, src.format, src.entries, warnings, opts)
  return loadArchive(src.file, src.bytes, warnings, opts)
}
