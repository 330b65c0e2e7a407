/**
 * Finding the CIFAR-10 copy a path points at: a batches folder, an official .tar.gz, or a
 * folder that contains one of those (what a user who downloaded and unpacked would pick).
 */
import { readdir, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { DatasetError } from './errors'
import type { DatasetFormat } from './types'

export type BatchRole =
  { kind: 'train'; batch: number } | { kind: 'test' } | { kind: 'meta' } | { kind: 'other' }

const TRAIN_RE = { binary: /^data_batch_(\d+)\.bin$/, python: /^data_batch_(\d+)$/ }
const TEST_NAME = { binary: 'test_batch.bin', python: 'test_batch' }
const META_NAME = { binary: 'batches.meta.txt', python: 'batches.meta' }

/** What a file name means within a batches folder of the given format. */
export function batchRole(name: string, format: DatasetFormat): BatchRole {
  const m = TRAIN_RE[format].exec(name)
  if (m) return { kind: 'train', batch: Number(m[1]) }
  if (name === TEST_NAME[format]) return { kind: 'test' }
  if (name === META_NAME[format]) return { kind: 'meta' }
  return { kind: 'other' }
}

/** The format a batch file name belongs to, if it is one. */
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
    if (isArchiveName(abs)) return { kind: 'archive', file: abs, bytes: st.size, notes: [] }
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
  if (!st.isDirectory())
    throw new DatasetError('not-a-folder', `${abs} is neither a folder nor a file.`, { file: abs })
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
    for (const d of dirents) {
      if (batchRole(d.name, format).kind === 'other') continue
      const p = join(abs, d.name)
      const s = await statOrThrow(p)
      if (!s.isFile())
        throw new DatasetError('not-a-file', `${p} is a folder, but a file is expected.`, {
          file: p
        })
      entries.push({ name: d.name, path: p, bytes: s.size })
    }
    const hasBatch = entries.some((e) => batchRole(e.name, format).kind !== 'meta')
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
