/**
 * The renderer's one subscription to the lab's events. Each event goes to the store action that
 * updates state from it (stores hold state and actions, and subscribe to nothing); every
 * listener is removed when the app unmounts (or `off()` is called), so a torn-down app — or a
 * hot-reloaded one — leaves no handler on the bridge.
 */
import type { Pinia } from 'pinia'
import type { App, Plugin } from 'vue'
import { useLab, type LabClient } from '../api/client'
import { useJobsStore } from '../stores/jobs'
import { useSessionStore } from '../stores/session'
import { useTrainingStore } from '../stores/training'

/**
 * Route the lab's events to the stores of `pinia`, and show the jobs already running (a reload,
 * a reopened window). Returns the function that removes every listener it added.
 */
export function routeLabEvents(lab: LabClient, pinia: Pinia): () => void {
  const jobs = useJobsStore(pinia)
  const training = useTrainingStore(pinia)
  const session = useSessionStore(pinia)
  const offs = [
    lab.on('job:started', (e) => jobs.onStarted(e)),
    lab.on('job:progress', (e) => {
      jobs.onProgress(e)
      training.onProgress(e)
    }),
    lab.on('job:done', (e) => jobs.onDone(e)),
    lab.on('job:failed', (e) => jobs.onFailed(e)),
    lab.on('session:changed', (s) => session.onChanged(s))
  ]
  let live = true
  void lab
    .call('job:list', {})
    .then((list) => {
      if (live) jobs.adopt(list)
    })
    .catch(() => undefined)
  return () => {
    live = false
    for (const off of offs.splice(0)) off()
  }
}

/**
 * The Vue plugin: `app.use(pinia).use(labEvents(pinia))`. The lab client defaults to the
 * app-wide one (preload API or WebSocket bridge).
 */
export function labEvents(pinia: Pinia, lab?: LabClient): Plugin {
  return {
    install(app: App) {
      const off = routeLabEvents(lab ?? useLab(), pinia)
      app.onUnmount(off)
    }
  }
}
