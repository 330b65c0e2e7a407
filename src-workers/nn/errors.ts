/**
 * Errors about bad input (a malformed NET.json or DATA.json, an impossible option). The `name`
 * survives a worker boundary where the class does not: callers test `err.name === 'NnInputError'`
 * to answer with "bad input" (CLI exit 2) rather than an internal error.
 */
export class NnInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NnInputError'
  }
}
