/** Entry of the built CLI (out/main/cli.js), started by bin/layerscope.js. */
import { runCli } from './cli'
import { builtWorkerFile } from './paths'

const code = await runCli(process.argv.slice(2), {
  io: { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
  workerFile: builtWorkerFile()
})
process.exitCode = code
