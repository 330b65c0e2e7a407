/** A scripted LabClient for store tests: answers calls from a table, emits events on demand. */
import type { LabClient } from '../../src-renderer/src/api/client'
import { getActivePinia } from 'pinia'
import { ApiError, setLabClient } from '../../src-renderer/src/api/client'
import { routeLabEvents } from '../../src-renderer/src/plugins/events'
import type { LabErrorData } from '../../src-shared/contract'

type Handler = (args: unknown) => unknown

export function mockLab(handlers: Record<string, Handler>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const calls: [string, unknown][] = []
  const client: LabClient = {
    transport: 'browser',
    async call(name, args) {
      calls.push([name, args])
      const h = handlers[name]
      if (!h) throw new ApiError({ code: 'unsupported', message: `no mock for ${name}` })
      return (await h(args)) as never
    },
    on(name, listener) {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      set.add(listener as (p: unknown) => void)
      return () => set.delete(listener as (p: unknown) => void)
    }
  }
  function emit(name: string, payload: unknown): void {
    for (const l of listeners.get(name) ?? []) l(payload)
  }
  /** How many listeners are registered now (all events, or one). */
  function listenerCount(name?: string): number {
    if (name !== undefined) return listeners.get(name)?.size ?? 0
    return [...listeners.values()].reduce((n, set) => n + set.size, 0)
  }
  return { client, calls, emit, listenerCount }
}

/**
 * Make `client` the app-wide lab client and route its events to the active pinia's stores, as
 * main.ts does with plugins/events.ts; returns the function removing the listeners.
 */
export function connectLab(client: LabClient): () => void {
  setLabClient(client)
  const pinia = getActivePinia()
  if (!pinia) throw new Error('connectLab needs an active pinia (setActivePinia first)')
  return routeLabEvents(client, pinia)
}

export function fail(error: LabErrorData): never {
  throw new ApiError(error)
}
