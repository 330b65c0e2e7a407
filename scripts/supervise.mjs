// The one place that keeps `npm start` and `npm run serve` honest: whatever they start (the
// browser-mode server, or the Electron app) never outlives the command that started it.
//
// How the command can end, and what catches it:
// - SIGINT / SIGTERM / SIGHUP to this script (a terminal closing, Ctrl+C, `kill`): forwarded to
//   the child, and this script exits when the child has.
// - SIGTERM to the npm process: npm forwards it to `sh -c …`, which dies without passing it on;
//   SIGHUP to npm is not forwarded at all and npm dies. Either way this script is left behind
//   with a dead parent or grandparent: a watch on the launching processes (every 250 ms) ends
//   the child and exits.
// - SIGKILL to this script: nothing here runs, so the browser-mode server also holds an IPC
//   channel to this script and stops when it disconnects (src-main/serve-main.ts).
import { readFileSync } from 'node:fs'

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh', 'ash', 'busybox'])

/** Linux: [ppid, state, comm] of a process, or null when it is gone. */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const close = text.lastIndexOf(')')
    const comm = text.slice(text.indexOf('(') + 1, close)
    const [state, ppid] = text
      .slice(close + 2)
      .split(' ')
      .slice(0, 2)
    return { ppid: Number(ppid), state, comm }
  } catch {
    return null
  }
}

function alive(pid) {
  if (process.platform === 'linux') {
    const st = procStat(pid)
    return st !== null && st.state !== 'Z' && st.state !== 'X'
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}

/**
 * The processes whose end means "the command was ended": our parent, and — when the parent is
 * the shell npm runs scripts in — the npm process above it.
 */
export function launchers() {
  const pids = [process.ppid]
  const parent = process.platform === 'linux' ? procStat(process.ppid) : null
  if (parent && SHELLS.has(parent.comm) && parent.ppid > 1) pids.push(parent.ppid)
  return pids
}

/**
 * Supervise `child`: forward the ending signals, end it when the launching command is gone,
 * and exit with its status when it exits.
 */
export function supervise(child, { watchMs = 250 } = {}) {
  const watched = launchers()
  const startPpid = process.ppid
  let ending = false
  const end = (signal) => {
    if (ending) return
    ending = true
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    // A child that ignores the polite signal is not allowed to linger.
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  }
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => end(sig))
  const timer = setInterval(() => {
    if (process.ppid !== startPpid || !watched.every(alive)) end('SIGTERM')
  }, watchMs)
  timer.unref()
  child.on('exit', (code, signal) => {
    clearInterval(timer)
    process.exit(code ?? (signal ? 128 + (signalNumber[signal] ?? 15) : 0))
  })
}

const signalNumber = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }
