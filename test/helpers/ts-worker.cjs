// Test-only Piscina entry: lets worker threads load the TypeScript sources through tsx's
// require hook (Node 20 does not pass `--import tsx` hooks on to worker threads).
require('tsx/cjs/api').register()
module.exports = require('../../src-workers/worker.ts')
