/**
 * Memory budgets of whole runs. Each limit on a single option (layers ≤ 100, samples ≤ 50,000,
 * …) allows combinations that need many gigabytes together; these estimates bound the whole
 * run, in bytes, from its configuration, so a run that cannot fit is refused before it starts
 * with a message naming the numbers that multiply up. Estimates count the large arrays a run
 * keeps alive at its peak (activations, caches and gradients per layer, parameters with their
 * gradients and optimizer state, the input data), not small bookkeeping.
 */

/** Most memory one run may need (bytes). */
export const MAX_RUN_BYTES = 1024 * 1024 * 1024

const F32 = 4
const IMAGE = 3072

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toLocaleString('en', { maximumFractionDigits: 1 })} GB`
  return `${Math.round(n / 1e6).toLocaleString('en')} MB`
}

const int = (n: number) => n.toLocaleString('en')

export interface Estimate {
  bytes: number
  /** The factors, in words: "100 layers × 50,000 samples × 400 wide, float64". */
  why: string
}

/**
 * The depth probe keeps, per layer, its pre-activation and activation outputs and, from the
 * backward pass, the gradients arriving at both (4 matrices of samples × width), plus each
 * layer's weights and their gradient.
 */
export function depthEstimate(c: {
  layers: number
  width: number
  samples: number
  dtype: string
  input: string
  activation: string
  params: { pieces: number }
}): Estimate {
  const bytes = c.dtype === 'float64' ? 8 : 4
  const wide = c.width * (c.activation === 'maxout' ? c.params.pieces : 1)
  const inputWidth = c.input === 'cifar' ? IMAGE : c.width
  const perLayer = 4 * c.samples * wide + 2 * c.width * wide
  const total = (c.layers * perLayer + 2 * c.samples * inputWidth) * bytes
  return {
    bytes: total,
    why: `${int(c.layers)} layers × ${int(c.samples)} samples × ${int(c.width)} wide, ${c.dtype}`
  }
}

/**
 * Training keeps the parameters with their gradients and optimizer state (4 copies), one
 * minibatch's activations, caches and gradients (3 copies per layer), and the examples: all of
 * them for synthetic data, the validation rows (gathered as float32) for a dataset.
 */
export function trainEstimate(c: {
  data: { type: 'synthetic'; n: number } | { type: 'dataset' }
  hidden: number[]
  batch: number
  val: number
  activation: string
  params: { pieces: number }
}): Estimate {
  const pieces = c.activation === 'maxout' ? c.params.pieces : 1
  const widths = [IMAGE, ...c.hidden, 10]
  let params = 0
  let units = IMAGE
  for (let i = 1; i < widths.length; i++) {
    const out = widths[i]! * (i < widths.length - 1 ? pieces : 1)
    params += widths[i - 1]! * out
    units += out
  }
  const rows = c.data.type === 'synthetic' ? c.data.n + c.val : c.val
  const total = (4 * params + 3 * c.batch * units + rows * IMAGE) * F32
  const net = [IMAGE, ...c.hidden, 10].map(int).join('–')
  return {
    bytes: total,
    why:
      `a ${net} net (${int(params)} weights), batches of ${int(c.batch)}` +
      (rows > 0 ? `, ${int(rows)} examples of 3,072 values` : '')
  }
}

/** The sanity checks hold the examples and a net of one hidden layer over all of them. */
export function sanityEstimate(c: {
  data: { type: 'synthetic'; n: number } | { type: 'dataset' }
  hidden: number
}): Estimate {
  const rows = c.data.type === 'synthetic' ? c.data.n : 0
  const total = (rows * IMAGE + 4 * IMAGE * c.hidden + 3 * rows * c.hidden) * F32
  return {
    bytes: total,
    why: `${int(rows)} examples of 3,072 values and ${int(c.hidden)} hidden units`
  }
}

/** The sentence for a run over budget. */
export function overBudget(what: string, e: Estimate, limit = MAX_RUN_BYTES): string {
  return (
    `${what} would need about ${formatBytes(e.bytes)} of memory (${e.why}), more than the ` +
    `${formatBytes(limit)} one run may use`
  )
}
