/**
 * Small builders for hostile inputs, generated at test time (no committed binaries): FIFOs,
 * device symlinks, tar headers declaring any size, gzip and raw-deflate bombs made of one
 * compressed 1 MiB block of zeros repeated, and session containers around any payload.
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { constants as Z, deflateRawSync } from 'node:zlib'
import { FIXED_HEADER, MAGIC, CHUNK_SIZE } from '../../../src-main/lab/sessions/container'

export function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path])
  if (r.status !== 0) throw new Error(`mkfifo ${path}: ${r.stderr.toString()}`)
}

export async function put(path: string, data: Uint8Array | string): Promise<string> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, data)
  return path
}

/** A ustar header for a member of `size` bytes (declared only: the data is the caller's). */
export function tarHeader(name: string, size: number, type: '0' | '2' | '5' | 'x' = '0'): Buffer {
  const h = Buffer.alloc(512)
  h.write(name.slice(0, 100), 0, 'latin1')
  h.write('0000644\0', 100, 'latin1')
  h.write('0000000\0', 108, 'latin1')
  h.write('0000000\0', 116, 'latin1')
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1')
  h.write('00000000000\0', 136, 'latin1')
  h.write('        ', 148, 'latin1')
  h.write(type, 156, 'latin1')
  h.write('ustar\0', 257, 'latin1')
  h.write('00', 263, 'latin1')
  let sum = 0
  for (const b of h) sum += b
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1')
  return h
}

/** A whole tar: members (name, data) with padding, then the two zero blocks. */
export function tarBytes(members: { name: string; data: Uint8Array; type?: '0' | '2' | '5' }[]) {
  const parts: Buffer[] = []
  for (const m of members) {
    parts.push(tarHeader(m.name, m.data.length, m.type ?? '0'), Buffer.from(m.data))
    const pad = (512 - (m.data.length % 512)) % 512
    parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

const ZERO_MIB = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: Z.Z_FULL_FLUSH })

/**
 * Raw deflate of `prefix` followed by `zeroMiB` MiB of zeros, built from one compressed MiB
 * repeated (about 1 KiB each), so a 2 GiB stream costs about 2 MiB and no time to make.
 */
export function deflateBomb(prefix: Uint8Array, zeroMiB: number): Buffer {
  const parts = [deflateRawSync(prefix, { finishFlush: Z.Z_FULL_FLUSH })]
  for (let i = 0; i < zeroMiB; i++) parts.push(ZERO_MIB)
  parts.push(deflateRawSync(Buffer.alloc(0)))
  return Buffer.concat(parts)
}

/** A gzip member around raw deflate data; `isize` as given (the trailer's size field). */
export function gzipOf(deflated: Uint8Array, isize: number, crc = 0): Buffer {
  const head = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
  const tail = Buffer.alloc(8)
  tail.writeUInt32LE(crc >>> 0, 0)
  tail.writeUInt32LE(isize >>> 0, 4)
  return Buffer.concat([head, deflated, tail])
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest()

/** A session container (docs/session-format.md) around a stored payload, checksums valid. */
export function sessionContainer(stored: Uint8Array, rawLength: number, deflated: boolean) {
  const chunkCount = Math.ceil(stored.length / CHUNK_SIZE)
  const headerLength = FIXED_HEADER + 8 * chunkCount + 8
  const out = Buffer.alloc(headerLength + stored.length)
  MAGIC.copy(out, 0)
  out.writeUInt32LE(1, 8)
  out.writeUInt32LE(deflated ? 1 : 0, 12)
  out.writeBigUInt64LE(BigInt(stored.length), 16)
  out.writeBigUInt64LE(BigInt(rawLength), 24)
  out.writeUInt32LE(CHUNK_SIZE, 32)
  out.writeUInt32LE(chunkCount, 36)
  sha(stored).copy(out, 40)
  for (let c = 0; c < chunkCount; c++)
    sha(stored.subarray(c * CHUNK_SIZE, (c + 1) * CHUNK_SIZE)).copy(out, FIXED_HEADER + 8 * c, 0, 8)
  sha(out.subarray(0, headerLength - 8)).copy(out, headerLength - 8, 0, 8)
  out.set(stored, headerLength)
  return out
}

/** A raw session payload: the JSON section (as given) and a binary section. */
export function sessionPayload(json: string, blob: Uint8Array = new Uint8Array(0)): Buffer {
  const j = Buffer.from(json, 'utf8')
  const start = (4 + j.length + 7) & ~7
  const out = Buffer.alloc(start + blob.length)
  out.writeUInt32LE(j.length, 0)
  j.copy(out, 4)
  out.set(blob, start)
  return out
}
