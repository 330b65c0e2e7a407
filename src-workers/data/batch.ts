/**
 * Decoding one CIFAR-10 batch (binary records or an unpickled dict) and the class-name files.
 * Pure functions over bytes; `file` is only used to name the file in errors.
 */
import { DatasetError } from './errors'
import { pyStr, pyTypeName, type PyValue } from './pickle'
import { IMAGE_BYTES, NUM_CLASSES, RECORD_BYTES, STANDARD_CLASSES } from './types'

/** Whole records in a binary batch of `size` bytes; throws `bin-size` if there is a remainder. */
export function binaryRecordCount(size: number, file: string): number {
  const whole = Math.floor(size / RECORD_BYTES)
  const extra = size - whole * RECORD_BYTES
  if (extra !== 0 || size === 0) {
    const at = whole * RECORD_BYTES
    throw new DatasetError(
      'bin-size',
      size === 0
        ? `${file} is empty (0 bytes); a CIFAR-10 binary batch holds records of ${RECORD_BYTES} ` +
            `bytes (1 label + 3072 pixels). Copy or download the file again.`
        : `${file} is ${size} bytes, not a whole number of ${RECORD_BYTES}-byte records: ` +
            `${whole} whole record(s), then a partial record of ${extra} byte(s) starting at ` +
            `byte ${at}. The file is truncated or is not a CIFAR-10 binary batch ` +
            `(CIFAR-100 records are 3074 bytes); copy or download it again.`,
      { file, offset: at, record: whole }
    )
  }
  return whole
}

function badLabel(file: string, record: number, value: number, offset?: number): DatasetError {
  const where = offset === undefined ? `record ${record}` : `record ${record} (byte ${offset})`
  return new DatasetError(
    'bad-label',
    `${file}, ${where}: the label is ${value}, but CIFAR-10 labels are 0–9. The file is ` +
      `damaged or is not a CIFAR-10 batch; copy or download it again.`,
    offset === undefined ? { file, record, field: 'labels' } : { file, record, offset }
  )
}

/**
 * Copies the records of a binary batch into `pixels` / `labels` starting at record `at`,
 * checking every label. `buf` must hold whole records (see binaryRecordCount).
 */
export function placeBinaryBatch(
  buf: Uint8Array,
  file: string,
  pixels: Uint8Array,
  labels: Uint8Array,
  at: number
): number {
  const n = binaryRecordCount(buf.length, file)
  for (let r = 0; r < n; r++) {
    const src = r * RECORD_BYTES
    const label = buf[src]!
    if (label >= NUM_CLASSES) throw badLabel(file, r, label, src)
    labels[at + r] = label
    pixels.set(buf.subarray(src + 1, src + RECORD_BYTES), (at + r) * IMAGE_BYTES)
  }
  return n
}

export interface PickleBatch {
  count: number
  labels: Uint8Array
  /** count × 3072 bytes, a view into the pickle buffer. */
  pixels: Uint8Array
}

function notBatch(file: string, field: string, what: string): DatasetError {
  return new DatasetError(
    'not-cifar-batch',
    `${file} is a pickle but not a CIFAR-10 batch: ${what}. A CIFAR-10 python batch is a dict ` +
      `with 'data' (uint8 array N×3072) and 'labels' (N ints 0–9). Point Layerscope at the ` +
      `official cifar-10-batches-py folder.`,
    { file, field }
  )
}

/** Checks an unpickled object is a CIFAR-10 batch and returns its labels and pixel view. */
export function decodePickleBatch(v: PyValue, file: string): PickleBatch {
  if (v === null || typeof v !== 'object' || !('kind' in v) || v.kind !== 'dict')
    throw notBatch(file, '', `it holds a ${pyTypeName(v)}, not a dict`)
  const data = v.map.get('data')
  const labelsV = v.map.get('labels')
  if (data === undefined) throw notBatch(file, 'data', `it has no 'data' key`)
  if (labelsV === undefined) {
    const hint = v.map.has('fine_labels') ? ` (it has 'fine_labels': a CIFAR-100 file?)` : ''
    throw notBatch(file, 'labels', `it has no 'labels' key${hint}`)
  }
  if (data === null || typeof data !== 'object' || !('kind' in data) || data.kind !== 'ndarray')
    throw notBatch(file, 'data', `'data' is a ${pyTypeName(data)}, not a numpy array`)
  if (!data.dtype || data.dtype.descr !== 'u1' || !data.data)
    throw notBatch(
      file,
      'data',
      `'data' has dtype ${data.dtype?.descr ?? 'unknown'}, not uint8 ('u1')`
    )
  const [n, d] = data.shape
  if (data.shape.length !== 2 || d !== IMAGE_BYTES || n === undefined)
    throw notBatch(file, 'data', `'data' has shape (${data.shape.join(', ')}), not (N, 3072)`)
  if (data.fortran) throw notBatch(file, 'data', `'data' is in Fortran order, not C order`)
  if (data.data.length !== n * IMAGE_BYTES)
    throw notBatch(
      file,
      'data',
      `'data' holds ${data.data.length} bytes but its shape (${n}, 3072) needs ${n * IMAGE_BYTES}`
    )
  if (!Array.isArray(labelsV))
    throw notBatch(file, 'labels', `'labels' is a ${pyTypeName(labelsV)}, not a list`)
  if (labelsV.length !== n)
    throw notBatch(
      file,
      'labels',
      `'labels' has ${labelsV.length} entries but 'data' has ${n} rows`
    )
  const labels = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const l = labelsV[i]
    if (typeof l !== 'number')
      throw notBatch(file, 'labels', `'labels'[${i}] is a ${pyTypeName(l)}, not an int`)
    if (l < 0 || l >= NUM_CLASSES) throw badLabel(file, i, l)
    labels[i] = l
  }
  return { count: n, labels, pixels: data.data }
}

/** Class names from batches.meta.txt: one per line, empty lines (and CR) dropped. */
export function parseMetaTxt(buf: Uint8Array): string[] {
  return pyStr(buf)
    .split('\n')
    .map((s) => s.replace(/\r$/, '').trim())
    .filter((s) => s.length > 0)
}

/** Class names from an unpickled batches.meta dict ('label_names'). */
export function metaLabelNames(v: PyValue, file: string): string[] {
  if (v === null || typeof v !== 'object' || !('kind' in v) || v.kind !== 'dict')
    throw notBatch(file, '', `batches.meta holds a ${pyTypeName(v)}, not a dict`)
  const names = v.map.get('label_names')
  if (!Array.isArray(names)) throw notBatch(file, 'label_names', `no 'label_names' list`)
  return names.map((x, i) => {
    if (!(x instanceof Uint8Array))
      throw notBatch(file, 'label_names', `label_names[${i}] is a ${pyTypeName(x)}`)
    return pyStr(x)
  })
}

/** Validates class names; returns the standard names and a warning when they don't fit. */
export function checkClassNames(
  names: string[] | undefined,
  file: string | undefined,
  warnings: string[]
): string[] {
  if (!file || !names) {
    warnings.push(
      'No batches.meta / batches.meta.txt found: using the standard CIFAR-10 class names.'
    )
    return [...STANDARD_CLASSES]
  }
  if (names.length !== NUM_CLASSES) {
    warnings.push(
      `${file} lists ${names.length} class name(s), not 10: using the standard CIFAR-10 class names.`
    )
    return [...STANDARD_CLASSES]
  }
  return names
}
