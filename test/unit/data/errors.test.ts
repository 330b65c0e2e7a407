/** Every bad input gives its specific DatasetError: code, and where (file, offset, record, field). */
import { LabError, toErrorData } from '../../../src-shared/errors'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatasetError } from '../../../src-workers/data/errors'
import { loadDataset } from '../../../src-workers/data/load'
import {
  FOLDER_NAME,
  binaryBatchBytes,
  cifarFiles,
  makeTempDir,
  metaTxtBytes,
  pickleBatchBytes,
  removeDir,
  syntheticBatch,
  tarGzBytes,
  writeFiles
} from '../../helpers/data-writers'

let root: string
let n = 0
const fresh = async (name = 'case') => {
  const d = join(root, `${name}-${n++}`)
  await mkdir(d, { recursive: true })
  return d
}

async function loadError(path: string): Promise<DatasetError> {
  try {
    await loadDataset(path)
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetError)
    return e as DatasetError
  }
  throw new Error(`${path} loaded without error`)
}

const b1 = syntheticBatch(12, 21)
const tb = syntheticBatch(5, 22)

beforeAll(async () => {
  root = await makeTempDir('layerscope-data-errors-')
})
afterAll(() => removeDir(root))

describe('paths', () => {
  it('a missing path', async () => {
    const e = await loadError(join(root, 'nope'))
    expect(e.code).toBe('not-found')
    expect(e.file).toBe(join(root, 'nope'))
    expect(e.message).toMatch(/does not exist.*Point Layerscope at/)
  })
  it('an empty folder', async () => {
    const d = await fresh()
    const e = await loadError(d)
    expect([e.code, e.file]).toEqual(['empty-folder', d])
  })
  it('a folder of unrelated files', async () => {
    const d = await fresh()
    await writeFile(join(d, 'notes.txt'), 'hello')
    await writeFile(join(d, 'photo.png'), 'x')
    const e = await loadError(d)
    expect([e.code, e.file]).toEqual(['no-cifar-files', d])
    expect(e.message).toContain('notes.txt, photo.png')
  })
  it('a file where a folder is expected', async () => {
    const d = await fresh()
    await writeFile(join(d, 'readme.txt'), 'x')
    const e = await loadError(join(d, 'readme.txt'))
    expect([e.code, e.file]).toEqual(['not-a-folder', join(d, 'readme.txt')])
    await writeFile(join(d, 'data_batch_1.bin'), binaryBatchBytes(b1))
    const e2 = await loadError(join(d, 'data_batch_1.bin'))
    expect(e2.code).toBe('not-a-folder')
    expect(e2.message).toMatch(/single batch file/)
    const p = await fresh()
    await writeFile(join(p, 'cifar-10-batches-bin'), 'not a folder')
    const e3 = await loadError(p)
    expect([e3.code, e3.file]).toEqual(['not-a-folder', join(p, 'cifar-10-batches-bin')])
  })
  it('a folder where a file is expected', async () => {
    const d = await fresh()
    await mkdir(join(d, 'data_batch_1.bin'))
    const e = await loadError(d)
    expect([e.code, e.file]).toEqual(['not-a-file', join(d, 'data_batch_1.bin')])
    const a = join(await fresh(), 'cifar-10-binary.tar.gz')
    await mkdir(a)
    const e2 = await loadError(a)
    expect([e2.code, e2.file]).toEqual(['not-a-file', a])
  })
  it('batches but no training batch', async () => {
    const d = await fresh()
    await writeFile(join(d, 'test_batch.bin'), binaryBatchBytes(tb))
    const e = await loadError(d)
    expect([e.code, e.file]).toEqual(['no-training-data', d])
  })
})

describe('binary batches', () => {
  it('a size that is not a multiple of 3073', async () => {
    const d = await writeFiles(await fresh(), cifarFiles('binary', [b1, b1], tb))
    const whole = binaryBatchBytes(b1)
    await writeFile(join(d, 'data_batch_2.bin'), whole.subarray(0, 3073 * 7 + 100))
    const e = await loadError(d)
    expect(e.code).toBe('bin-size')
    expect(e.file).toBe(join(d, 'data_batch_2.bin'))
    expect(e.record).toBe(7)
    expect(e.offset).toBe(3073 * 7)
    expect(e.message).toContain('7 whole record(s)')
    expect(e.message).toContain(`starting at byte ${3073 * 7}`)
  })
  it('a label byte above 9', async () => {
    const d = await writeFiles(await fresh(), cifarFiles('binary', [b1], tb))
    const bytes = binaryBatchBytes(tb)
    bytes[3073 * 3] = 12
    await writeFile(join(d, 'test_batch.bin'), bytes)
    const e = await loadError(d)
    expect([e.code, e.file, e.record, e.offset]).toEqual([
      'bad-label',
      join(d, 'test_batch.bin'),
      3,
      9219
    ])
    expect(e.message).toMatch(/record 3 \(byte 9219\): the label is 12/)
  })
})

/** Minimal protocol-2 streams for pickles that are not CIFAR batches. */
const P = (...parts: (string | number[] | Buffer)[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))
  )
const U = (s: string) => P([0x55, s.length], s)

describe('python batches', () => {
  let lastDir = ''
  const batch1Path = () => join(lastDir, 'data_batch_1')
  async function pyFolder(batch1: Uint8Array) {
    const d = await writeFiles(await fresh(), cifarFiles('python', [b1], tb))
    await writeFile(join(d, 'data_batch_1'), batch1)
    lastDir = d
    return d
  }

  it('a pickle that is not a CIFAR batch: missing key', async () => {
    // {'labels': [1]} — no 'data'
    const e = await loadError(
      await pyFolder(P([0x80, 2], '}', [0x71, 1], '(', U('labels'), ']K', [1], 'au.'))
    )
    expect([e.code, e.file, e.field]).toEqual(['not-cifar-batch', batch1Path(), 'data'])
    expect(e.message).toContain("it has no 'data' key")
  })
  it('a pickle that is not a CIFAR batch: wrong type', async () => {
    // {'data': [1], 'labels': [1]}
    const e = await loadError(
      await pyFolder(P([0x80, 2], '}(', U('data'), ']K', [1], 'a', U('labels'), ']K', [1], 'au.'))
    )
    expect([e.code, e.field]).toEqual(['not-cifar-batch', 'data'])
    expect(e.message).toContain("'data' is a list, not a numpy array")
    const e2 = await loadError(await pyFolder(P([0x80, 2], ']K', [1], 'a.')))
    expect(e2.code).toBe('not-cifar-batch')
    expect(e2.message).toContain('holds a list, not a dict')
  })
  it('a label above 9 in a pickle', async () => {
    const bad = syntheticBatch(12, 21)
    bad.labels[4] = 10
    const e = await loadError(await pyFolder(pickleBatchBytes(bad)))
    expect([e.code, e.file, e.record]).toEqual(['bad-label', batch1Path(), 4])
  })
  it('a truncated pickle: inside the pixel string, and before STOP', async () => {
    const full = pickleBatchBytes(b1)
    const tAt = full.indexOf(0x54) // the BINSTRING opcode of the pixel data
    const e = await loadError(await pyFolder(full.subarray(0, tAt + 1000)))
    expect([e.code, e.file, e.offset, e.field]).toEqual([
      'pickle-truncated',
      batch1Path(),
      tAt,
      'BINSTRING'
    ])
    expect(e.message).toMatch(/truncated/)
    const e2 = await loadError(await pyFolder(full.subarray(0, full.length - 1)))
    expect([e2.code, e2.offset, e2.field]).toEqual(['pickle-truncated', full.length - 1, 'STOP'])
  })
  it('opcodes and globals the official files never use', async () => {
    // Python 3: BINUNICODE key
    const py3 = P([0x80, 2], '}(', [0x58, 4, 0, 0, 0], 'data', 'K', [1], 'u.')
    const e = await loadError(await pyFolder(py3))
    expect([e.code, e.file, e.offset, e.field]).toEqual([
      'pickle-unsupported',
      batch1Path(),
      4,
      'BINUNICODE'
    ])
    const evil = P([0x80, 2], 'c__builtin__\neval\n', U('1'), [0x85], 'R.')
    const e2 = await loadError(await pyFolder(evil))
    expect([e2.code, e2.offset, e2.field]).toEqual(['pickle-unsupported', 2, 'GLOBAL'])
    expect(e2.message).toContain('__builtin__.eval')
    const proto4 = P([0x80, 4], '}.')
    const e3 = await loadError(await pyFolder(proto4))
    expect([e3.code, e3.offset]).toEqual(['pickle-unsupported', 0])
  })
  it('an unreadable batches.meta only warns', async () => {
    const d = await pyFolder(pickleBatchBytes(b1))
    await writeFile(join(d, 'batches.meta'), P([0x80, 2], '}'))
    const h = await loadDataset(d)
    expect(h.classes[0]).toBe('airplane')
    expect(h.warnings.some((w) => /batches.meta could not be read/.test(w))).toBe(true)
  })
})

describe('archives', () => {
  it('not gzip at all', async () => {
    const a = join(await fresh(), 'cifar-10-binary.tar.gz')
    await writeFile(a, Buffer.alloc(5000, 7))
    const e = await loadError(a)
    expect([e.code, e.file, e.offset]).toEqual(['gzip-corrupt', a, 0])
  })
  it('a truncated or damaged gzip stream', async () => {
    const good = await tarGzBytes(FOLDER_NAME.binary, cifarFiles('binary', [b1], tb))
    const a = join(await fresh(), 'cifar-10-binary.tar.gz')
    await writeFile(a, good.subarray(0, Math.floor(good.length / 2)))
    const e = await loadError(a)
    expect([e.code, e.file]).toEqual(['gzip-corrupt', a])
    const damaged = Buffer.from(good)
    for (let i = 100; i < 400; i++) damaged[i] = damaged[i]! ^ 0x5a
    await writeFile(a, damaged)
    const e2 = await loadError(a)
    expect([e2.code, e2.file]).toEqual(['gzip-corrupt', a])
  })
  it('valid gzip of something that is not a tar', async () => {
    const a = join(await fresh(), 'cifar-10-python.tar.gz')
    await writeFile(a, gzipSync(Buffer.alloc(10_000, 0x41)))
    const e = await loadError(a)
    expect([e.code, e.file, e.offset]).toEqual(['tar-corrupt', a, 10_000])
  })
  it('a tar cut short inside a member', async () => {
    const tarGz = await tarGzBytes(FOLDER_NAME.binary, cifarFiles('binary', [b1], tb))
    const { gunzipSync } = await import('node:zlib')
    const raw = gunzipSync(tarGz)
    const a = join(await fresh(), 'cifar-10-binary.tar.gz')
    await writeFile(a, gzipSync(raw.subarray(0, 3000)))
    const e = await loadError(a)
    expect([e.code, e.file]).toEqual(['tar-corrupt', a])
  })
  it('an archive without CIFAR-10 batches', async () => {
    const a = join(await fresh(), 'other.tar.gz')
    await writeFile(a, await tarGzBytes('stuff', [{ name: 'a.txt', data: metaTxtBytes() }]))
    const e = await loadError(a)
    expect([e.code, e.file]).toEqual(['no-cifar-files', a])
  })
  it('a bad batch inside an archive names the member', async () => {
    const files = cifarFiles('binary', [b1], tb)
    files[1] = { name: 'data_batch_1.bin', data: binaryBatchBytes(b1).subarray(0, 5000) }
    const a = join(await fresh(), 'cifar-10-binary.tar.gz')
    await writeFile(a, await tarGzBytes(FOLDER_NAME.binary, files))
    const e = await loadError(a)
    expect([e.code, e.file, e.offset, e.record]).toEqual([
      'bin-size',
      `${a}/cifar-10-batches-bin/data_batch_1.bin`,
      3073,
      1
    ])
  })
})

describe('DatasetError', () => {
  it('is a LabError and survives a worker boundary as plain data', async () => {
    const e = await loadError(join(root, 'missing'))
    expect(e).toBeInstanceOf(LabError)
    const copy = structuredClone(toErrorData(e))
    expect(copy).toEqual({ code: 'not-found', message: e.message, details: { file: e.file } })
  })
})
