/**
 * The renderer's one way to the lab: the preload API in the desktop app, the WebSocket bridge
 * in browser mode. `call` unwraps the envelope and throws an ApiError (code, message, details)
 * so views can show the specific problem where the user is looking.
 */
import type {
  CallArgs,
  CallName,
  CallResult,
  EventName,
  EventPayload,
  LabApi,
  LabErrorData
} from '../../../src-shared/contract'
import { bridgeUrlFromLocation, createWsBridge } from './ws-bridge'

export class ApiError extends Error {
  readonly code: string
  readonly details: Record<string, unknown> | undefined
  constructor(data: LabErrorData) {
    super(data.message)
    this.name = 'ApiError'
    this.code = data.code
    this.details = data.details
  }
}

export interface LabClient {
  readonly transport: 'electron' | 'browser'
  call<C extends CallName>(name: C, args: CallArgs<C>): Promise<CallResult<C>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}

export function createClient(api: LabApi, transport: LabClient['transport']): LabClient {
  return {
    transport,
    async call(name, args) {
      const fn = api[name] as (
        a: typeof args
      ) => Promise<
        { ok: true; value: CallResult<typeof name> } | { ok: false; error: LabErrorData }
      >
      const envelope = await fn(args)
      if (!envelope.ok) throw new ApiError(envelope.error)
      return envelope.value
    },
    on(name, listener) {
      return api.on(name, listener)
    }
  }
}

let client: LabClient | null = null

/** The app-wide client, created on first use from what this page has. */
export function useLab(): LabClient {
  if (!client) {
    client = window.layerscope
      ? createClient(window.layerscope, 'electron')
      : createClient(createWsBridge(bridgeUrlFromLocation(window.location)), 'browser')
  }
  return client
}

/** For tests: replace the app-wide client. */
export function setLabClient(c: LabClient | null): void {
  client = c
}
