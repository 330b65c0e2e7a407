/**
 * Result shapes of the experiments, as ../shared/CLI.md prints them and the UI shows them.
 * The engine's functions return these structurally (the worker tasks check it at compile time).
 */
import type { Histogram } from './contract'

export interface Moments {
  mean: number
  std: number
  /** Frobenius norm (NaN in results made before it was reported). */
  norm: number
}

export interface DepthLayer {
  layer: number
  mean: number
  std: number
  preMean: number
  preStd: number
  saturated: number
  dead: number
  hist: Histogram
  dW: Moments
  dX: Moments
}

export interface DepthResult {
  config: {
    layers: number
    width: number
    activation: string
    /** leaky-relu's slope. */
    slope?: number
    /** ELU's α, or PReLU's initial α. */
    alpha?: number
    pieces?: number
    init: string
    std?: number
    samples: number
    /** 'gaussian', or 'cifar' (a batch of training images) with its preprocessing. */
    input?: 'gaussian' | 'data' | 'cifar'
    preprocess?: string
    inputWidth: number
    upstream: string
    bins: number
    seed: number
    bias: number | null
    dtype: string
    /**
     * Worker threads that computed it: the samples cut into this many slices, dW_l summed over
     * them in order (the only number that can differ from 1 worker's, in its last bits).
     * Absent: 1.
     */
    workers?: number
  }
  input: { mean: number; std: number }
  layers: DepthLayer[]
  loss: number
}

export type { Verdict } from './verdicts'
import type { Verdict } from './verdicts'

export interface GradcheckParam {
  name: string
  relError: number
  normRelError: number
  verdict: Verdict
  kinks: number
  worst: { index: number[]; analytic: number; numeric: number }[]
  /** Both ways of counting (absent in older sessions); the fields above are one of them. */
  allEntries?: { relError: number; normRelError: number; verdict: Verdict; entries: number }
  excludingKinks?: { relError: number; normRelError: number; verdict: Verdict; entries: number }
}

export interface GradcheckResult {
  params: GradcheckParam[]
  maxRelError: number
  verdict: Verdict
  /** Present (true) only when kink entries were left out of the errors and verdicts. */
  kinksExcluded?: true
  /** The overall verdict both ways (absent in older sessions). */
  verdicts?: { allEntries: Verdict; excludingKinks: Verdict }
}

export type SanityCheck =
  | { name: 'initial-loss'; value: number; expected: number; tolerance: number; pass: boolean }
  | {
      name: 'regularization-raises-loss'
      values: { reg: number; loss: number }[]
      pass: boolean
      /** reg·ΣW² (`full`) or ½·reg·ΣW² (`half`); absent in runs made before it was reported. */
      convention?: 'full' | 'half'
      /** ΣW² of the net's weights. */
      sumW2?: number
    }
  | {
      name: 'overfit-small-subset'
      examples: number
      epochs: number
      trainAcc: number
      finalLoss: number
      lr: number
      pass: boolean
      curve?: { epoch: number; loss: number; trainAcc: number }[]
      /** The loss the check ran down to, and its epoch budget (absent in older runs). */
      targetLoss?: number
      maxEpochs?: number
      epochsToFullAccuracy?: number | null
      epochsToTarget?: number | null
    }

export interface SanityResult {
  checks: SanityCheck[]
  pass: boolean
}

export interface LossResult {
  scores: number[][]
  loss: number
  dataLoss: number
  regLoss: number
  grads: ({ dW: number[][]; db?: number[] } | { dalpha: number[] } | null)[]
}

/** One epoch of a training run (CLI.md `train` history entry, plus lr and elapsed seconds). */
export interface TrainEpoch {
  epoch: number
  /** Iterations done so far (cumulative). */
  iter: number
  /** Mean training loss over the epoch's iterations. */
  loss: number
  /** Accuracy on a fixed random subset (≤ 1000) of the training split. */
  trainAcc: number
  valAcc: number | null
  /** Examples the train accuracy was measured on (absent in older sessions). */
  trainAccExamples?: number
  /** Examples the validation accuracy was measured on: the validation split (absent in older sessions). */
  valAccExamples?: number
  lr: number
  seconds: number
}

/** Layer × step statistics of a training run: row s is iteration iter[s], column l is block l+1. */
export interface TrainStats {
  every: number
  layers: number
  iter: number[]
  /** Std of each block's output (after its activation; the last block: the scores). */
  actStd: number[][]
  /** Frobenius norm of ∂loss/∂W of each block (data + regularization). */
  gradNorm: number[][]
}

/** A live update in `job:progress.data` of a training run: what is new since the last one. */
export interface TrainLive {
  kind: 'train'
  iter: number
  iterations: number
  epoch: number
  lr: number
  paused: boolean
  /** Losses of iterations fromIter, fromIter + 1, … (0-based). */
  fromIter: number
  losses: number[]
  /** The first iteration's loss as data loss + regularization term (once it has run). */
  initialLoss?: { data: number; reg: number }
  epochs: TrainEpoch[]
  stats: { iter: number; actStd: number[]; gradNorm: number[] }[]
  /** Set by a comparison: which of its runs this update belongs to. */
  run?: number
}

export interface TrainFinal {
  trainAcc: number
  valAcc: number | null
  testAcc: number
}

/** Each hidden layer's units on the first `examples` training examples, at start and end. */
export interface TrainUnits {
  examples: number
  /** Units per hidden layer. */
  width: number[]
  /** Fraction of units that output exactly 0 for every probe example. */
  deadAtStart: number[]
  deadAtEnd: number[]
  /** How many units differ from one another on the probe (width when all differ). */
  distinctAtStart: number[]
  distinctAtEnd: number[]
}

export interface TrainCommon {
  history: TrainEpoch[]
  /** Loss of every iteration. */
  losses: number[]
  /** The first iteration's loss as data loss + regularization term (absent in older sessions). */
  initialLoss?: { data: number; reg: number }
  stats: TrainStats
  /** Learning rates set while running (`train:control` set-lr), at the iteration they took effect. */
  lrChanges: { iter: number; lr: number }[]
  iterations: number
  itersPerEpoch: number
  /** Wall seconds, pauses excluded. */
  seconds: number
  /** Training examples per second of the training steps (evaluation and pauses excluded). */
  examplesPerSecond: number
  pausedSeconds: number
  /** Wall clock (ms since 1970) at the start and end of training in the worker. */
  startedAt: number
  endedAt: number
  /**
   * Worker count of the run: the slices each minibatch was cut into, each slice's gradient
   * computed on a worker thread and the slices summed in order (1: the whole batch on one
   * thread). The same seed and worker count give the same numbers.
   */
  workers: number
}

/**
 * Why a run diverged: `non-finite` — a NaN/Infinity appeared in layer block `layer`'s output or
 * in the loss; `exploded` — the loss, smoothed over a few iterations, rose above `factor` × its
 * first value (`--diverge-above`). `loss`: the loss that tripped it (the smoothed one for
 * `exploded`; NaN/±Infinity for `non-finite` — NaN when a layer's output was the non-finite
 * one); `first`: the first iteration's loss (null if there was none).
 */
export interface TrainDivergence {
  iteration: number
  reason: 'non-finite' | 'exploded'
  loss: number
  first: number | null
  layer?: number
  /** `exploded` only: the factor K the smoothed loss exceeded. */
  factor?: number
}

/**
 * A training run (CLI.md `train`). `completed`: all epochs ran; `stopped`: ended early by
 * `train:control` stop, with results so far; `diverged`: at `iteration` the run blew up, as
 * `divergence` says (non-finite in layer block `layer`, `where`: the layer type or 'loss'; or
 * exploded, where = 'loss').
 */
export type TrainResult =
  | (TrainCommon & {
      status: 'completed' | 'stopped'
      final: TrainFinal
      /** Hidden units on a probe batch before and after training (absent in older sessions). */
      units?: TrainUnits
    })
  | (TrainCommon & {
      status: 'diverged'
      final: null
      iteration: number
      epoch: number
      layer: number
      where: string
      message: string
      divergence: TrainDivergence
    })

/** One run of a comparison: the settings varied, and its result or its error. */
export type CompareRun<R = TrainResult | DepthResult> =
  | { vary: Record<string, unknown>; result: R }
  | { vary: Record<string, unknown>; error: { code: string; message: string } }

/** A comparison: its runs' results are its base experiment's. */
export type CompareResult =
  | { base: 'train'; runs: CompareRun<TrainResult>[] }
  | { base: 'depth'; runs: CompareRun<DepthResult>[] }

/** The scalar gradient check (job `scalar-check`; computed by src-workers/nn/scalar-check.ts). */
export interface ScalarPoint {
  h: number
  forward: number
  centred: number
  /** |estimate − f′(x)|; null at a kink, where f′(x) does not exist. */
  forwardError: number | null
  centredError: number | null
}
export interface ScalarFit {
  /** Fitted slope of log10 error against log10 h over the truncation range (null: no fit). */
  slope: number | null
  /** The h range of the fit. */
  fitFrom: number | null
  fitTo: number | null
  /** Predicted best step h* and the smallest error measured, with its h. */
  predictedBestH: number | null
  floor: { h: number; error: number } | null
}
export interface ScalarSeries {
  dtype: 'float64' | 'float32'
  points: ScalarPoint[]
  forward: ScalarFit
  centred: ScalarFit
}
export interface ScalarCheckResult {
  fn: 'x4' | 'sin' | 'exp' | 'abs' | 'relu'
  label: string
  x: number
  /** f(x) and f′(x) (null at a kink), and the one-sided derivatives. */
  value: number
  exact: number | null
  left: number
  right: number
  series: ScalarSeries[]
  /**
   * x⁴ at 3 only: the lecture's worked example with h = 0.001 — the values it prints beside what
   * float64 gives. Its centred difference is exactly 108 + 4·3·h² = 108.000012.
   */
  lecture?: {
    h: number
    printed: { fPlus: number; fMinus: number; centred: number }
    measured: { fPlus: number; fMinus: number; centred: number }
  }
}

/** The W = ωI linear-net demonstration (job `omega`; computed by src-workers/nn/omega.ts). */
export interface OmegaLayer {
  layer: number
  /** ‖δ^l‖ / ‖δ^L‖, measured. */
  ratio: number
  /** ω^{L−l}. */
  predicted: number
  /** ‖∂E/∂W^l‖ / ‖Xᵀ G‖, measured (predicted: ω^{L−1} at every layer). */
  dWRatio: number
}
export interface OmegaSeries {
  omega: number
  layers: OmegaLayer[]
  /** δ¹'s ratio and ω^{L−1}. */
  first: { ratio: number; predicted: number }
  /** Largest |measured − predicted| / predicted over layers (δ and dW ratios). */
  maxRelError: number
}
export interface OmegaResult {
  config: {
    layers: number
    width: number
    omegas: number[]
    samples: number
    seed: number
    dtype: 'float32' | 'float64'
  }
  series: OmegaSeries[]
}

// ---------------------------------------------------------------- study

/** One learning rate tried by a study's search (a short run). */
export interface StudyTrial {
  lr: number
  /** 1: the coarse round; 2: the finer one around the best. */
  round: number
  status: TrainResult['status']
  /** Validation accuracy at the end of the trial (null if it diverged). */
  valAcc: number | null
  /** The last epoch's mean training loss (null if it diverged before one). */
  loss: number | null
  iterations: number
  /** Why a diverged trial was stopped. */
  reason?: TrainDivergence['reason']
}

/** One full-length run of a mode at its chosen rate. */
export interface StudySeed {
  seed: number
  lr: number
  status: TrainResult['status']
  valAcc: number | null
  testAcc: number | null
  /** Loss of every iteration (the seed's loss curve). */
  losses: number[]
  divergence?: TrainDivergence
}

export interface StudyAccuracy {
  valAcc: number
  testAcc: number
}

export interface StudyMode {
  mode: string
  trials: StudyTrial[]
  /** The rate the seeds ran at (null: every candidate diverged in full runs). */
  bestLr: number | null
  /** The search's best rate, when the full runs diverged at it and a lower-ranked one was used. */
  searchBestLr: number | null
  /** What happened on the way, in words (a fallback, every rate diverging), or null. */
  note: string | null
  /** The seeds of the rate in bestLr (or of the last rate tried, if all diverged). */
  seeds: StudySeed[]
  /** Over the seeds (null when they did not all complete). std: sample (n − 1). */
  mean: StudyAccuracy | null
  std: StudyAccuracy | null
  /** t-based 95 % interval of the mean. */
  ci95: { valAcc: [number, number]; testAcc: [number, number] } | null
  /** Seed runs that diverged at earlier candidate rates, before the fallback. */
  discarded: StudySeed[]
}

export interface StudyVerdict {
  /** One sentence, true of the numbers. */
  text: string
  /** The test that decided it, e.g. "Welch's t test on test accuracy (two-sided)", or "none". */
  test: string
  p: number | null
  t: number | null
  df: number | null
  /** The two modes the sentence compares (best vs runner-up), or null. */
  compared: [string, string] | null
  /** Every pair of modes with seeds: difference of mean test accuracy (a − b) and Welch's p. */
  pairs: { a: string; b: string; diff: number; p: number | null }[]
  /** The init the verdict was made under. */
  init: string
}

/** A preprocessing study (docs/cli.md `compare train … --search … --seeds …`). */
export interface StudyResult {
  /** The base training configuration (each mode overrides preprocess and lr). */
  base: Record<string, unknown>
  search: {
    lo: number
    hi: number
    trials: number
    epochs: number
    refine: number
    seed: number
  } | null
  seedsPerMode: number
  modes: StudyMode[]
  verdict: StudyVerdict
  seconds: number
}

/** One activation's measured cost (ns per element; maxout per output element). */
export interface ActivationCostRow {
  activation: string
  /** 'exp' when f needs exp/erf, 'max' when it is a comparison (and a multiply). */
  family: 'exp' | 'max' | 'identity'
  forwardNs: number
  backwardNs: number
  forwardRuns: number[]
  backwardRuns: number[]
}

export interface ActivationCostResult {
  elements: number
  repeats: number
  dtype: string
  rows: ActivationCostRow[]
}

/** `bench` (../shared/CLI.md, docs/cli.md): this machine's engine, one worker and all of them. */
export interface BenchJobResult {
  kernel: string
  gemm: { shape: string; gflops: number }[]
  workers: number
  epochSeconds: number
  depthMs: number
  epochSecondsOneCore: number
  depthMsOneCore: number
  epochSecondsKernelLoop: number
  depthMsKernelLoop: number
}
