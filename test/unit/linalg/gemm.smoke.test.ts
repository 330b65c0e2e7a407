import { describe, expect, it } from 'vitest'
import { gemm } from '../../../src-workers/linalg/gemm'

describe('gemm (reference path)', () => {
  it('multiplies a 2×3 by a 3×2 matrix', () => {
    const A = Float64Array.from([1, 2, 3, 4, 5, 6])
    const B = Float64Array.from([7, 8, 9, 10, 11, 12])
    const C = new Float64Array(4)
    gemm(2, 2, 3, A, B, C)
    expect(Array.from(C)).toEqual([58, 64, 139, 154])
  })
})
