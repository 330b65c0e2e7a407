/**
 * Every form starts from its contract schema's defaults: a form left untouched sends the lab a
 * configuration that parses to exactly `XConfig.parse({})` — what the CLI runs when asked
 * nothing — so the app and the CLI agree on what an unset field means.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setLabClient } from '../../src-renderer/src/api/client'
import {
  ActivationParams,
  DepthConfig,
  GradcheckConfig,
  OmegaConfig,
  SampleConfig,
  SanityConfig,
  ScalarCheckConfig,
  StudyConfig,
  TrainConfig
} from '../../src-shared/experiments'
import { LectureConfig } from '../../src-shared/lecture'
import { SYNTHETIC_EXAMPLES, trainFormDefaults, validationFor } from '../../src-renderer/src/forms'
import { useActivationsStore } from '../../src-renderer/src/stores/activations'
import { useDepthStore } from '../../src-renderer/src/stores/depth'
import { useGradcheckStore } from '../../src-renderer/src/stores/gradcheck'
import { useLectureStore } from '../../src-renderer/src/stores/lecture'
import { DEFAULT_SANITY, sanityConfig, useSanityStore } from '../../src-renderer/src/stores/sanity'
import { STUDY_STATS_EVERY, useStudyStore } from '../../src-renderer/src/stores/study'
import { connectLab, mockLab } from './mockLab'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => setLabClient(null))

/** A lab that records every job:start's arguments (the jobs never end: only the config matters). */
function recordingLab() {
  const started: { kind: string; config: Record<string, unknown> }[] = []
  const lab = mockLab({
    'job:start': (a) => {
      started.push(a as (typeof started)[number])
      return { jobId: `job-${started.length}` }
    }
  })
  connectLab(lab.client)
  return async () => {
    await new Promise((r) => setTimeout(r, 0))
    return started
  }
}

describe('a form left at its defaults sends the contract defaults', () => {
  it('Depth', async () => {
    const sent = recordingLab()
    void useDepthStore().run()
    const [s] = await sent()
    expect(s?.kind).toBe('depth')
    expect(DepthConfig.parse(s!.config)).toEqual(DepthConfig.parse({}))
  })

  it('Gradient check', async () => {
    const sent = recordingLab()
    void useGradcheckStore().run()
    const [s] = await sent()
    expect(GradcheckConfig.parse(s!.config)).toEqual(GradcheckConfig.parse({}))
  })

  it("Sanity: synthetic data of the contract's size, and the contract's preprocessing for a dataset", async () => {
    const sent = recordingLab()
    void useSanityStore().run()
    const [s] = await sent()
    expect(SanityConfig.parse(s!.config)).toEqual(SanityConfig.parse({}))
    // The dataset source shows (and sends) the contract's mode: mean-image, not a form's own.
    expect(DEFAULT_SANITY.preprocess).toBe(SanityConfig.parse({}).preprocess)
    expect(sanityConfig({ ...DEFAULT_SANITY, source: 'dataset' }).preprocess).toBe('mean-image')
  })

  it('Study: the TrainConfig and StudySearch defaults (layer statistics aside: a study charts none)', async () => {
    const sent = recordingLab()
    void useStudyStore().run(['none', 'mean-image'])
    const [s] = await sent()
    const parsed = StudyConfig.parse(s!.config)
    const expected = StudyConfig.parse({ modes: ['none', 'mean-image'] })
    expect(parsed.config.statsEvery).toBe(STUDY_STATS_EVERY)
    expect({ ...parsed, config: { ...parsed.config, statsEvery: 0 } }).toEqual({
      ...expected,
      config: { ...expected.config, statsEvery: 0 }
    })
  })

  it('Lecture: the seeds, the scalar check and the ωI demonstration', async () => {
    const sent = recordingLab()
    const lecture = useLectureStore()
    void lecture.runAll()
    void lecture.runScalar()
    void lecture.runOmega()
    const [all, scalar, omega] = await sent()
    expect(LectureConfig.parse(all!.config)).toEqual(LectureConfig.parse({}))
    expect(ScalarCheckConfig.parse(scalar!.config)).toEqual(ScalarCheckConfig.parse({}))
    expect(OmegaConfig.parse(omega!.config)).toEqual(OmegaConfig.parse({}))
  })

  it("Activations: the contract's activation parameters in the cost job", async () => {
    const sent = recordingLab()
    void useActivationsStore().runCost()
    const [s] = await sent()
    expect(s!.config.params).toEqual(ActivationParams.parse({}))
  })

  it('Training: the form holds TrainConfig.parse({}) field by field', () => {
    const f = trainFormDefaults()
    const d = TrainConfig.parse({})
    expect(Array.from({ length: f.depth }, () => f.width)).toEqual(d.hidden)
    expect(f.source).toBe(d.data.type)
    expect({
      preprocess: f.preprocess,
      activation: f.activation,
      init: f.init,
      std: f.std,
      bias: f.bias,
      optimizer: f.optimizer,
      lr: f.lr,
      divergeAbove: f.divergeAbove,
      momentum: f.momentum,
      reg: f.reg,
      epochs: f.epochs,
      batch: f.batch,
      val: f.val,
      statsEvery: f.statsEvery,
      seed: f.seed,
      params: { slope: f.slope, alpha: f.alpha, preluAlpha: f.preluAlpha, pieces: f.pieces }
    }).toEqual({
      preprocess: d.preprocess,
      activation: d.activation,
      init: d.init,
      std: d.std,
      bias: d.bias,
      optimizer: d.optimizer,
      lr: d.lr,
      divergeAbove: d.divergeAbove,
      momentum: d.momentum,
      reg: d.reg,
      epochs: d.epochs,
      batch: d.batch,
      val: d.val,
      statsEvery: d.statsEvery,
      seed: d.seed,
      params: d.params
    })
    // The value the contract has no default for is valid where it is used.
    expect(
      TrainConfig.safeParse({ data: { type: 'synthetic', n: SYNTHETIC_EXAMPLES } }).success
    ).toBe(true)
    expect(SampleConfig.parse({})).toEqual({ n: 1_000_000, seed: 1, bins: 50 })
  })

  it('a small open copy keeps a tenth for validation, the full set the default', () => {
    expect(validationFor(600, 1000)).toBe(60)
    expect(validationFor(50_000, 1000)).toBe(1000)
  })
})
