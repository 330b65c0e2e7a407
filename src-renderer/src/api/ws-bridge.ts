/**
 * Browser mode's transport: the contract over one WebSocket to the local server.
 * Calls are matched to results by id; events fan out to listeners. The token comes from the
 * page URL that `npm run serve` printed. If the socket drops, pending calls fail with a
 * `disconnected` error and the bridge reconnects on the next call.
 */
import {
  CALL_NAMES,
  type CallName,
  type Envelope,
  type EventName,
  type LabApi
} from '../../../src-shared/contract'
import { encodeFrame, readServerFrame, type WsCallFrame } from '../../../src-shared/ws-frames'

interface Pending {
  resolve: (e: Envelope<unknown>) => void
}

export function createWsBridge(url: string): LabApi {
  let socket: WebSocket | null = null
  let opening: Promise<WebSocket> | null = null
  let nextId = 1
  const pending = new Map<number, Pending>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  function failAll(message: string): void {
    for (const p of pending.values())
      p.resolve({ ok: false, error: { code: 'disconnected', message } })
    pending.clear()
  }

  function open(): Promise<WebSocket> {
    if (socket && socket.readyState === WebSocket.OPEN) return Promise.resolve(socket)
    if (opening) return opening
    opening = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url)
      ws.onopen = () => {
        socket = ws
        opening = null
        resolve(ws)
      }
      ws.onerror = () => {
        opening = null
        reject(new Error('cannot reach the Layerscope server; is `npm run serve` still running?'))
      }
      ws.onclose = () => {
        if (socket === ws) socket = null
        failAll('the connection to the Layerscope server closed')
      }
      ws.onmessage = (ev: MessageEvent<string>) => {
        const msg = readServerFrame(ev.data)
        if (msg?.t === 'result') {
          const p = pending.get(msg.id)
          pending.delete(msg.id)
          const { t: _t, id: _id, ...envelope } = msg
          p?.resolve(envelope as Envelope<unknown>)
        } else if (msg?.t === 'event') {
          for (const l of listeners.get(msg.name) ?? []) l(msg.payload)
        }
      }
    })
    return opening
  }

  const api: Record<string, unknown> = {}
  for (const name of CALL_NAMES) {
    api[name] = async (args: unknown): Promise<Envelope<unknown>> => {
      let ws: WebSocket
      try {
        ws = await open()
      } catch (err) {
        return { ok: false, error: { code: 'disconnected', message: (err as Error).message } }
      }
      const id = nextId++
      return new Promise<Envelope<unknown>>((resolve) => {
        pending.set(id, { resolve })
        const frame: WsCallFrame = { t: 'call', id, name: name as CallName, args }
        ws.send(encodeFrame(frame))
      })
    }
  }
  api.on = (name: EventName, listener: (payload: unknown) => void) => {
    let set = listeners.get(name)
    if (!set) listeners.set(name, (set = new Set()))
    set.add(listener)
    // Subscribing opens the socket, so events flow even before the first call.
    void open().catch(() => undefined)
    return () => set.delete(listener)
  }
  return api as unknown as LabApi
}

/** The bridge URL for this page: same host, `/api`, the token from the page's own URL. */
export function bridgeUrlFromLocation(loc: Location): string {
  const token = new URLSearchParams(loc.search).get('token') ?? ''
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${loc.host}/api?token=${encodeURIComponent(token)}`
}
