/**
 * `layerscope dataset` and `layerscope preprocess` in-process, over real workers: the JSON shapes
 * of ../shared/CLI.md with the numbers of the sample's README, and every bad copy as exit 2 with
 * one message on stderr that names the file, and no stack trace.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir, removeDir } from '../helpers/data-writers'
import { writeBadDatasets, type BadCase } from '../helpers/bad-datasets'
import { cli, type CliRun } from '../helpers/cli'
import { requireCifarSample } from '../helpers/fixtures'

let root: string
let bad: BadCase[]
beforeAll(async () => {
  root = await makeTempDir('layerscope-cli-data-')
  bad = await writeBadDatasets(root)
})
afterAll(() => removeDir(root))

/** Bad input: exit 2, exactly one line on stderr, nothing on stdout, no stack trace. */
function expectBadInput(r: CliRun, command: string, mentions: string): void {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr.startsWith(`layerscope ${command}: `)).toBe(true)
  expect(r.stderr.endsWith('\n')).toBe(true)
  expect(r.stderr.trimEnd()).not.toContain('\n')
  expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/)
  expect(r.stderr).toContain(mentions)
}

describe('layerscope dataset', () => {
  it('prints the CLI.md shape with the README numbers, for each form', async (ctx) => {
    const dir = requireCifarSample(ctx)
    for (const [form, files] of [
      ['cifar-10-batches-bin', [['data_batch_1.bin'], ['test_batch.bin']]],
      ['cifar-10-python.tar.gz', [['data_batch_1'], ['test_batch']]]
    ] as const) {
      const r = await cli('dataset', join(dir, form), '--json')
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout.trim().split('\n')).toHaveLength(1)
      const doc = JSON.parse(r.stdout) as Record<string, unknown>
      expect(Object.keys(doc).sort()).toEqual(
        ['classes', 'format', 'source', 'splits', 'stats', 'warnings'].sort()
      )
      expect(doc.format).toBe(form.includes('python') ? 'python' : 'binary')
      expect(doc.source).toBe(join(dir, form))
      expect(doc.classes).toEqual([
        'airplane',
        'automobile',
        'bird',
        'cat',
        'deer',
        'dog',
        'frog',
        'horse',
        'ship',
        'truck'
      ])
      const splits = doc.splits as Record<string, Record<string, unknown>>
      expect(Object.keys(splits).sort()).toEqual(['test', 'train'])
      expect(Object.keys(splits.train!).sort()).toEqual(['count', 'files', 'labelCounts'])
      expect(splits.train).toEqual({
        count: 600,
        files: files[0],
        labelCounts: [57, 77, 56, 52, 60, 47, 62, 62, 62, 65]
      })
      expect(splits.test).toEqual({
        count: 600,
        files: files[1],
        labelCounts: [66, 46, 58, 56, 51, 62, 70, 57, 63, 71]
      })
      const stats = doc.stats as { channelMean: number[]; channelStd: number[] }
      expect(Object.keys(stats).sort()).toEqual(['channelMean', 'channelStd'])
      const readme = { mean: [124.7653, 122.3856, 113.2925], std: [62.8491, 61.8182, 65.9042] }
      stats.channelMean.forEach((m, c) => expect(m).toBeCloseTo(readme.mean[c]!, 3))
      stats.channelStd.forEach((s, c) => expect(s).toBeCloseTo(readme.std[c]!, 3))
      const warnings = doc.warnings as string[]
      expect(warnings.some((w) => /data_batch_2.*missing/.test(w))).toBe(true)
    }
  })

  it('prints a readable summary without --json', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const r = await cli('dataset', join(dir, 'cifar-10-batches-py'))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('train: 600 images in data_batch_1')
    expect(r.stdout).toContain('cat 52')
    expect(r.stdout).toMatch(/warning: .*data_batch_2/)
  })

  it('every bad copy: exit 2, one line naming the file, no stack', async () => {
    for (const c of bad) {
      const r = await cli('dataset', c.path, '--json')
      expectBadInput(r, 'dataset', c.where.file)
    }
  })

  it('a missing, empty or extra PATH is bad input', async () => {
    expectBadInput(await cli('dataset', '--json'), 'dataset', 'PATH: missing')
    expectBadInput(await cli('dataset', ''), 'dataset', 'PATH: the dataset path is empty')
    expectBadInput(await cli('dataset', 'a', 'b'), 'dataset', "unexpected argument 'b'")
  })
})

describe('layerscope preprocess', () => {
  it('prints { mode, fit, after } fitted on the training split minus --val', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const path = join(dir, 'cifar-10-batches-bin')
    const r = await cli('preprocess', path, '--mode', 'channel-mean', '--val', '100', '--json')
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as {
      mode: string
      fit: { channelMean: number[]; channelStd: number[] }
      after: Record<string, { mean: number; std: number; channelMean: number[] }>
    }
    expect(Object.keys(doc).sort()).toEqual(['after', 'fit', 'mode'])
    expect(doc.mode).toBe('channel-mean')
    expect(Object.keys(doc.after).sort()).toEqual(['test', 'train', 'val'])
    // The fit, computed here from the file: first 500 records (100 held out), per channel.
    const buf = await readFile(join(path, 'data_batch_1.bin'))
    for (let c = 0; c < 3; c++) {
      let s = 0
      for (let r = 0; r < 500; r++)
        for (let p = 0; p < 1024; p++) s += buf[r * 3073 + 1 + c * 1024 + p]!
      expect(doc.fit.channelMean[c]).toBeCloseTo(s / (500 * 1024), 9)
    }
    for (const m of doc.after.train!.channelMean) expect(Math.abs(m)).toBeLessThan(1e-9)
    expect(Math.abs(doc.after.test!.mean)).toBeGreaterThan(1e-3)
  })

  it('bad options: exit 2 naming the option', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const path = join(dir, 'cifar-10-batches-bin')
    expectBadInput(await cli('preprocess', path, '--mode', 'whiten'), 'preprocess', '--mode')
    expectBadInput(await cli('preprocess', path), 'preprocess', '--mode')
    expectBadInput(
      await cli('preprocess', path, '--mode', 'none', '--val', 'x'),
      'preprocess',
      '--val'
    )
    expectBadInput(
      await cli('preprocess', path, '--mode', 'none', '--val', '600'),
      'preprocess',
      '--val 600'
    )
    expectBadInput(
      await cli('preprocess', path, '--mode', 'zca', '--epsilon', '0'),
      'preprocess',
      '--epsilon'
    )
  })

  it('pca --components K: K-wide output, the explained variance, options refused elsewhere', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const path = join(dir, 'cifar-10-batches-bin')
    const r = await cli('preprocess', path, '--mode', 'pca', '--components', '8', '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as {
      fit: Record<string, number | number[]>
      after: Record<string, { count: number; mean: number; std: number; channelMean: number[] }>
    }
    expect(doc.fit).toMatchObject({ count: 600, components: 8, samples: 600 })
    const eig = doc.fit.eigenvalues as number[]
    expect(eig).toHaveLength(3072)
    const total = eig.reduce((a, b) => a + Math.max(0, b), 0)
    const top8 = eig.slice(0, 8).reduce((a, b) => a + b, 0)
    expect(doc.fit.explainedVariance as number).toBeCloseTo(top8 / total, 6)
    expect(doc.fit.totalVariance as number).toBeCloseTo(total, 4)
    // 600 centred images span at most 599 dimensions.
    expect(eig[599]!).toBeLessThan(1e-10 * eig[0]!)
    // The training components are centred; their variance is the mean of the top 8 λ.
    expect(Math.abs(doc.after.train!.mean)).toBeLessThan(1e-9)
    expect(doc.after.train!.std).toBeCloseTo(Math.sqrt(top8 / 8), 5)
    expect(doc.after.train!.channelMean).toEqual([])
    const text = await cli('preprocess', path, '--mode', 'pca', '--components', '8')
    expect(text.stdout).toContain(
      `the top 8 eigenvectors keep ${(100 * (doc.fit.explainedVariance as number)).toFixed(1)} % of the variance`
    )
    expectBadInput(
      await cli('preprocess', path, '--mode', 'mean-image', '--components', '8'),
      'preprocess',
      '--components'
    )
    expectBadInput(
      await cli('preprocess', path, '--mode', 'pca', '--components', '0'),
      'preprocess',
      '--components'
    )
    expectBadInput(
      await cli('preprocess', path, '--mode', 'none', '--epsilon', '0.1'),
      'preprocess',
      '--epsilon'
    )
  }, 240_000)

  it('train --preprocess pca --components K trains a net of input width K', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const path = join(dir, 'cifar-10-batches-bin')
    const args = ['--data', path, '--preprocess', 'pca', '--val', '100', '--hidden', '20']
    const r = await cli('train', ...args, '--components', '16', '--epochs', '1', '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { status: string; final: { testAcc: number } }
    expect(doc.status).toBe('completed')
    expect(doc.final.testAcc).toBeGreaterThanOrEqual(0)
    expectBadInput(
      await cli('train', '--data', path, '--preprocess', 'zca', '--components', '16'),
      'train',
      '--components'
    )
    expectBadInput(
      await cli(
        'compare',
        'train',
        '--data',
        path,
        '--vary',
        'preprocess=none,zca',
        '--components',
        '16'
      ),
      'compare',
      '--components'
    )
  }, 240_000)

  it('a bad copy: exit 2 naming the file', async () => {
    const c = bad.find((b) => b.code === 'bin-size')!
    const r = await cli('preprocess', c.path, '--mode', 'mean-image')
    expectBadInput(r, 'preprocess', c.where.file)
    expect(r.stderr).toContain(`starting at byte ${3073 * 7}`)
  })
})

describe('--data on depth and sanity', () => {
  it('depth --data PATH --preprocess MODE: the first --samples training images, preprocessed', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const path = join(dir, 'cifar-10-batches-bin')
    const r = await cli(
      'depth',
      '--data',
      path,
      '--preprocess',
      'channel-mean',
      '--samples',
      '100',
      '--layers',
      '2',
      '--width',
      '20',
      '--dtype',
      'float64',
      '--json'
    )
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as {
      config: { inputWidth: number; input: string; preprocess: string; samples: number }
      input: { mean: number; std: number }
      layers: unknown[]
    }
    expect(doc.config).toMatchObject({
      inputWidth: 3072,
      input: 'cifar',
      preprocess: 'channel-mean',
      samples: 100
    })
    expect(doc.layers).toHaveLength(2)
    // Channel means of all 600 training images, subtracted from the first 100, computed here.
    const buf = await readFile(join(path, 'data_batch_1.bin'))
    const px = (r: number, f: number) => buf[r * 3073 + 1 + f]!
    const mean = [0, 1, 2].map((c) => {
      let s = 0
      for (let r = 0; r < 600; r++) for (let p = 0; p < 1024; p++) s += px(r, c * 1024 + p)
      return s / (600 * 1024)
    })
    let s1 = 0
    let s2 = 0
    for (let r = 0; r < 100; r++)
      for (let f = 0; f < 3072; f++) {
        const v = px(r, f) - mean[Math.floor(f / 1024)]!
        s1 += v
        s2 += v * v
      }
    const n = 100 * 3072
    expect(doc.input.mean).toBeCloseTo(s1 / n, 6)
    expect(doc.input.std).toBeCloseTo(Math.sqrt(s2 / n - (s1 / n) ** 2), 6)
  })

  it('depth --data: more --samples than training images, or a bad copy, is exit 2', async (ctx) => {
    const dir = requireCifarSample(ctx)
    expectBadInput(
      await cli('depth', '--data', join(dir, 'cifar-10-batches-py'), '--width', '10'),
      'depth',
      '--samples 1000: this dataset has 600 training image(s)'
    )
    const c = bad.find((b) => b.code === 'bad-label')!
    expectBadInput(await cli('depth', '--data', c.path, '--json'), 'depth', c.where.file)
  })

  it('sanity --data PATH runs the checks on the training images', async (ctx) => {
    const dir = requireCifarSample(ctx)
    const r = await cli(
      'sanity',
      '--data',
      join(dir, 'cifar-10-binary.tar.gz'),
      '--hidden',
      '20',
      '--json'
    )
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout) as {
      checks: { name: string; value?: number; examples?: number; pass: boolean }[]
      pass: boolean
    }
    expect(doc.checks.map((c) => c.name)).toEqual([
      'initial-loss',
      'regularization-raises-loss',
      'overfit-small-subset'
    ])
    expect(doc.checks[0]!.value).toBeCloseTo(Math.log(10), 2)
    expect(doc.checks[2]!.examples).toBe(20)
    expect(doc.pass).toBe(true)
    const c = bad.find((b) => b.code === 'pickle-truncated')!
    expectBadInput(await cli('sanity', '--data', c.path), 'sanity', c.where.file)
  })
})
