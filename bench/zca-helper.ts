// Worker-thread side of bench/kernels.ts --part zca: a helper of the ZCA fit's team, as the
// pool's zcaHelper task; posts how many row blocks it ran when the team ends.
import { parentPort, workerData } from 'node:worker_threads'
import { helpZca, type ZcaShare } from '../src-workers/data/zca-team'

parentPort!.postMessage(helpZca(workerData as ZcaShare, 0))
