// Save and open times of a 50-run session with depth-like results (10 layers, 50-bin
// histograms each), as the sessions issue asks (target: ≤ 200 ms each).
//   npx tsx bench/session-io.ts [runs] [repeats]
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  decodeSession,
  encodeSession,
  openSession,
  saveSession
} from '../src-main/lab/sessions/store'
import { depthSession, exactlyEqual } from '../test/unit/sessions/fixtures'

const runs = Number(process.argv[2] ?? 50)
const repeats = Number(process.argv[3] ?? 15)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
const ms = (x: number) => `${x.toFixed(1)} ms`

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now()
  await fn()
  return performance.now() - t0
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'layerscope-bench-'))
try {
  const doc = depthSession(runs)
  const file = path.join(dir, 'bench.layerscope')
  const firstSave = await time(() => saveSession(file, doc))
  const firstOpen = await time(() => openSession(file))
  const save: number[] = []
  const open: number[] = []
  const encode: number[] = []
  const decode: number[] = []
  let bytes = encodeSession(doc)
  for (let i = 0; i < repeats; i++) {
    save.push(await time(() => saveSession(file, doc)))
    open.push(await time(() => openSession(file)))
    encode.push(await time(() => (bytes = encodeSession(doc))))
    decode.push(await time(() => decodeSession(bytes)))
  }
  const back = await openSession(file)
  if (exactlyEqual({ ...back, updatedAt: doc.updatedAt }, doc) !== null)
    throw new Error('not exact')
  const size = (await stat(file)).size
  const jsonSize = Buffer.byteLength(JSON.stringify(doc))
  console.log(
    JSON.stringify(
      {
        runs,
        repeats,
        fileBytes: size,
        jsonTextBytes: jsonSize,
        saveMs: {
          first: +firstSave.toFixed(1),
          median: +median(save).toFixed(1),
          max: +Math.max(...save).toFixed(1)
        },
        openMs: {
          first: +firstOpen.toFixed(1),
          median: +median(open).toFixed(1),
          max: +Math.max(...open).toFixed(1)
        },
        encodeMs: +median(encode).toFixed(1),
        decodeMs: +median(decode).toFixed(1),
        node: process.version,
        tmpdir: os.tmpdir()
      },
      null,
      2
    )
  )
  console.error(`save ${ms(median(save))}, open ${ms(median(open))} (target ≤ 200 ms each)`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
