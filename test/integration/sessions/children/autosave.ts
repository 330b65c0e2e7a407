// An "app" that autosaves a session and then hangs until killed (a crash):
// node --import tsx autosave.ts DATA_DIR SOURCE_FILE
import { Autosaver } from '../../../../src-main/lab/sessions/autosave'
import { depthSession } from '../../../unit/sessions/fixtures'

const [dataDir, source] = process.argv.slice(2)
const saver = new Autosaver({ dataDir: dataDir!, intervalMs: 60_000 })
saver.update(depthSession(2), source!)
await saver.flush()
process.stdout.write(`autosaved ${saver.file}\n`)
setInterval(() => undefined, 1000)
