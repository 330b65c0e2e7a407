// Saves generation after generation of a session to FILE, printing "saved N" after each one
// completes, until killed: node --import tsx save-loop.ts FILE START
import { saveSession } from '../../../../src-main/lab/sessions/store'
import { generation } from '../crash-doc'

const [file, start] = process.argv.slice(2)
process.stdout.write('ready\n')
for (let g = Number(start); ; g++) {
  await saveSession(file!, generation(g))
  process.stdout.write(`saved ${g}\n`)
}
