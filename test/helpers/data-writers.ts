/**
 * Writers of small CIFAR-10 copies in the official formats, for tests and benchmarks:
 * binary records, Python 2 cPickle protocol-2 pickles (the byte habits described in
 * ../shared/fixtures/cifar10-sample/PICKLE_NOTES.md: memo from 1, py2 `str` as U/T, BINPUT
 * only where cPickle memoizes, APPENDS/SETITEMS in batches of 1000), and .tar.gz archives.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as tar from 'tar-stream'
import type { DatasetHandle } from '../../src-workers/data/types'

export const STANDARD_CLASSES = [
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

export interface Batch {
  labels: Uint8Array
  /** n × 3072, channel-major per record. */
  pixels: Uint8Array
}

/**
 * Deterministic synthetic records (xorshift32); pixels vary by channel so stats are non-trivial.
 * `imageLike`: rows are random walks (steps of ±16), which gzip compresses to roughly what real
 * photos give, so archive benchmarks do real inflate work instead of copying stored blocks.
 */
export function syntheticBatch(n: number, seed = 1, imageLike = false): Batch {
  let s = seed >>> 0 || 1
  const next = () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s
  }
  const labels = new Uint8Array(n)
  const pixels = new Uint8Array(n * 3072)
  for (let i = 0; i < n; i++) labels[i] = next() % 10
  if (imageLike) {
    for (let row = 0; row < n * 96; row++) {
      let v = next() & 0xff
      for (let x = 0; x < 32; x++) {
        v = Math.max(0, Math.min(255, v + (next() % 33) - 16))
        pixels[row * 32 + x] = v
      }
    }
    return { labels, pixels }
  }
  for (let k = 0; k < pixels.length; k += 4) {
    const r = next()
    pixels[k] = r & 0xff
    pixels[k + 1] = (r >>> 8) & 0xff
    pixels[k + 2] = (r >>> 16) & 0xff
    pixels[k + 3] = (r >>> 24) & (k % 3072 < 1024 ? 0xff : 0x7f)
  }
  return { labels, pixels }
}

export function binaryBatchBytes(b: Batch): Uint8Array {
  const n = b.labels.length
  const out = new Uint8Array(n * 3073)
  for (let i = 0; i < n; i++) {
    out[i * 3073] = b.labels[i]!
    out.set(b.pixels.subarray(i * 3072, (i + 1) * 3072), i * 3073 + 1)
  }
  return out
}

/** A protocol-2 byte stream builder with cPickle's memo numbering (from 1). */
class Py2Pickler {
  private parts: Uint8Array[] = []
  private memo = 1
  private bytes(...b: number[]): void {
    this.parts.push(Uint8Array.from(b))
  }
  raw(b: Uint8Array): void {
    this.parts.push(b)
  }
  op(c: string | number): void {
    this.bytes(typeof c === 'number' ? c : c.charCodeAt(0))
  }
  put(): void {
    const i = this.memo++
    if (i < 256) this.bytes(0x71, i)
    else this.bytes(0x72, i & 0xff, (i >>> 8) & 0xff, (i >>> 16) & 0xff, (i >>> 24) & 0xff)
  }
  int(v: number): void {
    if (v >= 0 && v < 256) this.bytes(0x4b, v)
    else if (v >= 0 && v < 65536) this.bytes(0x4d, v & 0xff, v >>> 8)
    else this.bytes(0x4a, v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff)
  }
  str(s: string | Uint8Array, memoize: boolean): void {
    const b = typeof s === 'string' ? Uint8Array.from(s, (c) => c.charCodeAt(0)) : s
    if (b.length < 256) this.bytes(0x55, b.length)
    else {
      const n = b.length
      this.bytes(0x54, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff)
    }
    this.raw(b)
    if (memoize) this.put()
  }
  global(module: string, name: string): void {
    this.op('c')
    this.raw(Uint8Array.from(`${module}\n${name}\n`, (c) => c.charCodeAt(0)))
    this.put()
  }
  /** A list body: items written by `write`, in batches of 1000 (APPEND for a batch of 1). */
  listItems<T>(items: T[], write: (x: T) => void): void {
    for (let i = 0; i < items.length; i += 1000) {
      const chunk = items.slice(i, i + 1000)
      if (chunk.length === 1) {
        write(chunk[0]!)
        this.op('a')
      } else {
        this.op('(')
        chunk.forEach(write)
        this.op('e')
      }
    }
  }
  result(): Uint8Array {
    const n = this.parts.reduce((s, p) => s + p.length, 0)
    const out = new Uint8Array(n)
    let o = 0
    for (const p of this.parts) {
      out.set(p, o)
      o += p.length
    }
    return out
  }
}

/** A Python 2 cPickle protocol-2 batch dict: batch_label, labels, data, filenames. */
export function pickleBatchBytes(
  b: Batch,
  opts: { batchLabel?: string; filenames?: string[] } = {}
): Uint8Array {
  const n = b.labels.length
  const filenames =
    opts.filenames ??
    Array.from({ length: n }, (_, i) => `sample_${String(i).padStart(4, '0')}.png`)
  const p = new Py2Pickler()
  p.raw(Uint8Array.from([0x80, 2]))
  p.op('}')
  p.put()
  p.op('(')
  p.str('batch_label', true)
  p.str(opts.batchLabel ?? 'training batch 1 of 5', true)
  p.str('labels', true)
  p.op(']')
  p.put()
  p.listItems(Array.from(b.labels), (l) => p.int(l))
  p.str('data', true)
  ndarrayU1(p, [n, 3072], b.pixels)
  p.str('filenames', true)
  p.op(']')
  p.put()
  p.listItems(filenames, (f) => p.str(f, true))
  p.op('u')
  p.op('.')
  return p.result()
}

function ndarrayU1(p: Py2Pickler, shape: number[], data: Uint8Array): void {
  p.global('numpy.core.multiarray', '_reconstruct')
  p.global('numpy', 'ndarray')
  p.int(0)
  p.op(0x85)
  p.str('b', false)
  p.op(0x87)
  p.op('R')
  p.put()
  p.op('(')
  p.int(1)
  shape.forEach((d) => p.int(d))
  p.op(shape.length === 1 ? 0x85 : shape.length === 2 ? 0x86 : 0x87)
  p.global('numpy', 'dtype')
  p.str('u1', false)
  p.int(0)
  p.int(1)
  p.op(0x87)
  p.op('R')
  p.put()
  p.op('(')
  p.int(3)
  p.str('|', false)
  p.op('N')
  p.op('N')
  p.op('N')
  p.raw(Uint8Array.from([0x4a, 0xff, 0xff, 0xff, 0xff, 0x4a, 0xff, 0xff, 0xff, 0xff]))
  p.int(0)
  p.op('t')
  p.op('b')
  p.op(0x89)
  p.str(data, false)
  p.op('t')
  p.op('b')
}

/** batches.meta as the official pickler wrote it (158 bytes for the standard names). */
export function metaPickleBytes(names: string[] = STANDARD_CLASSES): Uint8Array {
  const p = new Py2Pickler()
  p.raw(Uint8Array.from([0x80, 2]))
  p.op('}')
  p.put()
  p.op('(')
  p.str('num_cases_per_batch', true)
  p.int(10000)
  p.str('label_names', true)
  p.op(']')
  p.put()
  p.listItems(names, (s) => p.str(s, true))
  p.str('num_vis', true)
  p.int(3072)
  p.op('u')
  p.op('.')
  return p.result()
}

export function metaTxtBytes(names: string[] = STANDARD_CLASSES): Uint8Array {
  return Buffer.from(names.map((n) => `${n}\n`).join('') + '\n', 'latin1')
}

export type Format = 'binary' | 'python'
export const FOLDER_NAME: Record<Format, string> = {
  binary: 'cifar-10-batches-bin',
  python: 'cifar-10-batches-py'
}

/** The files of a batches folder: train batches numbered from 1, then test (if given). */
export function cifarFiles(
  format: Format,
  train: Batch[],
  test: Batch | null,
  opts: { meta?: boolean } = {}
): { name: string; data: Uint8Array }[] {
  const files: { name: string; data: Uint8Array }[] = []
  const ext = format === 'binary' ? '.bin' : ''
  const enc = (b: Batch, label: string) =>
    format === 'binary' ? binaryBatchBytes(b) : pickleBatchBytes(b, { batchLabel: label })
  if (opts.meta !== false)
    files.push(
      format === 'binary'
        ? { name: 'batches.meta.txt', data: metaTxtBytes() }
        : { name: 'batches.meta', data: metaPickleBytes() }
    )
  train.forEach((b, i) =>
    files.push({ name: `data_batch_${i + 1}${ext}`, data: enc(b, `training batch ${i + 1} of 5`) })
  )
  if (test) files.push({ name: `test_batch${ext}`, data: enc(test, 'testing batch 1 of 1') })
  return files
}

export async function writeFiles(dir: string, files: { name: string; data: Uint8Array }[]) {
  await mkdir(dir, { recursive: true })
  for (const f of files) await writeFile(join(dir, f.name), f.data)
  return dir
}

/** A gzip'd tar of `folder/` and its files, in the given member order. */
export async function tarGzBytes(
  folder: string,
  files: { name: string; data: Uint8Array }[],
  level = 1
): Promise<Buffer> {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = (async () => {
    for await (const c of pack) chunks.push(c as Buffer)
  })()
  pack.entry({ name: `${folder}/`, type: 'directory', mode: 0o755, mtime: new Date(0) })
  for (const f of files)
    pack.entry(
      { name: `${folder}/${f.name}`, size: f.data.length, mode: 0o644, mtime: new Date(0) },
      Buffer.from(f.data.buffer, f.data.byteOffset, f.data.length)
    )
  pack.finalize()
  await done
  return gzipSync(Buffer.concat(chunks), { level })
}

export async function makeTempDir(prefix = 'layerscope-data-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** An in-memory dataset handle over a training and a test batch (no files), for unit tests. */
export function memoryHandle(train: Batch, test: Batch): DatasetHandle {
  const trainN = train.labels.length
  const testN = test.labels.length
  const pixels = new SharedArrayBuffer((trainN + testN) * 3072)
  const labels = new SharedArrayBuffer(trainN + testN)
  new Uint8Array(pixels).set(train.pixels)
  new Uint8Array(pixels).set(test.pixels, trainN * 3072)
  new Uint8Array(labels).set(train.labels)
  new Uint8Array(labels).set(test.labels, trainN)
  return {
    pixels,
    labels,
    train: { offset: 0, count: trainN },
    test: { offset: trainN, count: testN },
    classes: [],
    format: 'binary',
    source: 'memory',
    files: [],
    warnings: [],
    fingerprint: ''
  }
}
