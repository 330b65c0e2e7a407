/**
 * Everything that can be wrong with a CIFAR-10 copy on disk: a LabError (one error family)
 * whose code says what is wrong, whose `details` (and fields `file`, `offset`, `record`,
 * `field`) say where, and whose message says what to do. The CLI prints `message` and exits 2;
 * the UI shows it where the user is looking. It crosses a worker boundary as LabError data.
 */
import { LabError } from '../../src-shared/errors'

export type DatasetErrorCode =
  /** The path does not exist. */
  | 'not-found'
  /** A folder with nothing in it. */
  | 'empty-folder'
  /** A folder that holds neither CIFAR-10 batches nor a folder/archive containing them. */
  | 'no-cifar-files'
  /** A file where a folder is expected (the path, or a batches folder name). */
  | 'not-a-folder'
  /** A folder where a file is expected (a batch name, an archive name). */
  | 'not-a-file'
  /** A path that is a file but neither a .tar.gz archive nor anything we can read. */
  | 'unsupported-file'
  /** A binary batch whose size is not a whole number of 3073-byte records. */
  | 'bin-size'
  /** A label outside 0..9. */
  | 'bad-label'
  /** A pickle that is readable but is not a CIFAR-10 batch (missing key, wrong type/shape). */
  | 'not-cifar-batch'
  /** A pickle that ends before its STOP opcode. */
  | 'pickle-truncated'
  /** An opcode or global outside what the official Python 2 cPickle files use. */
  | 'pickle-unsupported'
  /** A structurally broken pickle (stack underflow, unknown memo slot, bad protocol). */
  | 'pickle-malformed'
  /** A .tar.gz that is not valid gzip. */
  | 'gzip-corrupt'
  /** A gunzipped stream that is not a valid tar archive. */
  | 'tar-corrupt'
  /** Batches found, but no training batch among them. */
  | 'no-training-data'
  /** The operating system refused to read a file (permissions, I/O error). */
  | 'io-error'
  /** A FIFO, device or socket (or a symlink to one) where a file is expected: never opened. */
  | 'not-a-regular-file'
  /** A file or archive member larger than any CIFAR-10 file can be (checked before reading). */
  | 'too-large'
  /** An archive holding two members of one batch name. */
  | 'duplicate-member'
  /** An archive member named with `..` or an absolute path. */
  | 'unsafe-member-name'
  /** An option that makes no sense for this dataset (e.g. --val larger than the training set). */
  | 'bad-option'

export interface DatasetErrorWhere {
  /** The file (path on disk, or `archive/member`) the problem is in. */
  file?: string
  /** Byte offset within `file`. */
  offset?: number
  /** Record index within `file` (0-based). */
  record?: number
  /** A dict key, setting name, archive member or pickle opcode. */
  field?: string
}

export class DatasetError extends LabError {
  declare readonly code: DatasetErrorCode
  readonly file?: string
  readonly offset?: number
  readonly record?: number
  readonly field?: string

  constructor(code: DatasetErrorCode, message: string, where: DatasetErrorWhere = {}) {
    const details: Record<string, unknown> = {}
    for (const k of ['file', 'offset', 'record', 'field'] as const)
      if (where[k] !== undefined) details[k] = where[k]
    super(code, message, Object.keys(details).length > 0 ? details : undefined)
    this.name = 'DatasetError'
    if (where.file !== undefined) this.file = where.file
    if (where.offset !== undefined) this.offset = where.offset
    if (where.record !== undefined) this.record = where.record
    if (where.field !== undefined) this.field = where.field
  }
}
