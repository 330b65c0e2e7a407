// Sessions: the `*.layerscope` document on disk (docs/session-format.md). Electron-free.
export { SessionError, formatJsonPath, isSessionError, type SessionErrorCode } from './errors'
export {
  appendRun,
  createSession,
  decodeSession,
  encodeSession,
  newRun,
  openSession,
  saveSession,
  validateSession,
  type AppendOptions,
  type OpenOptions,
  type RunInput,
  type SaveOptions
} from './store'
export {
  Autosaver,
  AUTOSAVE_INTERVAL_MS,
  discardRecovery,
  findRecovery,
  type AutosaverOptions,
  type RecoveryCandidate
} from './autosave'
export { addRecent, readRecent, removeRecent, RECENT_MAX, type RecentSession } from './recent'
export {
  exportRunCsv,
  exportRunJson,
  exportRunNet,
  runTables,
  tableToCsv,
  type Cell,
  type ExportTable
} from './export'
export { datasetLinkStatus, relinkDataset, sessionSummary, type DatasetLinkStatus } from './summary'
export { MIGRATIONS, migrateDocument, type Migration, type MigrationTable } from './migrate'
export { withFileLock, DEFAULT_LOCK_TIMEOUT_MS } from './lock'
