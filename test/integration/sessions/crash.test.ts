// Kill a process that is saving, at random moments, many times: the file on disk must always be
// a complete session — the one before the interrupted save, or the one it was writing.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSession, saveSession } from '../../../src-main/lab/sessions/store'
import { exactlyEqual, rng } from '../../unit/sessions/fixtures'
import { generation } from './crash-doc'
import { spawnChild, tempDir } from './helpers'

const KILLS_PER_LANE = 25
const LANES = 2 // two at once: this machine has two cores

const cleanups: (() => Promise<void>)[] = []
afterAll(() => Promise.all(cleanups.map((c) => c())))

async function lane(seed: number) {
  const { dir, cleanup } = await tempDir()
  cleanups.push(cleanup)
  const file = path.join(dir, 'crash.layerscope')
  await saveSession(file, generation(0))
  const random = rng(seed)
  let onDisk = 0
  const stats = { kills: 0, newer: 0, tempsLeft: 0 }
  for (let k = 0; k < KILLS_PER_LANE; k++) {
    const start = onDisk + 1
    const child = spawnChild('save-loop.ts', [file, String(start)])
    let lastSaved = start - 1
    let buffered = ''
    // Kill at a random moment once the child is in its steady save loop (its first save is
    // done), so the kills spread over every phase of a save rather than over process startup.
    const warm = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop()!
        for (const line of lines) {
          const m = /^saved (\d+)$/.exec(line)
          if (m) {
            lastSaved = Number(m[1])
            resolve()
          }
        }
      })
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)))
    })
    const exited = new Promise((r) => child.on('close', r)) // after all output is read
    await warm
    await new Promise((r) => setTimeout(r, random() * 40))
    child.kill('SIGKILL')
    await exited
    stats.kills++
    const doc = await openSession(file) // must open: complete and intact
    const g = Number(/^generation (\d+)$/.exec(doc.notes)?.[1])
    expect([lastSaved, lastSaved + 1], `kill ${k} (seed ${seed})`).toContain(g)
    expect(exactlyEqual(doc, { ...generation(g), updatedAt: doc.updatedAt })).toBeNull()
    if (g === lastSaved + 1) stats.newer++
    if ((await readdir(dir)).some((n) => n.endsWith('.tmp'))) stats.tempsLeft++
    const bak = await openSession(`${file}.bak`).catch(() => null)
    if (g > 0) expect(bak, 'the .bak is a complete older session').not.toBeNull()
    onDisk = g
  }
  // The next save clears what the killed writers left behind.
  await saveSession(file, generation(onDisk + 1))
  expect((await readdir(dir)).sort()).toEqual(['crash.layerscope', 'crash.layerscope.bak'])
  return stats
}

describe('saving survives SIGKILL at any moment', () => {
  it(`keeps either the old or the new complete file over ${LANES * KILLS_PER_LANE} kills`, async () => {
    const results = await Promise.all(Array.from({ length: LANES }, (_, i) => lane(1000 + i)))
    const total = results.reduce(
      (a, r) => ({
        kills: a.kills + r.kills,
        newer: a.newer + r.newer,
        tempsLeft: a.tempsLeft + r.tempsLeft
      }),
      { kills: 0, newer: 0, tempsLeft: 0 }
    )
    console.log('crash test:', total)
    expect(total.kills).toBeGreaterThanOrEqual(50)
    // The kills did land inside saves (a temporary file left behind), not only between them.
    expect(total.tempsLeft).toBeGreaterThan(0)
  }, 180_000) // ~20–35 s; child start-up dominates, and this machine is shared
})
