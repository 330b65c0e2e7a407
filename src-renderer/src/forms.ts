/**
 * Where the forms' starting values come from: each form starts from its contract schema's
 * defaults (`XConfig.parse({})` in src-shared), so the app, the CLI and the engine agree on what
 * an unset field means. The few values here have no contract default, and say why.
 */
import {
  GradcheckConfig,
  resolvePreprocessing,
  TrainConfig,
  type ACTIVATIONS,
  type INITS,
  type OPTIMIZERS,
  type PREPROCESS_MODES
} from '../../src-shared/experiments'

/** What a training run's unset fields mean (a run's stored config holds only what was set). */
export const TRAIN_DEFAULTS: TrainConfig = TrainConfig.parse({})

/** What a gradient check's unset fields mean. */
export const GRADCHECK_DEFAULTS: GradcheckConfig = GradcheckConfig.parse({})

/**
 * Synthetic training examples a form offers once switched to synthetic data. The contract has
 * no default for it (the CLI asks for `--synthetic N`); 2000 trains a small net in seconds.
 */
export const SYNTHETIC_EXAMPLES = 2000

/**
 * Validation images for an open dataset of `trainCount` training images: the contract's default,
 * or a tenth of a small copy (the default is meant for the full 50,000).
 */
export function validationFor(trainCount: number, contractVal: number): number {
  return Math.min(contractVal, Math.floor(trainCount / 10))
}

/** The Training form: TrainConfig's fields as the form edits them (depth × width, flat params). */
export interface TrainForm {
  source: 'dataset' | 'synthetic'
  synthetic: number
  preprocess: (typeof PREPROCESS_MODES)[number]
  /** pca's K: the net's input width when the preprocessing is pca. */
  components: number
  depth: number
  width: number
  activation: (typeof ACTIVATIONS)[number]
  init: (typeof INITS)[number]
  std: number
  optimizer: (typeof OPTIMIZERS)[number]
  lr: number
  divergeAbove: number
  momentum: number
  reg: number
  batch: number
  epochs: number
  val: number
  statsEvery: number
  seed: number
  bias: number
  slope: number
  alpha: number
  preluAlpha: number
  pieces: number
}

/** TrainConfig's defaults (TrainConfig.parse({})), as the Training form holds them. */
export function trainFormDefaults(): TrainForm {
  const d = TRAIN_DEFAULTS
  const width = d.hidden[0]
  if (width === undefined || d.hidden.some((h) => h !== width))
    throw new Error(
      'the Training form edits depth × width: TrainConfig.hidden must default to equal layers'
    )
  return {
    source: d.data.type,
    synthetic: d.data.type === 'synthetic' ? d.data.n : SYNTHETIC_EXAMPLES,
    preprocess: d.preprocess,
    components: resolvePreprocessing('pca', d).components,
    depth: d.hidden.length,
    width,
    activation: d.activation,
    init: d.init,
    std: d.std,
    optimizer: d.optimizer,
    lr: d.lr,
    divergeAbove: d.divergeAbove,
    momentum: d.momentum,
    reg: d.reg,
    batch: d.batch,
    epochs: d.epochs,
    val: d.val,
    statsEvery: d.statsEvery,
    seed: d.seed,
    bias: d.bias,
    ...d.params
  }
}
