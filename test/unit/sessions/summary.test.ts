import { describe, expect, it } from 'vitest'
import {
  datasetLinkStatus,
  relinkDataset,
  sessionSummary
} from '../../../src-main/lab/sessions/summary'
import { createSession } from '../../../src-main/lab/sessions/store'
import { depthSession } from './fixtures'

describe('session summary and dataset link', () => {
  it('is exactly the CLI shape: version, runs with id, kind, config, result', () => {
    const doc = depthSession(2)
    const s = sessionSummary(doc)
    expect(Object.keys(s)).toEqual(['version', 'runs'])
    expect(s.version).toBe(1)
    expect(s.runs).toEqual(
      doc.runs.map((r) => ({ id: r.id, kind: r.kind, config: r.config, result: r.result }))
    )
    expect(Object.keys(s.runs[0]!)).toEqual(['id', 'kind', 'config', 'result'])
  })

  it('tells whether the recorded dataset is there and the same', async () => {
    const doc = depthSession(1)
    expect(await datasetLinkStatus(createSession({ appVersion: 'x' }), async () => 'f')).toEqual({
      status: 'none'
    })
    expect((await datasetLinkStatus(doc, async () => null)).status).toBe('missing')
    expect(await datasetLinkStatus(doc, async () => 'sha256:other')).toMatchObject({
      status: 'changed',
      fingerprint: 'sha256:other'
    })
    expect((await datasetLinkStatus(doc, async () => 'sha256:abc')).status).toBe('ok')
    const moved = { path: '/new', fingerprint: 'sha256:abc', format: 'binary' }
    const relinked = relinkDataset(doc, moved)
    expect(relinked.dataset).toEqual(moved)
    expect(doc.dataset?.path).toBe('/data/cifar-10-batches-bin')
    expect(relinked.runs).toBe(doc.runs)
  })
})
