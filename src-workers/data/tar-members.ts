/**
 * The members of a CIFAR-10 .tar.gz, streamed: gunzip → tar, yielding the batch and class-name
 * members in archive order with their bytes. Nothing is extracted to disk. Everything a hostile
 * archive can declare is checked before it is believed: a member larger than a CIFAR-10 file can
 * be is refused before its bytes are allocated, the unpacked stream is capped as a whole, two
 * members of one name, a name with `..` or an absolute path, and a batch name that is a link,
 * folder or device are refused. Errors are DatasetErrors naming the archive and the member.
 */
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { createGunzip } from 'node:zlib'
import * as tar from 'tar-stream'
import { DatasetError } from './errors'
import { readRegularAt, tooLarge } from './files'
import { batchRole, formatOfName, roleLimit, unofficialNote, type BatchRole } from './source'
import { MAX_TAR_BYTES, type DatasetFormat, type LoadOptions } from './types'

export interface TarMember {
  /** The member's name as stored (e.g. `cifar-10-batches-bin/data_batch_1.bin`). */
  name: string
  /** Its last path segment, which says what it is (`data_batch_1.bin`). */
  base: string
  format: DatasetFormat
  role: BatchRole
  /** `archive/member`, to name it in errors. */
  where: string
  buf: Buffer
}

/** The uncompressed size mod 2^32 from the gzip trailer (ISIZE), after checking the magic. */
export async function gzipIsize(file: string, bytes: number): Promise<number> {
  if (bytes < 18)
    throw new DatasetError(
      'gzip-corrupt',
      `${file} is only ${bytes} bytes: too short to be a gzip archive. Download it again.`,
      { file }
    )
  const head = await readRegularAt(file, 0, 2, 'a .tar.gz archive')
  if (head[0] !== 0x1f || head[1] !== 0x8b)
    throw new DatasetError(
      'gzip-corrupt',
      `${file} is not a gzip file (its first bytes are not 1f 8b). The official archives ` +
        `are .tar.gz files; download it again.`,
      { file, offset: 0 }
    )
  return (await readRegularAt(file, bytes - 4, 4, 'a .tar.gz archive')).readUInt32LE(0)
}

function unsafeName(name: string): boolean {
  return name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split(/[\\/]/).includes('..')
}

/** What the caller wants from a member: its role in the given format, or undefined to skip it. */
function classify(
  file: string,
  h: tar.Header,
  warnings: string[]
): { format: DatasetFormat; role: BatchRole } | undefined {
  const base = basename(h.name)
  const isMeta = base === 'batches.meta' || base === 'batches.meta.txt'
  const format = isMeta ? (base.endsWith('.txt') ? 'binary' : 'python') : formatOfName(base)
  if (!format) return undefined
  const role = batchRole(base, format)
  if (role.kind === 'unofficial') {
    warnings.push(unofficialNote(`${file}/${h.name}`))
    return undefined
  }
  return role.kind === 'other' ? undefined : { format, role }
}

/**
 * Streams the archive and yields its batch and meta members (bytes in memory, each at most
 * what such a file can be). Reports progress as a fraction of compressed bytes read.
 */
export async function* tarMembers(
  file: string,
  bytes: number,
  warnings: string[],
  opts: LoadOptions
): AsyncGenerator<TarMember> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 })
  const gunzip = createGunzip({ chunkSize: 1 << 20 })
  const extract = tar.extract()
  let compressedRead = 0
  let tarOffset = 0
  let member = ''
  let stage: 'gzip' | 'tar' | 'size' | undefined
  let cause: Error | undefined
  const fail = (kind: 'gzip' | 'tar' | 'size', err: Error) => {
    if (!stage) {
      stage = kind
      cause = err
    }
    input.destroy()
    gunzip.destroy()
    extract.destroy(err)
  }
  input.on('data', (c) => {
    compressedRead += c.length
    opts.onProgress?.(Math.min(0.999, compressedRead / bytes))
  })
  input.on('error', (e) => fail('gzip', e))
  gunzip.on('error', (e) => fail('gzip', e))
  gunzip.on('data', (c: Buffer) => {
    tarOffset += c.length
    if (tarOffset > MAX_TAR_BYTES)
      fail('size', tooLarge(file, tarOffset, MAX_TAR_BYTES, 'the unpacked CIFAR-10 archive'))
  })
  extract.on('error', (e) => {
    if (!stage) {
      stage = 'tar'
      cause = e
    }
  })
  const onAbort = () => extract.destroy(opts.signal?.reason as Error)
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  input.pipe(gunzip).pipe(extract)

  const seen = new Set<string>()
  try {
    for await (const entry of extract) {
      const h = entry.header
      member = h.name
      const what = classify(file, h, warnings)
      if (!what) {
        entry.resume()
        continue
      }
      const where = `${file}/${h.name}`
      const base = basename(h.name)
      if (unsafeName(h.name))
        throw new DatasetError(
          'unsafe-member-name',
          `${where}: the member's name is absolute or climbs out with '..'; an official ` +
            `archive names its members cifar-10-batches-*/NAME. Download it again.`,
          { file, field: h.name }
        )
      if (h.type !== 'file' && h.type !== 'contiguous-file')
        throw new DatasetError(
          'not-a-regular-file',
          `${where} is a ${h.type ?? 'special'} member, not a regular file; the official ` +
            `archives hold the batches as files. Download it again.`,
          { file, field: h.name }
        )
      if (seen.has(base))
        throw new DatasetError(
          'duplicate-member',
          `${where}: the archive holds ${base} more than once, so it is not clear which copy ` +
            `to use. Download it again.`,
          { file, field: h.name }
        )
      seen.add(base)
      const size = h.size ?? 0
      const limit = roleLimit(what.role, what.format)!
      if (size > limit.limit) {
        const e = tooLarge(where, size, limit.limit, limit.what)
        throw new DatasetError('too-large', e.message, { file, field: h.name })
      }
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
      yield { name: h.name, base, format: what.format, role: what.role, where, buf }
    }
  } catch (e) {
    if (opts.signal?.aborted) throw opts.signal.reason
    if (stage === 'size' && cause instanceof DatasetError) throw cause
    if (e instanceof DatasetError) throw e
    throw streamError(file, cause ?? (e as Error), stage, compressedRead, tarOffset, member)
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
    input.destroy()
    gunzip.destroy()
    extract.destroy()
  }
  opts.signal?.throwIfAborted()
  if (stage === 'size' && cause instanceof DatasetError) throw cause
  if (cause) {
    // A stream error that ended iteration without throwing.
    throw new DatasetError(
      stage === 'gzip' ? 'gzip-corrupt' : 'tar-corrupt',
      `${file}: ${cause.message}. The archive is damaged; download it again.`,
      { file }
    )
  }
}

function streamError(
  file: string,
  err: Error,
  stage: 'gzip' | 'tar' | 'size' | undefined,
  compressedRead: number,
  tarOffset: number,
  member: string
): DatasetError {
  if (
    stage === 'gzip' ||
    (stage === undefined && (err as { code?: string }).code?.startsWith('Z_'))
  )
    return new DatasetError(
      'gzip-corrupt',
      `${file} is not a valid gzip stream (${err.message}) near compressed byte ` +
        `${compressedRead}. The download is damaged or incomplete; download it again.`,
      { file, offset: compressedRead }
    )
  return new DatasetError(
    'tar-corrupt',
    `${file} is not a valid tar archive after gunzip (${err.message}) near byte ${tarOffset} of ` +
      `the tar stream${member ? `, after member ${member}` : ''}. Download it again.`,
    { file, offset: tarOffset, ...(member ? { field: member } : {}) }
  )
}
