// Test-only Piscina entry: lets worker threads load the TypeScript sources through tsx's
// require hook (Node 20 does not pass `--import tsx` hooks on to worker threads).
require('tsx/cjs/api').register()
// It adds the test-only tasks (test-tasks.ts) to the production worker's.
module.exports = require('./test-worker.ts')
