// The recent-sessions list: the last 10 session files opened or saved, most recent first, in
// `recent-sessions.json` in the app's data folder. A damaged list reads as empty (or as its
// valid entries) and is rewritten whole on the next change.
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from './fsx'

export const RECENT_FILE = 'recent-sessions.json'
export const RECENT_MAX = 10

export interface RecentSession {
  /** Absolute path of the session file. */
  path: string
  /** ISO time it was last opened or saved. */
  openedAt: string
}

function sameFile(a: string, b: string): boolean {
  return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b
}

/** The list, most recent first; never throws for a missing or damaged list file. */
export async function readRecent(dataDir: string): Promise<RecentSession[]> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path.join(dataDir, RECENT_FILE), 'utf8'))
  } catch {
    return []
  }
  const items = (parsed as { sessions?: unknown } | null)?.sessions
  if (!Array.isArray(items)) return []
  const out: RecentSession[] = []
  for (const item of items) {
    const { path: p, openedAt } = (item ?? {}) as Partial<RecentSession>
    if (typeof p !== 'string' || !path.isAbsolute(p) || typeof openedAt !== 'string') continue
    if (out.some((r) => sameFile(r.path, p))) continue
    out.push({ path: p, openedAt })
    if (out.length === RECENT_MAX) break
  }
  return out
}

async function writeRecent(dataDir: string, list: RecentSession[]): Promise<void> {
  await mkdir(dataDir, { recursive: true })
  const text = JSON.stringify({ version: 1, sessions: list }, null, 2) + '\n'
  await writeFileAtomic(path.join(dataDir, RECENT_FILE), Buffer.from(text, 'utf8'))
}

/** Puts `file` first (deduplicated, at most 10 kept) and returns the new list. */
export async function addRecent(
  dataDir: string,
  file: string,
  now: Date = new Date()
): Promise<RecentSession[]> {
  const abs = path.resolve(file)
  const rest = (await readRecent(dataDir)).filter((r) => !sameFile(r.path, abs))
  const list = [{ path: abs, openedAt: now.toISOString() }, ...rest].slice(0, RECENT_MAX)
  await writeRecent(dataDir, list)
  return list
}

/** Drops `file` (e.g. it no longer opens) and returns the new list. */
export async function removeRecent(dataDir: string, file: string): Promise<RecentSession[]> {
  const abs = path.resolve(file)
  const list = (await readRecent(dataDir)).filter((r) => !sameFile(r.path, abs))
  await writeRecent(dataDir, list)
  return list
}
