/** Run the CLI in-process against the TypeScript workers, capturing stdout and stderr. */
import { runCli } from '../../src-main/cli'
import { WORKER_SOURCE } from './service'

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

export async function cli(...argv: string[]): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(argv, {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    workerFile: WORKER_SOURCE,
    threads: 1
  })
  return { code, stdout, stderr }
}
