/**
 * Browser mode's wire format: the frames on the one WebSocket between the page's bridge
 * (src-renderer/src/api/ws-bridge.ts) and the server (src-main/serve.ts). A call goes up with
 * an id; its result comes back with the same id; events and protocol errors come unasked.
 */
import { z } from 'zod'
import type { Envelope, EventName, LabErrorData } from './contract'

/** Page → server: one contract call (its arguments are validated by the service). */
export const WsCallFrame = z.object({
  t: z.literal('call'),
  id: z.number(),
  // Both may be absent on the wire (JSON drops `undefined`): the service answers such a call
  // with its own invalid-args result under this id, so the page is never left waiting.
  name: z.unknown().optional(),
  args: z.unknown().optional()
})
export type WsCallFrame = z.infer<typeof WsCallFrame>

/** Server → page: the envelope of call `id`. */
export type WsResultFrame = { t: 'result'; id: number } & Envelope<unknown>
/** Server → page: a contract event, to every open page. */
export interface WsEventFrame {
  t: 'event'
  name: EventName
  payload: unknown
}
/** Server → page: a frame the server could not read (not JSON, not a call). */
export interface WsErrorFrame {
  t: 'error'
  error: LabErrorData
}
export type WsServerFrame = WsResultFrame | WsEventFrame | WsErrorFrame

/**
 * Numbers cross the socket exactly (docs/numbers.md): JSON has no NaN or ±Infinity, so a frame
 * tags them as `{ "$n": "NaN" }` (the session file's tag) and the reader turns the tag back.
 */
const TAGGED: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }

/** A frame as JSON text, non-finite numbers tagged. */
export function encodeFrame(frame: WsCallFrame | WsServerFrame): string {
  return JSON.stringify(frame, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $n: String(v) } : v
  )
}

/** JSON text of a frame back to its value, tagged numbers restored; throws on bad JSON. */
export function decodeFrame(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v
    const keys = Object.keys(v)
    const tag = (v as { $n?: unknown }).$n
    return keys.length === 1 && typeof tag === 'string' && Object.hasOwn(TAGGED, tag)
      ? TAGGED[tag]
      : v
  })
}

/** Reads a frame from the server; null for anything that is not one. */
export function readServerFrame(text: string): WsServerFrame | null {
  let m: unknown
  try {
    m = decodeFrame(text)
  } catch {
    return null
  }
  if (m === null || typeof m !== 'object') return null
  const f = m as { t?: unknown; id?: unknown; name?: unknown; ok?: unknown; error?: unknown }
  if (f.t === 'result' && typeof f.id === 'number' && typeof f.ok === 'boolean') {
    return m as WsResultFrame
  }
  if (f.t === 'event' && typeof f.name === 'string') return m as WsEventFrame
  if (f.t === 'error' && typeof f.error === 'object' && f.error !== null) return m as WsErrorFrame
  return null
}
