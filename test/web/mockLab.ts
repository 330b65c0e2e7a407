/** A scripted LabClient for store tests: answers calls from a table, emits events on demand. */
import type { LabClient } from '../../src-renderer/src/api/client'
import { ApiError } from '../../src-renderer/src/api/client'
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
  return { client, calls, emit }
}

export function fail(error: LabErrorData): never {
  throw new ApiError(error)
}
