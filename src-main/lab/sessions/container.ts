// The `*.layerscope` container: a self-checking header around a (usually deflated) payload.
// Every byte of the file is covered by a checksum, so any damage is found before decoding.
// Byte layout: docs/session-format.md.
import { createHash } from 'node:crypto'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { SessionError } from './errors'

/** "\x89LSCOPE\n": non-ASCII first byte (no text file starts so), a newline to catch mangling. */
export const MAGIC = Buffer.from([0x89, 0x4c, 0x53, 0x43, 0x4f, 0x50, 0x45, 0x0a])
export const FIXED_HEADER = 72
export const CHUNK_SIZE = 64 * 1024
const FLAG_DEFLATE = 1
const KNOWN_FLAGS = FLAG_DEFLATE
/**
 * The largest session file, and the largest payload it may inflate to: a damaged or hostile
 * length must not exhaust memory (NET.json files are capped at the same size).
 */
export const MAX_SESSION_BYTES = 256 * 1024 * 1024
const MAX_RAW = MAX_SESSION_BYTES
const MB = (n: number | bigint) =>
  `${(Number(n) / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} MB`

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}

export interface ContainerInfo {
  version: number
  /** Header bytes (the payload starts here). */
  headerLength: number
  compressed: boolean
}

/** Wraps a raw payload; deflates it when that makes it smaller. */
export function writeContainer(version: number, raw: Uint8Array, level = 6): Buffer {
  const deflated = deflateRawSync(raw, { level })
  const compress = deflated.length < raw.length
  const stored = compress ? deflated : raw
  const chunkCount = Math.ceil(stored.length / CHUNK_SIZE)
  const headerLength = FIXED_HEADER + 8 * chunkCount + 8
  const out = Buffer.allocUnsafe(headerLength + stored.length)
  MAGIC.copy(out, 0)
  out.writeUInt32LE(version, 8)
  out.writeUInt32LE(compress ? FLAG_DEFLATE : 0, 12)
  out.writeBigUInt64LE(BigInt(stored.length), 16)
  out.writeBigUInt64LE(BigInt(raw.length), 24)
  out.writeUInt32LE(CHUNK_SIZE, 32)
  out.writeUInt32LE(chunkCount, 36)
  sha256(stored).copy(out, 40)
  for (let c = 0; c < chunkCount; c++) {
    const chunk = stored.subarray(c * CHUNK_SIZE, (c + 1) * CHUNK_SIZE)
    sha256(chunk).copy(out, FIXED_HEADER + 8 * c, 0, 8)
  }
  sha256(out.subarray(0, headerLength - 8)).copy(out, headerLength - 8, 0, 8)
  out.set(stored, headerLength)
  return out
}

function fail(code: SessionError['code'], message: string, offset?: number): never {
  throw new SessionError(code, message, { offset })
}

function range(from: number, to: number): string {
  return `bytes ${from}–${to - 1}`
}

/**
 * Checks every byte: magic, header checksum, lengths, per-chunk and whole-payload SHA-256.
 * Returns the header facts and the stored payload; throws a SessionError saying what and where.
 */
export function verifyContainer(bytes: Uint8Array): ContainerInfo & { stored: Buffer } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length === 0) fail('empty-file', 'the file is empty (0 bytes)', 0)
  const n = Math.min(buf.length, MAGIC.length)
  for (let i = 0; i < n; i++) {
    if (buf[i] !== MAGIC[i]) {
      const text = buf.subarray(0, 64).toString('utf8').trimStart()
      const hint = text.startsWith('{') || text.startsWith('[') ? ' (it looks like JSON text)' : ''
      fail('not-a-session', `not a Layerscope session file${hint}: wrong magic at byte ${i}`, i)
    }
  }
  if (buf.length < FIXED_HEADER) {
    fail(
      'truncated',
      `truncated inside the header: ${buf.length} of ≥${FIXED_HEADER} bytes`,
      buf.length
    )
  }
  const storedBig = buf.readBigUInt64LE(16)
  const rawBig = buf.readBigUInt64LE(24)
  const chunkSize = buf.readUInt32LE(32)
  const chunkCount = buf.readUInt32LE(36)
  const sane =
    storedBig <= BigInt(Number.MAX_SAFE_INTEGER) &&
    chunkSize >= 1024 &&
    chunkSize <= 2 ** 24 &&
    (chunkSize & (chunkSize - 1)) === 0 &&
    chunkCount === Math.ceil(Number(storedBig) / chunkSize)
  if (!sane) fail('header-corrupt', `the header is damaged (${range(8, FIXED_HEADER)})`, 8)
  const stored = Number(storedBig)
  const headerLength = FIXED_HEADER + 8 * chunkCount + 8
  if (buf.length < headerLength) {
    fail(
      'truncated',
      `truncated inside the header: ${buf.length} of ${headerLength} bytes`,
      buf.length
    )
  }
  const headerDigest = sha256(buf.subarray(0, headerLength - 8))
  if (!headerDigest.subarray(0, 8).equals(buf.subarray(headerLength - 8, headerLength))) {
    fail('header-corrupt', `the header is damaged (${range(8, headerLength)})`, 8)
  }
  if (rawBig > BigInt(MAX_RAW)) {
    fail(
      'too-large',
      `the header declares a payload of ${MB(rawBig)}, more than a session may hold ` +
        `(at most ${MB(MAX_RAW)})`,
      24
    )
  }
  const version = buf.readUInt32LE(8)
  const flags = buf.readUInt32LE(12)
  if ((flags & ~KNOWN_FLAGS) !== 0) {
    fail('unsupported-version', `uses storage flags this version does not know (${flags})`, 12)
  }
  const end = headerLength + stored
  if (buf.length < end) {
    fail('truncated', `truncated: ${buf.length} of ${end} bytes (the rest is missing)`, buf.length)
  }
  if (buf.length > end)
    fail('trailing-data', `${buf.length - end} unexpected bytes after the end`, end)
  const payload = buf.subarray(headerLength, end)
  for (let c = 0; c < chunkCount; c++) {
    const from = c * chunkSize
    const chunk = payload.subarray(from, from + chunkSize)
    const expect = buf.subarray(FIXED_HEADER + 8 * c, FIXED_HEADER + 8 * c + 8)
    if (!sha256(chunk).subarray(0, 8).equals(expect)) {
      const at = headerLength + from
      fail('checksum-mismatch', `damaged: ${range(at, at + chunk.length)} fail their checksum`, at)
    }
  }
  if (!sha256(payload).equals(buf.subarray(40, 72))) {
    fail(
      'checksum-mismatch',
      `damaged: the payload (${range(headerLength, end)}) fails SHA-256`,
      headerLength
    )
  }
  return { version, headerLength, compressed: (flags & FLAG_DEFLATE) !== 0, stored: payload }
}

/** verifyContainer, then the raw payload (inflated when it was stored deflated). */
export function readContainer(bytes: Uint8Array): ContainerInfo & { raw: Buffer } {
  const info = verifyContainer(bytes)
  const rawLength = Number(Buffer.from(bytes.buffer, bytes.byteOffset, 32).readBigUInt64LE(24))
  let raw: Buffer = info.stored
  if (info.compressed) {
    try {
      raw = inflateRawSync(info.stored, { maxOutputLength: Math.max(1, rawLength) })
    } catch (e) {
      fail(
        'corrupt-payload',
        `payload does not inflate: ${(e as Error).message}`,
        info.headerLength
      )
    }
  }
  if (raw.length !== rawLength) {
    fail(
      'corrupt-payload',
      `payload is ${raw.length} bytes, header says ${rawLength}`,
      info.headerLength
    )
  }
  return {
    version: info.version,
    headerLength: info.headerLength,
    compressed: info.compressed,
    raw
  }
}
