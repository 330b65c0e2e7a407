/**
 * Engine functions take the contract's parsed configurations (every default applied by the
 * schema, as the service, CLI and worker tasks do at the boundary). Tests that call the engine
 * with a few options parse them here first.
 */
import type { z } from 'zod'
import {
  DepthConfig,
  GradcheckConfig,
  GradcheckNetConfig,
  resolvePreprocessing,
  SanityConfig,
  ScalarCheckConfig,
  TrainConfig,
  type PREPROCESS_MODES
} from '../../src-shared/experiments'
import { TRAIN_ACC_SAMPLES, type TrainOptions } from '../../src-workers/nn/trainer'

export const depthConfig = (c: z.input<typeof DepthConfig> = {}): DepthConfig =>
  DepthConfig.parse(c)

export const gradcheckConfig = (c: z.input<typeof GradcheckConfig> = {}): GradcheckConfig =>
  GradcheckConfig.parse(c)

/** A run's options: the contract's settings parsed, one thread, the app's train-accuracy subset. */
export const trainOptions = (
  c: z.input<typeof TrainConfig> = {},
  run: Partial<Pick<TrainOptions, 'slices' | 'trainAccSamples'>> = {}
): TrainOptions => ({
  ...TrainConfig.parse(c),
  slices: run.slices ?? 1,
  trainAccSamples: run.trainAccSamples ?? TRAIN_ACC_SAMPLES
})

export const gradcheckNetConfig = (c: z.input<typeof GradcheckNetConfig>): GradcheckNetConfig =>
  GradcheckNetConfig.parse(c)

export const sanityConfig = (c: z.input<typeof SanityConfig> = {}): SanityConfig =>
  SanityConfig.parse(c)

export const scalarCheckConfig = (c: z.input<typeof ScalarCheckConfig>): ScalarCheckConfig =>
  ScalarCheckConfig.parse(c)

/**
 * A preprocessing mode as the engine fits it: ε (zca) and K (pca) as given or the contract's
 * defaults, resolved as the service does (resolvePreprocessing).
 */
export const preprocessing = <M extends (typeof PREPROCESS_MODES)[number]>(
  mode: M,
  params: { epsilon?: number; components?: number } = {}
) => resolvePreprocessing(mode, params)
