/**
 * Finding the CIFAR-10 copy a path points at: a batches folder, an official .tar.gz, or a
 * folder that contains one of those (what a user who downloaded and unpacked would pick).
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { DatasetError } from './errors'
import { notRegular, regularFileSize } from './files'
import {
  MAX_BINARY_BATCH_BYTES,
  MAX_META_BYTES,
  MAX_PICKLE_BATCH_BYTES,
  MAX_TAR_BYTES,
  type DatasetFormat
} from './types'

export type BatchRole =
  | { kind: 'train'; batch: number }
  | { kind: 'test' }
  | { kind: 'meta' }
  /** Looks like a batch (data_batch_0, data_batch_01, data_batch_7) but is no official name. */
  | { kind: 'unofficial' }
  | { kind: 'other' }

const TRAIN_RE = { binary: /^data_batch_([1-5])\.bin$/, python: /^data_batch_([1-5])$/ }
const LOOKALIKE_RE = { binary: /^data_batch_.*\.bin$/, python: /^data_batch_[^.]*$/ }
const TEST_NAME = { binary: 'test_batch.bin', python: 'test_batch' }
const META_NAME = { binary: 'batches.meta.txt', python: 'batches.meta' }

/** What a file name means within a batches folder of the given format. */
export function batchRole(name: string, format: DatasetFormat): BatchRole {
  const m = TRAIN_RE[format].exec(name)
  if (m) return { kind: 'train', batch: Number(m[1]) }
  if (name === TEST_NAME[format]) return { kind: 'test' }
  if (name === META_NAME[format]) return { kind: 'meta' }
  if (LOOKALIKE_RE[format].test(name)) return { kind: 'unofficial' }
  return { kind: 'other' }
}

/** The warning for a batch-like name that is not one of the official six. */
export function unofficialNote(where: string): string {
  return (
    `${where} is not an official CIFAR-10 batch name (data_batch_1 … data_batch_5, ` +
    `test_batch); skipped.`
  )
}

/** The largest a file of this role can be, and what to call it in errors. */
export function roleLimit(
  role: BatchRole,
  format: DatasetFormat
): { limit: number; what: string } | undefined {
  if (role.kind === 'meta') return { limit: MAX_META_BYTES, what: 'a class-name file' }
  if (role.kind !== 'train' && role.kind !== 'test') return undefined
  return format === 'binary'
    ? { limit: MAX_BINARY_BATCH_BYTES, what: 'a CIFAR-10 binary batch (10,000 records)' }
    : { limit: MAX_PICKLE_BATCH_BYTES, what: 'a CIFAR-10 python batch' }
}

/** The format a batch file name (official or look-alike) belongs to, if it is one. */
export function formatOfName(name: string): DatasetFormat | undefined {
  if (batchRole(name, 'binary').kind !== 'other') return 'binary'
  if (batchRole(name, 'python').kind !== 'other') return 'python'
  return undefined
}

export interface FolderEntry {
  name: string
  path: string
  bytes: number
}

export type ResolvedSource =
  | { kind: 'folder'; format: DatasetFormat; dir: string; entries: FolderEntry[]; notes: string[] }
  | { kind: 'archive'; file: string; bytes: number; notes: string[] }

const WHAT_TO_POINT_AT =
  'Point Layerscope at a cifar-10-batches-bin or cifar-10-batches-py folder, at ' +
  'cifar-10-binary.tar.gz / cifar-10-python.tar.gz, or at the folder that holds one of them.'

export function isArchiveName(name: string): boolean {
  return /\.(tar\.gz|tgz)$/i.test(name)
}

async function statOrThrow(path: string) {
  try {
    return await stat(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new DatasetError('not-found', `${path} does not exist. ${WHAT_TO_POINT_AT}`, {
        file: path
      })
    throw new DatasetError('io-error', `Cannot read ${path}: ${(e as Error).message}`, {
      file: path
    })
  }
}

async function listFolder(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch (e) {
    throw new DatasetError('io-error', `Cannot list ${dir}: ${(e as Error).message}`, {
      file: dir
    })
  }
}

/** Resolves a user-given path to the batches folder or archive to read. */
export async function resolveSource(path: string, depth = 0): Promise<ResolvedSource> {
  const abs = resolve(path)
  const st = await statOrThrow(abs)
  if (st.isFile()) {
    if (isArchiveName(abs)) {
      const bytes = await regularFileSize(abs, MAX_TAR_BYTES, 'a CIFAR-10 .tar.gz archive')
      return { kind: 'archive', file: abs, bytes, notes: [] }
    }
    const name = basename(abs)
    const hint = formatOfName(name)
      ? ` It looks like a single batch file: point at the folder that holds it.`
      : ''
    throw new DatasetError(
      'not-a-folder',
      `${abs} is a file, but a folder or a .tar.gz archive is expected.${hint} ${WHAT_TO_POINT_AT}`,
      { file: abs }
    )
  }
  if (!st.isDirectory()) throw notRegular(abs, 'a folder or a .tar.gz archive')
  if (isArchiveName(abs))
    throw new DatasetError(
      'not-a-file',
      `${abs} is a folder, but a name ending in .tar.gz should be the downloaded archive file. ` +
        `If you unpacked it there, point at the cifar-10-batches-* folder inside.`,
      { file: abs }
    )

  const dirents = await listFolder(abs)
  if (dirents.length === 0)
    throw new DatasetError('empty-folder', `${abs} is an empty folder. ${WHAT_TO_POINT_AT}`, {
      file: abs
    })

  // A batches folder: batch files directly inside.
  const byFormat: Record<DatasetFormat, number> = { binary: 0, python: 0 }
  for (const d of dirents) {
    const f = formatOfName(d.name)
    if (!f) continue
    if (d.isDirectory())
      throw new DatasetError(
        'not-a-file',
        `${join(abs, d.name)} is a folder, but a CIFAR-10 batch is a file. Copy the dataset again.`,
        { file: join(abs, d.name) }
      )
    byFormat[f]++
  }
  if (byFormat.binary || byFormat.python) {
    const format: DatasetFormat = byFormat.binary ? 'binary' : 'python'
    const notes: string[] = []
    if (byFormat.binary && byFormat.python)
      notes.push(`${abs} holds both binary and python batch files: reading the binary ones.`)
    const entries: FolderEntry[] = []
    for (const d of [...dirents].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const role = batchRole(d.name, format)
      const p = join(abs, d.name)
      if (role.kind === 'unofficial') notes.push(unofficialNote(p))
      const limit = roleLimit(role, format)
      if (!limit) continue
      entries.push({
        name: d.name,
        path: p,
        bytes: await regularFileSize(p, limit.limit, limit.what)
      })
    }
    const hasBatch = entries.some((e) => batchRole(e.name, format).kind !== 'meta')
    if (!hasBatch && entries.length === 0)
      throw new DatasetError(
        'no-training-data',
        `${abs} holds no official CIFAR-10 batch (data_batch_1${
          format === 'binary' ? '.bin' : ''
        } … data_batch_5, test_batch). Copy the dataset again.`,
        { file: abs }
      )
    if (!hasBatch)
      throw new DatasetError(
        'no-training-data',
        `${abs} holds ${META_NAME[format]} but no batch files (data_batch_1${
          format === 'binary' ? '.bin' : ''
        } …). Copy the dataset again.`,
        { file: abs }
      )
    return { kind: 'folder', format, dir: abs, entries, notes }
  }

  // A folder that contains the batches folder or an archive.
  if (depth === 0) {
    const preferred = [
      'cifar-10-batches-bin',
      'cifar-10-batches-py',
      'cifar-10-binary.tar.gz',
      'cifar-10-python.tar.gz'
    ]
    const present = preferred.filter((n) => dirents.some((d) => d.name === n))
    const extraArchives = dirents
      .filter((d) => d.isFile() && isArchiveName(d.name) && !preferred.includes(d.name))
      .map((d) => d.name)
    const candidates = [...present, ...extraArchives]
    const first = candidates[0]
    if (first !== undefined) {
      const inner = await resolveSource(join(abs, first), depth + 1)
      if (candidates.length > 1)
        inner.notes.unshift(`${abs} holds ${candidates.join(', ')}: reading ${first}.`)
      return inner
    }
  }

  const names = dirents.map((d) => d.name).sort()
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length})` : '')
  throw new DatasetError(
    'no-cifar-files',
    `${abs} holds no CIFAR-10 files (found: ${shown}). ${WHAT_TO_POINT_AT}`,
    { file: abs }
  )
}
