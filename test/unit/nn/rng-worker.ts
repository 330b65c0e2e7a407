// Worker-thread side of rng.test.ts: draws from a seeded generator in another thread.
import { parentPort, workerData } from 'node:worker_threads'
import { createRng, nextU32, normal, uniform } from '../../../src-workers/nn/rng'

const rng = createRng(workerData as number)
const out: number[] = []
for (let i = 0; i < 20; i++) out.push(nextU32(rng), uniform(rng), normal(rng))
parentPort!.postMessage(out)
