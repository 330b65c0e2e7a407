/**
 * The hostile-input corpus of issue 16 §2 (`source: 'issue'`) and more of our own
 * (`source: 'own'`): each case builds its inputs in a fresh folder and says what must happen.
 * Most must be refused: exit 2, one line naming the file or option and what is wrong, quickly,
 * in bounded memory, with nothing on disk changed. A few are accepted with a check (an
 * unofficial batch name skipped with a warning, a session symlink followed).
 */
import {
  chmod,
  mkdir,
  readFile,
  readlink,
  lstat,
  symlink,
  truncate,
  writeFile
} from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect } from 'vitest'
import { createSession, decodeSession, encodeSession } from '../../../src-main/lab/sessions'
import { bootId } from '../../../src-main/lab/sessions/fsx'
import {
  binaryBatchBytes,
  cifarFiles,
  metaTxtBytes,
  pickleBatchBytes,
  syntheticBatch,
  writeFiles,
  type Batch
} from '../data-writers'
import {
  deflateBomb,
  gzipOf,
  mkfifo,
  put,
  sessionContainer,
  sessionPayload,
  tarBytes,
  tarHeader
} from './build'
import type { ChildRun } from './runner'

export type Expectation =
  | {
      kind: 'refused'
      /** The file or option the one line must name. */
      names: string
      /** What it must say is wrong. */
      what: RegExp
    }
  | {
      kind: 'accepted'
      /** Disk changes are the case's business (e.g. a run appended through a symlink). */
      check: (run: ChildRun) => Promise<void> | void
    }

export interface CaseSpec {
  argv: string[]
  env?: Record<string, string>
  expect: Expectation
}

export interface HostileCase {
  id: string
  source: 'issue' | 'own'
  title: string
  build: (dir: string) => Promise<CaseSpec>
}

const b1: Batch = syntheticBatch(12, 31)
const tb: Batch = syntheticBatch(5, 32)
const DEPTH = ['depth', '--layers', '1', '--width', '4', '--samples', '4']
const refused = (names: string, what: RegExp): Expectation => ({ kind: 'refused', names, what })
const NOT_REGULAR = /not a regular file/

async function binFolder(dir: string, name = 'cifar-10-batches-bin'): Promise<string> {
  return writeFiles(join(dir, name), cifarFiles('binary', [b1], tb))
}
async function pyFolder(dir: string): Promise<string> {
  return writeFiles(join(dir, 'cifar-10-batches-py'), cifarFiles('python', [b1], tb))
}
async function session(dir: string, name = 's.layerscope'): Promise<string> {
  return put(
    join(dir, name),
    encodeSession(createSession({ appVersion: '0.0.0', now: new Date(0) }))
  )
}
const NET = {
  format: 'layerscope.net',
  version: 1,
  inputSize: 2,
  layers: [
    {
      type: 'affine',
      W: [
        [0.1, -0.2],
        [0.3, 0.4]
      ],
      b: [0, 0]
    },
    { type: 'relu' },
    {
      type: 'affine',
      W: [
        [0.5, 0.1],
        [-0.1, 0.2]
      ],
      b: [0, 0]
    }
  ],
  loss: 'softmax',
  reg: 0
}
const DATA = {
  X: [
    [1, 2],
    [3, -1]
  ],
  y: [0, 1]
}
async function netFiles(dir: string): Promise<{ net: string; data: string }> {
  return {
    net: await put(join(dir, 'net.json'), JSON.stringify(NET)),
    data: await put(join(dir, 'data.json'), JSON.stringify(DATA))
  }
}
/** A seeded matrix of rows × cols small numbers, as JSON-ready arrays. */
function matrix(rows: number, cols: number, seed = 1): number[][] {
  let s = seed
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) / 10
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => Number(r().toFixed(4)))
  )
}
/** A pickle of a batch dict whose 'data' declares `shape` but holds `bytes` real bytes. */
function pickleWithShape(shape: number[], bytes: number, labels = 1): Uint8Array {
  return Buffer.concat([
    pickleHead(),
    pickleShapeBody(shape, bytes, labels),
    Buffer.from('u.', 'latin1')
  ])
}
const P = (...parts: (string | number[] | Uint8Array)[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))
  )
const U = (s: string) => P([0x55, s.length], s)
const I4 = (v: number) => {
  const b = Buffer.alloc(5)
  b[0] = 0x4a
  b.writeInt32LE(v, 1)
  return b
}
function pickleHead(): Buffer {
  return P([0x80, 2], '}(')
}
function pickleShapeBody(shape: number[], bytes: number, labels: number): Buffer {
  const dims = shape.map((d) =>
    Number.isSafeInteger(d) && d >= -(2 ** 31) && d < 2 ** 31 ? I4(d) : P('L' + String(d) + 'L\n')
  )
  const lenB = Buffer.alloc(4)
  lenB.writeUInt32LE(bytes)
  return P(
    U('labels'),
    ']',
    labels ? P('(', ...Array.from({ length: labels }, () => P([0x4b, 1])), 'e') : '',
    U('data'),
    'cnumpy.core.multiarray\n_reconstruct\n',
    'cnumpy\nndarray\n',
    [0x4b, 0, 0x85],
    U('b'),
    [0x87],
    'R(',
    [0x4b, 1],
    ...dims,
    [shape.length === 2 ? 0x86 : 0x85],
    'cnumpy\ndtype\n',
    U('u1'),
    [0x4b, 0, 0x4b, 1, 0x87],
    'R(',
    [0x4b, 3],
    U('|'),
    'NNN',
    I4(-1),
    I4(-1),
    [0x4b, 0],
    'tb',
    [0x89],
    'T',
    lenB,
    Buffer.alloc(bytes),
    'tb'
  )
}

function tarGz(tar: Buffer): Buffer {
  return gzipSync(tar, { level: 1 })
}
function binMembers(folder = 'cifar-10-batches-bin') {
  return cifarFiles('binary', [b1], tb).map((f) => ({ name: `${folder}/${f.name}`, data: f.data }))
}
async function liveLock(file: string, pid: number): Promise<void> {
  await writeFile(
    `${file}.lock`,
    JSON.stringify({
      pid,
      host: os.hostname(),
      boot: bootId(),
      createdAt: new Date().toISOString(),
      token: 'feedfacefeedface'
    })
  )
}
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const noControl = (t: string) => expect(t.replace(/\n/g, '')).not.toMatch(/[\x00-\x1f\x7f]/)

export const CASES: HostileCase[] = [
  // ------------------------------------------------------------------ hangs
  ...(
    [
      ['fifo-data-batch', 'data_batch_1.bin'],
      ['fifo-test-batch', 'test_batch.bin'],
      ['fifo-meta-txt', 'batches.meta.txt']
    ] as const
  ).map(([id, name]): HostileCase => ({
    id,
    source: 'issue',
    title: `a FIFO as ${name}`,
    build: async (dir) => {
      const d = await binFolder(dir)
      const f = join(d, name)
      await (await import('node:fs/promises')).rm(f)
      mkfifo(f)
      return { argv: ['dataset', d], expect: refused(f, NOT_REGULAR) }
    }
  })),
  ...(
    [
      ['zero-data-batch', 'data_batch_1.bin', '/dev/zero'],
      ['urandom-test-batch', 'test_batch.bin', '/dev/urandom'],
      ['zero-meta-txt', 'batches.meta.txt', '/dev/zero']
    ] as const
  ).map(([id, name, dev]): HostileCase => ({
    id,
    source: 'issue',
    title: `${name} a symlink to ${dev}`,
    build: async (dir) => {
      const d = await binFolder(dir)
      const f = join(d, name)
      await (await import('node:fs/promises')).rm(f)
      await symlink(dev, f)
      return { argv: ['dataset', d], expect: refused(f, NOT_REGULAR) }
    }
  })),
  {
    id: 'fifo-link-data-batch',
    source: 'issue',
    title: 'data_batch_1.bin a symlink to a FIFO',
    build: async (dir) => {
      const d = await binFolder(dir)
      const f = join(d, 'data_batch_1.bin')
      await (await import('node:fs/promises')).rm(f)
      mkfifo(join(dir, 'pipe'))
      await symlink(join(dir, 'pipe'), f)
      return { argv: ['dataset', d], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'fifo-net',
    source: 'issue',
    title: 'a FIFO as --net',
    build: async (dir) => {
      const { data } = await netFiles(dir)
      const f = join(dir, 'fifo.json')
      mkfifo(f)
      return { argv: ['loss', '--net', f, '--data', data], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'zero-data-json',
    source: 'issue',
    title: '--data a symlink to /dev/zero',
    build: async (dir) => {
      const { net } = await netFiles(dir)
      const f = join(dir, 'zero.json')
      await symlink('/dev/zero', f)
      return { argv: ['loss', '--net', net, '--data', f], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'urandom-gradcheck-net',
    source: 'issue',
    title: 'gradcheck --net a symlink to /dev/urandom',
    build: async (dir) => {
      const { data } = await netFiles(dir)
      const f = join(dir, 'random.json')
      await symlink('/dev/urandom', f)
      return { argv: ['gradcheck', '--net', f, '--data', data], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'fifo-session-file',
    source: 'issue',
    title: '`session FILE` on a FIFO',
    build: async (dir) => {
      const f = join(dir, 'fifo.layerscope')
      mkfifo(f)
      return { argv: ['session', f], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'fifo-session-option',
    source: 'issue',
    title: '--session on a FIFO',
    build: async (dir) => {
      const f = join(dir, 'fifo.layerscope')
      mkfifo(f)
      return { argv: [...DEPTH, '--session', f], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'fifo-lock',
    source: 'issue',
    title: "a FIFO as the session's lock file",
    build: async (dir) => {
      const f = await session(dir)
      mkfifo(`${f}.lock`)
      return { argv: [...DEPTH, '--session', f], expect: refused(`${f}.lock`, NOT_REGULAR) }
    }
  },
  {
    id: 'dangling-lock',
    source: 'issue',
    title: 'a lock file that is a dangling symlink (busy loop)',
    build: async (dir) => {
      const f = await session(dir)
      await symlink(join(dir, 'nowhere'), `${f}.lock`)
      return { argv: [...DEPTH, '--session', f], expect: refused(`${f}.lock`, NOT_REGULAR) }
    }
  },
  {
    id: 'gradcheck-net-huge',
    source: 'issue',
    title: 'gradcheck --net with 61,000 parameters × 5 samples (minutes of work)',
    build: async (dir) => {
      const net = {
        format: 'layerscope.net',
        version: 1,
        inputSize: 100,
        layers: [
          { type: 'affine', W: matrix(100, 300), b: new Array(300).fill(0) },
          { type: 'tanh' },
          { type: 'affine', W: matrix(300, 100, 2), b: new Array(100).fill(0) },
          { type: 'tanh' },
          { type: 'affine', W: matrix(100, 10, 3), b: new Array(10).fill(0) }
        ],
        loss: 'softmax',
        reg: 0
      }
      const n = await put(join(dir, 'big.json'), JSON.stringify(net))
      const d = await put(
        join(dir, 'data.json'),
        JSON.stringify({ X: matrix(5, 100, 4), y: [0, 1, 2, 3, 4] })
      )
      return {
        argv: ['gradcheck', '--net', n, '--data', d],
        expect: refused(n, /multiply-adds/)
      }
    }
  },
  // ------------------------------------------------------------------ memory
  {
    id: 'zero-session-file',
    source: 'issue',
    title: 'a session symlinked to /dev/zero',
    build: async (dir) => {
      const f = join(dir, 'zero.layerscope')
      await symlink('/dev/zero', f)
      return { argv: ['session', f], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'tar-bomb-member',
    source: 'issue',
    title: 'a .tar.gz whose data_batch_1.bin inflates to 2 GiB (2 MiB of gzip)',
    build: async (dir) => {
      const size = 2 ** 31 - 3073 // a whole number of records, under tar's 8 GiB
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        gzipOf(
          deflateBomb(tarHeader('cifar-10-batches-bin/data_batch_1.bin', size), 2048),
          size + 512
        )
      )
      return { argv: ['dataset', f], expect: refused('data_batch_1.bin', /larger than|at most/) }
    }
  },
  {
    id: 'session-inflate-bomb',
    source: 'issue',
    title: 'a session whose deflated payload inflates to 2³¹ bytes (valid checksums)',
    build: async (dir) => {
      const stored = deflateBomb(sessionPayload('{"blocks":[],"value":{}}'), 2047)
      const f = await put(join(dir, 'bomb.layerscope'), sessionContainer(stored, 2 ** 31 - 1, true))
      return { argv: ['session', f], expect: refused(f, /larger than|at most|limit/) }
    }
  },
  ...(
    [
      ['session-shape-1e9-0', [1e9, 0]],
      ['session-shape-4e9-0', [4e9, 0]]
    ] as const
  ).map(([id, shape]): HostileCase => ({
    id,
    source: 'issue',
    title: `a session block declaring shape [${shape.join(', ')}] with no numbers`,
    build: async (dir) => {
      const raw = sessionPayload(
        JSON.stringify({
          blocks: [{ type: 'f64', offset: 0, count: 0 }],
          value: { x: { $b: 0, shape } }
        })
      )
      const f = await put(join(dir, 'shape.layerscope'), sessionContainer(raw, raw.length, false))
      return { argv: ['session', f], expect: refused(f, /shape/) }
    }
  })),
  {
    id: 'session-deep-nesting',
    source: 'issue',
    title: 'a session payload nested 100,000 arrays deep',
    build: async (dir) => {
      const raw = sessionPayload(
        `{"blocks":[],"value":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
      )
      const f = await put(join(dir, 'deep.layerscope'), sessionContainer(raw, raw.length, false))
      return { argv: ['session', f], expect: refused(f, /deep/) }
    }
  },
  ...([2000, 20000] as const).map((rows): HostileCase => ({
    id: `net-wide-${rows}`,
    source: 'issue',
    title: `NET.json 1 → 100,000 → 2 with ${rows.toLocaleString('en')} rows`,
    build: async (dir) => {
      const wide = 100_000
      const net = {
        format: 'layerscope.net',
        version: 1,
        inputSize: 1,
        layers: [
          { type: 'affine', W: [new Array(wide).fill(0.01)], b: new Array(wide).fill(0) },
          { type: 'relu' },
          { type: 'affine', W: Array.from({ length: wide }, () => [0.01, -0.01]), b: [0, 0] }
        ],
        loss: 'softmax',
        reg: 0
      }
      const n = await put(join(dir, 'wide.json'), JSON.stringify(net))
      const d = await put(
        join(dir, 'rows.json'),
        JSON.stringify({
          X: Array.from({ length: rows }, (_, i) => [i % 7]),
          y: Array.from({ length: rows }, (_, i) => i % 2)
        })
      )
      return {
        argv: ['loss', '--net', n, '--data', d],
        expect: refused(d, /activation matrix/)
      }
    }
  })),
  {
    id: 'depth-total',
    source: 'issue',
    title: 'depth --layers 100 --width 400 --samples 50000 --dtype float64 (7 GB)',
    build: async () => ({
      argv: [
        'depth',
        '--layers',
        '100',
        '--width',
        '400',
        '--samples',
        '50000',
        '--dtype',
        'float64'
      ],
      expect: refused('--samples', /memory|MB|GB/)
    })
  },
  {
    id: 'train-total',
    source: 'issue',
    title: 'train --synthetic 59000 --val 1000 --hidden 4096,4096,4096 --batch 4000 (several GB)',
    build: async () => ({
      argv: [
        'train',
        '--synthetic',
        '59000',
        '--val',
        '1000',
        '--hidden',
        '4096,4096,4096',
        '--batch',
        '4000'
      ],
      expect: refused('--', /memory|MB|GB/)
    })
  },
  {
    id: 'compare-total',
    source: 'issue',
    title: 'compare depth, 8 runs of 50 layers × 10,000 samples × 400 wide at once',
    build: async () => ({
      argv: [
        'compare',
        'depth',
        '--layers',
        '50',
        '--width',
        '400',
        '--samples',
        '10000',
        '--vary',
        'seed=1,2,3,4,5,6,7,8'
      ],
      expect: refused('--', /memory|MB|GB/)
    })
  },
  {
    id: 'compare-grid-total',
    source: 'issue',
    title: 'compare train grid, 16 runs of a 51,000-example synthetic set, 2 at once',
    build: async () => ({
      argv: [
        'compare',
        'train',
        '--synthetic',
        '50000',
        '--val',
        '1000',
        '--vary',
        'lr=1e-3,1e-2,1e-1,1',
        '--vary',
        'seed=1,2,3,4',
        '--threads',
        '2'
      ],
      expect: refused('--vary', /memory|MB|GB/)
    })
  },
  ...(
    [
      ['pickle-shape-2e31', [2 ** 31, 3072]],
      ['pickle-shape-neg', [-1, 3072]],
      ['pickle-shape-1e6', [1e6, 3072]]
    ] as const
  ).map(([id, shape]): HostileCase => ({
    id,
    source: 'issue',
    title: `a pickle whose 'data' declares shape (${shape.join(', ')}) over 3072 bytes`,
    build: async (dir) => {
      const d = join(dir, 'cifar-10-batches-py')
      const f = await put(join(d, 'data_batch_1'), pickleWithShape([...shape], 3072))
      return { argv: ['dataset', d], expect: refused(f, /shape|holds|bytes/) }
    }
  })),
  ...(
    [
      ['sparse-12g', 3_904_000],
      ['sparse-825g', 268_467_000]
    ] as const
  ).map(([id, records]): HostileCase => ({
    id,
    source: 'issue',
    title: `a sparse ${Math.round((records * 3073) / 1e9)} GB data_batch_1.bin`,
    build: async (dir) => {
      const d = await binFolder(dir)
      const f = join(d, 'data_batch_1.bin')
      await truncate(f, records * 3073)
      return {
        argv: ['dataset', d],
        expect: refused(f, /larger than|at most|10000 records|10,000/)
      }
    }
  })),
  {
    id: 'gzip-isize-4g',
    source: 'issue',
    title: 'a .tar.gz whose gzip size field says 4 GiB',
    build: async (dir) => {
      const gz = tarGz(tarBytes(binMembers()))
      gz.writeUInt32LE(0xffffffff, gz.length - 4)
      const f = await put(join(dir, 'cifar-10-binary.tar.gz'), gz)
      return { argv: ['dataset', f], expect: refused(f, /gzip|size|damaged/) }
    }
  },
  {
    id: 'tar-member-3g',
    source: 'issue',
    title: 'a tar member data_batch_1.bin declaring 3.4 GB',
    build: async (dir) => {
      const size = 3073 * 1_100_000
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        tarGz(
          Buffer.concat([
            tarHeader('cifar-10-batches-bin/data_batch_1.bin', size),
            Buffer.alloc(3073 * 4)
          ])
        )
      )
      return { argv: ['dataset', f], expect: refused('data_batch_1.bin', /larger than|at most/) }
    }
  },
  // ------------------------------------------------------------------ silently wrong data
  {
    id: 'batch-0-beside-1',
    source: 'issue',
    title: 'data_batch_0.bin beside data_batch_1.bin',
    build: async (dir) => {
      const d = await binFolder(dir)
      await writeFile(join(d, 'data_batch_0.bin'), binaryBatchBytes(syntheticBatch(7, 5)))
      return {
        argv: ['dataset', d, '--json'],
        expect: {
          kind: 'accepted',
          check: (r) => {
            expect(r.code).toBe(0)
            const j = JSON.parse(r.stdout) as {
              splits: { train: { count: number; files: string[] }; test: { count: number } }
              warnings: string[]
            }
            expect(j.splits.train.count).toBe(12)
            expect(j.splits.test.count).toBe(5)
            expect(j.splits.train.files).toEqual(['data_batch_1.bin'])
            expect(j.warnings.join('\n')).toMatch(/data_batch_0\.bin.*not an official/)
          }
        }
      }
    }
  },
  {
    id: 'batch-0-alone',
    source: 'issue',
    title: 'data_batch_0.bin alone (train = 0, statistics NaN)',
    build: async (dir) => {
      const d = join(dir, 'cifar-10-batches-bin')
      await put(join(d, 'data_batch_0.bin'), binaryBatchBytes(b1))
      return { argv: ['dataset', d], expect: refused(d, /no training batch|no official/) }
    }
  },
  {
    id: 'batch-01',
    source: 'issue',
    title: 'data_batch_01.bin beside data_batch_1.bin (train doubles)',
    build: async (dir) => {
      const d = await binFolder(dir)
      await writeFile(join(d, 'data_batch_01.bin'), binaryBatchBytes(b1))
      return {
        argv: ['dataset', d, '--json'],
        expect: {
          kind: 'accepted',
          check: (r) => {
            expect(r.code).toBe(0)
            const j = JSON.parse(r.stdout) as {
              splits: { train: { count: number } }
              warnings: string[]
            }
            expect(j.splits.train.count).toBe(12)
            expect(j.warnings.join('\n')).toMatch(/data_batch_01\.bin.*not an official/)
          }
        }
      }
    }
  },
  {
    id: 'pickle-zero-records',
    source: 'issue',
    title: 'a pickle batch with zero records (statistics NaN)',
    build: async (dir) => {
      const d = join(dir, 'cifar-10-batches-py')
      await put(
        join(d, 'data_batch_1'),
        pickleBatchBytes({ labels: new Uint8Array(0), pixels: new Uint8Array(0) })
      )
      return {
        argv: ['dataset', d],
        expect: refused(d, /no training records|training split is empty|empty/)
      }
    }
  },
  {
    id: 'val-0-no-train',
    source: 'issue',
    title: 'preprocess --val 0 on a copy with no training records ("from 0 to -1")',
    build: async (dir) => {
      const d = join(dir, 'cifar-10-batches-py')
      await put(
        join(d, 'data_batch_1'),
        pickleBatchBytes({ labels: new Uint8Array(0), pixels: new Uint8Array(0) })
      )
      await put(join(d, 'test_batch'), pickleBatchBytes(tb))
      return {
        argv: ['preprocess', d, '--mode', 'none', '--val', '0'],
        expect: refused(d, /^(?!.*from 0 to -1).*(no training records|empty)/)
      }
    }
  },
  {
    id: 'tar-dup-train',
    source: 'issue',
    title: 'a tar with data_batch_1.bin twice (train = 2 copies)',
    build: async (dir) => {
      const m = binMembers()
      const f = await put(join(dir, 'cifar-10-binary.tar.gz'), tarGz(tarBytes([...m, m[1]!])))
      return {
        argv: ['dataset', f],
        expect: refused('data_batch_1.bin', /twice|more than once|duplicate/)
      }
    }
  },
  {
    id: 'tar-dup-test',
    source: 'issue',
    title: 'a tar with test_batch.bin twice (the last silently wins)',
    build: async (dir) => {
      const m = binMembers()
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        tarGz(tarBytes([...m, { name: m[2]!.name, data: binaryBatchBytes(syntheticBatch(3, 9)) }]))
      )
      return {
        argv: ['dataset', f],
        expect: refused('test_batch.bin', /twice|more than once|duplicate/)
      }
    }
  },
  ...(
    [
      ['tar-dotdot', '../../x/data_batch_1.bin'],
      ['tar-absolute', '/abs/cifar-10-batches-bin/data_batch_1.bin']
    ] as const
  ).map(([id, name]): HostileCase => ({
    id,
    source: 'issue',
    title: `a tar member named ${name}`,
    build: async (dir) => {
      const m = binMembers()
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        tarGz(tarBytes([{ name, data: m[1]!.data }, m[2]!]))
      )
      return { argv: ['dataset', f], expect: refused(name, /outside|absolute|\.\./) }
    }
  })),
  {
    id: 'session-symlink',
    source: 'issue',
    title: '--session LINK, a symlink to a session (the link was replaced by a file)',
    build: async (dir) => {
      const real = await session(join(dir, 'real'))
      const link = join(dir, 'link.layerscope')
      await symlink(real, link)
      return {
        argv: [...DEPTH, '--session', link],
        expect: {
          kind: 'accepted',
          check: async (r) => {
            expect(r.stderr).toBe('')
            expect(r.code).toBe(0)
            expect((await lstat(link)).isSymbolicLink()).toBe(true)
            expect(await readlink(link)).toBe(real)
            expect(decodeSession(await readFile(real)).runs).toHaveLength(1)
          }
        }
      }
    }
  },
  {
    id: 'session-readonly',
    source: 'issue',
    title: 'a read-only (0444) session is silently replaced',
    build: async (dir) => {
      const f = await session(dir)
      await chmod(f, 0o444)
      return { argv: [...DEPTH, '--session', f], expect: refused(f, /read-only/) }
    }
  },
  {
    id: 'repeated-option',
    source: 'issue',
    title: '--layers 3 --layers 5 silently takes 5',
    build: async () => ({
      argv: ['depth', '--layers', '3', '--layers', '5', '--width', '4', '--samples', '4'],
      expect: refused('--layers', /more than once|twice|repeated/)
    })
  },
  // ------------------------------------------------------------------ messages
  {
    id: 'session-folder-unwritable',
    source: 'issue',
    title: '--session in a folder that cannot be written (trace, after the run)',
    build: async () => {
      const f = '/proc/layerscope-hostile.layerscope'
      return {
        argv: [...DEPTH, '--session', f],
        expect: refused(f, /cannot be (written|created)|cannot create|not writable/)
      }
    }
  },
  {
    id: 'lock-is-folder',
    source: 'issue',
    title: 'a folder where the lock file goes',
    build: async (dir) => {
      const f = await session(dir)
      await mkdir(`${f}.lock`)
      return {
        argv: [...DEPTH, '--session', f],
        expect: refused(`${f}.lock`, /folder|not a regular file/)
      }
    }
  },
  {
    id: 'bak-is-folder',
    source: 'issue',
    title: 'a folder where the .bak goes',
    build: async (dir) => {
      const f = await session(dir)
      await mkdir(`${f}.bak`)
      return {
        argv: [...DEPTH, '--session', f],
        expect: refused(`${f}.bak`, /folder|not a regular file/)
      }
    }
  },
  {
    id: 'live-lock',
    source: 'issue',
    title: 'a session locked by a live process (took 10 s to report)',
    build: async (dir) => {
      const f = await session(dir)
      await liveLock(f, process.pid)
      return { argv: [...DEPTH, '--session', f], expect: refused(f, /busy/) }
    }
  },
  {
    id: 'class-name-escapes',
    source: 'issue',
    title: 'class names with ESC, BEL and OSC sequences in batches.meta.txt',
    build: async (dir) => {
      const d = await binFolder(dir)
      const names = [
        'air\x1b[2Jplane',
        'auto\x07',
        '\x1b]0;pwned\x07bird',
        'cat',
        'deer',
        'dog',
        'frog',
        'horse',
        'ship',
        'truck'
      ]
      await writeFile(join(d, 'batches.meta.txt'), metaTxtBytes(names))
      return {
        argv: ['dataset', d],
        expect: {
          kind: 'accepted',
          check: (r) => {
            expect(r.code).toBe(0)
            noControl(r.stdout)
            noControl(r.stderr)
            expect(r.stdout).toMatch(/air\\x1b\[2Jplane/)
          }
        }
      }
    }
  },
  {
    id: 'path-newline',
    source: 'issue',
    title: 'a path with a newline faking a second message',
    build: async (dir) => {
      const f = join(dir, 'x\nlayerscope dataset: all good')
      return {
        argv: ['dataset', f],
        expect: refused('x\\nlayerscope dataset: all good', /does not exist/)
      }
    }
  },
  {
    id: 'layers-negative',
    source: 'issue',
    title: '--layers -1 (three-line "ambiguous")',
    build: async () => ({
      argv: ['depth', '--layers', '-1'],
      expect: refused('--layers', /at least 1 \(got -1\)/)
    })
  },
  {
    id: 'seed-limit',
    source: 'issue',
    title: '--seed 2⁵³ says the limit is 2⁵³ − 1, not 2³² − 1',
    build: async () => ({
      argv: [...DEPTH, '--seed', String(2 ** 53)],
      expect: refused('--seed', /at most 4294967295/)
    })
  },
  {
    id: 'pickle-neg-length',
    source: 'issue',
    title: 'a pickle string whose length field is negative (Node\'s "size" out of range)',
    build: async (dir) => {
      const d = join(dir, 'cifar-10-batches-py')
      const f = await put(
        join(d, 'data_batch_1'),
        P([0x80, 2], '}(', U('data'), 'T', [0xff, 0xff, 0xff, 0xff], 'xx')
      )
      return { argv: ['dataset', d], expect: refused(f, /length|ends|truncated/) }
    }
  },
  // ------------------------------------------------------------------ our own
  {
    id: 'fifo-dataset-path',
    source: 'own',
    title: 'train --data a FIFO',
    build: async (dir) => {
      const f = join(dir, 'pipe')
      mkfifo(f)
      return {
        argv: ['train', '--data', f],
        expect: refused(f, /neither|not a regular file|not a folder/)
      }
    }
  },
  {
    id: 'zero-archive',
    source: 'own',
    title: 'cifar-10-binary.tar.gz a symlink to /dev/zero',
    build: async (dir) => {
      const f = join(dir, 'cifar-10-binary.tar.gz')
      await symlink('/dev/zero', f)
      return { argv: ['dataset', f], expect: refused(f, /not a regular file|neither/) }
    }
  },
  {
    id: 'fifo-archive-in-folder',
    source: 'own',
    title: 'a folder whose cifar-10-binary.tar.gz is a FIFO',
    build: async (dir) => {
      const f = join(dir, 'cifar-10-binary.tar.gz')
      mkfifo(f)
      return { argv: ['dataset', dir], expect: refused(f, /not a regular file|neither/) }
    }
  },
  {
    id: 'fifo-py-batch',
    source: 'own',
    title: 'a FIFO as a python data_batch_1',
    build: async (dir) => {
      const d = await pyFolder(dir)
      const f = join(d, 'data_batch_1')
      await (await import('node:fs/promises')).rm(f)
      mkfifo(f)
      return { argv: ['dataset', d], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'zero-py-meta',
    source: 'own',
    title: 'python batches.meta a symlink to /dev/zero',
    build: async (dir) => {
      const d = await pyFolder(dir)
      const f = join(d, 'batches.meta')
      await (await import('node:fs/promises')).rm(f)
      await symlink('/dev/zero', f)
      return { argv: ['dataset', d], expect: refused(f, NOT_REGULAR) }
    }
  },
  {
    id: 'dangling-data-batch',
    source: 'own',
    title: 'data_batch_1.bin a dangling symlink',
    build: async (dir) => {
      const d = await binFolder(dir)
      const f = join(d, 'data_batch_1.bin')
      await (await import('node:fs/promises')).rm(f)
      await symlink(join(dir, 'gone'), f)
      return { argv: ['dataset', d], expect: refused(f, /does not exist|dangling|missing/) }
    }
  },
  {
    id: 'loop-data-batch',
    source: 'own',
    title: 'data_batch_1.bin a symlink loop',
    build: async (dir) => {
      const d = await binFolder(dir)
      const f = join(d, 'data_batch_1.bin')
      await (await import('node:fs/promises')).rm(f)
      await symlink(f, f)
      return { argv: ['dataset', d], expect: refused(f, /symlink|loop|cannot/) }
    }
  },
  {
    id: 'dev-null-session',
    source: 'own',
    title: '`session /dev/null`',
    build: async () => ({
      argv: ['session', '/dev/null'],
      expect: refused('/dev/null', NOT_REGULAR)
    })
  },
  {
    id: 'sparse-session',
    source: 'own',
    title: 'a sparse 3 GB session file',
    build: async (dir) => {
      const f = join(dir, 'huge.layerscope')
      await writeFile(f, '')
      await truncate(f, 3e9)
      return { argv: ['session', f], expect: refused(f, /larger than|at most|limit/) }
    }
  },
  {
    id: 'session-newline-name',
    source: 'own',
    title: '--session with a newline and an escape in its name, folder missing',
    build: async (dir) => {
      const f = join(dir, 'no', 'a\n\x1b[31mb.layerscope')
      return {
        argv: [...DEPTH, '--session', f],
        expect: refused('a\\n\\x1b[31mb.layerscope', /does not exist/)
      }
    }
  },
  {
    id: 'tar-symlink-member',
    source: 'own',
    title: 'a tar whose only data_batch_1.bin is a symlink member',
    build: async (dir) => {
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        tarGz(
          tarBytes([
            { name: 'cifar-10-batches-bin/data_batch_1.bin', data: new Uint8Array(0), type: '2' }
          ])
        )
      )
      return {
        argv: ['dataset', f],
        expect: refused('data_batch_1.bin', /not a regular file|symlink|link/)
      }
    }
  },
  {
    id: 'tar-meta-huge',
    source: 'own',
    title: 'a tar member batches.meta.txt declaring 1 GB',
    build: async (dir) => {
      const m = binMembers()
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        tarGz(
          Buffer.concat([
            tarBytes(m.slice(1)).subarray(0, -1024),
            tarHeader('cifar-10-batches-bin/batches.meta.txt', 1e9),
            Buffer.alloc(4096)
          ])
        )
      )
      return { argv: ['dataset', f], expect: refused('batches.meta.txt', /larger than|at most/) }
    }
  },
  {
    id: 'bin-10001-records',
    source: 'own',
    title: 'data_batch_1.bin with 10,001 records (more than a CIFAR-10 batch)',
    build: async (dir) => {
      const d = await binFolder(dir)
      const f = join(d, 'data_batch_1.bin')
      await writeFile(f, Buffer.alloc(3073 * 10_001))
      return { argv: ['dataset', d], expect: refused(f, /10,000|10000|larger than/) }
    }
  },
  {
    id: 'pickle-deep',
    source: 'own',
    title: 'a pickle nesting 100,000 empty lists',
    build: async (dir) => {
      const d = join(dir, 'cifar-10-batches-py')
      const f = await put(
        join(d, 'data_batch_1'),
        P([0x80, 2], '('.repeat(100_000), ']'.repeat(1), 'a'.repeat(0), '.')
      )
      return { argv: ['dataset', d], expect: refused(f, /pickle|not a CIFAR-10|deep|mark/) }
    }
  },
  {
    id: 'pickle-huge-string',
    source: 'own',
    title: 'a pickle BINSTRING declaring 2 GiB in a 10-byte file',
    build: async (dir) => {
      const d = join(dir, 'cifar-10-batches-py')
      const f = await put(
        join(d, 'data_batch_1'),
        P([0x80, 2], 'T', [0xff, 0xff, 0xff, 0x7f], 'abc')
      )
      return { argv: ['dataset', d], expect: refused(f, /ends|truncated|length/) }
    }
  },
  {
    id: 'net-deep-json',
    source: 'own',
    title: 'NET.json nested 100,000 arrays deep',
    build: async (dir) => {
      const { data } = await netFiles(dir)
      const n = await put(
        join(dir, 'deep.json'),
        `{"layers":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
      )
      return {
        argv: ['loss', '--net', n, '--data', data],
        expect: refused(n, /deep|layers|invalid|not/)
      }
    }
  },
  {
    id: 'net-million-layers',
    source: 'own',
    title: 'NET.json with 100,000 relu layers',
    build: async (dir) => {
      const { data } = await netFiles(dir)
      const net = {
        ...NET,
        layers: [NET.layers[0], ...new Array(100_000).fill({ type: 'relu' }), NET.layers[2]]
      }
      const n = await put(join(dir, 'long.json'), JSON.stringify(net))
      return {
        argv: ['loss', '--net', n, '--data', data],
        expect: refused(n, /layers|at most|too many/)
      }
    }
  },
  {
    id: 'control-in-option',
    source: 'own',
    title: '--layers with an escape sequence as its value',
    build: async () => ({
      argv: ['depth', '--layers', '\x1b[2J'],
      expect: refused('--layers', /not a (whole )?number/)
    })
  },
  {
    id: 'control-in-command',
    source: 'own',
    title: 'an unknown command that is an OSC sequence',
    build: async () => ({
      argv: ['\x1b]0;pwned\x07'],
      expect: refused('\\x1b]0;pwned\\x07', /unknown command/)
    })
  },
  {
    id: 'control-in-positional',
    source: 'own',
    title: 'an unexpected argument with BEL',
    build: async () => ({
      argv: [...DEPTH, 'x\x07'],
      expect: refused('x\\x07', /unexpected argument/)
    })
  },
  {
    id: 'control-in-member',
    source: 'own',
    title: 'a tar member name with an escape sequence and a bad label',
    build: async (dir) => {
      const bad = binaryBatchBytes(b1)
      bad[0] = 200
      const name = 'x\x1b[31m/data_batch_1.bin'
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        tarGz(tarBytes([{ name, data: bad }]))
      )
      return { argv: ['dataset', f], expect: refused('x\\x1b[31m/data_batch_1.bin', /label/) }
    }
  },
  {
    id: 'repeated-session',
    source: 'own',
    title: '--session a --session b',
    build: async (dir) => ({
      argv: [
        ...DEPTH,
        '--session',
        join(dir, 'a.layerscope'),
        '--session',
        join(dir, 'b.layerscope')
      ],
      expect: refused('--session', /more than once/)
    })
  },
  {
    id: 'repeated-threads',
    source: 'own',
    title: '--threads 1 --threads 2',
    build: async () => ({
      argv: [...DEPTH, '--threads', '1', '--threads', '2'],
      expect: refused('--threads', /more than once/)
    })
  },
  {
    id: 'session-parent-file',
    source: 'own',
    title: '--session under a path whose "folder" is a file',
    build: async (dir) => {
      const p = await put(join(dir, 'plain.txt'), 'x')
      return {
        argv: [...DEPTH, '--session', join(p, 's.layerscope')],
        expect: refused(p, /not a folder|does not exist/)
      }
    }
  },
  {
    id: 'lock-symlink-to-file',
    source: 'own',
    title: "the session's lock a symlink to someone's file",
    build: async (dir) => {
      const f = await session(dir)
      const other = await put(join(dir, 'precious.txt'), 'keep me')
      await symlink(other, `${f}.lock`)
      return { argv: [...DEPTH, '--session', f], expect: refused(`${f}.lock`, NOT_REGULAR) }
    }
  },
  {
    id: 'tar-pax-size',
    source: 'own',
    title: 'a pax header declaring data_batch_1.bin 99,999,999,999 bytes',
    build: async (dir) => {
      const rec = (k: string, v: string) => {
        const body = ` ${k}=${v}\n`
        let len = body.length + 2
        while (String(len).length + body.length !== len) len++
        return `${len}${body}`
      }
      const pax = Buffer.from(rec('size', '99999999999'), 'latin1')
      const paxHeader = tarHeader('PaxHeader/data_batch_1.bin', pax.length, 'x')
      const f = await put(
        join(dir, 'cifar-10-binary.tar.gz'),
        tarGz(
          Buffer.concat([
            paxHeader,
            pax,
            Buffer.alloc(512 - pax.length),
            tarHeader('cifar-10-batches-bin/data_batch_1.bin', 3073),
            Buffer.alloc(4096)
          ])
        )
      )
      return { argv: ['dataset', f], expect: refused('data_batch_1.bin', /larger than|at most/) }
    }
  },
  {
    id: 'sanity-total',
    source: 'own',
    title: 'sanity --synthetic 100000 --hidden 2048 (1.2 GB of inputs)',
    build: async () => ({
      argv: ['sanity', '--synthetic', '100000', '--hidden', '2048'],
      expect: refused('--', /memory|MB|GB/)
    })
  },
  {
    id: 'session-huge-block-count',
    source: 'own',
    title: 'a session block declaring 2³⁰ numbers in an 8-byte binary section',
    build: async (dir) => {
      const raw = sessionPayload(
        JSON.stringify({ blocks: [{ type: 'f64', offset: 0, count: 2 ** 30 }], value: { $b: 0 } }),
        new Uint8Array(8)
      )
      const f = await put(join(dir, 'count.layerscope'), sessionContainer(raw, raw.length, false))
      return { argv: ['session', f], expect: refused(f, /block|bounds/) }
    }
  },
  {
    id: 'session-header-raw-huge',
    source: 'own',
    title: 'a session header declaring a 2 GiB payload over 40 stored bytes',
    build: async (dir) => {
      const raw = sessionPayload('{"blocks":[],"value":{}}')
      const { deflateRawSync } = await import('node:zlib')
      const f = await put(
        join(dir, 'raw.layerscope'),
        sessionContainer(deflateRawSync(raw), 2 ** 31 - 1, true)
      )
      return { argv: ['session', f], expect: refused(f, /larger than|at most|limit|header says/) }
    }
  },
  {
    id: 'gradcheck-net-sample-huge',
    source: 'own',
    title: 'gradcheck --net of 1 → 20,000 → 2 over 500 samples with --sample 10000',
    build: async (dir) => {
      const wide = 20_000
      const net = {
        format: 'layerscope.net',
        version: 1,
        inputSize: 1,
        layers: [
          { type: 'affine', W: [new Array(wide).fill(0.01)], b: new Array(wide).fill(0) },
          { type: 'tanh' },
          { type: 'affine', W: Array.from({ length: wide }, () => [0.01, -0.01]), b: [0, 0] }
        ],
        loss: 'softmax',
        reg: 0
      }
      const n = await put(join(dir, 'wide.json'), JSON.stringify(net))
      const d = await put(
        join(dir, 'rows.json'),
        JSON.stringify({
          X: Array.from({ length: 500 }, (_, i) => [i % 7]),
          y: Array.from({ length: 500 }, (_, i) => i % 2)
        })
      )
      return {
        argv: ['gradcheck', '--net', n, '--data', d, '--sample', '10000'],
        expect: refused(n, /multiply-adds/)
      }
    }
  }
]
