/** `layerscope sample`: N draws from the seeded normal RNG on the pool (a pipeline check). */
import { jobKinds } from '../../src-shared/contract'
import { SampleConfig } from '../../src-shared/experiments'
import { configFromOptions, optionsOf, runJob, type CliCommand, type OptionMap } from './common'

const sampleMap: OptionMap = { n: ['n', 'int'], seed: ['seed', 'int'], bins: ['bins', 'int'] }

/** The contract's defaults, for the usage line. */
const d = SampleConfig.parse({})

export const sampleCommand: CliCommand = {
  name: 'sample',
  summary: 'draw N samples from the seeded normal RNG on the worker pool (a pipeline check)',
  usage: `layerscope sample --n ${d.n} [--seed ${d.seed}] [--bins ${d.bins}] [--json]`,
  help: 'Prints { n, seed, mean, std, hist: { edges, counts } }. The same seed gives the same numbers.',
  options: optionsOf(sampleMap),
  async run(ctx) {
    const config = configFromOptions(jobKinds.sample.config, ctx.values, sampleMap)
    const done = await runJob(ctx, 'sample', config)
    const r = done.result
    return {
      json: done.result,
      text: `${r.n} draws: mean ${r.mean.toFixed(6)}, std ${r.std.toFixed(6)}`
    }
  }
}
