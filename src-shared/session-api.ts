/**
 * Sessions in the API contract: the argument schemas of the `session:*` calls and the shapes
 * they return. contract.ts lists the calls; the document itself is ./session.
 */
import { z } from 'zod'
import {
  findJsonProblem,
  type CheckedSessionDoc,
  type DatasetRef,
  type JsonObject
} from './session'

/** Longest file path accepted from the UI (characters). */
export const MAX_SESSION_PATH = 4096
/** Longest notes text (characters), per run and for the session. */
export const MAX_NOTES = 100_000
/** Largest UI state, as JSON text (characters). */
export const MAX_UI_STATE = 1_000_000

export const SessionFilePath = z
  .string()
  .min(1, 'the file path is empty')
  .max(MAX_SESSION_PATH, `the file path is longer than ${MAX_SESSION_PATH} characters`)
  .refine((p) => !p.includes('\0'), 'the file path contains a NUL character')

export const RunIdArg = z.string().min(1).max(200)

const Title = z.string().max(500)
const Notes = z.string().max(MAX_NOTES, `notes are longer than ${MAX_NOTES} characters`)
const Tags = z.array(z.string().min(1).max(100)).max(100)

export const SessionOpenArgs = z.strictObject({ file: SessionFilePath })

export const SessionAddRunArgs = z.strictObject({
  /** A finished job of this service (`job:done`); its kind, config and result become the run. */
  jobId: z.string().regex(/^job-[0-9]{1,12}$/, 'a job id looks like job-12'),
  title: Title.optional(),
  notes: Notes.optional(),
  tags: Tags.optional()
})

export const SessionUpdateRunArgs = z.strictObject({
  runId: RunIdArg,
  title: Title.optional(),
  notes: Notes.optional(),
  tags: Tags.optional()
})

export const SessionRunArgs = z.strictObject({ runId: RunIdArg })

/** Plain JSON (finite or not), at most MAX_UI_STATE characters as text. */
const UiState = z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
  const problem = findJsonProblem(v)
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path })
    return
  }
  if (JSON.stringify(v).length > MAX_UI_STATE) {
    ctx.addIssue({ code: 'custom', message: `larger than ${MAX_UI_STATE} characters as JSON` })
  }
}) as unknown as z.ZodType<JsonObject>

export const SessionUpdateArgs = z.strictObject({
  notes: Notes.optional(),
  uiState: UiState.optional()
})

export const SessionRecoverArgs = z.discriminatedUnion('action', [
  /** The autosaved sessions of app processes that did not close cleanly. */
  z.strictObject({ action: z.literal('list') }),
  /** Make one of them the open session (unsaved; its original file, if any, as the target). */
  z.strictObject({ action: z.literal('restore'), file: SessionFilePath }),
  /** Delete one of them (the user declined it). */
  z.strictObject({ action: z.literal('discard'), file: SessionFilePath })
])

/** What the `session:changed` event and the save calls report. */
export interface SessionStatus {
  /** The file the session is saved to, or null while untitled. */
  file: string | null
  /** Changed since it was opened or last saved. */
  dirty: boolean
  runCount: number
}

/** Whether the session's dataset is still there: `unverified` when it exists but was not fingerprinted. */
export type SessionDatasetLink =
  | { status: 'none' }
  | { status: 'ok' | 'missing' | 'unverified'; dataset: DatasetRef }
  | { status: 'changed'; dataset: DatasetRef; fingerprint: string }

/** The open session as the UI shows it. */
export interface SessionView extends SessionStatus {
  /** Every run's result read by its kind's schema (src-shared/result-schemas.ts). */
  doc: CheckedSessionDoc
  dataset: SessionDatasetLink
}

export interface RecentSessionEntry {
  path: string
  openedAt: string
}

export interface RecoveryEntry {
  /** The autosaved file (pass it back to restore or discard). */
  file: string
  /** Where the user had saved that session, or null for an untitled one. */
  sourceFile: string | null
  savedAt: string
}

export interface SessionRecoverResult {
  /** The candidates left after the action. */
  candidates: RecoveryEntry[]
  /** The restored session (`restore` only). */
  view?: SessionView
}

export interface RunExport {
  /** One CSV per table of the run (tables, series, histograms). */
  csv: { name: string; fileName: string; csv: string }[]
  /** The whole run as one JSON document. */
  json: string
}
