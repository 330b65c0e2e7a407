/**
 * The lecture's claims ("Training Neural Networks: Practical Issues"), in its order, as static
 * data shared by the Lecture view and `layerscope lecture`: each claim in our own words, the
 * figures the lecture prints, what is measured, how the measurement is judged, and which verdict
 * is expected. The measurements themselves run in the workers (src-workers/lecture); judging
 * is the pure function `judgeClaim` here, so the UI and the CLI give the same verdict.
 *
 * Judging. Every claim measures a vector (one number, or a table's rows) once per seed. With
 * mean m and seed-to-seed std s per entry, and the claim's target t (the printed figure, or a
 * closed form):
 * - `close`: |m − t| ≤ tol + k·s for every entry (tol: the printing precision or a stated
 *   numeric bound; k = 4 since the lecture's figure is one draw and s comes from 5 seeds);
 * - `range`: lo ≤ every seed's value ≤ hi for every entry (qualitative claims).
 * A claim that passes its judge *reproduces*. One that does not either *differs* (for a reason
 * the claim states, e.g. the regularization convention) or shows that *the lecture is off*
 * (its printed figure is wrong); which of the two is the claim's `expect`. A claim expected to
 * reproduce that does not is reported as differing, and the report fails.
 */
import { z } from 'zod'

export const LECTURE_SECTIONS = [
  { id: 'activations', title: 'Activation functions' },
  { id: 'preprocessing', title: 'Data preprocessing' },
  { id: 'init', title: 'Weight initialization' },
  { id: 'gradcheck', title: 'Checking gradients' },
  { id: 'sanity', title: 'Sanity checks' }
] as const
export type LectureSection = (typeof LECTURE_SECTIONS)[number]['id']

export type LectureVerdict = 'reproduces' | 'differs' | 'lecture-off'

export type Judge =
  | { kind: 'close'; tol: number | number[]; k?: number }
  | { kind: 'range'; lo?: number | number[]; hi?: number | number[] }

/** Where the full experiment lives in the app, with the configuration the card used. */
export type OpenIn =
  | { view: 'depth'; config: Record<string, unknown> }
  | { view: 'gradcheck'; config: Record<string, unknown> }
  | { view: 'sanity'; config: Record<string, unknown> }
  | { view: 'activations' }
  | { view: 'preprocessing' }
  | { view: 'training' }
  | { view: 'lecture'; demo: 'scalar' | 'omega' }

export interface LectureClaim {
  id: string
  section: LectureSection
  /** The claim, in our words. */
  statement: string
  /** What the card measures (the unit of `measured`). */
  measures: string
  /** Row labels when the claim is a table (else one entry). */
  rows?: string[]
  /** The lecture's printed figures (null: the lecture prints none). */
  printed: number[] | null
  /** The value judged against when it is not the printed one (a closed form), with its source. */
  target?: { values: number[]; source: string }
  judge: Judge
  expect: LectureVerdict
  /** Why the lecture's figure differs or is off (shown on the badge). */
  why?: string
  /** Seeds the card runs (1: deterministic). */
  seeds: 1 | 5
  open?: OpenIn
}

const T1 = [
  0.998388, 0.213081, 0.047551, 0.01063, 0.002378, 0.000532, 0.000119, 0.000026, 0.000006, 0.000001,
  0
]
const T2 = [
  1.001311, 0.981879, 0.981649, 0.981601, 0.981755, 0.981614, 0.98156, 0.98152, 0.981913, 0.981728,
  0.981736
]
const T3 = [
  1.001311, 0.627953, 0.486051, 0.407723, 0.357108, 0.320917, 0.292116, 0.273387, 0.254935,
  0.239266, 0.228008
]
const T4 = [
  0.999444, 0.582273, 0.403795, 0.276912, 0.198685, 0.140299, 0.10328, 0.072748, 0.051572, 0.038583,
  0.026076
]
const T5 = [
  0.999444, 0.825232, 0.827835, 0.813855, 0.826902, 0.834092, 0.860035, 0.87061, 0.889348, 0.845357,
  0.84452
]
/** The tables print six decimals: half a unit in the last place. */
const PRINT6 = 5e-7
const TABLE_ROWS = ['input', ...Array.from({ length: 10 }, (_, i) => `layer ${i + 1}`)]

/** The cs231n experiment behind the five tables: 10 layers of 500, 1000 Gaussian samples. */
export function tableDepthConfig(
  activation: 'tanh' | 'relu',
  init: 'normal' | 'xavier' | 'he',
  std?: number
): Record<string, unknown> {
  return {
    layers: 10,
    width: 500,
    activation,
    init,
    ...(std === undefined ? {} : { std }),
    samples: 1000,
    input: 'gaussian',
    upstream: 'randn',
    dtype: 'float32'
  }
}

const SQRT_2PI = Math.sqrt(2 * Math.PI)

export const LECTURE_CLAIMS: LectureClaim[] = [
  // ------------------------------------------------------------ activation functions
  {
    id: 'sigmoid-range',
    section: 'activations',
    statement: 'The sigmoid maps every real number into the interval (0, 1).',
    measures: 'σ(−10) and 1 − σ(10)',
    rows: ['σ(−10)', '1 − σ(10)'],
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-4 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'sigmoid-derivative',
    section: 'activations',
    statement: "The sigmoid's derivative is σ(x)·(1 − σ(x)).",
    measures: 'largest |σ(1−σ) − centred difference| over x ∈ [−10, 10] (float64, h = 1e-5)',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-9 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'sigmoid-saturation',
    section: 'activations',
    statement:
      'A saturated sigmoid passes almost no gradient: at x = ±10 the derivative is tiny next to its value 0.25 at 0.',
    measures: 'σ′(10) / σ′(0) (σ′(−10) is the same: σ′ is even)',
    printed: null,
    target: { values: [(4 * Math.exp(-10)) / (1 + Math.exp(-10)) ** 2], source: '4e⁻¹⁰/(1+e⁻¹⁰)²' },
    judge: { kind: 'close', tol: 1e-15 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'sigmoid-not-centred',
    section: 'activations',
    statement: 'Sigmoid outputs are not zero-centred: for zero-mean inputs they average ½.',
    measures: 'mean of σ(z) over 10⁵ draws z ~ N(0, 1)',
    printed: null,
    target: { values: [0.5], source: 'σ(z) + σ(−z) = 1' },
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'activations' }
  },
  {
    id: 'positive-input-gradients',
    section: 'activations',
    statement:
      "When a neuron's inputs are all positive, the gradients on its weights are all positive or all negative for each example.",
    measures:
      'fraction of examples whose weight gradient has a single sign: inputs σ(z) > 0, and zero-mean inputs z',
    rows: ['positive inputs', 'zero-mean inputs'],
    printed: null,
    judge: { kind: 'range', lo: [1, 0], hi: [1, 0.01] },
    expect: 'reproduces',
    seeds: 5
  },
  {
    id: 'sigmoid-exp-cost',
    section: 'activations',
    statement: 'exp() makes the sigmoid more expensive to compute than ReLU.',
    measures:
      'time per element of 1/(1 + e⁻ˣ) over that of max(0, x), the same plain float64 loop over 10⁶ elements (this machine)',
    printed: null,
    judge: { kind: 'range', lo: 1 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'tanh-centred',
    section: 'activations',
    statement: 'tanh squashes into (−1, 1) and is zero-centred.',
    measures: 'mean of tanh(z) over 10⁵ draws z ~ N(0, 1), and 1 − tanh(10)',
    rows: ['mean tanh(z)', '1 − tanh(10)'],
    printed: null,
    target: { values: [0, 1 - Math.tanh(10)], source: 'tanh is odd' },
    judge: { kind: 'close', tol: [0, 1e-15] },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'activations' }
  },
  {
    id: 'tanh-formula',
    section: 'activations',
    statement: 'tanh(x) equals (1 − e^(−2x)) / (1 + e^(−2x)).',
    measures: 'largest |tanh(x) − (1 − e^(−2x))/(1 + e^(−2x))| over x ∈ [−5, 5]',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-15 },
    expect: 'reproduces',
    seeds: 1
  },
  {
    id: 'tanh-saturation',
    section: 'activations',
    statement: 'A saturated tanh still kills the gradient.',
    measures: 'tanh′(10) = 1 − tanh²(10)',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-7 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'relu-no-saturation',
    section: 'activations',
    statement:
      'ReLU does not saturate for positive inputs: its slope there is 1 however large x is.',
    measures: 'ReLU′(10) and ReLU′(1000)',
    rows: ['ReLU′(10)', 'ReLU′(1000)'],
    printed: null,
    judge: { kind: 'range', lo: 1, hi: 1 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'relu-dead-side',
    section: 'activations',
    statement: 'For x < 0 ReLU outputs 0 with gradient 0: a unit stuck there learns nothing.',
    measures: 'ReLU(−10) and ReLU′(−10)',
    rows: ['ReLU(−10)', 'ReLU′(−10)'],
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 0 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'relu-not-centred',
    section: 'activations',
    statement: 'ReLU outputs are not zero-centred.',
    measures: 'mean of max(0, z) over 10⁵ draws z ~ N(0, 1)',
    printed: null,
    target: { values: [1 / SQRT_2PI], source: 'E[max(0, z)] = 1/√(2π)' },
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'activations' }
  },
  {
    id: 'relu-positive-bias',
    section: 'activations',
    statement:
      'A slightly positive bias (the lecture suggests 0.01) makes more ReLU units active at the start.',
    measures:
      'fraction of active first-layer units (He init, 500 → 500, 1000 samples) with bias 0.01 minus with bias 0',
    printed: [0.01],
    judge: { kind: 'range', lo: 0 },
    expect: 'reproduces',
    why: 'The printed figure is the bias itself; the measured gain in active units is small (well under 1 %).',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('relu', 'he') }
  },
  {
    id: 'leaky-relu-slope',
    section: 'activations',
    statement:
      'Leaky ReLU keeps a small slope (0.01) for negative inputs, so its units do not die.',
    measures: 'the leaky ReLU′(−10) with the default slope',
    printed: [0.01],
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'prelu-alpha-gradient',
    section: 'activations',
    statement: "PReLU's α is learned by backpropagation like any weight.",
    measures:
      'ε = ‖numeric − analytic‖/(‖numeric‖ + ‖analytic‖) of ∂L/∂α (float64, h = 1e-5, α = 0.25)',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-7 },
    expect: 'reproduces',
    seeds: 5,
    open: {
      view: 'gradcheck',
      config: { activation: 'prelu', layers: 2, h: 1e-5, dtype: 'float64' }
    }
  },
  {
    id: 'elu-mean',
    section: 'activations',
    statement: 'ELU outputs are closer to zero mean than ReLU outputs.',
    measures: 'mean of ELU(z) and of ReLU(z), 10⁵ draws z ~ N(0, 1), α = 1',
    rows: ['ELU', 'ReLU'],
    printed: null,
    target: {
      values: [1 / SQRT_2PI + Math.exp(0.5) * 0.15865525393145707 - 0.5, 1 / SQRT_2PI],
      source: 'E[ELU(z)] = 1/√(2π) + e^½·Φ(−1) − ½'
    },
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'activations' }
  },
  {
    id: 'elu-saturation',
    section: 'activations',
    statement: 'ELU saturates for very negative inputs, towards −α.',
    measures: 'ELU(−10) with α = 1',
    printed: null,
    target: { values: [Math.expm1(-10)], source: 'α(e⁻¹⁰ − 1)' },
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'elu-exp-cost',
    section: 'activations',
    statement: 'ELU needs exp(), so it costs more than ReLU.',
    measures:
      'time per element of ELU (eˣ − 1 for x ≤ 0) over that of max(0, x), the same plain float64 loop over 10⁶ elements (this machine)',
    printed: null,
    judge: { kind: 'range', lo: 1 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'activations' }
  },
  {
    id: 'maxout-generalizes-relu',
    section: 'activations',
    statement: 'Maxout generalizes ReLU: with one of its two pieces fixed at zero it is ReLU.',
    measures: "largest |maxout(z, 0) − ReLU(z)| over 10⁴ draws, by the engine's maxout layer",
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 0 },
    expect: 'reproduces',
    seeds: 1
  },
  {
    id: 'maxout-parameters',
    section: 'activations',
    statement: 'Maxout doubles the parameters per neuron (with two pieces).',
    measures:
      'parameters of a 100 → 50 maxout layer (2 pieces) over those of a 100 → 50 affine layer',
    printed: [2],
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 1
  },
  {
    id: 'tldr-sigmoid',
    section: 'activations',
    statement:
      'In practice use ReLU (try leaky ReLU, maxout, ELU; tanh without much hope) and not the sigmoid.',
    measures:
      'std of ∂L/∂W at layer 1 over that at layer 10 (10 layers of 100, Xavier; He for ReLU): sigmoid, tanh, ReLU',
    rows: ['sigmoid', 'tanh', 'relu'],
    printed: null,
    judge: { kind: 'range', lo: [0, 0.01, 0.1], hi: [0.01, Infinity, Infinity] },
    expect: 'reproduces',
    why: 'A recommendation, checked through one of its reasons: through 10 sigmoid layers the first layer gets under 1 % of the last layer’s gradient.',
    seeds: 5,
    open: {
      view: 'depth',
      config: { layers: 10, width: 100, activation: 'sigmoid', init: 'xavier', samples: 200 }
    }
  },
  // ------------------------------------------------------------ data preprocessing
  {
    id: 'standardize-formulas',
    section: 'preprocessing',
    statement:
      'Per feature, subtract the training mean μᵢ and divide by the training σᵢ (σᵢ² averaged over N): each feature then has mean 0 and variance 1 on the training set.',
    measures:
      'largest |mean| and |std − 1| over 100 features after standardizing 1000 positive examples',
    rows: ['max |mean|', 'max |std − 1|'],
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-12 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'preprocessing' }
  },
  {
    id: 'standardize-test',
    section: 'preprocessing',
    statement:
      'The test data are normalized with the training μ and σ, so they come out close to, but not exactly at, mean 0 and std 1.',
    measures: 'largest |mean| and |std − 1| of 1000 held-out examples, over 100 features',
    rows: ['max |mean|', 'max |std − 1|'],
    printed: null,
    judge: { kind: 'range', lo: 1e-6, hi: 0.2 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'preprocessing' }
  },
  {
    id: 'zero-mean-gradients',
    section: 'preprocessing',
    statement:
      'Zero-mean data avoid the all-same-sign weight gradients: after centring, almost no example gives a single-signed gradient.',
    measures:
      'fraction of examples with a single-signed first-layer weight gradient, after centring positive data',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 0.01 },
    expect: 'reproduces',
    seeds: 5
  },
  {
    id: 'normalize-speeds-up',
    section: 'preprocessing',
    statement: 'Normalizing the inputs speeds up training.',
    measures:
      'gradient-descent steps to fit a linear least-squares model with features on scales 1 and 10, over the steps after normalizing (best fixed step each)',
    printed: null,
    judge: { kind: 'range', lo: 2 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'preprocessing' }
  },
  // ------------------------------------------------------------ weight initialization
  {
    id: 'equal-init-symmetry',
    section: 'init',
    statement:
      'Initializing every weight to the same value (zero or not) never breaks the symmetry: all hidden units stay identical.',
    measures:
      'largest difference between two hidden units’ weights after 20 SGD steps from all weights 0.01',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 0 },
    expect: 'reproduces',
    seeds: 5
  },
  {
    id: 'small-random-small-net',
    section: 'init',
    statement: 'Small random numbers, N(0, 0.01²), work for small nets.',
    measures:
      'loss after 100 SGD steps over the initial loss, 2-layer net (100 → 50 → 10), 500 synthetic examples',
    printed: [0.01],
    judge: { kind: 'range', lo: 0, hi: 0.9 },
    expect: 'reproduces',
    why: 'The printed figure is the std; the card checks that such a net trains.',
    seeds: 5,
    open: { view: 'training' }
  },
  {
    id: 'omega-formula',
    section: 'init',
    statement:
      'In a linear net with every W = ωI, the gradient at the first layer is ω^(L−1) times the last layer’s.',
    measures: '‖δ¹‖/‖δᴸ‖ over ω^(L−1) for ω = 0.9 and 1.1, L = 10, from the engine’s backward pass',
    rows: ['ω = 0.9', 'ω = 1.1'],
    printed: null,
    target: { values: [1, 1], source: 'δ¹ = ω^(L−1)·δᴸ' },
    judge: { kind: 'close', tol: 1e-12 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'lecture', demo: 'omega' }
  },
  {
    id: 'omega-explode-vanish',
    section: 'init',
    statement: 'Large weights make gradients explode with depth; small weights make them vanish.',
    measures: '‖δ¹‖/‖δᴸ‖ for ω = 1.5 and ω = 0.5 (L = 10)',
    rows: ['ω = 1.5', 'ω = 0.5'],
    printed: null,
    judge: { kind: 'range', lo: [10, 0], hi: [Infinity, 0.01] },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'lecture', demo: 'omega' }
  },
  {
    id: 'table-tanh-small',
    section: 'init',
    statement:
      'tanh, 10 layers of 500, weights N(0, 0.01²): the activations shrink towards zero layer after layer.',
    measures: 'std of the activations per layer (1000 Gaussian samples, float32)',
    rows: TABLE_ROWS,
    printed: T1,
    judge: { kind: 'close', tol: PRINT6 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'normal', 0.01) }
  },
  {
    id: 'small-init-gradients',
    section: 'init',
    statement:
      'With activations that small, the weight gradients (layer input × upstream gradient) are tiny too.',
    measures:
      'largest std of ∂L/∂W over the layers of the N(0, 0.01²) tanh stack, over the same for the Xavier tanh stack (same upstream gradient)',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-3 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'normal', 0.01) }
  },
  {
    id: 'table-tanh-unit',
    section: 'init',
    statement:
      'tanh with weights N(0, 1): every layer’s std sits near 0.98, the units saturated at ±1.',
    measures: 'std of the activations per layer',
    rows: TABLE_ROWS,
    printed: T2,
    judge: { kind: 'close', tol: PRINT6 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'normal', 1) }
  },
  {
    id: 'unit-init-saturated',
    section: 'init',
    statement: 'With N(0, 1) weights almost all tanh units are completely saturated.',
    measures: 'mean fraction of saturated entries (|tanh′| < 0.01) over the 10 layers',
    printed: null,
    judge: { kind: 'range', lo: 0.8, hi: 1 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'normal', 1) }
  },
  {
    id: 'unit-init-gradients-zero',
    section: 'init',
    statement: 'With N(0, 1) weights and saturated tanh units, the gradients are all zero.',
    measures: 'std of ∂L/∂H arriving at layer 1 over that arriving at layer 10',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1 },
    expect: 'lecture-off',
    why: 'The local derivatives do vanish where units saturate, but N(0, 1) weights multiply the backward signal by about √500·(mean |tanh′|) per layer: the gradient reaching layer 1 is orders of magnitude larger than at layer 10, not zero.',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'normal', 1) }
  },
  {
    id: 'xavier-variance',
    section: 'init',
    statement:
      'For z = w₁x₁ + … + wₙxₙ, Var(z) = n·Var(w)·Var(x): weights with std 1/√fan_in keep the variance of unit inputs.',
    measures: 'std of the first layer’s pre-activations (500 inputs of std 1, Xavier)',
    printed: null,
    target: { values: [1], source: '√(500·(1/500)·1)' },
    judge: { kind: 'close', tol: 0.005 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'xavier') }
  },
  {
    id: 'table-tanh-xavier',
    section: 'init',
    statement: 'tanh with Xavier init (std 1/√fan_in): a reasonable, slowly shrinking profile.',
    measures: 'std of the activations per layer',
    rows: TABLE_ROWS,
    printed: T3,
    judge: { kind: 'close', tol: PRINT6 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'xavier') }
  },
  {
    id: 'xavier-linear-assumption',
    section: 'init',
    statement:
      'The Xavier derivation assumes linear activations: with them the std stays at 1 through every layer.',
    measures: 'std of layer 10’s activations, linear activation, Xavier',
    printed: null,
    target: { values: [1], source: 'Var kept exactly in expectation' },
    judge: { kind: 'close', tol: 0.02 },
    expect: 'reproduces',
    seeds: 5,
    open: {
      view: 'depth',
      config: { ...tableDepthConfig('tanh', 'xavier'), activation: 'linear' }
    }
  },
  {
    id: 'table-relu-xavier',
    section: 'init',
    statement: 'ReLU with Xavier init breaks: the std shrinks layer after layer.',
    measures: 'std of the activations per layer',
    rows: TABLE_ROWS,
    printed: T4,
    judge: { kind: 'close', tol: PRINT6 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('relu', 'xavier') }
  },
  {
    id: 'relu-xavier-halving',
    section: 'init',
    statement:
      'ReLU zeroes half of its inputs, so with Xavier the variance halves at each layer (std × 1/√2).',
    measures: 'geometric mean of std(layer l+1)/std(layer l), layers 1…10',
    printed: null,
    target: { values: [Math.SQRT1_2], source: '1/√2' },
    judge: { kind: 'close', tol: 0.01 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('relu', 'xavier') }
  },
  {
    id: 'relu-xavier-caption',
    section: 'init',
    statement: 'The ReLU + Xavier table is captioned “tanh activation function”.',
    measures: 'the printed ReLU + Xavier table against a tanh + Xavier run (std per layer)',
    rows: TABLE_ROWS,
    printed: T4,
    judge: { kind: 'close', tol: PRINT6 },
    expect: 'lecture-off',
    why: 'Its numbers are ReLU’s (the ReLU + Xavier card reproduces them); a tanh + Xavier run gives the profile of the tanh table instead.',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('tanh', 'xavier') }
  },
  {
    id: 'table-relu-he',
    section: 'init',
    statement: 'ReLU with He init (std 1/√(fan_in/2)): the std holds steady across the layers.',
    measures: 'std of the activations per layer',
    rows: TABLE_ROWS,
    printed: T5,
    judge: { kind: 'close', tol: PRINT6 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('relu', 'he') }
  },
  {
    id: 'he-std',
    section: 'init',
    statement: 'He initialization draws weights with std √(2/fan_in), i.e. 1/√(fan_in/2).',
    measures: 'sample std of a 500 × 500 He weight matrix',
    printed: null,
    target: { values: [Math.sqrt(2 / 500)], source: '√(2/500)' },
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'depth', config: tableDepthConfig('relu', 'he') }
  },
  // ------------------------------------------------------------ gradient checking
  {
    id: 'forward-difference-order',
    section: 'gradcheck',
    statement: 'The forward difference has error O(h): do not use it.',
    measures: 'fitted log–log slope of the forward difference’s error against h, x⁴ at 3, float64',
    printed: [1],
    judge: { kind: 'close', tol: 0.05 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'lecture', demo: 'scalar' }
  },
  {
    id: 'centred-difference-order',
    section: 'gradcheck',
    statement: 'The centred difference has error O(h²): use it instead.',
    measures: 'fitted log–log slope of the centred difference’s error against h, x⁴ at 3, float64',
    printed: [2],
    judge: { kind: 'close', tol: 0.05 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'lecture', demo: 'scalar' }
  },
  {
    id: 'x4-derivative',
    section: 'gradcheck',
    statement: 'For f(x) = x⁴, f′(3) = 4·3³ = 108.',
    measures: 'f′(3)',
    printed: [108],
    judge: { kind: 'close', tol: 0 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'lecture', demo: 'scalar' }
  },
  {
    id: 'x4-values',
    section: 'gradcheck',
    statement: 'The worked example evaluates f(3.001) and f(2.999) for f(x) = x⁴.',
    measures: 'f(3.001) and f(2.999) in float64',
    rows: ['f(3.001)', 'f(2.999)'],
    printed: [81.108054, 80.892054],
    judge: { kind: 'close', tol: 5e-8 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'lecture', demo: 'scalar' }
  },
  {
    id: 'x4-centred',
    section: 'gradcheck',
    statement: 'The centred difference of x⁴ at 3 with h = 0.001.',
    measures: '(f(3.001) − f(2.999)) / 0.002 in float64',
    printed: [108.000006],
    judge: { kind: 'close', tol: 5e-7 },
    expect: 'lecture-off',
    why: '(3 + h)⁴ − (3 − h)⁴ = 216h + 24h³, so the quotient is 108 + 12h² = 108.000012 exactly; the printed 108.000006 is off by 6e-6.',
    seeds: 1,
    open: { view: 'lecture', demo: 'scalar' }
  },
  {
    id: 'relative-error-great',
    section: 'gradcheck',
    statement:
      'With h = 1e-7 and double precision, a correct backward pass without kinks gives a relative error ε below 1e-7.',
    measures: 'ε of a two-layer tanh net (float64, h = 1e-7, reg 0.05)',
    printed: [1e-7],
    judge: { kind: 'range', lo: 0, hi: 1e-7 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'gradcheck', config: { activation: 'tanh', h: 1e-7, dtype: 'float64' } }
  },
  {
    id: 'relative-error-kinks',
    section: 'gradcheck',
    statement:
      'With kinks (ReLU) an ε around 1e-5 can still be fine; without kinks 1e-4 is too high.',
    measures: 'ε of a two-layer ReLU net (float64, h = 1e-7)',
    printed: [1e-4],
    judge: { kind: 'range', lo: 0, hi: 1e-4 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'gradcheck', config: { activation: 'relu', h: 1e-7, dtype: 'float64' } }
  },
  {
    id: 'double-precision',
    section: 'gradcheck',
    statement: 'Use double precision for gradient checks.',
    measures: 'ε in float32 over ε in float64, two-layer tanh net, h = 1e-5',
    printed: null,
    judge: { kind: 'range', lo: 100 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'gradcheck', config: { activation: 'tanh', dtype: 'float32' } }
  },
  {
    id: 'step-not-too-small',
    section: 'gradcheck',
    statement: 'Do not make h too small: rounding then swamps the difference.',
    measures:
      'centred-difference error of x⁴ at 3 with h = 1e-13 over that with h = 1e-5 (float64)',
    printed: null,
    judge: { kind: 'range', lo: 10 },
    expect: 'reproduces',
    seeds: 1,
    open: { view: 'lecture', demo: 'scalar' }
  },
  {
    id: 'gradcheck-after-burn-in',
    section: 'gradcheck',
    statement: 'Check the gradients again after some training, not only at initialization.',
    measures: 'ε of a two-layer tanh net after 50 SGD steps (float64, h = 1e-5)',
    printed: null,
    judge: { kind: 'range', lo: 0, hi: 1e-7 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'gradcheck', config: { activation: 'tanh', burnIn: 50, dtype: 'float64' } }
  },
  // ------------------------------------------------------------ sanity checks
  {
    id: 'initial-loss',
    section: 'sanity',
    statement:
      'At chance, a 10-class softmax starts at loss ln 10 (the lecture’s two-layer CIFAR-10 net, weights 1e-4·randn, prints it).',
    measures: 'initial loss of a 3072 → 50 → 10 net, weights N(0, 1e-4²), 500 synthetic examples',
    printed: [2.30261216167],
    judge: { kind: 'close', tol: 1e-4 },
    expect: 'reproduces',
    why: 'The lecture’s figure is one run on CIFAR-10 images; the last figures depend on the data. Tolerance 1e-4.',
    seeds: 5,
    open: { view: 'sanity', config: { hidden: 50 } }
  },
  {
    id: 'reg-raises-loss',
    section: 'sanity',
    statement: 'Raising the regularization strength raises the loss.',
    measures: '1 when the loss rises at every step of reg = 0, 1e-3, …, 1e3, else 0',
    printed: null,
    judge: { kind: 'range', lo: 1, hi: 1 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'sanity', config: { hidden: 50 } }
  },
  {
    id: 'reg-1e3-half',
    section: 'sanity',
    statement:
      'With reg = 1e3 the initial loss rises to about 3.07 (penalty ½·reg·ΣW², the lecture’s).',
    measures:
      'loss at reg = 1e3 with the penalty ½·reg·ΣW² (tolerance 0.0085: three times the sampling std 0.0028 of ½·1e3·ΣW² over 154,100 weights N(0, 1e-8))',
    printed: [3.06859716482],
    judge: { kind: 'close', tol: 0.0085 },
    expect: 'reproduces',
    seeds: 5,
    open: { view: 'sanity', config: { hidden: 50, regConvention: 'half' } }
  },
  {
    id: 'reg-1e3-full',
    section: 'sanity',
    statement: 'The same reg = 1e3 with this app’s penalty reg·ΣW².',
    measures: 'loss at reg = 1e3 with the penalty reg·ΣW²',
    printed: [3.06859716482],
    judge: { kind: 'close', tol: 0 },
    expect: 'differs',
    why: 'The app’s default penalty is reg·ΣW², twice the lecture’s ½·reg·ΣW²: the rise above ln 10 doubles (≈ 1.54 instead of ≈ 0.77). Choose the lecture’s penalty to reproduce 3.0686.',
    seeds: 5,
    open: { view: 'sanity', config: { hidden: 50, regConvention: 'full' } }
  },
  {
    id: 'overfit-zero-cost',
    section: 'sanity',
    statement:
      'A net must overfit a tiny subset (20 examples, no regularization, plain SGD): train accuracy 1.00 and a cost near zero.',
    measures: 'train accuracy and loss when the loss first falls below 0.01 (budget 2000 epochs)',
    rows: ['train accuracy', 'loss'],
    printed: [1, 0.002597],
    judge: { kind: 'range', lo: [1, 0], hi: [1, 0.01] },
    expect: 'reproduces',
    why: 'The lecture’s 0.002597 is its loss after 200 epochs at its learning rate; the card checks accuracy 1.00 and a loss below 0.01.',
    seeds: 5,
    open: { view: 'sanity', config: { hidden: 50 } }
  }
]

export function claimById(id: string): LectureClaim | undefined {
  return LECTURE_CLAIMS.find((c) => c.id === id)
}

export const LECTURE_CLAIM_IDS = LECTURE_CLAIMS.map((c) => c.id)

/** `lecture` job: every claim (or `only` these), each run with its seeds. */
export const LectureConfig = z.strictObject({
  only: z
    .array(z.string())
    .max(LECTURE_CLAIMS.length)
    .optional()
    .superRefine((ids, ctx) => {
      for (const id of ids ?? [])
        if (!LECTURE_CLAIM_IDS.includes(id))
          ctx.addIssue({
            code: 'custom',
            message: `no claim '${id}' (claims: ${LECTURE_CLAIM_IDS.join(', ')})`
          })
    }),
  /** Seeds of the seeded claims: 1 … seeds (the lecture view and CLI use 5). */
  seeds: z.number().int().min(1).max(10).default(5)
})
export type LectureConfig = z.infer<typeof LectureConfig>

export interface LectureCardResult {
  id: string
  /** Mean over seeds, and the seed-to-seed std (0 with one seed), per entry. */
  measured: number[]
  spread: number[]
  /** Every seed's values (rows: seeds). */
  perSeed: number[][]
  seeds: number[]
  verdict: LectureVerdict
  expected: LectureVerdict
  /** verdict === expected. */
  asExpected: boolean
  /** Per entry: whether it passes the judge. */
  entryPass: boolean[]
  /** A short sentence on why the verdict is what it is, built from the numbers. */
  detail: string
  seconds: number
}

export interface LectureResult {
  cards: LectureCardResult[]
  /** Every card gave its expected verdict (every claim that should reproduce does). */
  pass: boolean
  seconds: number
}

function at(v: number | number[] | undefined, i: number, dflt: number): number {
  if (v === undefined) return dflt
  return Array.isArray(v) ? (v[i] ?? dflt) : v
}

function meanStd(xs: number[]): { mean: number; std: number } {
  const n = xs.length
  const mean = xs.reduce((a, b) => a + b, 0) / n
  if (n < 2) return { mean, std: 0 }
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
  return { mean, std: Math.sqrt(v) }
}

/** The value each entry is judged against: the closed form when given, else the printed one. */
export function claimTarget(claim: LectureClaim): number[] | null {
  return claim.target?.values ?? claim.printed
}

const sig = (v: number): string =>
  v === 0
    ? '0'
    : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5
      ? String(+v.toPrecision(9))
      : v.toExponential(3)

/** Judge one claim from its per-seed measurements (rows: seeds; columns: entries). */
export function judgeClaim(
  claim: LectureClaim,
  perSeed: number[][],
  seeds: number[],
  seconds = 0
): LectureCardResult {
  const width = perSeed[0]?.length ?? 0
  const stats = Array.from({ length: width }, (_, j) => meanStd(perSeed.map((r) => r[j]!)))
  const measured = stats.map((s) => s.mean)
  const spread = stats.map((s) => s.std)
  const target = claimTarget(claim)
  const j = claim.judge
  const entryPass = measured.map((m, i) => {
    if (j.kind === 'close') {
      const t = target?.[i]
      if (t === undefined) return false
      return Math.abs(m - t) <= at(j.tol, i, 0) + (j.k ?? 4) * spread[i]! && Number.isFinite(m)
    }
    const lo = at(j.lo, i, -Infinity)
    const hi = at(j.hi, i, Infinity)
    return perSeed.every((r) => r[i]! >= lo && r[i]! <= hi)
  })
  const ok = width > 0 && entryPass.every(Boolean)
  const verdict: LectureVerdict = ok
    ? 'reproduces'
    : claim.expect === 'lecture-off'
      ? 'lecture-off'
      : 'differs'
  const failed = entryPass.map((p, i) => (p ? -1 : i)).filter((i) => i >= 0)
  const name = (i: number): string => claim.rows?.[i] ?? 'the value'
  let detail: string
  if (j.kind === 'close') {
    const worst = failed[0]
    detail =
      worst === undefined
        ? `every entry within ${sig(at(j.tol, 0, 0))} + ${j.k ?? 4}× the seed spread of ${claim.target ? claim.target.source : 'the printed figure'}`
        : `${name(worst)}: measured ${sig(measured[worst]!)} ± ${sig(spread[worst]!)} against ${sig(target?.[worst] ?? NaN)}` +
          (failed.length > 1 ? ` (and ${failed.length - 1} more)` : '')
  } else {
    const worst = failed[0]
    const bounds = (i: number): string => {
      const lo = at(j.lo, i, -Infinity)
      const hi = at(j.hi, i, Infinity)
      if (lo === hi) return `= ${sig(lo)}`
      if (hi === Infinity) return `≥ ${sig(lo)}`
      if (lo === -Infinity) return `≤ ${sig(hi)}`
      return `in [${sig(lo)}, ${sig(hi)}]`
    }
    detail =
      worst === undefined
        ? `every seed's value ${width === 1 ? bounds(0) : 'within its bounds'}`
        : `${name(worst)}: measured ${sig(measured[worst]!)}, expected ${bounds(worst)}`
  }
  return {
    id: claim.id,
    measured,
    spread,
    perSeed,
    seeds,
    verdict,
    expected: claim.expect,
    asExpected: verdict === claim.expect,
    entryPass,
    detail,
    seconds
  }
}

/** The seeds a claim runs with under a configuration. */
export function claimSeeds(claim: LectureClaim, seeds: number): number[] {
  return Array.from({ length: claim.seeds === 1 ? 1 : seeds }, (_, i) => i + 1)
}
