/**
 * The commands of `layerscope`, one table entry each (the code of each lives in commands/).
 * Options map onto the same zod configurations the app uses, so a number on screen and a
 * number printed here come from the same configuration and seed.
 */
import { activationCostCommand } from './commands/activation-cost'
import type { CliCommand } from './commands/common'
import { datasetCommand } from './commands/dataset'
import { preprocessCommand } from './commands/preprocess'
import { benchCommand } from './commands/bench'
import { depthCommand } from './commands/depth'
import { gradcheckCommand } from './commands/gradcheck'
import { lossCommand } from './commands/loss'
import { sanityCommand } from './commands/sanity'
import { sessionCommand } from './commands/session'
import { lectureCommand, omegaCommand, scalarCheckCommand } from './commands/lecture'
import { sampleCommand } from './commands/sample'
import { compareCommand } from './commands/compare'
import { trainCommand } from './commands/train'

export type { CliCommand, CommandContext, CommandOutput } from './commands/common'

export const COMMANDS: CliCommand[] = [
  depthCommand,
  lossCommand,
  gradcheckCommand,
  scalarCheckCommand,
  omegaCommand,
  sanityCommand,
  datasetCommand,
  preprocessCommand,
  trainCommand,
  compareCommand,
  sessionCommand,
  benchCommand,
  activationCostCommand,
  sampleCommand,
  lectureCommand
]
