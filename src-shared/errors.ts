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
 * Sessions' `IO_ERROR` (failing to write the user's own session) stays internal.
 */
const INTERNAL_CODES = new Set([
  'internal',
  'worker-died',
  'worker-failed',
  'cancelled',
  'IO_ERROR'
])

export function isInputErrorCode(code: string): boolean {
  return !INTERNAL_CODES.has(code)
}

/** Plain data for any thrown value: typed errors keep their code and where; others are internal. */
export function toErrorData(err: unknown): LabErrorData {
  if (err instanceof LabError) return err.toData()
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; name?: unknown }
    const message = typeof e.message === 'string' ? e.message : String(err)
    // The engine's bad-input error carries no code, only its name (src-workers/nn/errors.ts).
    if (e.name === 'NnInputError' && e.code === undefined) return { code: 'invalid-input', message }
    if (typeof e.code === 'string' && e.code.length > 0) {
      const details: Record<string, unknown> = {}
      for (const key of [
        'file',
        'offset',
        'record',
        'field',
        'path',
        'index',
        'layer',
        'iteration'
      ]) {
        const v = (err as Record<string, unknown>)[key]
        if (v !== undefined && (typeof v === 'string' || typeof v === 'number')) details[key] = v
      }
      return Object.keys(details).length > 0
        ? { code: e.code, message, details }
        : { code: e.code, message }
    }
    return { code: 'internal', message }
  }
  return { code: 'internal', message: String(err) }
}
