/**
 * The engine's defaults are the contract's: each is read from the schema in src-shared (one
 * definition), for the engine functions tests and benchmarks call with partial options. The
 * worker tasks pass fully resolved configurations.
 */
import {
  ACTIVATION_PARAM_DEFAULTS,
  DepthConfig,
  GradcheckConfig
} from '../../src-shared/experiments'

export const DEPTH_DEFAULTS = DepthConfig.parse({})
export const GRADCHECK_DEFAULTS = GradcheckConfig.parse({})
export { ACTIVATION_PARAM_DEFAULTS }
