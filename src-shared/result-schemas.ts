/**
 * A runtime schema for every result kind (results.ts and datasets.ts declare the types; each
 * schema is checked against its type at compile time). Session runs are validated with these
 * when a session is opened, and read back with them wherever a stored result is drawn.
 *
 * Numbers (docs/numbers.md): a result's numbers are exact everywhere — NaN and ±Infinity
 * included. JSON text written for outside readers (CLI `--json`, run export) spells the
 * non-finite ones "NaN", "Infinity", "-Infinity"; these schemas read those strings back as
 * the numbers (and only where a number belongs). Objects keep keys a schema does not name
 * (a newer build's additions survive an older reader); fields older builds did not write are
 * optional, or filled with what "not measured" means (an empty histogram, NaN moments).
 */
import { z } from 'zod'
import type { Histogram, JobKind, JobResult, SampleResult } from './contract'
import type {
  ChannelHistograms,
  DatasetSummary,
  PreprocessJobResult,
  PreprocessSplitJson
} from './datasets'
import type {
  ActivationCostResult,
  BenchJobResult,
  CompareResult,
  DepthLayer,
  DepthResult,
  GradcheckResult,
  LossResult,
  OmegaResult,
  SanityResult,
  ScalarCheckResult,
  StudyResult,
  TrainResult
} from './results'
import type { LectureResult } from './lecture'
import type { RunKind, RunResult } from './session'

const SPECIAL_NUMBERS: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity
}

/** Any number (NaN and ±Infinity too), or the JSON-text spelling of a non-finite one. */
export const resultNumber = z
  .custom<number | string>(
    (v) => typeof v === 'number' || (typeof v === 'string' && Object.hasOwn(SPECIAL_NUMBERS, v)),
    { message: 'expected a number' }
  )
  .transform((v): number => (typeof v === 'number' ? v : SPECIAL_NUMBERS[v]!))

const num = resultNumber
const numOrNull = num.nullable()
const nums = z.array(num)
const obj = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape)
const json = z.record(z.string(), z.unknown())
const verdict = z.enum(['great', 'check', 'concern', 'wrong'])
const dtype = z.enum(['float32', 'float64'])

// ---------------------------------------------------------------- sample, depth

/** Bin edges one longer than the counts (bins + 1), or both empty (not measured). */
const histogram: z.ZodType<Histogram, unknown> = obj({ edges: nums, counts: nums }).refine(
  (h) => h.edges.length === h.counts.length + 1 || (h.edges.length === 0 && h.counts.length === 0),
  { message: 'a histogram has one more edge than counts', path: ['edges'] }
)
const EMPTY_HISTOGRAM = { edges: [], counts: [] }
const NOT_MEASURED = { mean: NaN, std: NaN, norm: NaN }
const moments = obj({ mean: num, std: num, norm: num.default(NaN) })

export const SampleResultSchema: z.ZodType<SampleResult, unknown> = obj({
  n: num,
  seed: num,
  mean: num,
  std: num,
  hist: histogram
})

const depthLayer: z.ZodType<DepthLayer, unknown> = obj({
  layer: num,
  mean: num,
  std: num,
  preMean: num.default(NaN),
  preStd: num.default(NaN),
  saturated: num.default(NaN),
  dead: num.default(NaN),
  hist: histogram.default(EMPTY_HISTOGRAM),
  dW: moments.default(NOT_MEASURED),
  dX: moments.default(NOT_MEASURED)
})

/** Layers of older results may lack their number: they are numbered by position. */
const depthLayers = z.array(z.unknown()).transform((layers, ctx) =>
  layers.map((l, i) => {
    const withNumber =
      typeof l === 'object' && l !== null && !('layer' in l) ? { ...l, layer: i + 1 } : l
    const parsed = depthLayer.safeParse(withNumber)
    if (parsed.success) return parsed.data
    for (const issue of parsed.error.issues)
      ctx.addIssue({ ...issue, path: [i, ...issue.path] } as z.core.$ZodRawIssue)
    return z.NEVER
  })
)

export const DepthResultSchema: z.ZodType<DepthResult, unknown> = obj({
  config: obj({
    layers: num,
    width: num,
    activation: z.string(),
    slope: num.optional(),
    alpha: num.optional(),
    pieces: num.optional(),
    init: z.string(),
    std: num.optional(),
    samples: num,
    input: z.enum(['gaussian', 'data', 'cifar']).optional(),
    preprocess: z.string().optional(),
    inputWidth: num,
    upstream: z.string(),
    bins: num,
    seed: num,
    bias: numOrNull,
    dtype: z.string(),
    workers: num.optional()
  }),
  input: obj({ mean: num, std: num }),
  layers: depthLayers,
  loss: num
})

// ---------------------------------------------------------------- gradcheck, sanity, loss

const countedWay = obj({ relError: num, normRelError: num, verdict, entries: num })

export const GradcheckResultSchema: z.ZodType<GradcheckResult, unknown> = obj({
  params: z.array(
    obj({
      name: z.string(),
      relError: num,
      normRelError: num,
      verdict,
      kinks: num,
      worst: z.array(obj({ index: nums, analytic: num, numeric: num })),
      allEntries: countedWay.optional(),
      excludingKinks: countedWay.optional()
    })
  ),
  maxRelError: num,
  verdict,
  kinksExcluded: z.literal(true).optional(),
  verdicts: obj({ allEntries: verdict, excludingKinks: verdict }).optional()
})

export const SanityResultSchema: z.ZodType<SanityResult, unknown> = obj({
  checks: z.array(
    z.discriminatedUnion('name', [
      obj({
        name: z.literal('initial-loss'),
        value: num,
        expected: num,
        tolerance: num,
        pass: z.boolean()
      }),
      obj({
        name: z.literal('regularization-raises-loss'),
        values: z.array(obj({ reg: num, loss: num })),
        pass: z.boolean(),
        convention: z.enum(['full', 'half']).optional(),
        sumW2: num.optional()
      }),
      obj({
        name: z.literal('overfit-small-subset'),
        examples: num,
        epochs: num,
        trainAcc: num,
        finalLoss: num,
        lr: num,
        pass: z.boolean(),
        curve: z.array(obj({ epoch: num, loss: num, trainAcc: num })).optional(),
        targetLoss: num.optional(),
        maxEpochs: num.optional(),
        epochsToFullAccuracy: numOrNull.optional(),
        epochsToTarget: numOrNull.optional()
      })
    ])
  ),
  pass: z.boolean()
})

export const LossResultSchema: z.ZodType<LossResult, unknown> = obj({
  scores: z.array(nums),
  loss: num,
  dataLoss: num,
  regLoss: num,
  grads: z.array(
    z.union([obj({ dW: z.array(nums), db: nums.optional() }), obj({ dalpha: nums }), z.null()])
  )
})

// ---------------------------------------------------------------- train, compare

const trainEpoch = obj({
  epoch: num,
  iter: num,
  loss: num,
  trainAcc: num,
  valAcc: numOrNull,
  trainAccExamples: num.optional(),
  valAccExamples: num.optional(),
  lr: num,
  seconds: num
})
const trainCommon = {
  history: z.array(trainEpoch),
  losses: nums,
  initialLoss: obj({ data: num, reg: num }).optional(),
  stats: obj({
    every: num,
    layers: num,
    iter: nums,
    actStd: z.array(nums),
    gradNorm: z.array(nums)
  }),
  lrChanges: z.array(obj({ iter: num, lr: num })),
  iterations: num,
  itersPerEpoch: num,
  seconds: num,
  examplesPerSecond: num,
  pausedSeconds: num,
  startedAt: num,
  endedAt: num,
  /** Runs made before data-parallel training ran on one thread. */
  workers: num.default(1)
}
const divergence = obj({
  iteration: num,
  reason: z.enum(['non-finite', 'exploded']),
  loss: num,
  first: numOrNull,
  layer: num.optional(),
  factor: num.optional()
})

export const TrainResultSchema: z.ZodType<TrainResult, unknown> = z.union([
  obj({
    ...trainCommon,
    status: z.enum(['completed', 'stopped']),
    final: obj({ trainAcc: num, valAcc: numOrNull, testAcc: num })
  }),
  obj({
    ...trainCommon,
    status: z.literal('diverged'),
    final: z.null(),
    iteration: num,
    epoch: num,
    layer: num,
    where: z.string(),
    message: z.string(),
    divergence
  })
])

const compareRuns = <R>(result: z.ZodType<R, unknown>) =>
  z.array(
    z.union([
      obj({ vary: json, result }),
      obj({ vary: json, error: obj({ code: z.string(), message: z.string() }) })
    ])
  )

export const CompareResultSchema: z.ZodType<CompareResult, unknown> = z.discriminatedUnion('base', [
  obj({ base: z.literal('train'), runs: compareRuns(TrainResultSchema) }),
  obj({ base: z.literal('depth'), runs: compareRuns(DepthResultSchema) })
])

// ---------------------------------------------------------------- data

const labelled = obj({ count: num, files: z.array(z.string()), labelCounts: nums })

export const DatasetSummarySchema: z.ZodType<DatasetSummary, unknown> = obj({
  path: z.string(),
  fingerprint: z.string(),
  description: obj({
    format: z.enum(['binary', 'python']),
    source: z.string(),
    classes: z.array(z.string()),
    splits: obj({ train: labelled, test: labelled }),
    stats: obj({ channelMean: nums, channelStd: nums }),
    warnings: z.array(z.string())
  }),
  meanImage: z.string(),
  seconds: num
})

const preprocessSplit: z.ZodType<PreprocessSplitJson, unknown> = obj({
  count: num,
  mean: num,
  std: num,
  channelMean: nums,
  channelStd: nums
})
const channelHistograms: z.ZodType<ChannelHistograms, unknown> = obj({
  edges: nums,
  counts: z.array(nums)
})

export const PreprocessJobResultSchema: z.ZodType<PreprocessJobResult, unknown> = obj({
  report: obj({
    mode: z.string(),
    fit: json,
    after: obj({
      train: preprocessSplit,
      val: preprocessSplit.optional(),
      test: preprocessSplit
    })
  }),
  fingerprint: z.string(),
  meanImage: z.string(),
  histograms: obj({ before: channelHistograms, after: channelHistograms }),
  cached: z.boolean()
})

// ---------------------------------------------------------------- the lecture's experiments

const scalarFit = obj({
  slope: numOrNull,
  fitFrom: numOrNull,
  fitTo: numOrNull,
  predictedBestH: numOrNull,
  floor: obj({ h: num, error: num }).nullable()
})
const threePoint = obj({ fPlus: num, fMinus: num, centred: num })

export const ScalarCheckResultSchema: z.ZodType<ScalarCheckResult, unknown> = obj({
  fn: z.enum(['x4', 'sin', 'exp', 'abs', 'relu']),
  label: z.string(),
  x: num,
  value: num,
  exact: numOrNull,
  left: num,
  right: num,
  series: z.array(
    obj({
      dtype,
      points: z.array(
        obj({
          h: num,
          forward: num,
          centred: num,
          forwardError: numOrNull,
          centredError: numOrNull
        })
      ),
      forward: scalarFit,
      centred: scalarFit
    })
  ),
  lecture: obj({ h: num, printed: threePoint, measured: threePoint }).optional()
})

export const OmegaResultSchema: z.ZodType<OmegaResult, unknown> = obj({
  config: obj({
    layers: num,
    width: num,
    omegas: nums,
    samples: num,
    seed: num,
    dtype
  }),
  series: z.array(
    obj({
      omega: num,
      layers: z.array(obj({ layer: num, ratio: num, predicted: num, dWRatio: num })),
      first: obj({ ratio: num, predicted: num }),
      maxRelError: num
    })
  )
})

const trainStatus = z.enum(['completed', 'stopped', 'diverged'])
const studySeed = obj({
  seed: num,
  lr: num,
  status: trainStatus,
  valAcc: numOrNull,
  testAcc: numOrNull,
  losses: nums,
  divergence: divergence.optional()
})
const accuracy = obj({ valAcc: num, testAcc: num })
const interval = z.tuple([num, num])

export const StudyResultSchema: z.ZodType<StudyResult, unknown> = obj({
  base: json,
  search: obj({
    lo: num,
    hi: num,
    trials: num,
    epochs: num,
    refine: num,
    seed: num
  }).nullable(),
  seedsPerMode: num,
  modes: z.array(
    obj({
      mode: z.string(),
      trials: z.array(
        obj({
          lr: num,
          round: num,
          status: trainStatus,
          valAcc: numOrNull,
          loss: numOrNull,
          iterations: num,
          reason: z.enum(['non-finite', 'exploded']).optional()
        })
      ),
      bestLr: numOrNull,
      searchBestLr: numOrNull,
      note: z.string().nullable(),
      seeds: z.array(studySeed),
      mean: accuracy.nullable(),
      std: accuracy.nullable(),
      ci95: obj({ valAcc: interval, testAcc: interval }).nullable(),
      discarded: z.array(studySeed)
    })
  ),
  verdict: obj({
    text: z.string(),
    test: z.string(),
    p: numOrNull,
    t: numOrNull,
    df: numOrNull,
    compared: z.tuple([z.string(), z.string()]).nullable(),
    pairs: z.array(obj({ a: z.string(), b: z.string(), diff: num, p: numOrNull })),
    init: z.string()
  }),
  seconds: num
})

export const ActivationCostResultSchema: z.ZodType<ActivationCostResult, unknown> = obj({
  elements: num,
  repeats: num,
  dtype: z.string(),
  rows: z.array(
    obj({
      activation: z.string(),
      family: z.enum(['exp', 'max', 'identity']),
      forwardNs: num,
      backwardNs: num,
      forwardRuns: nums,
      backwardRuns: nums
    })
  )
})

export const BenchJobResultSchema: z.ZodType<BenchJobResult, unknown> = obj({
  kernel: z.string(),
  gemm: z.array(obj({ shape: z.string(), gflops: num })),
  workers: num,
  epochSeconds: num,
  depthMs: num,
  epochSecondsOneCore: num,
  depthMsOneCore: num,
  epochSecondsKernelLoop: num,
  depthMsKernelLoop: num
})

const lectureVerdict = z.enum(['reproduces', 'differs', 'lecture-off'])

export const LectureResultSchema: z.ZodType<LectureResult, unknown> = obj({
  cards: z.array(
    obj({
      id: z.string(),
      measured: nums,
      spread: nums,
      perSeed: z.array(nums),
      seeds: nums,
      verdict: lectureVerdict,
      expected: lectureVerdict,
      asExpected: z.boolean(),
      entryPass: z.array(z.boolean()),
      detail: z.string(),
      seconds: num
    })
  ),
  pass: z.boolean(),
  seconds: num
})

// ---------------------------------------------------------------- per run kind

/** The schema of each session run kind's result. */
export const RESULT_SCHEMAS: { [K in RunKind]: z.ZodType<RunResult<K>, unknown> } = {
  depth: DepthResultSchema,
  gradcheck: GradcheckResultSchema,
  sanity: SanityResultSchema,
  train: TrainResultSchema,
  compare: CompareResultSchema,
  loss: LossResultSchema,
  preprocess: PreprocessJobResultSchema,
  dataset: DatasetSummarySchema,
  sample: SampleResultSchema,
  'scalar-check': ScalarCheckResultSchema,
  omega: OmegaResultSchema,
  lecture: LectureResultSchema,
  study: StudyResultSchema
}

/** The schema of each job kind's result, typed by the contract's result type of that kind. */
export const JOB_RESULT_SCHEMAS: { [K in JobKind]: z.ZodType<JobResult<K>, unknown> } = {
  sample: SampleResultSchema,
  depth: DepthResultSchema,
  gradcheck: GradcheckResultSchema,
  sanity: SanityResultSchema,
  dataset: DatasetSummarySchema,
  preprocess: PreprocessJobResultSchema,
  train: TrainResultSchema,
  compare: CompareResultSchema,
  'scalar-check': ScalarCheckResultSchema,
  omega: OmegaResultSchema,
  study: StudyResultSchema,
  'activation-cost': ActivationCostResultSchema,
  lecture: LectureResultSchema,
  loss: LossResultSchema,
  'gradcheck-net': GradcheckResultSchema,
  bench: BenchJobResultSchema
}

// ---------------------------------------------------------------- reading a stored result

/** One reason a result does not fit its kind: where (a path into the result) and what. */
export interface ResultProblem {
  path: (string | number)[]
  message: string
}

/**
 * The problems of a failed parse, each at its full path. Where a union failed (a training run
 * is completed/stopped or diverged), the branch the value came closest to — the fewest
 * problems — says what is wrong, so the message names a field rather than "invalid input".
 */
export function resultProblems(
  issues: readonly z.core.$ZodIssue[],
  prefix: (string | number)[] = []
): ResultProblem[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...(issue.path as (string | number)[])]
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const branches = issue.errors.map((b) => resultProblems(b, path))
      return branches.reduce((best, b) => (b.length < best.length ? b : best))
    }
    return [{ path, message: issue.message }]
  })
}

export type ParsedResult<K extends RunKind> =
  { ok: true; result: RunResult<K> } | { ok: false; problems: ResultProblem[] }

/**
 * A stored result of run kind `kind`, checked and migrated by its schema: the result of the
 * declared type, or every problem with where it is (never empty).
 */
export function parseRunResult<K extends RunKind>(kind: K, value: unknown): ParsedResult<K> {
  const parsed = RESULT_SCHEMAS[kind].safeParse(value)
  if (parsed.success) return { ok: true, result: parsed.data }
  const problems = resultProblems(parsed.error.issues)
  return {
    ok: false,
    problems: problems.length > 0 ? problems : [{ path: [], message: 'invalid' }]
  }
}
