/**
 * The `session:*` calls through LabService.call (the path every front door takes), with real
 * workers producing the runs and real files on disk.
 */
import { spawnSync } from 'node:child_process'
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope } from '../../src-shared/contract'
import type { GradcheckResult } from '../../src-shared/results'
import type { SessionRun } from '../../src-shared/session'
import type {
  RecentSessionEntry,
  RunExport,
  SessionRecoverResult,
  SessionStatus,
  SessionView
} from '../../src-shared/session-api'
import { LabService } from '../../src-main/lab/service'
import { appendRun, findRecovery, openSession } from '../../src-main/lab/sessions'
import { cifarFiles, syntheticBatch, writeFiles } from '../helpers/data-writers'
import { WORKER_SOURCE } from '../helpers/service'

let dir: string
let dataDir: string
let service: LabService
const changes: SessionStatus[] = []

function makeService(): LabService {
  return new LabService({
    pool: { workerFile: WORKER_SOURCE, threads: 1 },
    mode: 'test',
    version: '0.0.0-test',
    dataDir
  })
}

async function ok<T>(name: string, args: unknown = {}): Promise<T> {
  const r = (await service.call(name, args)) as Envelope<T>
  if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`)
  return r.value
}

async function fails(name: string, args: unknown) {
  const r = await service.call(name, args)
  expect(r.ok, name).toBe(false)
  return (
    r as { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } }
  ).error
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-session-service-'))
  dataDir = path.join(dir, 'data')
  service = makeService()
  service.on((name, payload) => {
    if (name === 'session:changed') changes.push(payload as SessionStatus)
  })
})
afterAll(async () => {
  await service.close()
  await rm(dir, { recursive: true, force: true })
})

async function finishedGradcheck(seed: number) {
  const { jobId } = await ok<{ jobId: string }>('job:start', {
    kind: 'gradcheck',
    config: { layers: 2, seed }
  })
  const done = await service.waitForJob(jobId)
  return { jobId, result: done.result as GradcheckResult, config: done.config }
}

describe('session calls', () => {
  it('a finished job becomes a run by its id; save-as writes it, reopening gives every number back', async () => {
    const fresh = await ok<SessionView>('session:new')
    expect(fresh).toMatchObject({
      file: null,
      dirty: false,
      runCount: 0,
      dataset: { status: 'none' }
    })
    const job = await finishedGradcheck(3)
    const run = await ok<SessionRun>('session:add-run', {
      jobId: job.jobId,
      title: 'toy net',
      tags: ['relu']
    })
    expect(run).toMatchObject({ kind: 'gradcheck', title: 'toy net', tags: ['relu'], notes: '' })
    expect(run.result).toEqual(job.result)
    expect(run.config).toEqual(job.config)
    expect(changes.at(-1)).toEqual({ file: null, dirty: true, runCount: 1 })

    await ok('session:update-run', { runId: run.id, notes: 'all great' })
    await ok('session:update', {
      notes: 'session notes',
      uiState: { tab: 'gradcheck', zoom: [0, 1] }
    })
    expect((await fails('session:save', {})).code).toBe('no-file')

    const file = path.join(dir, 'one.layerscope')
    const saved = await ok<SessionStatus>('session:save-as', { file })
    expect(saved).toEqual({ file, dirty: false, runCount: 1 })
    // On disk, read by the library directly: the run and the notes as the service had them.
    const disk = await openSession(file)
    expect(disk.runs).toHaveLength(1)
    expect(disk.runs[0]).toMatchObject({ id: run.id, notes: 'all great', title: 'toy net' })
    expect(disk.runs[0]!.result).toEqual(job.result)
    expect(disk.notes).toBe('session notes')
    expect(disk.uiState).toEqual({ tab: 'gradcheck', zoom: [0, 1] })
    const recent = await ok<RecentSessionEntry[]>('session:recent')
    expect(recent[0]?.path).toBe(file)

    await ok('session:new')
    const reopened = await ok<SessionView>('session:open', { file })
    expect(reopened).toMatchObject({ file, dirty: false, runCount: 1 })
    expect(reopened.doc.runs[0]!.result).toEqual(job.result)
  })

  it('a damaged file does not open and leaves the open session as it was; the file is unchanged', async () => {
    const before = await ok<SessionView>('session:current')
    const good = path.join(dir, 'one.layerscope')
    const bytes = await readFile(good)
    const damaged = path.join(dir, 'damaged.layerscope')
    const flipped = Buffer.from(bytes)
    flipped[flipped.length - 3] = flipped[flipped.length - 3]! ^ 1
    await writeFile(damaged, flipped)
    const err = await fails('session:open', { file: damaged })
    expect(err.code).toBe('checksum-mismatch')
    expect(err.message).toContain(damaged)
    expect(err.details).toMatchObject({ file: damaged })
    expect(Buffer.compare(await readFile(damaged), flipped)).toBe(0)
    const after = await ok<SessionView>('session:current')
    expect(after).toEqual(before)
    expect((await fails('session:open', { file: path.join(dir, 'nope.layerscope') })).code).toBe(
      'not-found'
    )
    expect((await fails('session:open', { file: dir })).code).toBe('is-a-folder')
  })

  it('save keeps runs a CLI appended to the same file meanwhile', async () => {
    const file = path.join(dir, 'one.layerscope')
    await ok('session:open', { file })
    const cliRun = await appendRun(
      file,
      {
        kind: 'sample',
        config: { n: 1 },
        result: { n: 1, seed: 1, mean: 0, std: 1, hist: { edges: [], counts: [] } }
      },
      { appVersion: 'cli' }
    )
    const job = await finishedGradcheck(4)
    const mine = await ok<SessionRun>('session:add-run', { jobId: job.jobId })
    const status = await ok<SessionStatus>('session:save')
    expect(status.runCount).toBe(3)
    const ids = (await openSession(file)).runs.map((r) => r.id)
    expect(ids).toHaveLength(3)
    expect(ids).toContain(cliRun.id)
    expect(ids).toContain(mine.id)
    const view = await ok<SessionView>('session:current')
    expect(view.doc.runs.map((r) => r.id)).toEqual(ids)
  })

  it('save refuses a run another program appended whose result does not fit its kind, and writes nothing', async () => {
    const file = path.join(dir, 'foreign.layerscope')
    await ok('session:new')
    await ok('session:save-as', { file })
    await appendRun(
      file,
      { id: 'foreign', kind: 'sample', config: {}, result: { n: 1 } },
      { appVersion: 'elsewhere' }
    )
    const before = await readFile(file)
    const job = await finishedGradcheck(4)
    await ok<SessionRun>('session:add-run', { jobId: job.jobId })
    const err = await fails('session:save', {})
    expect(err.message).toBe(
      `${file}: not a valid session: runs[0].result.seed: expected a number (and 3 more problem(s)) (run "foreign", kind sample)`
    )
    expect(Buffer.compare(await readFile(file), before)).toBe(0)
    const status = await ok<SessionStatus>('session:current')
    expect(status.dirty).toBe(true)
    // The next tests go on with the session of the tests before.
    await ok('session:open', { file: path.join(dir, 'one.layerscope') })
  })

  it('removes a run, exports one as CSV and JSON, and refuses unknown ids and bad arguments', async () => {
    const view = await ok<SessionView>('session:current')
    const run = view.doc.runs.find((r) => r.kind === 'gradcheck')!
    const exp = await ok<RunExport>('session:export-run', { runId: run.id })
    const params = exp.csv.find((t) => t.name === 'params')
    expect(params?.csv.split('\n')[0]).toMatch(/^name,relError,normRelError,verdict,kinks/)
    // One CSV row per parameter, W1 first, with the number the run holds.
    const result = run.result as unknown as GradcheckResult
    const row = params!.csv.split('\n')[1]!.split(',')
    expect(row[0]).toBe('W1')
    expect(Number(row[1])).toBe(result.params[0]!.relError)
    expect(JSON.parse(exp.json)).toMatchObject({
      format: 'layerscope.run-export',
      run: { id: run.id }
    })

    const removed = await ok<{ removed: boolean }>('session:remove-run', { runId: run.id })
    expect(removed.removed).toBe(true)
    expect((await ok<SessionView>('session:current')).runCount).toBe(view.runCount - 1)
    expect((await fails('session:remove-run', { runId: run.id })).code).toBe('not-found')
    expect((await fails('session:add-run', { jobId: 'job-99999' })).code).toBe('not-found')
    expect((await fails('session:add-run', { jobId: 'x' })).code).toBe('invalid-args')
    expect((await fails('session:open', { file: '' })).message).toMatch(
      /file: the file path is empty/
    )
    expect((await fails('session:open', { file: 'a'.repeat(5000) })).message).toMatch(
      /longer than 4096/
    )
    expect((await fails('session:update', { notes: 'x'.repeat(100_001) })).code).toBe(
      'invalid-args'
    )
    expect((await fails('session:update', { uiState: { f: () => 1 } })).code).toBe('invalid-args')
  })

  it('a failed job cannot be added; a cancelled one neither', async () => {
    const { jobId } = await ok<{ jobId: string }>('job:start', {
      kind: 'sample',
      config: { n: 50_000_000 }
    })
    await ok('job:cancel', { jobId })
    await service.waitForJob(jobId).catch(() => undefined)
    expect((await fails('session:add-run', { jobId })).code).toBe('not-found')
  })

  it('unsaved changes survive a close: the next service offers them, restores and discards', async () => {
    await ok('session:new')
    const job = await finishedGradcheck(5)
    const run = await ok<SessionRun>('session:add-run', { jobId: job.jobId })
    // Another service (a second app process would be the same) sees nothing of ours while we run.
    expect(await findRecovery(dataDir)).toEqual([])
    await service.close()
    // Our own pid is alive, so findRecovery would skip it; a new service in the same process
    // would too — the recovery file is there, with the unsaved run.
    const files = (await readdir(path.join(dataDir, 'recovery'))).filter((f) =>
      f.endsWith('.layerscope')
    )
    expect(files).toHaveLength(1)
    const autosaved = await openSession(path.join(dataDir, 'recovery', files[0]!))
    expect(autosaved.runs.map((r) => r.id)).toEqual([run.id])
    // Pose as a crashed app: the same file under the pid of a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid!
    const crashed = path.join(dataDir, 'recovery', `session-${dead}-crash.layerscope`)
    await copyFile(path.join(dataDir, 'recovery', files[0]!), crashed)
    await rm(path.join(dataDir, 'recovery', files[0]!))
    service = makeService()
    const list = await ok<SessionRecoverResult>('session:recover', { action: 'list' })
    expect(list.candidates.map((c) => c.file)).toEqual([crashed])
    expect(
      (
        await fails('session:recover', {
          action: 'restore',
          file: path.join(dir, 'one.layerscope')
        })
      ).code
    ).toBe('not-found')
    const restored = await ok<SessionRecoverResult>('session:recover', {
      action: 'restore',
      file: crashed
    })
    expect(restored.candidates).toEqual([])
    expect(restored.view).toMatchObject({ file: null, dirty: true, runCount: 1 })
    expect(restored.view!.doc.runs[0]!.result).toEqual(job.result)
    // Still recoverable: now under this process's own autosave file.
    const now = (await readdir(path.join(dataDir, 'recovery'))).filter((f) =>
      f.endsWith('.layerscope')
    )
    expect(now).toHaveLength(1)
    expect(now[0]).not.toBe(path.basename(crashed))
    // Declined: discard deletes the candidate and nothing else.
    await copyFile(path.join(dataDir, 'recovery', now[0]!), crashed)
    const left = await ok<SessionRecoverResult>('session:recover', {
      action: 'discard',
      file: crashed
    })
    expect(left.candidates).toEqual([])
    expect(await readdir(path.join(dataDir, 'recovery'))).toContain(now[0])
    expect(await readdir(path.join(dataDir, 'recovery'))).not.toContain(path.basename(crashed))
  })

  it('a run made on the open dataset links the session to it; the link is ok while it stays open', async () => {
    await ok('session:new')
    const folder = await writeFiles(
      path.join(dir, 'cifar-10-batches-bin'),
      cifarFiles('binary', [syntheticBatch(60, 3, true)], syntheticBatch(20, 4, true))
    )
    const open = await ok<{ jobId: string }>('job:start', {
      kind: 'dataset',
      config: { path: folder }
    })
    const opened = await service.waitForJob(open.jobId)
    const fingerprint = (opened.result as { fingerprint: string }).fingerprint
    const depth = await ok<{ jobId: string }>('job:start', {
      kind: 'depth',
      config: { input: 'cifar', preprocess: 'mean-image', layers: 2, width: 20, samples: 30 }
    })
    await service.waitForJob(depth.jobId)
    await ok('session:add-run', { jobId: depth.jobId })
    const view = await ok<SessionView>('session:current')
    expect(view.doc.dataset).toEqual({ path: folder, fingerprint, format: 'binary' })
    expect(view.dataset).toMatchObject({ status: 'ok' })
    // A Gaussian-input run does not touch the link.
    const g = await finishedGradcheck(9)
    await ok('session:add-run', { jobId: g.jobId })
    expect((await ok<SessionView>('session:current')).doc.dataset?.fingerprint).toBe(fingerprint)
  })
})
