/**
 * loadDataset: a CIFAR-10 copy from disk into SharedArrayBuffers, in any of the four official
 * forms. Runs in a worker; reports progress as a fraction of bytes read and honours an
 * AbortSignal between chunks. Files are read by ./files (regular files only, sizes checked
 * first), archives by ./tar-members, and both assembled by ./assemble.
 */
import { BatchAssembler, readyBatch, recordsIn, noTraining } from './assemble'
import { DatasetError } from './errors'
import { readRegularFile, readRegularPrefix } from './files'
import { batchRole, resolveSource, roleLimit, type FolderEntry } from './source'
import { tarMembers, gzipIsize } from './tar-members'
import { IMAGE_BYTES, type DatasetFormat, type DatasetHandle, type LoadOptions } from './types'

/** Bytes of a python batch read to find its record count before allocating. */
const PEEK_BYTES = 1 << 20

async function loadFolder(
  dir: string,
  format: DatasetFormat,
  entries: FolderEntry[],
  warnings: string[],
  opts: LoadOptions
): Promise<DatasetHandle> {
  const order: { e: FolderEntry; batch: number }[] = []
  let meta: FolderEntry | undefined
  for (const e of entries) {
    const r = batchRole(e.name, format)
    if (r.kind === 'train') order.push({ e, batch: r.batch })
    else if (r.kind === 'test') order.push({ e, batch: 0 })
    else if (r.kind === 'meta') meta = e
  }
  if (!order.some((o) => o.batch > 0)) throw noTraining(dir)
  order.sort((a, b) => (a.batch || Infinity) - (b.batch || Infinity))

  // Record counts before reading: exact from sizes (binary) or the pickle's declared shape.
  let capacity = 0
  for (const { e } of order) {
    const prefix =
      format === 'python'
        ? await readRegularPrefix(e.path, Math.min(e.bytes, PEEK_BYTES), 'a CIFAR-10 batch')
        : undefined
    capacity += recordsIn(format, e.path, e.bytes, prefix)
  }
  const total = order.reduce((s, o) => s + o.e.bytes, 0) || 1
  let done = 0
  const progress = (n: number) => {
    done += n
    opts.onProgress?.(Math.min(1, done / total))
  }

  const assembler = new BatchAssembler(capacity)
  const scratch = { buf: Buffer.alloc(0) }
  for (const { e, batch } of order) {
    const limit = roleLimit(batchRole(e.name, format), format)!
    const buf = await readRegularFile(
      e.path,
      limit.limit,
      limit.what,
      opts,
      progress,
      scratch,
      e.bytes
    )
    assembler.add(readyBatch(format, e.name, e.path, buf, batch))
  }
  const metaBuf = meta
    ? {
        name: meta.path,
        buf: await readRegularFile(
          meta.path,
          roleLimit({ kind: 'meta' }, format)!.limit,
          'a class-name file',
          opts
        )
      }
    : undefined
  const handle = assembler.finish(format, dir, metaBuf, warnings)
  opts.onProgress?.(1)
  return handle
}

async function loadArchive(
  file: string,
  bytes: number,
  warnings: string[],
  opts: LoadOptions
): Promise<DatasetHandle> {
  const isize = await gzipIsize(file, bytes)
  const assembler = new BatchAssembler(Math.floor(isize / IMAGE_BYTES))
  let format: DatasetFormat | undefined
  const metas = new Map<string, { name: string; buf: Uint8Array }>()
  for await (const m of tarMembers(file, bytes, warnings, opts)) {
    if (m.role.kind === 'meta') {
      metas.set(m.base, { name: m.where, buf: m.buf })
      continue
    }
    if (format && m.format !== format) {
      warnings.push(`${file}: ignoring ${m.name} (${m.format} batch in a ${format} archive).`)
      continue
    }
    format = m.format
    const batch = m.role.kind === 'train' ? m.role.batch : 0
    assembler.add(readyBatch(m.format, m.base, m.where, m.buf, batch))
  }
  if (!format) {
    throw new DatasetError(
      'no-cifar-files',
      `${file} holds no CIFAR-10 batches (data_batch_1…5, test_batch). Point Layerscope at ` +
        `cifar-10-binary.tar.gz or cifar-10-python.tar.gz.`,
      { file }
    )
  }
  const metaName = format === 'binary' ? 'batches.meta.txt' : 'batches.meta'
  const handle = assembler.finish(format, file, metas.get(metaName), warnings)
  if (assembler.grown)
    warnings.push(`${file}: the gzip size field was wrong, so the pixel buffer had to grow.`)
  opts.onProgress?.(1)
  return handle
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
