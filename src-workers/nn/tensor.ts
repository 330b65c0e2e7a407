/**
 * Matrices as flat row-major typed arrays plus a shape. One code path serves Float32Array
 * (training) and Float64Array (gradient checks): functions are generic in the array type and
 * allocate results of the same type as their inputs.
 */
import type { FloatArray } from '../linalg/gemm'

export type { FloatArray }
export type Dtype = 'float32' | 'float64'

/** A rows × cols matrix, element (i, j) at data[i * cols + j]. */
export interface Mat<T extends FloatArray = FloatArray> {
  data: T
  rows: number
  cols: number
}

/** A new zero-filled array of `n` elements with the same element type as `like`. */
export function allocLike<T extends FloatArray>(like: T, n: number): T {
  return (like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n)) as T
}

/** A new zero-filled array of `n` elements of the given dtype. */
export function alloc(dtype: Dtype, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
}

/** The dtype name of an array. */
export function dtypeOf(a: FloatArray): Dtype {
  return a instanceof Float32Array ? 'float32' : 'float64'
}

/** Converts a flat typed array to nested plain arrays (rows × cols), for JSON output. */
export function toRows(a: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = []
  for (let i = 0; i < rows; i++) {
    const row: number[] = new Array<number>(cols)
    for (let j = 0; j < cols; j++) row[j] = a[i * cols + j]!
    out.push(row)
  }
  return out
}
