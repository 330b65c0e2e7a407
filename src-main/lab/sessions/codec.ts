// The payload codec: a JSON value (numbers possibly NaN/±Infinity/-0) ↔ bytes. Long numeric
// arrays, including rectangular nested ones (matrices), leave the JSON text and are stored as
// little-endian binary blocks — int32, float32 or float64, whichever holds every value exactly.
// Layout and markers: docs/session-format.md.
import { jsonTooDeepAt } from '../../../src-shared/json-depth'
import type { JsonValue } from '../../../src-shared/session'
import { SessionError } from './errors'

/** Deepest nesting of arrays/objects a payload may have (documents nest a few levels). */
export const MAX_NESTING = 256

/** Arrays with fewer numbers than this stay inline in the JSON text. */
export const BLOCK_MIN_COUNT = 16

type BlockType = 'i32' | 'f32' | 'f64'
const BYTES: Record<BlockType, number> = { i32: 4, f32: 4, f64: 8 }

interface BlockEntry {
  type: BlockType
  offset: number
  count: number
  shape?: number[]
}

interface PendingBlock {
  type: BlockType
  values: number[]
}

const SPECIAL: Record<string, number> = {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0
}

function specialName(n: number): string | null {
  if (n !== n) return 'NaN'
  if (n === Infinity) return 'Infinity'
  if (n === -Infinity) return '-Infinity'
  if (n === 0 && 1 / n < 0) return '-0'
  return null
}

/** [n] for a number array, [n, m, …] for a rectangular nest of them, else null. */
function numericShape(a: unknown[]): number[] | null {
  if (a.length === 0) return null
  if (typeof a[0] === 'number') {
    for (let i = 1; i < a.length; i++) if (typeof a[i] !== 'number') return null
    return [a.length]
  }
  if (!Array.isArray(a[0])) return null
  const inner = numericShape(a[0])
  if (inner === null) return null
  for (let i = 1; i < a.length; i++) {
    const item = a[i]
    if (!Array.isArray(item) || item.length !== inner[0]) return null
    const s = numericShape(item)
    if (s === null || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return null
  }
  return [a.length, ...inner]
}

function flatten(a: unknown[], depth: number, out: number[]): void {
  if (depth === 1) {
    for (const v of a) out.push(v as number)
    return
  }
  for (const v of a) flatten(v as unknown[], depth - 1, out)
}

function narrowestType(values: number[]): BlockType {
  let int = true
  let f32 = true
  for (const v of values) {
    if (int && !((v | 0) === v && (v !== 0 || 1 / v > 0))) int = false
    if (f32 && Math.fround(v) !== v && v === v) f32 = false
    if (!int && !f32) return 'f64'
  }
  return int ? 'i32' : 'f32'
}

function encodeValue(v: JsonValue, blocks: PendingBlock[]): unknown {
  if (typeof v === 'number') {
    const s = specialName(v)
    return s === null ? v : { $n: s }
  }
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) {
    const shape = numericShape(v)
    if (shape !== null) {
      const count = shape.reduce((p, d) => p * d, 1)
      if (count >= BLOCK_MIN_COUNT) {
        const values: number[] = []
        flatten(v, shape.length, values)
        blocks.push({ type: narrowestType(values), values })
        const ref: { $b: number; shape?: number[] } = { $b: blocks.length - 1 }
        if (shape.length > 1) ref.shape = shape
        return ref
      }
    }
    return v.map((item) => encodeValue(item, blocks))
  }
  const out: Record<string, unknown> = {}
  let dollar = false
  for (const key of Object.keys(v)) {
    const item = v[key]
    if (item === undefined) continue // absent, as in JSON.stringify
    if (key.startsWith('$')) dollar = true
    setOwn(out, key, encodeValue(item, blocks))
  }
  // Objects with keys starting with '$' would read as markers: wrap them.
  return dollar ? { $o: out } : out
}

function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
  } else o[key] = value
}

function align8(n: number): number {
  return (n + 7) & ~7
}

/** The raw (uncompressed) payload for a JSON value. */
export function encodePayload(value: JsonValue): Buffer {
  const pending: PendingBlock[] = []
  const encoded = encodeValue(value, pending)
  const entries: BlockEntry[] = []
  let blobLength = 0
  for (const b of pending) {
    entries.push({ type: b.type, offset: blobLength, count: b.values.length })
    blobLength += align8(b.values.length * BYTES[b.type])
  }
  const json = Buffer.from(JSON.stringify({ blocks: entries, value: encoded }), 'utf8')
  const blobStart = align8(4 + json.length)
  const out = Buffer.alloc(blobStart + blobLength)
  out.writeUInt32LE(json.length, 0)
  json.copy(out, 4)
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength)
  pending.forEach((b, i) => {
    let o = blobStart + entries[i]!.offset
    const vals = b.values
    if (b.type === 'f64') {
      for (const x of vals) {
        view.setFloat64(o, x, true)
        o += 8
      }
    } else if (b.type === 'f32') {
      for (const x of vals) {
        view.setFloat32(o, x, true)
        o += 4
      }
    } else {
      for (const x of vals) {
        view.setInt32(o, x, true)
        o += 4
      }
    }
  })
  return out
}

function corrupt(message: string, offset?: number): SessionError {
  return new SessionError('corrupt-payload', message, { offset })
}

/** Decodes a raw payload; offsets in its errors are into the raw (inflated) payload. */
export function decodePayload(raw: Uint8Array): unknown {
  if (raw.length < 4) throw corrupt('payload shorter than its 4-byte length field')
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  const jsonLength = view.getUint32(0, true)
  if (4 + jsonLength > raw.length) throw corrupt(`JSON section (${jsonLength} bytes) overruns`)
  let top: unknown
  try {
    const text = Buffer.from(raw.buffer, raw.byteOffset + 4, jsonLength).toString('utf8')
    const deep = jsonTooDeepAt(text, MAX_NESTING + 2)
    if (deep >= 0) throw corrupt(`the JSON section nests deeper than ${MAX_NESTING} levels`, 4)
    top = JSON.parse(text)
  } catch (e) {
    if (e instanceof SessionError) throw e
    throw corrupt(`JSON section does not parse: ${(e as Error).message}`)
  }
  if (typeof top !== 'object' || top === null || !('blocks' in top) || !('value' in top)) {
    throw corrupt('JSON section lacks "blocks" and "value"')
  }
  const blobStart = align8(4 + jsonLength)
  const blobLength = raw.length - blobStart
  const entries = (top as { blocks: unknown }).blocks
  if (!Array.isArray(entries)) throw corrupt('"blocks" is not an array')
  let expectedEnd = 0
  const arrays: number[][] = entries.map((e: unknown, i) => {
    const { type, offset, count } = (e ?? {}) as Partial<BlockEntry>
    if (
      (type !== 'i32' && type !== 'f32' && type !== 'f64') ||
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(count) ||
      offset !== expectedEnd ||
      count! < 0 ||
      offset! + count! * BYTES[type] > blobLength
    ) {
      throw corrupt(`block ${i} is malformed or out of bounds`, blobStart + (offset ?? 0))
    }
    expectedEnd = align8(offset! + count! * BYTES[type])
    const values = new Array<number>(count!)
    let o = blobStart + offset!
    if (type === 'f64')
      for (let k = 0; k < count!; k++, o += 8) values[k] = view.getFloat64(o, true)
    else if (type === 'f32')
      for (let k = 0; k < count!; k++, o += 4) values[k] = view.getFloat32(o, true)
    else for (let k = 0; k < count!; k++, o += 4) values[k] = view.getInt32(o, true)
    return values
  })
  if (expectedEnd !== blobLength) throw corrupt('binary section length does not match its blocks')
  const used = new Uint32Array(arrays.length)
  const value = decodeValue((top as { value: unknown }).value, arrays, used)
  if (used.some((u) => u !== 1)) throw corrupt('a block is referenced zero or several times')
  return value
}

function reshape(flat: number[], shape: number[], at: number, depth: number): unknown[] {
  const n = shape[depth]!
  if (depth === shape.length - 1)
    return at === 0 && n === flat.length ? flat : flat.slice(at, at + n)
  const stride = shape.slice(depth + 1).reduce((p, d) => p * d, 1)
  const out = new Array<unknown>(n)
  for (let i = 0; i < n; i++) out[i] = reshape(flat, shape, at + i * stride, depth + 1)
  return out
}

function decodeValue(v: unknown, arrays: number[][], used: Uint32Array): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) return v.map((item) => decodeValue(item, arrays, used))
  const o = v as Record<string, unknown>
  const keys = Object.keys(o)
  if (keys.length === 1 && keys[0] === '$n') {
    const s = o.$n
    if (typeof s !== 'string' || !(s in SPECIAL)) throw corrupt(`bad number marker ${String(s)}`)
    return SPECIAL[s]
  }
  if (keys[0] === '$b' && (keys.length === 1 || (keys.length === 2 && keys[1] === 'shape'))) {
    const i = o.$b
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= arrays.length) {
      throw corrupt(`bad block reference ${String(i)}`)
    }
    used[i]! += 1
    const flat = arrays[i]!
    if (keys.length === 1) return flat
    const shape = o.shape
    if (
      !Array.isArray(shape) ||
      shape.length < 2 ||
      !shape.every((d) => Number.isSafeInteger(d) && d >= 1) ||
      shape.reduce((p: number, d: number) => p * d, 1) !== flat.length
    ) {
      throw corrupt(`block ${i}: bad shape`)
    }
    return reshape(flat, shape as number[], 0, 0)
  }
  let literal = o
  if (keys.length === 1 && keys[0] === '$o') {
    if (typeof o.$o !== 'object' || o.$o === null || Array.isArray(o.$o)) {
      throw corrupt('bad object marker')
    }
    literal = o.$o as Record<string, unknown>
  } else if (keys.some((k) => k.startsWith('$'))) {
    throw corrupt(`unknown marker in ${JSON.stringify(keys)}`)
  }
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(literal)) setOwn(out, key, decodeValue(literal[key], arrays, used))
  return out
}
