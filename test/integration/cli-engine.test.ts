/**
 * The engine's CLI commands in-process (runCli with the TypeScript workers): JSON shapes of
 * ../shared/CLI.md, values against mathematics, exit codes and messages for bad input, and
 * `--session FILE` / `session FILE`.
 */
import { cli, type CliRun } from '../helpers/cli'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src-main/cli'
import { bootId } from '../../src-main/lab/sessions/fsx'
import { requireCifarSample } from '../helpers/fixtures'
import { openSession } from '../../src-main/lab/sessions'

/** A run that must succeed with --json: its one JSON document. */
async function json<T = Record<string, unknown>>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json')
  expect(r.stderr, argv.join(' ')).toBe('')
  expect(r.code, argv.join(' ')).toBe(0)
  return JSON.parse(r.stdout) as T
}

/** Bad input: exit 2, one message line on stderr naming what is wrong, no stack trace. */
async function bad(pattern: RegExp, ...argv: string[]): Promise<CliRun> {
  const r = await cli(...argv)
  expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(pattern)
  expect(r.stderr).not.toMatch(/\n\s+at /)
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  return r
}

let dir: string
const at = (name: string) => path.join(dir, name)

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-cli-engine-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

// ---------------------------------------------------------------- depth

interface DepthJson {
  config: Record<string, unknown>
  input: { mean: number; std: number }
  layers: {
    layer: number
    mean: number
    std: number
    preMean: number
    preStd: number
    saturated: number
    dead: number
    hist: { edges: number[]; counts: number[] }
    dW: { mean: number; std: number }
    dX: { mean: number; std: number }
  }[]
  loss: number
}

describe('layerscope depth', () => {
  it("reproduces the seed's experiment: tanh, N(0, 0.01), std shrinks by √500·0.01 ≈ 0.2236 per layer", async () => {
    const r = await json<DepthJson>(
      'depth',
      '--layers',
      '10',
      '--width',
      '500',
      '--samples',
      '1000'
    )
    expect(r.layers).toHaveLength(10)
    expect(Object.keys(r).sort()).toEqual(['config', 'input', 'layers', 'loss'])
    const keys = [
      'dW',
      'dX',
      'dead',
      'hist',
      'layer',
      'mean',
      'preMean',
      'preStd',
      'saturated',
      'std'
    ]
    for (const l of r.layers) expect(Object.keys(l).sort()).toEqual(keys)
    // Input N(0,1), 500 000 draws: the std is within a few 1/√(2n) of 1.
    expect(Math.abs(r.input.std - 1)).toBeLessThan(6 / Math.sqrt(2 * 500_000))
    // With tanh nearly linear at these scales, std(H_l) ≈ √(fan_in)·σ_w·std(H_{l−1}); the spread
    // of one layer's ratio over a 500×500 W is ≈ 1/√(2·500·500) ≈ 0.14 %: allow 2 %.
    const ratio = Math.sqrt(500) * 0.01
    expect(ratio).toBeCloseTo(0.2236, 4)
    for (let l = 2; l <= 10; l++) {
      const got = r.layers[l - 1]!.std / r.layers[l - 2]!.std
      expect(Math.abs(got / ratio - 1), `layer ${l}`).toBeLessThan(0.02)
    }
    // Layer 1: preStd = 0.2236 · std(X); tanh shrinks it by a factor E[tanh′] ≈ 1 − σ² (σ ≈ 0.22).
    expect(r.layers[0]!.preStd / r.input.std / ratio).toBeCloseTo(1, 1)
    const l1 = r.layers[0]!
    expect(l1.hist.counts.reduce((a, b) => a + b, 0)).toBe(1000 * 500)
    expect(l1.hist.edges).toHaveLength(51)
    expect(r.config).toMatchObject({ layers: 10, width: 500, activation: 'tanh', seed: 1 })
  })

  it("prints the seed's own wording without --json", async () => {
    const r = await cli('depth', '--layers', '3', '--width', '50', '--samples', '100')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^input layer had mean -?\d\.\d{6} and std \d\.\d{6}$/m)
    expect(r.stdout).toMatch(/^hidden layer 3 had mean -?\d\.\d{6} and std \d\.\d{6}$/m)
  })

  it('refuses bad options with exit 2 naming the option', async () => {
    await bad(/--layers: 'ten' is not a number/, 'depth', '--layers', 'ten')
    await bad(/--activation/, 'depth', '--activation', 'swish')
    await bad(
      /--samples: samples × width is too large/,
      'depth',
      '--samples',
      '50000',
      '--width',
      '4096'
    )
    await bad(/--std: /, 'depth', '--std=-1')
    await bad(/--input cifar needs --data/, 'depth', '--input', 'cifar')
    await bad(/--preprocess applies to --data/, 'depth', '--preprocess', 'zca')
    await bad(/unexpected argument 'extra'/, 'depth', 'extra')
    await bad(/--frobnicate|frobnicate/, 'depth', '--frobnicate', '1')
  })
})

// ---------------------------------------------------------------- loss

/**
 * A hand-computed net: x = [1, 1], y = 1.
 * h = relu(x·W1 + b1) = relu([1+3+0.5, 2+4−0.5]) = [4.5, 5.5];
 * scores = h·W2 = [4.5, −4.5 + 11] = [4.5, 6.5];
 * dataLoss = −log softmax(scores)[1] = log(1 + e^−2); regLoss = 0.1·(1+4+9+16 + 1+1+0+4) = 3.6.
 * With s = σ(−2) = 1/(1+e²): dscores = [s, −s]; dW2 = hᵀ·dscores + 2·0.1·W2; db2 = dscores;
 * dh = dscores·W2ᵀ = [2s, −2s] (both units active); dW1 = xᵀ·dh + 0.2·W1; db1 = dh.
 */
const NET = {
  format: 'layerscope.net',
  version: 1,
  inputSize: 2,
  layers: [
    {
      type: 'affine',
      W: [
        [1, 2],
        [3, 4]
      ],
      b: [0.5, -0.5]
    },
    { type: 'relu' },
    {
      type: 'affine',
      W: [
        [1, -1],
        [0, 2]
      ],
      b: [0, 0]
    }
  ],
  loss: 'softmax',
  reg: 0.1
}
const DATA = { X: [[1, 1]], y: [1] }

function expectedLoss() {
  const s = 1 / (1 + Math.exp(2))
  return {
    scores: [[4.5, 6.5]],
    dataLoss: Math.log(1 + Math.exp(-2)),
    regLoss: 3.6,
    dW2: [
      [4.5 * s + 0.2, -4.5 * s - 0.2],
      [5.5 * s, -5.5 * s + 0.4]
    ],
    db2: [s, -s],
    dW1: [
      [2 * s + 0.2, -2 * s + 0.4],
      [2 * s + 0.6, -2 * s + 0.8]
    ],
    db1: [2 * s, -2 * s]
  }
}

function expectMatrix(got: number[][], want: number[][], digits: number) {
  expect(got).toHaveLength(want.length)
  want.forEach((row, i) => row.forEach((v, j) => expect(got[i]![j]).toBeCloseTo(v, digits)))
}

describe('layerscope loss', () => {
  let netFile: string
  let dataFile: string
  beforeAll(async () => {
    netFile = at('net.json')
    dataFile = at('data.json')
    await writeFile(netFile, JSON.stringify(NET))
    await writeFile(dataFile, JSON.stringify(DATA))
  })

  interface LossJson {
    scores: number[][]
    loss: number
    dataLoss: number
    regLoss: number
    grads: ({ dW: number[][]; db: number[] } | null)[]
  }

  it('matches the hand computation, in float64 and float32', async () => {
    const want = expectedLoss()
    for (const [dtype, digits] of [
      ['float64', 12],
      ['float32', 5]
    ] as const) {
      const r = await json<LossJson>('loss', '--net', netFile, '--data', dataFile, '--dtype', dtype)
      expect(Object.keys(r).sort()).toEqual(['dataLoss', 'grads', 'loss', 'regLoss', 'scores'])
      expectMatrix(r.scores, want.scores, digits)
      expect(r.dataLoss).toBeCloseTo(want.dataLoss, digits)
      expect(r.regLoss).toBeCloseTo(want.regLoss, digits)
      expect(r.loss).toBeCloseTo(want.dataLoss + want.regLoss, digits)
      expect(r.grads).toHaveLength(3)
      expect(r.grads[1]).toBeNull()
      expectMatrix(r.grads[0]!.dW, want.dW1, digits)
      expectMatrix([r.grads[0]!.db], [want.db1], digits)
      expectMatrix(r.grads[2]!.dW, want.dW2, digits)
      expectMatrix([r.grads[2]!.db], [want.db2], digits)
    }
  })

  it('names the file for a missing, unreadable or malformed one (exit 2)', async () => {
    await bad(/--net NET.json is required/, 'loss', '--data', dataFile)
    await bad(/--data DATA.json is required/, 'loss', '--net', netFile)
    const missing = at('nope.json')
    await bad(
      new RegExp(`--net: ${missing}: no such file`),
      'loss',
      '--net',
      missing,
      '--data',
      dataFile
    )
    await bad(new RegExp(`--data: ${dir}.* is a folder`), 'loss', '--net', netFile, '--data', dir)
    const broken = at('broken.json')
    await writeFile(broken, '{ "format": "layerscope.net", ')
    await bad(
      new RegExp(`--net: ${broken} is not valid JSON`),
      'loss',
      '--net',
      broken,
      '--data',
      dataFile
    )
    const empty = at('empty.json')
    await writeFile(empty, '')
    await bad(new RegExp(`--data: ${empty} is empty`), 'loss', '--net', netFile, '--data', empty)
    await bad(/--dtype/, 'loss', '--net', netFile, '--data', dataFile, '--dtype', 'float16')
  })

  it('reports where in the net or the data the engine found a problem, with the file', async () => {
    const wrongRows = at('wrong-rows.json')
    const net = structuredClone(NET)
    net.layers[2] = {
      type: 'affine',
      W: [
        [1, -1],
        [0, 2],
        [3, 3]
      ],
      b: [0, 0]
    }
    await writeFile(wrongRows, JSON.stringify(net))
    await bad(
      new RegExp(`${wrongRows}: net\\.layers\\[2\\]\\.W: has 3 rows, but its input is 2 wide`),
      'loss',
      '--net',
      wrongRows,
      '--data',
      dataFile
    )
    const badLabel = at('bad-label.json')
    await writeFile(badLabel, JSON.stringify({ X: [[1, 1]], y: [7] }))
    await bad(
      new RegExp(`${badLabel}: data\\.y\\[0\\]: expected an integer class in 0…1`),
      'loss',
      '--net',
      netFile,
      '--data',
      badLabel
    )
  })
})

// ---------------------------------------------------------------- gradcheck

interface GradcheckJson {
  params: {
    name: string
    relError: number
    normRelError: number
    verdict: string
    kinks: number
    worst: { index: number[]; analytic: number; numeric: number }[]
  }[]
  maxRelError: number
  verdict: string
}

describe('layerscope gradcheck', () => {
  it("cs231n's toy net: every parameter great in float64", async () => {
    const r = await json<GradcheckJson>('gradcheck')
    expect(r.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    for (const p of r.params) {
      expect(p.normRelError, p.name).toBeLessThan(1e-7)
      expect(p.verdict).toBe('great')
      // CLI.md's keys, plus both ways of counting (docs/cli.md)
      expect(Object.keys(p).sort()).toEqual([
        'allEntries',
        'excludingKinks',
        'kinks',
        'name',
        'normRelError',
        'relError',
        'verdict',
        'worst'
      ])
    }
    expect(r.verdict).toBe('great')
    expect(r.maxRelError).toBe(Math.max(...r.params.map((p) => p.relError)))
  })

  it('deeper tanh net, --sample 3 entries per parameter, and the text table', async () => {
    const r = await json<GradcheckJson>(
      'gradcheck',
      '--activation',
      'tanh',
      '--layers',
      '3',
      '--sample',
      '3'
    )
    expect(r.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3'])
    expect(r.verdict).toBe('great')
    const t = await cli('gradcheck', '--activation', 'tanh')
    expect(t.code).toBe(0)
    expect(t.stdout).toMatch(/^W1\s+\S+\s+\S+\s+0\s+great$/m)
    expect(t.stdout).toMatch(/^verdict: great/m)
    // The bands as src-shared/verdicts.ts defines them (CLI.md's 1e-7 / 1e-4 / 1e-2).
    expect(t.stdout).toContain(
      'bands on normRelError: great < 1e-7, check < 1e-4, concern < 1e-2, wrong above)'
    )
  })

  it('checks a given --net/--data: the hand-computed net is great too', async () => {
    const netFile = at('gc-net.json')
    const dataFile = at('gc-data.json')
    await writeFile(netFile, JSON.stringify(NET))
    await writeFile(dataFile, JSON.stringify(DATA))
    const r = await json<GradcheckJson>('gradcheck', '--net', netFile, '--data', dataFile)
    expect(r.params.map((p) => p.name)).toEqual(['W1', 'b1', 'W2', 'b2'])
    expect(r.verdict).toBe('great')
    await bad(
      /--layers describes a generated net/,
      'gradcheck',
      '--net',
      netFile,
      '--data',
      dataFile,
      '--layers',
      '3'
    )
    await bad(/--net needs --data/, 'gradcheck', '--net', netFile)
    await bad(/--sample/, 'gradcheck', '--sample', '0')
    await bad(/--h/, 'gradcheck', '--h', 'abc')
  })
})

// ---------------------------------------------------------------- sanity

describe('layerscope sanity', () => {
  it('synthetic data: initial loss ≈ ln 10, regularization raises it, 20 examples overfit', async () => {
    const r = await json<{ checks: Record<string, unknown>[]; pass: boolean }>(
      'sanity',
      '--synthetic',
      '200',
      '--hidden',
      '20'
    )
    const [initial, reg, overfit] = r.checks as [
      { name: string; value: number; expected: number; pass: boolean },
      { name: string; values: { reg: number; loss: number }[]; pass: boolean },
      { name: string; examples: number; trainAcc: number; pass: boolean }
    ]
    expect(initial.name).toBe('initial-loss')
    expect(initial.expected).toBeCloseTo(Math.log(10), 12)
    // Weights N(0, 1e-4²): the scores are ~1e-3 and the loss is ln 10 to about 1e-5.
    expect(Math.abs(initial.value - Math.log(10))).toBeLessThan(1e-3)
    expect(reg.name).toBe('regularization-raises-loss')
    for (let i = 1; i < reg.values.length; i++) {
      expect(reg.values[i]!.loss).toBeGreaterThanOrEqual(reg.values[i - 1]!.loss)
    }
    expect(overfit).toMatchObject({
      name: 'overfit-small-subset',
      examples: 20,
      trainAcc: 1,
      pass: true
    })
    expect(r.pass).toBe(true)
    const t = await cli('sanity', '--synthetic', '50')
    expect(t.stdout).toMatch(/^PASS initial-loss: 2\.302/m)
    expect(t.stdout).toMatch(/^all checks passed$/m)
  })

  it('needs exactly one of --data and --synthetic', async () => {
    await bad(/give --data PATH \(CIFAR-10\) or --synthetic N/, 'sanity')
    await bad(
      /--data and --synthetic exclude each other/,
      'sanity',
      '--synthetic',
      '100',
      '--data',
      dir
    )
    await bad(/--synthetic: .*20/, 'sanity', '--synthetic', '5')
    await bad(/--hidden/, 'sanity', '--synthetic', '100', '--hidden', '0')
  })
})

// ---------------------------------------------------------------- sessions

describe('--session FILE and layerscope session', () => {
  it('depth and sanity on a real CIFAR-10 copy (--data): the session records the dataset', async (t) => {
    const sample = requireCifarSample(t)
    const file = at('cifar.layerscope')
    const data = path.join(sample, 'cifar-10-batches-bin')
    const r = await json<DepthJson>(
      'depth',
      '--data',
      data,
      '--preprocess',
      'channel-mean',
      '--samples',
      '100',
      '--layers',
      '2',
      '--width',
      '30',
      '--session',
      file
    )
    expect(r.config.inputWidth).toBe(3072)
    // Pixels on the 0–255 scale with the training channel means removed: far from raw (≈ 120).
    expect(Math.abs(r.input.mean)).toBeLessThan(20)
    const s = await json<{ pass: boolean }>('sanity', '--data', data, '--session', file)
    expect(typeof s.pass).toBe('boolean')
    const doc = await openSession(file)
    expect(doc.dataset).toMatchObject({ path: data, format: 'binary' })
    expect(doc.dataset!.fingerprint).toMatch(/^sha256:/)
    expect(doc.runs.map((x) => x.config.dataPath)).toEqual([data, data])
    expect(doc.runs.map((x) => x.kind)).toEqual(['depth', 'sanity'])
  })

  it('appends each run (created if missing) and `session FILE --json` lists them', async () => {
    const file = at('lab.layerscope')
    const d = await json<DepthJson>(
      'depth',
      '--layers',
      '2',
      '--width',
      '20',
      '--samples',
      '30',
      '--session',
      file
    )
    const netFile = at('s-net.json')
    const dataFile = at('s-data.json')
    await writeFile(netFile, JSON.stringify(NET))
    await writeFile(dataFile, JSON.stringify(DATA))
    const l = await json('loss', '--net', netFile, '--data', dataFile, '--session', file)
    const g = await json('gradcheck', '--layers', '2', '--session', file)
    const s = await json('sanity', '--synthetic', '40', '--hidden', '5', '--session', file)
    const summary = await json<{
      version: number
      runs: { id: string; kind: string; config: Record<string, unknown>; result: unknown }[]
    }>('session', file)
    expect(summary.version).toBe(1)
    expect(summary.runs.map((r) => r.kind)).toEqual(['depth', 'loss', 'gradcheck', 'sanity'])
    expect(new Set(summary.runs.map((r) => r.id)).size).toBe(4)
    for (const r of summary.runs)
      expect(Object.keys(r).sort()).toEqual(['config', 'id', 'kind', 'result'])
    // The result is exactly what the command printed.
    expect(summary.runs[0]!.result).toEqual(d)
    expect(summary.runs[1]!.result).toEqual(l)
    expect(summary.runs[2]!.result).toEqual(g)
    expect(summary.runs[3]!.result).toEqual(s)
    expect(summary.runs[0]!.config).toMatchObject({ layers: 2, width: 20, samples: 30, seed: 1 })
    expect(summary.runs[1]!.config).toEqual({ net: netFile, data: dataFile, dtype: 'float64' })
    const text = await cli('session', file)
    expect(text.stdout).toMatch(/4 run\(s\)/)
  })

  it('a damaged, foreign or folder session file: exit 2, nothing run, file byte-identical', async () => {
    const good = at('good.layerscope')
    await json('gradcheck', '--layers', '1', '--session', good)
    const bytes = await readFile(good)
    const flipped = Buffer.from(bytes)
    const i = Math.floor(flipped.length / 2)
    flipped[i] = flipped[i]! ^ 0x10
    const damaged = at('damaged.layerscope')
    await writeFile(damaged, flipped)
    const foreign = at('foreign.layerscope')
    await writeFile(foreign, 'just some text, not a session\n')
    const truncated = at('truncated.layerscope')
    await writeFile(truncated, bytes.subarray(0, bytes.length - 7))
    for (const [file, why] of [
      [damaged, /CHECKSUM|damaged|checksum/i],
      [foreign, /not a (Layerscope )?session|magic/i],
      [truncated, /truncated|shorter/i]
    ] as const) {
      const before = await readFile(file)
      const r = await bad(
        why,
        'depth',
        '--layers',
        '1',
        '--width',
        '5',
        '--samples',
        '5',
        '--session',
        file
      )
      expect(r.stderr).toContain(file)
      expect(r.stderr).toMatch(/^layerscope depth: --session: /)
      await bad(why, 'session', file)
      expect(Buffer.compare(await readFile(file), before)).toBe(0)
    }
    await bad(/is a folder/, 'gradcheck', '--session', dir)
    await bad(/is a folder/, 'session', dir)
    await bad(/no such file/, 'session', at('missing.layerscope'))
    await bad(
      /the folder .* does not exist/,
      'gradcheck',
      '--session',
      at('no/such/dir/x.layerscope')
    )
    await bad(/give the session FILE/, 'session')
  })

  describe('a file busy with another writer', () => {
    let holder: ChildProcess
    beforeAll(async () => {
      holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
      await new Promise((r) => holder.once('spawn', r))
    })
    afterAll(() => {
      if (holder.pid !== undefined) process.kill(holder.pid)
    })

    it('says it is busy before any work (exit 2, one line), leaving the session as it was', async () => {
      const file = at('busy.layerscope')
      await json('gradcheck', '--layers', '1', '--session', file)
      const before = await readFile(file)
      await mkdir(dir, { recursive: true })
      await writeFile(
        `${file}.lock`,
        JSON.stringify({
          pid: holder.pid,
          host: os.hostname(),
          boot: bootId(),
          createdAt: new Date().toISOString(),
          token: 'feedfacefeedface'
        })
      )
      process.env.LAYERSCOPE_SESSION_LOCK_MS = '300'
      try {
        const t0 = Date.now()
        const r = await cli('gradcheck', '--layers', '1', '--session', file)
        expect(Date.now() - t0).toBeLessThan(5000)
        expect(r.code).toBe(2)
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
        expect(r.stderr).toMatch(
          new RegExp(`--session: ${file} is busy: another Layerscope process \\(pid ${holder.pid}`)
        )
      } finally {
        delete process.env.LAYERSCOPE_SESSION_LOCK_MS
        await rm(`${file}.lock`, { force: true })
      }
      expect(Buffer.compare(await readFile(file), before)).toBe(0)
      const after = await json<{ runs: unknown[] }>('session', file)
      expect(after.runs).toHaveLength(1)
    })
  })
})

// ---------------------------------------------------------------- bench and internal errors

describe('layerscope bench', () => {
  it("prints CLI.md's shape (kernel, three GEMM shapes, epoch seconds, depth ms) and the one-core and all-core figures", async () => {
    const r = await cli('bench', '--repeats', '1', '--json')
    expect(r.code).toBe(0)
    const b = JSON.parse(r.stdout) as {
      kernel: string
      gemm: { shape: string; gflops: number }[]
      epochSeconds: number
      depthMs: number
      workers: number
      epochSecondsOneCore: number
      depthMsOneCore: number
      epochSecondsKernelLoop: number
      depthMsKernelLoop: number
    }
    expect(['wasm-relaxed-simd', 'wasm-simd', 'js']).toContain(b.kernel)
    // The CLI tests run a 1-thread pool: the all-core figures are the one-core ones.
    expect(b.workers).toBe(1)
    expect(b.epochSeconds).toBe(b.epochSecondsOneCore)
    expect(b.depthMs).toBe(b.depthMsOneCore)
    expect(b.epochSecondsKernelLoop).toBeGreaterThan(0)
    expect(b.depthMsKernelLoop).toBeGreaterThan(0)
    expect(r.stderr).toMatch(/bench: epoch on 1 worker/)
    expect(b.gemm.map((g) => g.shape)).toEqual(['1024x1024x1024', '200x3072x100', '1000x500x500'])
    for (const g of b.gemm) expect(g.gflops).toBeGreaterThan(0.1)
    expect(b.epochSeconds).toBeGreaterThan(0)
    expect(b.depthMs).toBeGreaterThan(0)
    // Progress went to stderr, one line per figure.
    expect(r.stderr).toMatch(/bench: gemm 1024x1024x1024/)
    await bad(/--repeats/, 'bench', '--repeats', '0')
  }, 300_000) // the full 50,000-example epoch and its data, on a loaded machine
})

describe('internal errors', () => {
  it('a worker that dies under the job is exit 1 with "internal error"', async () => {
    // A worker module whose gradcheck task takes its thread down.
    const worker = at('dying-worker.cjs')
    await writeFile(worker, 'module.exports = { gradcheck: () => process.exit(3) }\n')
    let stderr = ''
    const code = await runCli(['gradcheck'], {
      io: { stdout: () => undefined, stderr: (t) => (stderr += t) },
      workerFile: worker,
      threads: 1
    })
    expect(code).toBe(1)
    expect(stderr).toMatch(/^layerscope gradcheck: internal error: .*stopped/)
  })
})
