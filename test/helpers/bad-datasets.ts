/**
 * Every bad CIFAR-10 copy of issue 4, written in a temporary folder, each with the error it must
 * produce: code and where (file, byte offset, record, field). Built from the official formats
 * (./data-writers), then broken the way a real copy breaks (truncation, a bad byte, a wrong type).
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import {
  FOLDER_NAME,
  binaryBatchBytes,
  cifarFiles,
  pickleBatchBytes,
  syntheticBatch,
  tarGzBytes,
  writeFiles
} from './data-writers'

export interface BadCase {
  name: string
  path: string
  code: string
  /** The where-details the error must carry (exactly these values). */
  where: { file: string; offset?: number; record?: number; field?: string }
}

/** Minimal protocol-2 pickle bytes from opcode strings and byte lists. */
const P = (...parts: (string | number[] | Buffer)[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))
  )
const U = (s: string) => P([0x55, s.length], s)

export async function writeBadDatasets(root: string): Promise<BadCase[]> {
  const b1 = syntheticBatch(12, 21)
  const tb = syntheticBatch(5, 22)
  const cases: BadCase[] = []
  const dir = async (name: string) => {
    const d = join(root, name)
    await mkdir(d, { recursive: true })
    return d
  }

  const missing = join(root, 'no-such-folder')
  cases.push({ name: 'a missing path', path: missing, code: 'not-found', where: { file: missing } })

  const empty = await dir('empty')
  cases.push({ name: 'an empty folder', path: empty, code: 'empty-folder', where: { file: empty } })

  const unrelated = await dir('unrelated')
  await writeFile(join(unrelated, 'notes.txt'), 'hello')
  cases.push({
    name: 'a folder of unrelated files',
    path: unrelated,
    code: 'no-cifar-files',
    where: { file: unrelated }
  })

  const sized = await writeFiles(await dir('bin-size'), cifarFiles('binary', [b1, b1], tb))
  await writeFile(join(sized, 'data_batch_2.bin'), binaryBatchBytes(b1).subarray(0, 3073 * 7 + 100))
  cases.push({
    name: 'a .bin whose size is not a multiple of 3073',
    path: sized,
    code: 'bin-size',
    where: { file: join(sized, 'data_batch_2.bin'), offset: 3073 * 7, record: 7 }
  })

  const labelled = await writeFiles(await dir('bad-label'), cifarFiles('binary', [b1], tb))
  const bytes = binaryBatchBytes(tb)
  bytes[3073 * 3] = 12
  await writeFile(join(labelled, 'test_batch.bin'), bytes)
  cases.push({
    name: 'a label byte above 9',
    path: labelled,
    code: 'bad-label',
    where: { file: join(labelled, 'test_batch.bin'), record: 3, offset: 3073 * 3 }
  })

  const notBatch = await writeFiles(await dir('not-batch'), cifarFiles('python', [b1], tb))
  await writeFile(
    join(notBatch, 'data_batch_1'),
    P([0x80, 2], '}', [0x71, 1], '(', U('labels'), ']K', [1], 'au.')
  )
  cases.push({
    name: 'a pickle that is not a CIFAR batch',
    path: notBatch,
    code: 'not-cifar-batch',
    where: { file: join(notBatch, 'data_batch_1'), field: 'data' }
  })

  const truncated = await writeFiles(await dir('truncated'), cifarFiles('python', [b1], tb))
  const full = pickleBatchBytes(b1)
  await writeFile(join(truncated, 'data_batch_1'), full.subarray(0, full.length - 1))
  cases.push({
    name: 'a truncated pickle',
    path: truncated,
    code: 'pickle-truncated',
    where: { file: join(truncated, 'data_batch_1'), offset: full.length - 1, field: 'STOP' }
  })

  const notGzip = join(await dir('not-gzip'), 'cifar-10-binary.tar.gz')
  await writeFile(notGzip, Buffer.alloc(5000, 7))
  cases.push({
    name: 'a corrupt gzip',
    path: notGzip,
    code: 'gzip-corrupt',
    where: { file: notGzip, offset: 0 }
  })

  const good = await tarGzBytes(FOLDER_NAME.binary, cifarFiles('binary', [b1], tb))
  const cutTar = join(await dir('cut-tar'), 'cifar-10-binary.tar.gz')
  await writeFile(cutTar, gzipSync(gunzipSync(good).subarray(0, 3000)))
  cases.push({ name: 'a corrupt tar', path: cutTar, code: 'tar-corrupt', where: { file: cutTar } })

  const fileDir = await dir('file-for-folder')
  await writeFile(join(fileDir, 'cifar-10-batches-bin'), 'not a folder')
  cases.push({
    name: 'a file where a folder is expected',
    path: fileDir,
    code: 'not-a-folder',
    where: { file: join(fileDir, 'cifar-10-batches-bin') }
  })

  const folderFile = join(await dir('folder-for-file'), 'cifar-10-binary.tar.gz')
  await mkdir(folderFile)
  cases.push({
    name: 'a folder where a file is expected',
    path: folderFile,
    code: 'not-a-file',
    where: { file: folderFile }
  })

  const noTrain = await dir('no-train')
  await writeFile(join(noTrain, 'test_batch.bin'), binaryBatchBytes(tb))
  cases.push({
    name: 'batches but no training batch',
    path: noTrain,
    code: 'no-training-data',
    where: { file: noTrain }
  })
  // The system refuses the path itself (ELOOP here; EACCES for a user without permission).
  const loops = await dir('symlink-loop')
  await symlink(join(loops, 'b'), join(loops, 'a'))
  await symlink(join(loops, 'a'), join(loops, 'b'))
  cases.push({
    name: 'a path the system cannot read (a symlink loop)',
    path: join(loops, 'a'),
    code: 'io-error',
    where: { file: join(loops, 'a') }
  })
  return cases
}
