/**
 * Experiment configurations: one zod schema per job kind, shared by the UI, the API and the CLI.
 * Limits here are the resource guard rails: a configuration that would need absurd memory or
 * time is refused at the door, before anything is allocated.
 */
import { depthEstimate, MAX_RUN_BYTES, overBudget, sanityEstimate, trainEstimate } from './budget'
import { z } from 'zod'

export const ACTIVATIONS = [
  'sigmoid',
  'tanh',
  'relu',
  'leaky-relu',
  'prelu',
  'elu',
  'maxout',
  'gelu',
  'selu',
  'linear'
] as const
/** `constant`: every weight equals `std` (all units equal: the symmetry never breaks). */
export const INITS = [
  'zeros',
  'normal',
  'xavier',
  'glorot',
  'he',
  'orthogonal',
  'lsuv',
  'constant'
] as const
export const PREPROCESS_MODES = [
  'none',
  'mean-image',
  'channel-mean',
  'standardize',
  'channel-standardize',
  'zca',
  'pca'
] as const
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adam'] as const
/** Momentum μ of momentum and nesterov when none is given. */
export const MOMENTUM_DEFAULT = 0.9
export const DTYPES = ['float32', 'float64'] as const

export const Activation = z.enum(ACTIVATIONS)
export const Init = z.enum(INITS)
export const PreprocessMode = z.enum(PREPROCESS_MODES)
/** zca's ε (on the 0–1 scale) when none is given. */
export const ZCA_DEFAULT_EPSILON = 0.1
/** pca's K when none is given: the top 100 eigenvectors (as in cs231n's notes). */
export const PCA_DEFAULT_COMPONENTS = 100
/** pca only: the number K of top eigenvectors the 3072 pixels are projected onto. */
export const PcaComponents = z.number().int().min(1).max(3072)

/**
 * A preprocessing mode with its one parameter resolved (zca's ε, pca's K; the other modes have
 * none): what the engine fits. The contract leaves ε and K optional; resolvePreprocessing is the
 * one place their defaults are applied.
 */
export type ResolvedPreprocessing =
  | { mode: 'zca'; epsilon: number }
  | { mode: 'pca'; components: number }
  | { mode: Exclude<(typeof PREPROCESS_MODES)[number], 'zca' | 'pca'> }

/**
 * `mode` with ε (zca) or K (pca) as given, or their defaults. A parameter given for a mode it
 * does not apply to is ignored (the contract accepts it; the CLI refuses it before this).
 */
export function resolvePreprocessing<M extends (typeof PREPROCESS_MODES)[number]>(
  mode: M,
  params: { epsilon?: number | undefined; components?: number | undefined } = {}
): ResolvedPreprocessing & { mode: M } {
  const m: (typeof PREPROCESS_MODES)[number] = mode
  const resolved: ResolvedPreprocessing =
    m === 'zca'
      ? { mode: m, epsilon: params.epsilon ?? ZCA_DEFAULT_EPSILON }
      : m === 'pca'
        ? { mode: m, components: params.components ?? PCA_DEFAULT_COMPONENTS }
        : { mode: m }
  // The mode is the one given, so the resolved spec is the member of that mode.
  return resolved as ResolvedPreprocessing & { mode: M }
}
export const Optimizer = z.enum(OPTIMIZERS)
export const DType = z.enum(DTYPES)

const seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1)
const finite = z.number().finite()
const positive = finite.positive()

/** Largest number of float entries one activation matrix may hold (samples × width). */
export const MAX_MATRIX_ENTRIES = 20_000_000

/** Default activation parameters (one source for the engine, the CLI and the forms). */
export const ACTIVATION_PARAM_DEFAULTS = {
  /** Leaky ReLU's slope for x < 0. */
  slope: 0.01,
  /** ELU's α: the value it saturates to is −α. */
  alpha: 1,
  /** PReLU's initial α for every unit (He et al. 2015 start at 0.25). */
  preluAlpha: 0.25,
  /** Maxout's pieces k. */
  pieces: 2
} as const

/**
 * Activation parameters: leaky slope, ELU α, PReLU's initial α (its own: α = 1 would make PReLU
 * the identity), maxout pieces.
 */
export const ActivationParams = z.strictObject({
  slope: finite.min(0).max(1).default(ACTIVATION_PARAM_DEFAULTS.slope),
  alpha: finite.min(0).max(10).default(ACTIVATION_PARAM_DEFAULTS.alpha),
  preluAlpha: finite.min(0).max(10).default(ACTIVATION_PARAM_DEFAULTS.preluAlpha),
  pieces: z.number().int().min(2).max(8).default(ACTIVATION_PARAM_DEFAULTS.pieces)
})
export type ActivationParams = z.infer<typeof ActivationParams>

/**
 * Draw N samples from the seeded normal RNG: the pipeline check of the foundation. A million
 * draws by default: well under a second, and they pin the mean to ±0.001.
 */
export const SampleConfig = z.strictObject({
  n: z.number().int().min(1).max(50_000_000).default(1_000_000),
  seed: seed.default(1),
  bins: z.number().int().min(2).max(1000).default(50)
})
export type SampleConfig = z.infer<typeof SampleConfig>

export const DepthConfig = z
  .object({
    layers: z.number().int().min(1).max(100).default(10),
    width: z.number().int().min(1).max(4096).default(500),
    activation: Activation.default('tanh'),
    init: Init.default('normal'),
    std: positive.max(100).default(0.01),
    gain: positive.max(100).default(1),
    bias: finite.optional(),
    samples: z.number().int().min(1).max(50_000).default(1000),
    input: z.enum(['gaussian', 'cifar']).default('gaussian'),
    preprocess: PreprocessMode.default('none'),
    upstream: z.enum(['randn', 'softmax']).default('randn'),
    bins: z.number().int().min(2).max(200).default(50),
    seed: seed.default(1),
    dtype: DType.default('float32'),
    params: ActivationParams.default(() => ActivationParams.parse({}))
  })
  .refine(
    (c) =>
      c.samples * c.width * (c.activation === 'maxout' ? c.params.pieces : 1) <= MAX_MATRIX_ENTRIES,
    {
      message: `samples × width is too large (at most ${MAX_MATRIX_ENTRIES.toLocaleString('en')} entries per layer)`,
      path: ['samples']
    }
  )
  .refine((c) => c.input !== 'cifar' || c.samples * 3072 <= MAX_MATRIX_ENTRIES, {
    message: `too many CIFAR-10 images for one batch (at most ${Math.floor(MAX_MATRIX_ENTRIES / 3072)} of 3072 values each)`,
    path: ['samples']
  })
  .superRefine((c, ctx) => {
    const e = depthEstimate(c)
    if (e.bytes > MAX_RUN_BYTES)
      ctx.addIssue({ code: 'custom', path: ['samples'], message: overBudget('the run', e) })
  })
export type DepthConfig = z.infer<typeof DepthConfig>

export const GradcheckConfig = z.strictObject({
  activation: Activation.default('relu'),
  layers: z.number().int().min(1).max(6).default(2),
  width: z.number().int().min(1).max(64).default(10),
  input: z.number().int().min(1).max(64).default(4),
  classes: z.number().int().min(2).max(20).default(3),
  samples: z.number().int().min(1).max(64).default(5),
  h: positive.max(1).default(1e-5),
  reg: finite.min(0).max(100).default(0.05),
  loss: z.enum(['softmax', 'svm']).default('softmax'),
  seed: seed.default(1),
  dtype: DType.default('float64'),
  sample: z.number().int().min(1).max(10_000).optional(),
  burnIn: z.number().int().min(0).max(1000).default(0),
  /** Leave entries whose ±h crossed a kink out of the errors and verdicts (both are reported). */
  excludeKinks: z.boolean().default(false),
  params: ActivationParams.default(() => ActivationParams.parse({}))
})
export type GradcheckConfig = z.infer<typeof GradcheckConfig>

/** The lecture's scalar gradient check (f(x) = x⁴ at 3, and sin, exp, |x|, max(0, x)). */
export const SCALAR_FUNCTIONS = ['x4', 'sin', 'exp', 'abs', 'relu'] as const
export const ScalarCheckConfig = z.strictObject({
  fn: z.enum(SCALAR_FUNCTIONS).default('x4'),
  /** The point; default the function's own (3 for x⁴, 1 for sin and exp, the kink 0 otherwise). */
  x: finite.min(-1e6).max(1e6).optional(),
  /** Steps per decade of h, from 1 down to 1e-16. */
  perDecade: z.number().int().min(1).max(20).default(4)
})
export type ScalarCheckConfig = z.infer<typeof ScalarCheckConfig>

/** The lecture's W = ωI linear net: δ¹ = ω^(L−1)·δᴸ, measured against the formula. */
export const OmegaConfig = z
  .strictObject({
    layers: z.number().int().min(2).max(100).default(10),
    width: z.number().int().min(1).max(512).default(50),
    omegas: z.array(positive.max(10)).min(1).max(12).default([0.5, 0.9, 1, 1.1, 1.5]),
    samples: z.number().int().min(1).max(2000).default(100),
    seed: seed.default(1),
    dtype: DType.default('float64')
  })
  .refine(
    (c) =>
      c.omegas.every(
        (w) => Math.abs((c.layers - 1) * Math.log10(w)) < (c.dtype === 'float32' ? 30 : 250)
      ),
    {
      message:
        'ω^(L−1) must stay within 1e±250 in float64, 1e±30 in float32 (choose ω nearer 1 or fewer layers)',
      path: ['omegas']
    }
  )
export type OmegaConfig = z.infer<typeof OmegaConfig>
/**
 * The cost of each activation: ns per element of the engine's forward and backward layer
 * functions, median of `repeats` timed passes over `elements` N(0, 1) inputs.
 */
export const ActivationCostConfig = z.strictObject({
  activations: z
    .array(Activation)
    .min(1)
    .max(ACTIVATIONS.length)
    .default([...ACTIVATIONS]),
  elements: z.number().int().min(1000).max(4_000_000).default(1_000_000),
  repeats: z.number().int().min(1).max(100).default(9),
  dtype: DType.default('float32'),
  seed: seed.default(1),
  params: ActivationParams.default(() => ActivationParams.parse({}))
})
export type ActivationCostConfig = z.infer<typeof ActivationCostConfig>

/**
 * `loss`: forward and backward of a given net (NET.json, ../shared/CLI.md) on given data; the
 * engine validates both and names the place of any problem (`net.layers[2].W`).
 */
export const LossConfig = z.strictObject({
  net: z.unknown(),
  data: z.unknown(),
  dtype: DType.default('float64')
})
export type LossConfig = z.infer<typeof LossConfig>

/** `gradcheck --net NET.json --data DATA.json`: the check on a given net and data. */
export const GradcheckNetConfig = z.strictObject({
  net: z.unknown(),
  data: z.unknown(),
  h: positive.max(1).default(1e-5),
  seed: seed.default(1),
  dtype: DType.default('float64'),
  sample: z.number().int().min(1).max(10_000).optional(),
  excludeKinks: z.boolean().default(false)
})
export type GradcheckNetConfig = z.infer<typeof GradcheckNetConfig>

/** `bench`: the engine's speed on this machine (timed repeats per figure). */
/**
 * The benchmark's training epoch (CLI.md `bench` epochSeconds): a 3072→100→10 ReLU net, plain
 * SGD, on 50,000 synthetic examples in minibatches of 200. One definition for the engine's
 * bench (src-main/lab/bench.ts), its one-thread kernel loop (src-workers/nn/bench.ts) and the
 * bench/ scripts, so their figures stay the same workload.
 */
export const BENCH_EPOCH = {
  examples: 50_000,
  config: {
    hidden: [100],
    activation: 'relu',
    init: 'normal',
    std: 1e-4,
    optimizer: 'sgd',
    lr: 1e-4,
    reg: 0.25,
    batch: 200,
    seed: 1
  }
} as const

export const BenchConfig = z.strictObject({
  repeats: z.number().int().min(1).max(50).default(5)
})
export type BenchConfig = z.infer<typeof BenchConfig>

/** Longest dataset path accepted (characters). */
export const MAX_PATH_LENGTH = 4096

/** Open a CIFAR-10 copy: a batches folder, an official .tar.gz, or a folder holding one. */
export const DatasetOpenConfig = z.strictObject({
  path: z
    .string()
    .min(1, 'the dataset path is empty')
    .max(MAX_PATH_LENGTH, `the dataset path is longer than ${MAX_PATH_LENGTH} characters`)
    .refine((p) => !p.includes('\0'), 'the dataset path contains a NUL character')
})
export type DatasetOpenConfig = z.infer<typeof DatasetOpenConfig>

/** Fit a preprocessing mode on the open dataset's training split (minus `val`) and report it. */
export const PreprocessConfig = z.strictObject({
  mode: PreprocessMode,
  val: z.number().int().min(0).max(59_999).default(0),
  /** zca only: ε on the 0–1 scale (default 0.1). */
  epsilon: positive.max(1e6).optional(),
  /** pca only: K, the top eigenvectors kept (default 100); the data then has K features. */
  components: PcaComponents.optional()
})
export type PreprocessConfig = z.infer<typeof PreprocessConfig>

export const DataSource = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('synthetic'), n: z.number().int().min(20).max(100_000) }),
  z.strictObject({ type: z.literal('dataset') })
])
export type DataSource = z.infer<typeof DataSource>

/**
 * How `reg` becomes a penalty: `full` = reg·ΣW² (the engine's, as `loss` and `train` use it),
 * `half` = ½·reg·ΣW² (the lecture's and cs231n's; its "reg 1e3 → 3.0686" is in this convention).
 */
export const REG_CONVENTIONS = ['full', 'half'] as const
export const RegConvention = z.enum(REG_CONVENTIONS)

export const SanityConfig = z
  .strictObject({
    data: DataSource.default({ type: 'synthetic', n: 500 }),
    hidden: z.number().int().min(1).max(2048).default(50),
    preprocess: PreprocessMode.default('mean-image'),
    seed: seed.default(1),
    /** Penalty convention of the regularization sweep (0 … 1e3). */
    regConvention: RegConvention.default('full'),
    /** The overfit check runs until the loss is below this ("zero cost") … */
    targetLoss: positive.max(10).default(0.01),
    /** … or this many epochs of full-batch SGD have run. */
    maxEpochs: z.number().int().min(1).max(20_000).default(2000)
  })
  .superRefine((c, ctx) => {
    const e = sanityEstimate(c)
    if (e.bytes > MAX_RUN_BYTES)
      ctx.addIssue({ code: 'custom', path: ['data'], message: overBudget('the checks', e) })
  })
export type SanityConfig = z.infer<typeof SanityConfig>

/** Largest synthetic training set (n + val rows of 3072 float32: about 740 MB at most). */
export const MAX_SYNTHETIC_TRAIN = 60_000

/** Most workers (minibatch slices) one training run may use. */
export const MAX_TRAIN_WORKERS = 32

export const TrainConfig = z
  .strictObject({
    data: DataSource.default({ type: 'dataset' }),
    // Unit-scale inputs: with mean-image alone the pixels stay on the 0–255 scale and the
    // default lr (1e-3, momentum, He init) diverges within a few iterations.
    preprocess: PreprocessMode.default('channel-standardize'),
    /** pca only (ignored by the other modes): K components, the net's input width. */
    components: PcaComponents.optional(),
    hidden: z.array(z.number().int().min(1).max(4096)).min(0).max(20).default([100]),
    activation: Activation.default('relu'),
    init: Init.default('he'),
    std: positive.max(100).default(0.01),
    /** Every bias's starting value (the lecture: slightly positive, e.g. 0.01, for ReLU). */
    bias: finite.min(-10).max(10).default(0),
    optimizer: Optimizer.default('momentum'),
    /** Any finite rate > 0: a rate that blows the run up is a legitimate experiment. */
    lr: positive.default(1e-3),
    /** Diverged once the smoothed loss exceeds this × the first loss (0: only NaN/Infinity). */
    divergeAbove: finite.min(0).default(4),
    /** Multiply the learning rate by this after every epoch. */
    lrDecay: finite.min(0).max(1).default(1),
    momentum: finite.min(0).max(0.9999).default(MOMENTUM_DEFAULT),
    reg: finite.min(0).max(100).default(1e-3),
    epochs: z.number().int().min(1).max(1000).default(1),
    batch: z.number().int().min(1).max(10_000).default(200),
    /** Validation examples: carved from the end of CIFAR-10's training split; drawn extra for synthetic data. */
    val: z.number().int().min(0).max(50_000).default(1000),
    statsEvery: z.number().int().min(1).max(100_000).default(50),
    seed: seed.default(1),
    params: ActivationParams.default(() => ActivationParams.parse({})),
    /**
     * Workers: each minibatch is cut into this many slices whose gradients are computed on
     * separate worker threads and summed in order (1: the whole batch on one thread). Unset:
     * every thread of the pool for a run started alone, 1 for each run of a comparison. The same
     * seed and workers give the same numbers, however many threads were free while it ran.
     */
    workers: z.number().int().min(1).max(MAX_TRAIN_WORKERS).optional()
  })
  .refine((c) => c.hidden.reduce((a, h) => a + h, 0) * 3072 <= MAX_MATRIX_ENTRIES * 2, {
    message: 'the net is too large to train here (total hidden units × 3072 inputs)',
    path: ['hidden']
  })
  .refine(
    (c) =>
      c.batch *
        Math.max(
          3072,
          ...c.hidden.map((h) => h * (c.activation === 'maxout' ? c.params.pieces : 1))
        ) <=
      MAX_MATRIX_ENTRIES,
    {
      message: `batch × widest layer is too large (at most ${MAX_MATRIX_ENTRIES.toLocaleString('en')} entries per activation matrix)`,
      path: ['batch']
    }
  )
  .refine((c) => c.data.type !== 'synthetic' || c.data.n + c.val <= MAX_SYNTHETIC_TRAIN, {
    message: `synthetic training data is limited to ${MAX_SYNTHETIC_TRAIN.toLocaleString('en')} examples (n + val)`,
    path: ['data']
  })
  .superRefine((c, ctx) => {
    const e = trainEstimate(c)
    if (e.bytes > MAX_RUN_BYTES)
      ctx.addIssue({ code: 'custom', path: ['hidden'], message: overBudget('the run', e) })
  })
export type TrainConfig = z.infer<typeof TrainConfig>

/** Most runs one comparison may hold (the product of its varied settings' value counts). */
export const MAX_COMPARE_RUNS = 16

const VaryValue = z.union([finite, z.string().max(100), z.boolean(), z.array(finite).max(20)])
export type VaryValue = z.infer<typeof VaryValue>

/** The base experiments a comparison can vary, with their configuration schemas. */
export const COMPARE_BASES = { train: TrainConfig, depth: DepthConfig } as const

/**
 * The runs of a comparison: every combination of the varied settings (the grid, first setting
 * outermost), each merged over the base configuration.
 */
export function compareGrid(
  config: Record<string, unknown>,
  vary: Record<string, VaryValue[]>
): { vary: Record<string, VaryValue>; config: Record<string, unknown> }[] {
  let runs: Record<string, VaryValue>[] = [{}]
  for (const [key, values] of Object.entries(vary))
    runs = runs.flatMap((r) => values.map((v) => ({ ...r, [key]: v })))
  return runs.map((v) => ({ vary: v, config: { ...config, ...v } }))
}

/** The train settings that only act on CIFAR-10 data (synthetic data is used as drawn). */
const PREPROCESSING_SETTINGS = ['preprocess', 'components']
const SYNTHETIC_PREPROCESS =
  'preprocessing is applied to CIFAR-10 data only: synthetic data is used as drawn (mean ≈ 0, std ≈ 1), so every mode would train on the same numbers — open a dataset (--data PATH)'

/**
 * The same experiment under one or two varied settings, e.g. `{ base: 'train', vary:
 * { preprocess: ['none', 'mean-image'] } }` or the grid `{ base: 'depth', vary: { activation:
 * ['tanh', 'relu'], init: ['xavier', 'he'] } }`. Every run's configuration is validated here.
 */
export const CompareConfig = z
  .strictObject({
    base: z.enum(['train', 'depth']),
    config: z.record(z.string(), z.unknown()).default({}),
    vary: z.record(z.string(), z.array(VaryValue).min(1).max(MAX_COMPARE_RUNS))
  })
  .superRefine((c, ctx) => {
    const schema = COMPARE_BASES[c.base]
    const keys = Object.keys(c.vary)
    if (keys.length < 1 || keys.length > 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['vary'],
        message: `vary one or two settings (got ${keys.length})`
      })
      return
    }
    for (const k of keys) {
      if (!Object.prototype.hasOwnProperty.call(schema.shape, k)) {
        ctx.addIssue({
          code: 'custom',
          path: ['vary', k],
          message: `${c.base} has no setting '${k}' (settings: ${Object.keys(schema.shape).join(', ')})`
        })
        return
      }
    }
    const onSynthetic = (c.config as { data?: { type?: unknown } }).data?.type === 'synthetic'
    const varied = keys.find((k) => PREPROCESSING_SETTINGS.includes(k))
    if (c.base === 'train' && onSynthetic && varied !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['vary', varied],
        message: SYNTHETIC_PREPROCESS
      })
      return
    }
    const runs = compareGrid(c.config, c.vary)
    if (runs.length > MAX_COMPARE_RUNS) {
      ctx.addIssue({
        code: 'custom',
        path: ['vary'],
        message: `${runs.length} runs; a comparison holds at most ${MAX_COMPARE_RUNS}`
      })
      return
    }
    for (const run of runs) {
      const parsed = schema.safeParse(run.config)
      if (parsed.success) continue
      const issue = parsed.error.issues[0]
      const field = issue?.path[0]
      const where =
        typeof field === 'string' && field in c.vary
          ? ['vary', field]
          : ['config', ...(issue?.path ?? []).map(String)]
      const label = Object.entries(run.vary)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ')
      ctx.addIssue({
        code: 'custom',
        path: where,
        message: `run ${label}: ${issue?.path.join('.') || c.base}: ${issue?.message ?? 'invalid'}`
      })
      return
    }
  })
export type CompareConfig = z.infer<typeof CompareConfig>

// ---------------------------------------------------------------- study

/** Most learning rates one search round may try per mode. */
export const MAX_STUDY_TRIALS = 32
/** Most seeds per mode. */
export const MAX_STUDY_SEEDS = 10
/**
 * Epochs of each seed's full run in a study unless its config says (a single training run's
 * default is TrainConfig's 1; a verdict between modes wants runs past their first epoch).
 */
export const STUDY_EPOCHS = 5

/**
 * The learning-rate search of a study: `trials` rates drawn log-uniformly from [lo, hi] (from
 * `seed`), each trained `epochs` epochs; `refine` > 0 adds a second round of that many rates
 * drawn around the best of the first (cs231n's coarse-to-fine search).
 */
export const StudySearch = z
  .strictObject({
    lo: positive.default(1e-7),
    hi: positive.default(1e-1),
    trials: z.number().int().min(1).max(MAX_STUDY_TRIALS).default(8),
    epochs: z.number().int().min(1).max(1000).default(1),
    refine: z.number().int().min(0).max(MAX_STUDY_TRIALS).default(0),
    seed: seed.default(1)
  })
  .refine((s) => s.lo < s.hi, {
    message: 'the search range needs LO < HI',
    path: ['lo']
  })
export type StudySearch = z.infer<typeof StudySearch>

/**
 * A preprocessing study: every mode at its own best learning rate (the search; null keeps the
 * base configuration's lr), then `seeds` full runs per mode (base seed, seed + 1, …: init, batch
 * order and the validation split follow it), and a verdict from Welch's t test.
 */
export const StudyConfig = z
  .strictObject({
    // Typed input (a train config, or none): only an unset `epochs` is filled, with the study's.
    config: z.preprocess(
      (c: z.input<typeof TrainConfig> | undefined): unknown =>
        c === undefined
          ? { epochs: STUDY_EPOCHS }
          : typeof c === 'object' && c !== null && !('epochs' in c)
            ? { ...c, epochs: STUDY_EPOCHS }
            : c,
      TrainConfig
    ),
    modes: z
      .array(PreprocessMode)
      .min(1)
      .max(PREPROCESS_MODES.length)
      .refine((m) => new Set(m).size === m.length, 'a mode is listed twice'),
    search: StudySearch.nullable().prefault({}),
    seeds: z.number().int().min(1).max(MAX_STUDY_SEEDS).default(3)
  })
  .refine((c) => c.config.seed + c.seeds - 1 <= 2 ** 32 - 1, {
    message: 'seed + seeds − 1 must stay below 2³²',
    path: ['seeds']
  })
  .refine((c) => c.config.data.type === 'dataset', {
    message: SYNTHETIC_PREPROCESS,
    path: ['modes']
  })
export type StudyConfig = z.infer<typeof StudyConfig>
