/**
 * The CLI as a child process for the hostile-input corpus: runCli over the TypeScript sources,
 * writing its own peak resident memory (resourceUsage().maxRSS, KiB; worker threads included)
 * to $LAYERSCOPE_RSS_FILE when it exits.
 */
import { writeFileSync } from 'node:fs'
import { runCli } from '../../../src-main/cli'
import { WORKER_SOURCE } from '../service'

const rssFile = process.env.LAYERSCOPE_RSS_FILE
process.on('exit', () => {
  if (rssFile) writeFileSync(rssFile, String(process.resourceUsage().maxRSS))
})
const code = await runCli(process.argv.slice(2), {
  io: { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) },
  workerFile: process.env.LAYERSCOPE_TEST_WORKER ?? WORKER_SOURCE,
  threads: 1
})
process.exitCode = code
