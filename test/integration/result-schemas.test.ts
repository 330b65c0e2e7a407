/**
 * Every result kind has a runtime schema (src-shared/result-schemas.ts): real results from the
 * workers pass it unchanged, the CLI's JSON text reads back to the same numbers, older results
 * are migrated, and a session whose stored result is not of its kind is refused on open, by
 * the run and field, with the open session kept.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope, JobKind } from '../../src-shared/contract'
import {
  DepthResultSchema,
  JOB_RESULT_SCHEMAS,
  TrainResultSchema
} from '../../src-shared/result-schemas'
import { TrainConfig } from '../../src-shared/experiments'
import type { SessionView } from '../../src-shared/session-api'
import { jsonReplacer } from '../../src-main/cli'
import type { LabService } from '../../src-main/lab/service'
import { appendRun } from '../../src-main/lab/sessions'
import { makeTestService } from '../helpers/service'

let service: LabService
let dir: string
beforeAll(async () => {
  service = makeTestService(2)
  dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-results-'))
})
afterAll(async () => {
  await service.close()
  await rm(dir, { recursive: true, force: true })
})

async function call<T>(name: string, args: unknown): Promise<Envelope<T>> {
  return (await service.call(name, args)) as Envelope<T>
}

describe('result schemas', () => {
  const cases: { kind: JobKind; config: unknown }[] = [
    { kind: 'sample', config: { n: 100, bins: 5 } },
    { kind: 'depth', config: { layers: 3, width: 20, samples: 50 } },
    { kind: 'gradcheck', config: { activation: 'tanh' } },
    { kind: 'activation-cost', config: { elements: 2000, repeats: 1 } },
    {
      kind: 'loss',
      config: {
        net: {
          format: 'layerscope.net',
          version: 1,
          inputSize: 1,
          layers: [{ type: 'affine', W: [[1, -1]], b: [0, 0] }],
          loss: 'softmax'
        },
        data: { X: [[1]], y: [0] }
      }
    },
    {
      kind: 'gradcheck-net',
      config: {
        net: {
          format: 'layerscope.net',
          version: 1,
          inputSize: 1,
          layers: [{ type: 'affine', W: [[1, -1]], b: [0, 0] }],
          loss: 'softmax'
        },
        data: { X: [[1]], y: [0] }
      }
    },
    {
      kind: 'train',
      config: { data: { type: 'synthetic', n: 60 }, hidden: [8], epochs: 1, batch: 20, val: 20 }
    },
    {
      kind: 'compare',
      config: {
        base: 'depth',
        config: { layers: 2, width: 8, samples: 20 },
        vary: { activation: ['tanh', 'relu'] }
      }
    }
  ]
  for (const { kind, config } of cases) {
    it(`a real ${kind} result passes its schema unchanged`, async () => {
      const started = await call<{ jobId: string }>('job:start', { kind, config })
      if (!started.ok) throw new Error(started.error.message)
      const done = await service.waitForJob(started.value.jobId)
      const parsed = JOB_RESULT_SCHEMAS[kind].safeParse(done.result)
      expect(parsed.error?.issues ?? []).toEqual([])
      expect(parsed.data).toEqual(done.result)
    }, 60_000)
  }

  it("reads the CLI's JSON text back to the exact numbers (NaN and ±Infinity included)", async () => {
    const done = await service.runJob('train', TrainConfig.parse(trainConfig()))
    const result = { ...done.result, losses: [...done.result.losses, NaN, Infinity, -Infinity] }
    const text = JSON.stringify(result, jsonReplacer)
    expect(text).toContain('"NaN"')
    const back = TrainResultSchema.parse(JSON.parse(text))
    expect(back.losses.slice(-3)).toEqual([NaN, Infinity, -Infinity])
    expect(back).toEqual(result)
  }, 60_000)

  it('migrates an older depth result: layers numbered by position, unmeasured parts empty', () => {
    const r = DepthResultSchema.parse({
      config: {
        layers: 1,
        width: 2,
        activation: 'tanh',
        init: 'xavier',
        samples: 3,
        inputWidth: 2,
        upstream: 'randn',
        bins: 5,
        seed: 1,
        bias: null,
        dtype: 'float32'
      },
      input: { mean: 0, std: 1 },
      layers: [{ mean: 0, std: 'NaN' }],
      loss: 1
    })
    expect(r.layers[0]).toMatchObject({ layer: 1, std: NaN, hist: { edges: [], counts: [] } })
    expect(r.layers[0]!.dW.std).toBeNaN()
  })

  it('refuses a string where a number belongs, and a missing field, naming where', () => {
    const bad = DepthResultSchema.safeParse({
      config: {},
      input: { mean: 0, std: '1' },
      layers: [],
      loss: 0
    })
    expect(bad.success).toBe(false)
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual(
      expect.arrayContaining(['input.std', 'config.layers'])
    )
  })
})

describe('session open validates every run', () => {
  it('a run whose result is not of its kind is refused by run and field; the open session stays', async () => {
    const file = path.join(dir, 'bad.layerscope')
    await appendRun(
      file,
      {
        kind: 'sample',
        config: {},
        result: { n: 1, seed: 1, mean: 0, std: 'x', hist: { edges: [], counts: [] } }
      },
      { appVersion: 'test' }
    )
    const before = await call<SessionView>('session:current', {})
    const res = await call<SessionView>('session:open', { file })
    expect(res.ok).toBe(false)
    if (res.ok) return
    expect(res.error.message).toContain('runs[0].result.std')
    const after = await call<SessionView>('session:current', {})
    expect(after).toEqual(before)
  })

  it('a stored "NaN" string opens as the number', async () => {
    const file = path.join(dir, 'nan.layerscope')
    await appendRun(
      file,
      {
        kind: 'sample',
        config: {},
        result: { n: 1, seed: 1, mean: 'NaN', std: 0, hist: { edges: [], counts: [] } }
      },
      { appVersion: 'test' }
    )
    const res = await call<SessionView>('session:open', { file })
    if (!res.ok) throw new Error(res.error.message)
    const run = res.value.doc.runs[0] as unknown as { result: { mean: number } }
    expect(run.result.mean).toBeNaN()
  })
})

function trainConfig() {
  return { data: { type: 'synthetic' as const, n: 60 }, hidden: [8], epochs: 1, batch: 20, val: 20 }
}
