/**
 * One error type for everything that can be wrong with a CIFAR-10 copy on disk.
 *
 * A DatasetError says what is wrong, where (file, byte offset, record, field) and, in its
 * message, what to do. The CLI prints `message` and exits 2; the UI shows it where the user is
 * looking. Errors do not survive structured clone with their class or extra fields, so a
 * worker posts `toData()` and the receiver rebuilds with `DatasetError.fromData()`.
 */
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
  /** An option that makes no sense for this dataset (e.g. --val larger than the training set). */
  | 'bad-option'

export interface DatasetErrorData {
  name: 'DatasetError'
  code: DatasetErrorCode
  message: string
  /** The file (path on disk, or member name inside an archive) the problem is in. */
  file?: string
  /** Byte offset within `file`. */
  offset?: number
  /** Record index within `file` (0-based). */
  record?: number
  /** A dict key, option name or pickle opcode. */
  field?: string
}

export class DatasetError extends Error {
  override readonly name = 'DatasetError' as const
  readonly code: DatasetErrorCode
  readonly file?: string
  readonly offset?: number
  readonly record?: number
  readonly field?: string

  constructor(
    code: DatasetErrorCode,
    message: string,
    where: { file?: string; offset?: number; record?: number; field?: string } = {}
  ) {
    super(message)
    this.code = code
    if (where.file !== undefined) this.file = where.file
    if (where.offset !== undefined) this.offset = where.offset
    if (where.record !== undefined) this.record = where.record
    if (where.field !== undefined) this.field = where.field
  }

  /** Plain data for postMessage / JSON. */
  toData(): DatasetErrorData {
    const d: DatasetErrorData = { name: 'DatasetError', code: this.code, message: this.message }
    if (this.file !== undefined) d.file = this.file
    if (this.offset !== undefined) d.offset = this.offset
    if (this.record !== undefined) d.record = this.record
    if (this.field !== undefined) d.field = this.field
    return d
  }

  static fromData(d: DatasetErrorData): DatasetError {
    return new DatasetError(d.code, d.message, d)
  }

  static isData(x: unknown): x is DatasetErrorData {
    return (
      typeof x === 'object' &&
      x !== null &&
      (x as { name?: unknown }).name === 'DatasetError' &&
      typeof (x as { code?: unknown }).code === 'string' &&
      typeof (x as { message?: unknown }).message === 'string'
    )
  }
}
