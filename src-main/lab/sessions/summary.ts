// Pure views of a session document: the CLI's `session --json` shape and the dataset link.
import type { DatasetRef, SessionDoc, SessionSummary } from '../../../src-shared/session'

/** Exactly `layerscope session FILE --json` (the CLI contract): version, then the runs. */
export function sessionSummary(doc: SessionDoc): SessionSummary {
  return {
    version: doc.version,
    runs: doc.runs.map((r) => ({ id: r.id, kind: r.kind, config: r.config, result: r.result }))
  }
}

export type DatasetLinkStatus =
  | { status: 'none' } // the session never loaded a dataset
  | { status: 'ok'; dataset: DatasetRef }
  | { status: 'missing'; dataset: DatasetRef } // nothing at the recorded path
  | { status: 'changed'; dataset: DatasetRef; fingerprint: string } // different data there

/**
 * Whether the session's dataset is still where it was and is still the same data.
 * `fingerprintOf` is the dataset loader's fingerprint function; it returns null when there is
 * no readable dataset at the path. The session opens either way: its results are in the file.
 */
export async function datasetLinkStatus(
  doc: Pick<SessionDoc, 'dataset'>,
  fingerprintOf: (path: string) => Promise<string | null>
): Promise<DatasetLinkStatus> {
  const dataset = doc.dataset
  if (dataset === null) return { status: 'none' }
  const now = await fingerprintOf(dataset.path)
  if (now === null) return { status: 'missing', dataset }
  if (now !== dataset.fingerprint) return { status: 'changed', dataset, fingerprint: now }
  return { status: 'ok', dataset }
}

/** The document pointing at a newly chosen dataset (pure; save it to keep it). */
export function relinkDataset(doc: SessionDoc, dataset: DatasetRef | null): SessionDoc {
  return { ...doc, dataset }
}
