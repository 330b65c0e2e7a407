/** `layerscope activation-cost`: ns per element of every activation's forward and backward. */
import { jobKinds } from '../../src-shared/contract'
import { LabError } from '../../src-shared/errors'
import { ACTIVATIONS } from '../../src-shared/experiments'
import type { ActivationCostResult } from '../../src-shared/results'
import {
  activationParams,
  configFromOptions,
  optionsOf,
  PARAMS_HELP,
  paramsMap,
  runJob,
  type CliCommand,
  type OptionMap
} from './common'

const costMap: OptionMap = {
  elements: ['elements', 'int'],
  repeats: ['repeats', 'int'],
  dtype: ['dtype', 'string'],
  seed: ['seed', 'int']
}

export function activationCostText(r: ActivationCostResult): string {
  const relu = r.rows.find((x) => x.activation === 'relu')
  const base = relu ? relu.forwardNs + relu.backwardNs : null
  const lines = [
    `ns per element (${r.dtype}, ${r.elements} elements, median of ${r.repeats}; maxout per output)`,
    'activation  kind      forward  backward  vs relu'
  ]
  for (const x of r.rows) {
    const rel = base ? `${((x.forwardNs + x.backwardNs) / base).toFixed(2)}×` : '–'
    lines.push(
      `${x.activation.padEnd(10)}  ${x.family.padEnd(8)}  ${x.forwardNs.toFixed(2).padStart(7)}  ${x.backwardNs.toFixed(2).padStart(8)}  ${rel.padStart(7)}`
    )
  }
  return lines.join('\n')
}

export const activationCostCommand: CliCommand = {
  name: 'activation-cost',
  summary: 'ns per element of every activation, forward and backward',
  usage:
    'layerscope activation-cost [--activation A[,B…]] [--elements 1000000] [--repeats 9] [--dtype float32] [--seed 1] [--json]',
  help: [
    "Times the engine's forward and backward layer functions of each activation on one worker",
    '(SIMD kernels where they exist), on --elements N(0, 1) inputs, median of --repeats timed',
    'passes after a warm-up; maxout per output element. The machine load adds noise.',
    'JSON: { elements, repeats, dtype, rows: [ { activation, family: "exp" | "max" | "identity", forwardNs,',
    'backwardNs, forwardRuns, backwardRuns } ] }.',
    PARAMS_HELP
  ].join('\n'),
  options: { ...optionsOf(costMap), ...optionsOf(paramsMap), activation: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals[0] !== undefined)
      throw new LabError('invalid-option', `unexpected argument '${ctx.positionals[0]}'`)
    const list = ctx.values.activation
    const names = typeof list === 'string' ? list.split(',').map((x) => x.trim()) : undefined
    const unknown = names?.find((n) => !(ACTIVATIONS as readonly string[]).includes(n))
    if (unknown !== undefined)
      throw new LabError(
        'invalid-option',
        `--activation: '${unknown}' is not an activation (${ACTIVATIONS.join(', ')})`
      )
    const config = configFromOptions(jobKinds['activation-cost'].config, ctx.values, costMap, {
      params: activationParams(ctx),
      ...(names ? { activations: names } : {})
    })
    const result = (await runJob(ctx, 'activation-cost', config)).result
    return { json: result, text: activationCostText(result) }
  }
}
