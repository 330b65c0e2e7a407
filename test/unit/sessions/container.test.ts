import { describe, expect, it } from 'vitest'
import { encodePayload } from '../../../src-main/lab/sessions/codec'
import { randomBytes } from 'node:crypto'
import {
  CHUNK_SIZE,
  FIXED_HEADER,
  readContainer,
  writeContainer
} from '../../../src-main/lab/sessions/container'
import { SessionError, type SessionErrorCode } from '../../../src-main/lab/sessions/errors'
import { decodeSession, encodeSession } from '../../../src-main/lab/sessions/store'
import { SESSION_VERSION, type JsonValue } from '../../../src-shared/session'
import { depthSession, rng } from './fixtures'

function codeOf(bytes: Uint8Array): SessionErrorCode | 'OK' {
  try {
    decodeSession(bytes)
    return 'OK'
  } catch (e) {
    if (!(e instanceof SessionError)) throw e
    return e.code
  }
}

function errorOf(bytes: Uint8Array): SessionError {
  try {
    decodeSession(bytes)
  } catch (e) {
    if (e instanceof SessionError) return e
    throw e
  }
  throw new Error('expected a SessionError')
}

describe('container integrity', () => {
  const small = encodeSession(depthSession(1))
  const headerLength =
    FIXED_HEADER + 8 * Math.ceil((small.length - FIXED_HEADER - 8) / CHUNK_SIZE) + 8

  it('opens the intact bytes', () => {
    expect(codeOf(small)).toBe('OK')
  })

  it('detects a flipped byte at every position, with an error for that region', () => {
    for (let i = 0; i < small.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = Buffer.from(small)
        bad[i]! ^= mask
        const code = codeOf(bad)
        const expected: SessionErrorCode[] =
          i < 8
            ? ['not-a-session']
            : i < headerLength
              ? ['header-corrupt', 'truncated']
              : ['checksum-mismatch']
        if (!expected.includes(code as SessionErrorCode)) {
          throw new Error(`byte ${i} ^ ${mask}: got ${code}, expected ${expected.join('|')}`)
        }
      }
    }
  })

  it('says which chunk of a large file is damaged', () => {
    const big = encodeSession(depthSession(50))
    expect(big.length).toBeGreaterThan(3 * CHUNK_SIZE)
    const r = rng(7)
    for (let k = 0; k < 40; k++) {
      const at = 200 + Math.floor(r() * (big.length - 200))
      const bad = Buffer.from(big)
      bad[at]! ^= 1 + Math.floor(r() * 255)
      const e = errorOf(bad)
      expect(e.code).toBe('checksum-mismatch')
      expect(at).toBeGreaterThanOrEqual(e.offset!) // offset: the damaged chunk's first byte
      expect(at).toBeLessThan(e.offset! + CHUNK_SIZE)
      expect(e.message).toMatch(/bytes \d+–\d+/)
    }
  })

  it('reports truncation at every length, and trailing bytes', () => {
    expect(codeOf(small.subarray(0, 0))).toBe('empty-file')
    for (let n = 1; n < small.length; n++) {
      const e = errorOf(small.subarray(0, n))
      expect(e.code, `truncated to ${n}`).toBe('truncated')
      expect(e.offset).toBe(n)
    }
    const longer = Buffer.concat([small, Buffer.from([0])])
    expect(errorOf(longer)).toMatchObject({ code: 'trailing-data', offset: small.length })
  })

  it('tells foreign files apart, naming JSON text', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
    expect(errorOf(png)).toMatchObject({ code: 'not-a-session', offset: 1 })
    const net = Buffer.from('{ "format": "layerscope.net", "version": 1, "layers": [] }')
    const e = errorOf(net)
    expect(e.code).toBe('not-a-session')
    expect(e.message).toMatch(/JSON text/)
    expect(codeOf(Buffer.from('hello'))).toBe('not-a-session')
  })

  it('refuses a newer version that is otherwise intact', () => {
    const raw = encodePayload(depthSession(1) as unknown as JsonValue)
    const e = errorOf(writeContainer(SESSION_VERSION + 1, raw))
    expect(e.code).toBe('unsupported-version')
    expect(e.message).toMatch(/newer Layerscope/)
    expect(codeOf(writeContainer(0, raw))).toBe('unsupported-version') // no migration from 0
  })

  it('stores uncompressed when deflate would not help, and still verifies', () => {
    const noise = randomBytes(3 * CHUNK_SIZE + 5)
    const file = writeContainer(1, noise)
    expect(file.readUInt32LE(12) & 1).toBe(0) // random bytes do not deflate
    expect(file.length).toBe(noise.length + FIXED_HEADER + 8 * 4 + 8)
    expect(readContainer(file).raw.equals(noise)).toBe(true)
    const text = writeContainer(1, Buffer.alloc(100000, 'abc'))
    expect(text.readUInt32LE(12) & 1).toBe(1)
    expect(text.length).toBeLessThan(2000)
    expect(readContainer(text).raw.equals(Buffer.alloc(100000, 'abc'))).toBe(true)
  })

  it('rejects a well-formed container whose document has the wrong shape, with the path', () => {
    const doc = depthSession(2) as unknown as Record<string, unknown>
    const runs = doc.runs as Record<string, unknown>[]
    runs[1]!.kind = 'dpeth'
    const e = errorOf(writeContainer(1, encodePayload(doc as JsonValue)))
    expect(e.code).toBe('invalid-document')
    expect(e.path).toEqual(['runs', 1, 'kind'])
    expect(e.message).toContain('runs[1].kind')
    const notASession = errorOf(writeContainer(1, encodePayload({ hello: 'world' })))
    expect(notASession.code).toBe('invalid-document')
  })

  it('reports a payload that passes its checksum but does not decode', () => {
    const raw = Buffer.from(encodePayload({ a: 1 }))
    raw.writeUInt32LE(raw.length * 2, 0) // JSON length overruns
    expect(codeOf(writeContainer(1, raw))).toBe('corrupt-payload')
  })
})
