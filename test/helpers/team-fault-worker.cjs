// Test-only Piscina entry of the team-fault tests: the TypeScript sources through tsx's require
// hook (as ts-worker.cjs), with the team tasks wrapped so a thread of a run can die on purpose.
require('tsx/cjs/api').register()
module.exports = require('./team-fault-worker.ts')
