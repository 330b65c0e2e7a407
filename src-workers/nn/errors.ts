/**
 * Errors about bad input to the engine (a malformed NET.json or DATA.json, an impossible
 * setting): a LabError with code `invalid-input`, so it crosses the worker boundary as bad
 * input (CLI exit 2). `field` names the setting (`samples`, `h`), never a CLI flag.
 */
import { LabError } from '../../src-shared/errors'

export class NnInputError extends LabError {
  constructor(message: string, field?: string) {
    super('invalid-input', message, field === undefined ? undefined : { field })
    this.name = 'NnInputError'
  }
}
