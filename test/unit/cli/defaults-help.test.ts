/**
 * The "Defaults:" lines of the CLI's help are written from the contract's defaults, so they
 * cannot drift from what a command actually runs with.
 */
import { describe, expect, it } from 'vitest'
import { defaultsHelp } from '../../../src-main/commands/common'
import { depthCommand } from '../../../src-main/commands/depth'
import { gradcheckCommand } from '../../../src-main/commands/gradcheck'
import { sanityCommand } from '../../../src-main/commands/sanity'
import { DepthConfig, GradcheckConfig, SanityConfig } from '../../../src-shared/experiments'

describe('defaultsHelp', () => {
  it('writes each field as the option that sets it, tiny numbers in exponent form', () => {
    const map = { rate: ['learning-rate', 'float'], name: ['name', 'string'] } as const
    expect(defaultsHelp({ rate: 1e-5, name: 'tanh' }, map as never, ['rate', 'name'])).toBe(
      '--learning-rate 1e-5 --name tanh'
    )
  })

  it('refuses a field with no option or no default (a help text naming nothing)', () => {
    expect(() => defaultsHelp({}, { a: ['a', 'int'] }, ['a'])).toThrow(
      "no option or default for 'a'"
    )
  })
})

describe('the help texts carry the contract defaults', () => {
  it('depth, gradcheck and sanity', () => {
    const d = DepthConfig.parse({})
    expect(depthCommand.help).toContain(
      `Defaults: --layers ${d.layers} --width ${d.width} --activation ${d.activation} --init ${d.init} --std ${d.std}`
    )
    const g = GradcheckConfig.parse({})
    expect(gradcheckCommand.help).toContain(`--h ${g.h.toExponential()} --reg ${g.reg}`)
    const s = SanityConfig.parse({})
    expect(sanityCommand.help).toContain(
      `Defaults: --hidden ${s.hidden} --seed ${s.seed} --target-loss ${s.targetLoss} --max-epochs ${s.maxEpochs}`
    )
    expect(sanityCommand.help).toContain(`--preprocess ${s.preprocess} applies to --data`)
  })
})
