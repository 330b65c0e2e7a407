// Appends N runs to a session file, one appendRun call each: node --import tsx append.ts FILE TAG N
import { appendRun } from '../../../../src-main/lab/sessions/store'

const [file, tag, n] = process.argv.slice(2)
for (let i = 0; i < Number(n); i++) {
  await appendRun(
    file!,
    { id: `${tag}-${i}`, kind: 'train', config: { seed: i }, result: { loss: i / 3, tag: tag! } },
    { appVersion: 'test', lockTimeoutMs: 30_000 }
  )
}
process.stdout.write('done\n')
