/** The `gradcheck` command (CLI.md `gradcheck`): a toy net from options, or a NET.json + DATA.json. */
import type { GradcheckConfig, GradcheckNetConfig } from '../../src-shared/experiments'
import { activationOf, buildNet } from './build'
import { NnInputError } from './errors'
import { checkGradients, type GradcheckReport } from './gradcheck'
import type { Net } from './net'
import { checkNetSize, dataFromJson, netFromJson, outputWidth } from './netjson'
import { createRng, fillNormal, randLabels } from './rng'
import { alloc } from './tensor'

/**
 * `layerscope gradcheck` with a generated net, from the contract's configuration (parsed: its
 * defaults are relu, --layers 2 --width 10 --input 4 --classes 3 --samples 5 --h 1e-5 --reg 0.05
 * --seed 1, float64). From one RNG seeded by `seed`, in this order: the weights W1, W2, … ~
 * N(0, 0.1²) (biases 0, PReLU α its α₀), then X ~ randn (samples × input), then labels uniform
 * over the classes, then the sampled entries (--sample).
 */
export function gradcheckCommand(c: GradcheckConfig): GradcheckReport {
  const { input, samples, classes, dtype } = c
  const rng = createRng(c.seed)
  const net = buildNet(
    {
      inputSize: input,
      hidden: new Array<number>(c.layers - 1).fill(c.width),
      classes,
      activation: activationOf(c.activation, c.params),
      init: { name: 'normal', std: 0.1 },
      biasInit: 0,
      loss: c.loss,
      reg: c.reg
    },
    rng,
    dtype
  )
  const X = { data: fillNormal(rng, alloc(dtype, samples * input)), rows: samples, cols: input }
  const y = randLabels(rng, samples, classes)
  return checkGradients(net, X, y, {
    h: c.h,
    sample: c.sample,
    burnIn: c.burnIn,
    excludeKinks: c.excludeKinks,
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
 * data, in `dtype`; `seed` only chooses sampled entries. Options are the contract's, parsed.
 */
export function gradcheckNetData(
  netJson: unknown,
  dataJson: unknown,
  o: Omit<GradcheckNetConfig, 'net' | 'data'>
): GradcheckReport {
  const dtype = o.dtype
  const net = netFromJson(netJson, dtype)
  const { X, y } = dataFromJson(dataJson, net.inputSize, outputWidth(net), dtype)
  checkNetSize(net, X.rows)
  checkGradcheckWork(net, X.rows, o.sample)
  return checkGradients(net, X, y, {
    h: o.h,
    sample: o.sample,
    excludeKinks: o.excludeKinks,
    rng: createRng(o.seed)
  })
}
