import type { SessionDoc } from '../../../src-shared/session'
import { createSession, newRun } from '../../../src-main/lab/sessions/store'
import { depthResult } from '../../unit/sessions/fixtures'

/** Generation g of a session (~100 KB: big enough that saves take a few ms). */
export function generation(g: number): SessionDoc {
  const doc = createSession({ appVersion: 'test', now: new Date(Date.UTC(2025, 0, 1)) })
  doc.notes = `generation ${g}`
  const runs = 4 + (g % 3)
  for (let i = 0; i < runs; i++) {
    doc.runs.push(
      newRun(
        {
          id: `g${g}-r${i}`,
          kind: 'depth',
          config: { seed: g * 10 + i },
          result: depthResult(g * 10 + i)
        },
        new Date(Date.UTC(2025, 0, 1))
      )
    )
  }
  return doc
}
