/**
 * LabError: the one error type that crosses boundaries (worker → main → renderer/CLI).
 * `code` is stable and machine-readable; `message` says what and where for a person;
 * `details` carries the where (file, byte offset, record, field, path) as plain data.
 */
import type { LabErrorData } from './contract'

export class LabError extends Error {
  readonly code: string
  readonly details: Record<string, unknown> | undefined

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'LabError'
    this.code = code
    this.details = details
  }

  toData(): LabErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/**
 * Codes that mean "we failed" (CLI exit 1); every other typed code means bad input (exit 2).
 * The CIFAR-10 readers' `io-error` (a path the system refuses to read: permissions, a symlink
 * loop) is about the file the user gave, so it is bad input like every other DatasetError.
 * Sessions' `session-io-failed` (failing to write the user's own session once the run was
 * checked writable) stays internal.
 */
const INTERNAL_CODES = new Set([
  'internal',
  'worker-died',
  'worker-failed',
  'cancelled',
  'session-io-failed'
])

export function isInputErrorCode(code: string): boolean {
  return !INTERNAL_CODES.has(code)
}

/**
 * Plain data for any thrown value. Only a LabError (DatasetError, SessionError and
 * NnInputError are LabErrors) keeps its code and where; anything else — a Node `ENOENT` or
 * `ERR_*` thrown by a bug included — is `internal`: input errors are typed where they happen.
 */
export function toErrorData(err: unknown): LabErrorData {
  if (err instanceof LabError) return err.toData()
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}
