/** All four official forms written by our own writers load to the same bytes. */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDataset } from '../../../src-workers/data/load'
import { parsePickle } from '../../../src-workers/data/pickle'
import { decodePickleBatch } from '../../../src-workers/data/batch'
import type { DatasetHandle } from '../../../src-workers/data/types'
import {
  FOLDER_NAME,
  cifarFiles,
  makeTempDir,
  pickleBatchBytes,
  removeDir,
  syntheticBatch,
  tarGzBytes,
  writeFiles,
  type Batch
} from '../../helpers/data-writers'

let root: string
const train = [syntheticBatch(40, 11), syntheticBatch(25, 12), syntheticBatch(30, 13)]
const test = syntheticBatch(20, 14)

const used = (h: DatasetHandle) => ({
  pixels: new Uint8Array(h.pixels, 0, (h.train.count + h.test.count) * 3072),
  labels: new Uint8Array(h.labels, 0, h.train.count + h.test.count)
})
function expected(batches: Batch[]) {
  const pixels = Buffer.concat(batches.map((b) => b.pixels))
  const labels = Buffer.concat(batches.map((b) => b.labels))
  return { pixels, labels }
}

beforeAll(async () => {
  root = await makeTempDir()
  for (const format of ['binary', 'python'] as const) {
    const files = cifarFiles(format, train, test)
    await writeFiles(join(root, 'forms', FOLDER_NAME[format]), files)
    // The archive lists members in a scrambled order, as the official archives may.
    const scrambled = [files[3]!, files[0]!, files[4]!, files[1]!, files[2]!]
    const archive = format === 'binary' ? 'cifar-10-binary.tar.gz' : 'cifar-10-python.tar.gz'
    await writeFile(join(root, 'forms', archive), await tarGzBytes(FOLDER_NAME[format], scrambled))
  }
})
afterAll(() => removeDir(root))

describe('loadDataset on our own files', () => {
  const forms = [
    'cifar-10-batches-bin',
    'cifar-10-batches-py',
    'cifar-10-binary.tar.gz',
    'cifar-10-python.tar.gz'
  ]
  it.each(forms)('%s: pixels and labels in batch order, counts from the data', async (form) => {
    const h = await loadDataset(join(root, 'forms', form))
    const want = expected([...train, test])
    const got = used(h)
    expect(h.train).toEqual({ offset: 0, count: 95 })
    expect(h.test).toEqual({ offset: 95, count: 20 })
    expect(Buffer.compare(Buffer.from(got.pixels), want.pixels)).toBe(0)
    expect(Buffer.compare(Buffer.from(got.labels), want.labels)).toBe(0)
    expect(h.files.map((f) => [f.split, f.count])).toEqual([
      ['train', 40],
      ['train', 25],
      ['train', 30],
      ['test', 20]
    ])
    expect(h.warnings).toEqual([
      expect.stringMatching(
        /Partial copy: data_batch_4(\.bin)?, data_batch_5(\.bin)? are missing; using the 95 training/
      )
    ])
    expect(h.pixels).toBeInstanceOf(SharedArrayBuffer)
    expect(h.labels).toBeInstanceOf(SharedArrayBuffer)
    expect(h.classes[9]).toBe('truck')
  })

  it('gives the same fingerprint for every form, and a different one for different data', async () => {
    const prints = await Promise.all(
      forms.map(async (f) => (await loadDataset(join(root, 'forms', f))).fingerprint)
    )
    expect(new Set(prints).size).toBe(1)
    const other = syntheticBatch(40, 11)
    other.pixels[3072 * 39 + 5]! ^= 1 // last record of batch 1
    const dir = await writeFiles(
      join(root, 'changed', FOLDER_NAME.binary),
      cifarFiles('binary', [other, train[1]!, train[2]!], test)
    )
    expect((await loadDataset(dir)).fingerprint).not.toBe(prints[0])
  })

  it('finds the batches folder or an archive inside the folder a user points at', async () => {
    const h = await loadDataset(join(root, 'forms'))
    expect(h.source).toBe(join(root, 'forms', 'cifar-10-batches-bin'))
    expect(h.warnings[0]).toMatch(/reading cifar-10-batches-bin/)
    const only = await makeTempDir()
    await writeFile(
      join(only, 'cifar-10-python.tar.gz'),
      await tarGzBytes('cifar-10-batches-py', cifarFiles('python', [train[0]!], null))
    )
    const h2 = await loadDataset(only)
    expect(h2.format).toBe('python')
    expect(h2.source).toBe(join(only, 'cifar-10-python.tar.gz'))
    expect(h2.test.count).toBe(0)
    expect(h2.warnings).toContain('Partial copy: test_batch is missing; the test split is empty.')
    await removeDir(only)
  })

  it('falls back to the standard class names with a warning; reads custom names', async () => {
    const dir = await writeFiles(
      join(root, 'nometa', FOLDER_NAME.binary),
      cifarFiles('binary', [train[0]!], test, { meta: false })
    )
    const h = await loadDataset(dir)
    expect(h.classes).toHaveLength(10)
    expect(h.warnings.some((w) => /No batches.meta/.test(w))).toBe(true)
    const named = join(root, 'named', FOLDER_NAME.binary)
    await writeFiles(named, cifarFiles('binary', [train[0]!], test, { meta: false }))
    await writeFile(join(named, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n')
    expect((await loadDataset(named)).classes).toEqual('abcdefghij'.split(''))
    await writeFile(join(named, 'batches.meta.txt'), 'a\nb\n')
    const bad = await loadDataset(named)
    expect(bad.classes[0]).toBe('airplane')
    expect(bad.warnings.some((w) => /lists 2 class name\(s\), not 10/.test(w))).toBe(true)
  })

  it('reports progress up to 1 and can be aborted', async () => {
    for (const form of forms) {
      const seen: number[] = []
      await loadDataset(join(root, 'forms', form), { onProgress: (f) => seen.push(f) })
      expect(seen.length).toBeGreaterThan(1)
      expect(seen.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= seen[i - 1]!))).toBe(true)
      expect(seen.at(-1)).toBe(1)
      const ac = new AbortController()
      const p = loadDataset(join(root, 'forms', form), {
        signal: ac.signal,
        onProgress: () => ac.abort(new Error('stop'))
      })
      await expect(p).rejects.toThrow('stop')
    }
  })

  it('reads pickles whose lists end in a batch of one (APPEND) and >255 memo slots', () => {
    const b = syntheticBatch(1001, 5)
    const v = decodePickleBatch(parsePickle(pickleBatchBytes(b), 'x'), 'x')
    expect(v.count).toBe(1001)
    expect(Buffer.compare(Buffer.from(v.labels), Buffer.from(b.labels))).toBe(0)
    expect(Buffer.compare(Buffer.from(v.pixels), Buffer.from(b.pixels))).toBe(0)
  })
})
