// Worker-thread side of zca-team.test.ts: a helper of a ZCA fit's team. Signals that it is
// about to join (ready[0] = 1), runs slices until the team ends, posts how many it ran.
import { parentPort, workerData } from 'node:worker_threads'
import { helpZca, type ZcaShare } from '../../../src-workers/data/zca-team'

const { share, ready } = workerData as { share: ZcaShare; ready: SharedArrayBuffer }
const flag = new Int32Array(ready)
Atomics.store(flag, 0, 1)
Atomics.notify(flag, 0)
parentPort!.postMessage(helpZca(share, 0, 20))
