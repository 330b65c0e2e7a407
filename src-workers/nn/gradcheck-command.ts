/** The `gradcheck` command (CLI.md `gradcheck`): a toy net from options, or a NET.json + DATA.json. */
import { GRADCHECK_DEFAULTS as G } from './defaults'
import { buildNet, type ActivationConfig, type ActivationName } from './build'
import { NnInputError } from './errors'
import { checkGradients, type GradcheckReport } from './gradcheck'
import type { LossName, Net } from './net'
import { checkNetSize, dataFromJson, netFromJson, outputWidth } from './netjson'
import { createRng, fillNormal, randLabels } from './rng'
import { alloc, type Dtype } from './tensor'

export interface GradcheckCommandOptions {
  activation?: ActivationName | ActivationConfig
  /** Affine layers (default 2: one hidden layer). */
  layers?: number
  width?: number
  input?: number
  classes?: number
  samples?: number
  h?: number
  reg?: number
  seed?: number
  dtype?: Dtype
  loss?: LossName
  /** K random entries per parameter instead of all. */
  sample?: number
  burnIn?: number
  burnInLr?: number
  excludeKinks?: boolean
}

function positive(v: number, name: string): number {
  if (!(Number.isInteger(v) && v >= 1))
    throw new NnInputError(`${name}: expected a positive integer, got ${v}`, name)
  return v
}

/**
 * `layerscope gradcheck` with a generated net. Defaults: relu, --layers 2 --width 10 --input 4
 * --classes 3 --samples 5 --h 1e-5 --reg 0.05 --seed 1, float64. From one RNG seeded by `seed`,
 * in this order: the weights W1, W2, … ~ N(0, 0.1²) (biases 0, PReLU α 0.25), then X ~ randn
 * (samples × input), then labels uniform over the classes, then the sampled entries (--sample).
 */
export function gradcheckCommand(o: GradcheckCommandOptions = {}): GradcheckReport {
  const layers = positive(o.layers ?? G.layers, 'layers')
  const width = positive(o.width ?? G.width, 'width')
  const input = positive(o.input ?? G.input, 'input')
  const classes = positive(o.classes ?? G.classes, 'classes')
  const samples = positive(o.samples ?? G.samples, 'samples')
  const h = o.h ?? G.h
  if (!(h > 0)) throw new NnInputError(`h: expected a positive step, got ${h}`, 'h')
  const dtype = o.dtype ?? G.dtype
  const rng = createRng(o.seed ?? G.seed)
  const net = buildNet(
    {
      inputSize: input,
      hidden: new Array<number>(layers - 1).fill(width),
      classes,
      activation: o.activation ?? G.activation,
      init: { name: 'normal', std: 0.1 },
      biasInit: 0,
      loss: o.loss ?? G.loss,
      reg: o.reg ?? G.reg
    },
    rng,
    dtype
  )
  const X = { data: fillNormal(rng, alloc(dtype, samples * input)), rows: samples, cols: input }
  const y = randLabels(rng, samples, classes)
  return checkGradients(net, X, y, {
    h,
    sample: o.sample,
    burnIn: o.burnIn,
    burnInLr: o.burnInLr,
    excludeKinks: o.excludeKinks,
    rng
  })
}

/** Most multiply-adds one gradient check of a given net may take (a few seconds' work). */
export const MAX_GRADCHECK_WORK = 5e9

/**
 * Every checked entry costs two forward passes over all rows (≈ rows × parameters each):
 * refuse a check that would run for minutes, saying how much work it is.
 */
function checkGradcheckWork(net: Net, rows: number, sample: number | undefined): void {
  let params = 0
  let checked = 0
  for (const p of Object.values(net.params)) {
    params += p.length
    checked += sample === undefined ? p.length : Math.min(sample, p.length)
  }
  const work = 2 * checked * rows * params
  if (work > MAX_GRADCHECK_WORK)
    throw new NnInputError(
      `net: checking ${checked.toLocaleString('en')} entries of a ${params.toLocaleString('en')}-` +
        `parameter net over ${rows.toLocaleString('en')} rows is about ${work.toExponential(1)} ` +
        `multiply-adds, more than the ${MAX_GRADCHECK_WORK.toExponential(0)} one check may take; ` +
        `use a smaller net, fewer rows, or check a sample of entries per parameter`
    )
}

/**
 * `layerscope gradcheck --net NET.json --data DATA.json`: the given net (its reg) on the given
 * data, in `dtype` (default float64); `seed` only chooses sampled entries.
 */
export function gradcheckNetData(
  netJson: unknown,
  dataJson: unknown,
  o: Pick<
    GradcheckCommandOptions,
    'h' | 'seed' | 'dtype' | 'sample' | 'burnIn' | 'burnInLr' | 'excludeKinks'
  > = {}
): GradcheckReport {
  const dtype = o.dtype ?? G.dtype
  const net = netFromJson(netJson, dtype)
  const { X, y } = dataFromJson(dataJson, net.inputSize, outputWidth(net), dtype)
  checkNetSize(net, X.rows)
  checkGradcheckWork(net, X.rows, o.sample)
  return checkGradients(net, X, y, {
    h: o.h ?? G.h,
    sample: o.sample,
    burnIn: o.burnIn,
    burnInLr: o.burnInLr,
    excludeKinks: o.excludeKinks,
    rng: createRng(o.seed ?? G.seed)
  })
}
