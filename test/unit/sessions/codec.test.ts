import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonValue } from '../../../src-shared/session'
import { BLOCK_MIN_COUNT, decodePayload, encodePayload } from '../../../src-main/lab/sessions/codec'
import { decodeSession, encodeSession } from '../../../src-main/lab/sessions/store'
import { depthSession, exactlyEqual } from './fixtures'

const roundTrip = (v: JsonValue) => decodePayload(encodePayload(v))

const awkward = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  Number.MIN_VALUE, // smallest subnormal
  -Number.MIN_VALUE,
  2.2250738585072014e-308, // smallest normal
  1e-310,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.EPSILON,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 31 - 1,
  0.1,
  1 / 3,
  Math.fround(0.1),
  Math.fround(1e-40), // float32 subnormal
  Math.fround(3.4e38),
  123456789.123456789
]

describe('payload codec', () => {
  it('keeps every awkward number exactly: scalars, short arrays and long (block) arrays', () => {
    const long = Array.from({ length: 5 }, () => awkward).flat()
    const value: JsonValue = {
      scalars: Object.fromEntries(awkward.map((n, i) => [`n${i}`, n])),
      short: awkward.slice(0, 5),
      long,
      matrix: [long, long.map((x) => -x), long.map((x) => x * 0.5)],
      cube: [
        [awkward.slice(0, 8), awkward.slice(8, 16)],
        [awkward.slice(1, 9), awkward.slice(9, 17)]
      ]
    }
    expect(exactlyEqual(roundTrip(value), value)).toBeNull()
  })

  it('picks int32, float32 or float64 blocks by what holds every value exactly', () => {
    const n = 1000
    const ints = Array.from({ length: n }, (_, i) => i * 7919 - 100000)
    const f32 = Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i)))
    const f64 = Array.from({ length: n }, (_, i) => Math.sin(i))
    const sizeOf = (v: JsonValue) => encodePayload(v).length
    expect(sizeOf(ints)).toBeLessThan(4 * n + 200)
    expect(sizeOf(f32)).toBeLessThan(4 * n + 200)
    expect(sizeOf(f64)).toBeGreaterThanOrEqual(8 * n)
    for (const v of [ints, f32, f64]) expect(exactlyEqual(roundTrip(v), v)).toBeNull()
    // -0 is not an int32 value; it must survive as a float block
    const withNegZero = [...ints.slice(0, 20), -0]
    expect(exactlyEqual(roundTrip(withNegZero), withNegZero)).toBeNull()
    // one value that float32 cannot hold forces float64
    const mostlyF32 = [...f32.slice(0, 50), 0.1]
    expect(exactlyEqual(roundTrip(mostlyF32), mostlyF32)).toBeNull()
  })

  it('keeps objects whose keys look like its markers, __proto__ keys and odd strings', () => {
    const value = JSON.parse(
      '{"$b":0,"$n":"NaN","$o":{"$b":1},"__proto__":{"x":1},"shape":[1,2],"s":"\\u0000é💡\\n"}'
    ) as JsonValue
    const back = roundTrip(value) as Record<string, unknown>
    expect(exactlyEqual(back, value)).toBeNull()
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.keys(back)).toContain('__proto__')
  })

  it('keeps ragged, mixed, empty and nested arrays as they are', () => {
    const long = Array.from({ length: BLOCK_MIN_COUNT }, (_, i) => i / 7)
    const value: JsonValue = [
      [],
      {},
      [[], []],
      [long, long.slice(1)], // ragged: not a matrix
      [...long, null], // null among numbers
      [...long, 'x'],
      [[long, long], [long]],
      Array.from({ length: 40 }, () => [1, 2]) // 40×2 matrix of small ints
    ]
    expect(exactlyEqual(roundTrip(value), value)).toBeNull()
  })

  it('round-trips arbitrary JSON values with any doubles and floats (property)', () => {
    const num = fc.oneof(
      fc.double(),
      fc.float().map((x) => x),
      fc.integer(),
      fc.constantFrom(-0, NaN, Infinity, -Infinity, Number.MIN_VALUE)
    )
    const { value } = fc.letrec<{ value: JsonValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        num,
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(num, { minLength: 0, maxLength: 60 }),
        fc.array(fc.array(num, { minLength: 4, maxLength: 4 }), { maxLength: 8 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), {
          maxKeys: 4,
          noNullPrototype: true // decoded objects are always plain objects
        })
      )
    }))
    fc.assert(
      fc.property(value, (v) => exactlyEqual(roundTrip(v), v) === null),
      { numRuns: 300 }
    )
  })

  it('round-trips a whole session exactly, non-finite results included', () => {
    const doc = depthSession(3)
    doc.runs[0]!.result = { loss: NaN, history: [Infinity, -0, -Infinity, 1e-320] }
    doc.uiState = { zoom: -0, nested: { $b: 3 } }
    expect(exactlyEqual(decodeSession(encodeSession(doc)), doc)).toBeNull()
  })
})

describe('what counts as JSON', () => {
  it('drops object properties set to undefined, as JSON.stringify does', () => {
    const doc = depthSession(1)
    doc.runs[0]!.config = { seed: 1, bias: undefined } as unknown as (typeof doc.runs)[0]['config']
    const back = decodeSession(encodeSession(doc))
    expect(back.runs[0]!.config).toEqual({ seed: 1 })
    expect(Object.keys(back.runs[0]!.config)).toEqual(['seed'])
  })

  it('refuses typed arrays, undefined items, holes, functions and class instances, with the path', () => {
    const cases: [unknown, string][] = [
      [{ w: new Float64Array(3) }, 'runs[0].result.w: Float64Array is not JSON'],
      [[1, undefined], 'runs[0].result[1]: undefined is not JSON'],
      [[1, , 3], 'runs[0].result[1]: array hole is not JSON'], // eslint-disable-line no-sparse-arrays
      [{ f: () => 1 }, 'runs[0].result.f: function is not JSON'],
      [{ d: new Date(0) }, 'runs[0].result.d: Date is not JSON'],
      [{ n: 10n }, 'runs[0].result.n: bigint is not JSON']
    ]
    for (const [result, message] of cases) {
      const doc = depthSession(1)
      doc.runs[0]!.result = result as JsonValue
      expect(() => encodeSession(doc)).toThrow(message)
    }
  })
})
