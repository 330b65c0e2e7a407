/**
 * The session the app has open: one document, the file it belongs to, whether it changed, and
 * the operations the `session:*` calls expose (new, open, save, save as, runs, notes, UI state,
 * recent list, recovery, export). Disk work is the sessions library's (./sessions); this class
 * only decides what the open document is. Operations run one at a time, in call order.
 *
 * A failed open or save changes nothing: the document in memory stays as it was, and every
 * SessionError reaches the caller as a LabError with the same code and message and its where
 * (file, byte offset, JSON path) in `details`.
 */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { LabError } from '../../src-shared/errors'
import type {
  RecentSessionEntry,
  RecoveryEntry,
  RunExport,
  SessionDatasetLink,
  SessionRecoverResult,
  SessionStatus,
  SessionView
} from '../../src-shared/session-api'
import type {
  CheckedRun,
  CheckedSessionDoc,
  DatasetRef,
  JsonObject
} from '../../src-shared/session'
import {
  addRecent,
  Autosaver,
  createSession,
  datasetLinkStatus,
  discardRecovery,
  exportRunCsv,
  exportRunJson,
  findRecovery,
  formatJsonPath,
  newRun,
  openSession,
  readRecent,
  saveSession,
  SessionError,
  type RunInput
} from './sessions'
import {
  asSessionDoc,
  asSessionRun,
  checkOwnResult,
  checkRun,
  checkRunResults
} from './sessions/results'

export interface SessionStateOptions {
  appVersion: string
  /** The app's data folder (autosave, recovery, recent list); none: no autosave, no recent list. */
  dataDir?: string
  autosaveIntervalMs?: number
  /** How long a save waits for another writer of the same file (default: the library's 10 s). */
  lockTimeoutMs?: number
  /**
   * The dataset loader's fingerprint of the data at a path (null: nothing readable there).
   * Without it, a dataset that still exists is reported `unverified`.
   */
  fingerprintOf?: (datasetPath: string) => Promise<string | null>
  /** The dataset open in the lab now, if any: links a session to it without rereading it. */
  loadedDataset?: () => DatasetRef | null
  /** Called after every change of file, dirty flag or run count. */
  onChange?: (status: SessionStatus) => void
}

/** A SessionError as the one error type that crosses boundaries; anything else unchanged. */
export function sessionLabError(e: unknown): unknown {
  if (!(e instanceof SessionError)) return e
  const details: Record<string, unknown> = {}
  if (e.file !== undefined) details.file = e.file
  if (e.offset !== undefined) details.offset = e.offset
  if (e.path !== undefined) details.path = formatJsonPath(e.path)
  return new LabError(e.code, e.message, details)
}

/** A new, empty, untitled session document. */
function emptySession(appVersion: string): CheckedSessionDoc {
  return { ...createSession({ appVersion }), runs: [] }
}

export class SessionState {
  /** Every run's result checked by its kind's schema (on open, and when a run is added). */
  private doc: CheckedSessionDoc
  private file: string | null = null
  private dirty = false
  /** Run ids the file held when opened or last saved: runs appended since by a CLI are kept. */
  private knownRunIds = new Set<string>()
  private readonly autosaver: Autosaver | null
  private queue: Promise<unknown> = Promise.resolve()
  private readonly opts: SessionStateOptions

  constructor(opts: SessionStateOptions) {
    this.opts = opts
    this.doc = emptySession(opts.appVersion)
    this.autosaver = opts.dataDir
      ? new Autosaver({
          dataDir: opts.dataDir,
          ...(opts.autosaveIntervalMs === undefined ? {} : { intervalMs: opts.autosaveIntervalMs })
        })
      : null
  }

  /** Runs `fn` after every earlier operation; SessionErrors become LabErrors. */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn).catch((e: unknown) => {
      throw sessionLabError(e)
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  status(): SessionStatus {
    return { file: this.file, dirty: this.dirty, runCount: this.doc.runs.length }
  }

  /** The document as it is now (read-only for callers). */
  document(): CheckedSessionDoc {
    return this.doc
  }

  private changed(): void {
    this.dirty = true
    this.doc = { ...this.doc, updatedAt: new Date().toISOString() }
    this.autosaver?.update(asSessionDoc(this.doc), this.file)
    this.opts.onChange?.(this.status())
  }

  private replace(doc: CheckedSessionDoc, file: string | null, dirty: boolean): void {
    this.doc = doc
    this.file = file
    this.dirty = dirty
    this.knownRunIds = new Set(doc.runs.map((r) => r.id))
    this.opts.onChange?.(this.status())
  }

  private async linkStatus(): Promise<SessionDatasetLink> {
    const fingerprintOf = this.opts.fingerprintOf
    if (fingerprintOf) return datasetLinkStatus(this.doc, fingerprintOf)
    const dataset = this.doc.dataset
    if (dataset === null) return { status: 'none' }
    const loaded = this.opts.loadedDataset?.() ?? null
    if (loaded && path.resolve(loaded.path) === path.resolve(dataset.path)) {
      return loaded.fingerprint === dataset.fingerprint
        ? { status: 'ok', dataset }
        : { status: 'changed', dataset, fingerprint: loaded.fingerprint }
    }
    const exists = await stat(dataset.path).then(
      () => true,
      () => false
    )
    return { status: exists ? 'unverified' : 'missing', dataset }
  }

  private async view(): Promise<SessionView> {
    return { ...this.status(), doc: this.doc, dataset: await this.linkStatus() }
  }

  current(): Promise<SessionView> {
    return this.serial(() => this.view())
  }

  /** A new, empty, untitled session (the open one is dropped: the UI asks before). */
  newSession(): Promise<SessionView> {
    return this.serial(async () => {
      await this.autosaver?.markSaved()
      this.replace(emptySession(this.opts.appVersion), null, false)
      return this.view()
    })
  }

  /** Opens FILE; on any problem the open session stays exactly as it was. */
  open(file: string): Promise<SessionView> {
    return this.serial(async () => {
      const abs = path.resolve(file)
      const doc = checkRunResults(await openSession(abs), abs)
      await this.autosaver?.markSaved()
      this.replace(doc, abs, false)
      await this.remember(abs)
      return this.view()
    })
  }

  /** Saves to the session's file, keeping runs another process appended there meanwhile. */
  save(): Promise<SessionStatus> {
    return this.serial(async () => {
      if (this.file === null) {
        throw new LabError('no-file', 'this session has no file yet: use Save As to choose one')
      }
      return this.writeTo(this.file, this.knownRunIds)
    })
  }

  /** Saves to FILE (replacing what is there) and makes it the session's file. */
  saveAs(file: string): Promise<SessionStatus> {
    return this.serial(() => this.writeTo(path.resolve(file), undefined))
  }

  private async writeTo(file: string, known: Set<string> | undefined): Promise<SessionStatus> {
    const written = await saveSession(file, asSessionDoc(this.doc), {
      appVersion: this.opts.appVersion,
      ...(known === undefined
        ? {}
        : { knownRunIds: known, checkStored: (doc) => void checkRunResults(doc, file) }),
      ...(this.opts.lockTimeoutMs === undefined ? {} : { lockTimeoutMs: this.opts.lockTimeoutMs })
    })
    await this.autosaver?.markSaved()
    // Runs another process appended meanwhile are in `written` too (checked by checkStored):
    // read them as on open; this document's own runs are read already.
    const own = new Map(this.doc.runs.map((r) => [r.id, r]))
    const runs = written.runs.map((r, i) => own.get(r.id) ?? checkRun(r, i))
    this.replace({ ...written, runs }, file, false)
    await this.remember(file)
    return this.status()
  }

  private async remember(file: string): Promise<void> {
    if (this.opts.dataDir) await addRecent(this.opts.dataDir, file)
  }

  /** Adds a finished experiment as a run; returns it as stored. */
  addRun(input: RunInput, dataset?: DatasetRef): Promise<CheckedRun> {
    return this.serial(() => {
      const made = newRun(input)
      const run = { ...made, result: checkOwnResult(made.kind, made.result) } as CheckedRun
      // A run made on a dataset links the session to that dataset (the latest one wins).
      this.doc = { ...this.doc, ...(dataset ? { dataset } : {}), runs: [...this.doc.runs, run] }
      this.changed()
      return run
    })
  }

  private runIndex(runId: string): number {
    const i = this.doc.runs.findIndex((r) => r.id === runId)
    if (i < 0) throw new LabError('not-found', `no run ${JSON.stringify(runId)} in this session`)
    return i
  }

  updateRun(
    runId: string,
    patch: { title?: string | undefined; notes?: string | undefined; tags?: string[] | undefined }
  ): Promise<CheckedRun> {
    return this.serial(() => {
      const i = this.runIndex(runId)
      const old = this.doc.runs[i]!
      const run: CheckedRun = {
        ...old,
        ...(patch.title === undefined ? {} : { title: patch.title }),
        ...(patch.notes === undefined ? {} : { notes: patch.notes }),
        ...(patch.tags === undefined ? {} : { tags: [...patch.tags] })
      }
      const runs = [...this.doc.runs]
      runs[i] = run
      this.doc = { ...this.doc, runs }
      this.changed()
      return run
    })
  }

  removeRun(runId: string): Promise<{ removed: boolean }> {
    return this.serial(() => {
      const i = this.runIndex(runId)
      this.doc = { ...this.doc, runs: this.doc.runs.filter((_, j) => j !== i) }
      this.changed()
      return { removed: true }
    })
  }

  /** Session notes and/or the renderer's state. */
  update(patch: {
    notes?: string | undefined
    uiState?: JsonObject | undefined
  }): Promise<SessionStatus> {
    return this.serial(() => {
      this.doc = {
        ...this.doc,
        ...(patch.notes === undefined ? {} : { notes: patch.notes }),
        ...(patch.uiState === undefined ? {} : { uiState: patch.uiState })
      }
      this.changed()
      return this.status()
    })
  }

  /** The last sessions opened or saved (empty without a data folder). */
  async recent(): Promise<RecentSessionEntry[]> {
    return this.opts.dataDir ? readRecent(this.opts.dataDir) : []
  }

  private async candidates(): Promise<RecoveryEntry[]> {
    if (!this.opts.dataDir) return []
    const found = await findRecovery(this.opts.dataDir)
    return found.map((c) => ({ file: c.file, sourceFile: c.sourceFile, savedAt: c.savedAt }))
  }

  /** List, restore or discard autosaved sessions of app processes that did not close cleanly. */
  recover(
    action: { action: 'list' } | { action: 'restore' | 'discard'; file: string }
  ): Promise<SessionRecoverResult> {
    return this.serial(async () => {
      if (action.action === 'list') return { candidates: await this.candidates() }
      // Only a file the recovery folder offers: the UI cannot name any other file to delete.
      const all = this.opts.dataDir ? await findRecovery(this.opts.dataDir) : []
      const target = all.find((c) => c.file === path.resolve(action.file))
      if (!target) {
        throw new LabError('not-found', `${action.file} is not an autosaved session to recover`, {
          file: action.file
        })
      }
      if (action.action === 'discard') {
        await discardRecovery(target)
        return { candidates: await this.candidates() }
      }
      const doc = checkRunResults(await openSession(target.file), target.file)
      this.replace(doc, target.sourceFile, true)
      // Keep it recoverable under this process before the old copy goes.
      if (this.autosaver) {
        this.autosaver.update(asSessionDoc(this.doc), this.file)
        await this.autosaver.flush()
      }
      await discardRecovery(target)
      return { candidates: await this.candidates(), view: await this.view() }
    })
  }

  exportRun(runId: string): Promise<RunExport> {
    return this.serial(() => {
      const run = asSessionRun(this.doc.runs[this.runIndex(runId)]!)
      return { csv: exportRunCsv(run), json: exportRunJson(run) }
    })
  }

  /**
   * The service is closing: unsaved changes are written to the recovery folder (offered at the
   * next start); a session with nothing unsaved leaves no recovery file behind.
   */
  close(): Promise<void> {
    return this.serial(async () => {
      if (!this.autosaver) return
      if (this.dirty) await this.autosaver.flush()
      else await this.autosaver.close()
    })
  }
}
