/** An error as a view shows it: the lab's code and message, and where (file, offset, field). */
import { ApiError } from './api/client'

export interface UiError {
  code: string
  message: string
  details?: Record<string, unknown>
}

export function toUiError(err: unknown): UiError {
  if (err instanceof ApiError)
    return {
      code: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {})
    }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}

/** "file …, byte offset …, field …" from an error's details, or '' when it has none. */
export function whereText(e: UiError): string {
  const d = e.details ?? {}
  const parts: string[] = []
  if (typeof d.file === 'string') parts.push(`file ${d.file}`)
  if (typeof d.member === 'string') parts.push(`member ${d.member}`)
  if (typeof d.offset === 'number') parts.push(`byte offset ${d.offset.toLocaleString('en')}`)
  if (typeof d.record === 'number') parts.push(`record ${d.record}`)
  if (typeof d.path === 'string' && d.path) parts.push(`at ${d.path}`)
  if (typeof d.field === 'string') parts.push(`field ${d.field}`)
  return parts.join(', ')
}
