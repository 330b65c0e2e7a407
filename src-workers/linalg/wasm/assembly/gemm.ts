// Packed, cache-blocked GEMM for WebAssembly SIMD (AssemblyScript).
//
//   C[m×n] (+)= op(A)·op(B), row-major, all pointers are byte addresses in linear memory.
//
// Goto/BLIS structure: for each NC-wide column block of op(B) and KC-deep slice of k, op(B) is
// packed into NR-wide strips (kc×NR, contiguous, zero-padded); for each MC-tall row block of
// op(A), op(A) is packed into MR-tall strips (kc×MR, contiguous, zero-padded). The micro-kernel
// keeps an MR×NR tile of C in registers and streams one A strip (L2) against one B strip (L1).
// Transposes are absorbed by the packing routines, so nn, tn, nt and tt cost the same.
//
// The same source builds two modules: with `--enable simd,relaxed-simd` the multiply-add is
// f32x4/f64x2.relaxed_madd (one FMA on x86 with FMA3 and on ARM), otherwise mul + add.
// Register budget: V8 on x64 gives wasm 15 usable xmm registers; TurboFan hoists the A broadcasts of one step
// ahead of the multiply-adds, so a 4×8 f32 (4×4 f64) tile, 8 accumulators + 2 B vectors + 4
// broadcasts, is the largest that runs without spills (6×8 spilled four accumulators per step;
// unrolling k by two spilled too). No @inline decorators (Prettier cannot parse them): Binaryen's
// -O3 inlines the one-line helpers by itself.

const FLAG_TRANS_A: i32 = 1
const FLAG_TRANS_B: i32 = 2
const FLAG_ACCUMULATE: i32 = 4

const MR: i32 = 4
const NR32: i32 = 8
const NR64: i32 = 4
const KC: i32 = 256
const MC: i32 = 96
const NC: i32 = 2048

function madd32(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c)
  return f32x4.add(f32x4.mul(a, b), c)
}

function madd64(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c)
  return f64x2.add(f64x2.mul(a, b), c)
}

function minI(a: i32, b: i32): i32 {
  return a < b ? a : b
}

/** Bytes of scratch that sgemm/dgemm need for n columns (packed A block, packed B panel, tile). */
export function workBytes(n: i32, elemBytes: i32): i32 {
  const nr = elemBytes == 4 ? NR32 : NR64
  const nc = minI(n, NC)
  const ncPad = ((nc + nr - 1) / nr) * nr
  return (KC * ncPad + MC * KC + MR * nr) * elemBytes + 64
}

// ---------------------------------------------------------------------------------------------
// float32

/** Pack rows [i0, i0+mc) × cols [p0, p0+kc) of op(A) into MR-tall strips: strip s, step p, row r
 *  at s·kc·MR + p·MR + r. Rows past mc are zero. */
function packA32(
  a: usize,
  m: i32,
  k: i32,
  transA: bool,
  i0: i32,
  p0: i32,
  mc: i32,
  kc: i32,
  dst: usize
): void {
  for (let s = 0; s < mc; s += MR) {
    const rows = minI(MR, mc - s)
    const strip = dst + <usize>(s * kc) * 4
    if (transA) {
      // A stored k×m: row p of storage holds op(A)[:, p]; MR consecutive floats per step.
      let src = a + (<usize>p0 * <usize>m + <usize>(i0 + s)) * 4
      const stride = <usize>m * 4
      if (rows == MR) {
        for (let p = 0; p < kc; p++) {
          const d = strip + <usize>(p * MR) * 4
          v128.store(d, v128.load(src)) // MR = 4 floats = one v128
          src += stride
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const d = strip + <usize>(p * MR) * 4
          for (let r = 0; r < MR; r++)
            store<f32>(d + <usize>r * 4, r < rows ? load<f32>(src + <usize>r * 4) : 0)
          src += stride
        }
      }
    } else {
      for (let r = 0; r < MR; r++) {
        const d0 = strip + <usize>r * 4
        if (r < rows) {
          let src = a + (<usize>(i0 + s + r) * <usize>k + <usize>p0) * 4
          for (let p = 0; p < kc; p++) {
            store<f32>(d0 + <usize>(p * MR) * 4, load<f32>(src))
            src += 4
          }
        } else {
          for (let p = 0; p < kc; p++) store<f32>(d0 + <usize>(p * MR) * 4, 0)
        }
      }
    }
  }
}

/** Pack rows [p0, p0+kc) × cols [j0, j0+nc) of op(B) into NR-wide strips: strip t, step p, col c
 *  at t·kc·NR + p·NR + c. Columns past nc are zero. */
function packB32(
  b: usize,
  n: i32,
  k: i32,
  transB: bool,
  p0: i32,
  j0: i32,
  kc: i32,
  nc: i32,
  dst: usize
): void {
  for (let t = 0; t < nc; t += NR32) {
    const cols = minI(NR32, nc - t)
    const strip = dst + <usize>(t * kc) * 4
    if (!transB && cols == NR32) {
      let src = b + (<usize>p0 * <usize>n + <usize>(j0 + t)) * 4
      const stride = <usize>n * 4
      for (let p = 0; p < kc; p++) {
        const d = strip + <usize>(p * NR32) * 4
        v128.store(d, v128.load(src))
        v128.store(d, v128.load(src, 16), 16)
        src += stride
      }
    } else if (!transB) {
      let src = b + (<usize>p0 * <usize>n + <usize>(j0 + t)) * 4
      const stride = <usize>n * 4
      for (let p = 0; p < kc; p++) {
        const d = strip + <usize>(p * NR32) * 4
        for (let c = 0; c < NR32; c++)
          store<f32>(d + <usize>c * 4, c < cols ? load<f32>(src + <usize>c * 4) : 0)
        src += stride
      }
    } else {
      // B stored n×k: op(B)[p, j] = B[j, p]; each column of the strip is a contiguous run.
      for (let c = 0; c < NR32; c++) {
        const d0 = strip + <usize>c * 4
        if (c < cols) {
          let src = b + (<usize>(j0 + t + c) * <usize>k + <usize>p0) * 4
          for (let p = 0; p < kc; p++) {
            store<f32>(d0 + <usize>(p * NR32) * 4, load<f32>(src))
            src += 4
          }
        } else {
          for (let p = 0; p < kc; p++) store<f32>(d0 + <usize>(p * NR32) * 4, 0)
        }
      }
    }
  }
}

function put32(dst: usize, v: v128, overwrite: bool): void {
  v128.store(dst, overwrite ? v : f32x4.add(v128.load(dst), v))
}

/** 4×8 micro-kernel: tile (+)= Apanel(kc×4)ᵀ·Bpanel(kc×8). Writes a full tile at c (row stride
 *  ldc bytes); the caller routes edge tiles through a scratch tile. */
function kernel32(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, overwrite: bool): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0)
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0)
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0)
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0)
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb)
    const b1 = v128.load(pb, 16)
    let a = v128.load_splat<f32>(pa)
    c00 = madd32(a, b0, c00)
    c01 = madd32(a, b1, c01)
    a = v128.load_splat<f32>(pa, 4)
    c10 = madd32(a, b0, c10)
    c11 = madd32(a, b1, c11)
    a = v128.load_splat<f32>(pa, 8)
    c20 = madd32(a, b0, c20)
    c21 = madd32(a, b1, c21)
    a = v128.load_splat<f32>(pa, 12)
    c30 = madd32(a, b0, c30)
    c31 = madd32(a, b1, c31)
    pa += 16
    pb += 32
  }
  put32(c, c00, overwrite)
  put32(c + 16, c01, overwrite)
  c += ldc
  put32(c, c10, overwrite)
  put32(c + 16, c11, overwrite)
  c += ldc
  put32(c, c20, overwrite)
  put32(c + 16, c21, overwrite)
  c += ldc
  put32(c, c30, overwrite)
  put32(c + 16, c31, overwrite)
}

/** C[m×n] (+)= op(A)·op(B) in float32. flags: 1 transA, 2 transB, 4 accumulate. `work` must
 *  hold workBytes(n, 4) bytes. */
export function sgemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  b: usize,
  c: usize,
  flags: i32,
  work: usize
): void {
  const transA = (flags & FLAG_TRANS_A) != 0
  const transB = (flags & FLAG_TRANS_B) != 0
  const accumulate = (flags & FLAG_ACCUMULATE) != 0
  if (m <= 0 || n <= 0) return
  if (k <= 0) {
    if (!accumulate) memory.fill(c, 0, <usize>m * <usize>n * 4)
    return
  }
  const ncMax = minI(n, NC)
  const ncPad = ((ncMax + NR32 - 1) / NR32) * NR32
  const work64 = (work + 63) & ~(<usize>63)
  const bPack = work64
  const aPack = bPack + <usize>(KC * ncPad) * 4
  const tile = aPack + <usize>(MC * KC) * 4
  const ldc = <usize>n * 4
  for (let jc = 0; jc < n; jc += NC) {
    const nc = minI(NC, n - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = minI(KC, k - pc)
      const overwrite = pc == 0 && !accumulate
      packB32(b, n, k, transB, pc, jc, kc, nc, bPack)
      for (let ic = 0; ic < m; ic += MC) {
        const mc = minI(MC, m - ic)
        packA32(a, m, k, transA, ic, pc, mc, kc, aPack)
        for (let jr = 0; jr < nc; jr += NR32) {
          const nr = minI(NR32, nc - jr)
          const pb = bPack + <usize>(jr * kc) * 4
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = minI(MR, mc - ir)
            const pa = aPack + <usize>(ir * kc) * 4
            const cp = c + (<usize>(ic + ir) * <usize>n + <usize>(jc + jr)) * 4
            if (mr == MR && nr == NR32) {
              kernel32(kc, pa, pb, cp, ldc, overwrite)
            } else {
              kernel32(kc, pa, pb, tile, <usize>NR32 * 4, true)
              for (let r = 0; r < mr; r++) {
                const crow = cp + <usize>r * ldc
                const trow = tile + <usize>(r * NR32) * 4
                for (let j = 0; j < nr; j++) {
                  const v = load<f32>(trow + <usize>j * 4)
                  const dst = crow + <usize>j * 4
                  store<f32>(dst, overwrite ? v : load<f32>(dst) + v)
                }
              }
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// float64 (gradient checks: same structure, f64x2, 4×4 tile)

function packA64(
  a: usize,
  m: i32,
  k: i32,
  transA: bool,
  i0: i32,
  p0: i32,
  mc: i32,
  kc: i32,
  dst: usize
): void {
  for (let s = 0; s < mc; s += MR) {
    const rows = minI(MR, mc - s)
    const strip = dst + <usize>(s * kc) * 8
    for (let r = 0; r < MR; r++) {
      const d0 = strip + <usize>r * 8
      if (r >= rows) {
        for (let p = 0; p < kc; p++) store<f64>(d0 + <usize>(p * MR) * 8, 0)
      } else if (transA) {
        let src = a + (<usize>p0 * <usize>m + <usize>(i0 + s + r)) * 8
        const stride = <usize>m * 8
        for (let p = 0; p < kc; p++) {
          store<f64>(d0 + <usize>(p * MR) * 8, load<f64>(src))
          src += stride
        }
      } else {
        let src = a + (<usize>(i0 + s + r) * <usize>k + <usize>p0) * 8
        for (let p = 0; p < kc; p++) {
          store<f64>(d0 + <usize>(p * MR) * 8, load<f64>(src))
          src += 8
        }
      }
    }
  }
}

function packB64(
  b: usize,
  n: i32,
  k: i32,
  transB: bool,
  p0: i32,
  j0: i32,
  kc: i32,
  nc: i32,
  dst: usize
): void {
  for (let t = 0; t < nc; t += NR64) {
    const cols = minI(NR64, nc - t)
    const strip = dst + <usize>(t * kc) * 8
    for (let c = 0; c < NR64; c++) {
      const d0 = strip + <usize>c * 8
      if (c >= cols) {
        for (let p = 0; p < kc; p++) store<f64>(d0 + <usize>(p * NR64) * 8, 0)
      } else if (transB) {
        let src = b + (<usize>(j0 + t + c) * <usize>k + <usize>p0) * 8
        for (let p = 0; p < kc; p++) {
          store<f64>(d0 + <usize>(p * NR64) * 8, load<f64>(src))
          src += 8
        }
      } else {
        let src = b + (<usize>p0 * <usize>n + <usize>(j0 + t + c)) * 8
        const stride = <usize>n * 8
        for (let p = 0; p < kc; p++) {
          store<f64>(d0 + <usize>(p * NR64) * 8, load<f64>(src))
          src += stride
        }
      }
    }
  }
}

function put64(dst: usize, v: v128, overwrite: bool): void {
  v128.store(dst, overwrite ? v : f64x2.add(v128.load(dst), v))
}

function kernel64(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, overwrite: bool): void {
  let c00 = f64x2.splat(0),
    c01 = f64x2.splat(0)
  let c10 = f64x2.splat(0),
    c11 = f64x2.splat(0)
  let c20 = f64x2.splat(0),
    c21 = f64x2.splat(0)
  let c30 = f64x2.splat(0),
    c31 = f64x2.splat(0)
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb)
    const b1 = v128.load(pb, 16)
    let a = v128.load_splat<f64>(pa)
    c00 = madd64(a, b0, c00)
    c01 = madd64(a, b1, c01)
    a = v128.load_splat<f64>(pa, 8)
    c10 = madd64(a, b0, c10)
    c11 = madd64(a, b1, c11)
    a = v128.load_splat<f64>(pa, 16)
    c20 = madd64(a, b0, c20)
    c21 = madd64(a, b1, c21)
    a = v128.load_splat<f64>(pa, 24)
    c30 = madd64(a, b0, c30)
    c31 = madd64(a, b1, c31)
    pa += 32
    pb += 32
  }
  put64(c, c00, overwrite)
  put64(c + 16, c01, overwrite)
  c += ldc
  put64(c, c10, overwrite)
  put64(c + 16, c11, overwrite)
  c += ldc
  put64(c, c20, overwrite)
  put64(c + 16, c21, overwrite)
  c += ldc
  put64(c, c30, overwrite)
  put64(c + 16, c31, overwrite)
}

/** C[m×n] (+)= op(A)·op(B) in float64; same contract as sgemm with workBytes(n, 8). */
export function dgemm(
  m: i32,
  n: i32,
  k: i32,
  a: usize,
  b: usize,
  c: usize,
  flags: i32,
  work: usize
): void {
  const transA = (flags & FLAG_TRANS_A) != 0
  const transB = (flags & FLAG_TRANS_B) != 0
  const accumulate = (flags & FLAG_ACCUMULATE) != 0
  if (m <= 0 || n <= 0) return
  if (k <= 0) {
    if (!accumulate) memory.fill(c, 0, <usize>m * <usize>n * 8)
    return
  }
  const ncMax = minI(n, NC)
  const ncPad = ((ncMax + NR64 - 1) / NR64) * NR64
  const work64 = (work + 63) & ~(<usize>63)
  const bPack = work64
  const aPack = bPack + <usize>(KC * ncPad) * 8
  const tile = aPack + <usize>(MC * KC) * 8
  const ldc = <usize>n * 8
  for (let jc = 0; jc < n; jc += NC) {
    const nc = minI(NC, n - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = minI(KC, k - pc)
      const overwrite = pc == 0 && !accumulate
      packB64(b, n, k, transB, pc, jc, kc, nc, bPack)
      for (let ic = 0; ic < m; ic += MC) {
        const mc = minI(MC, m - ic)
        packA64(a, m, k, transA, ic, pc, mc, kc, aPack)
        for (let jr = 0; jr < nc; jr += NR64) {
          const nr = minI(NR64, nc - jr)
          const pb = bPack + <usize>(jr * kc) * 8
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = minI(MR, mc - ir)
            const pa = aPack + <usize>(ir * kc) * 8
            const cp = c + (<usize>(ic + ir) * <usize>n + <usize>(jc + jr)) * 8
            if (mr == MR && nr == NR64) {
              kernel64(kc, pa, pb, cp, ldc, overwrite)
            } else {
              kernel64(kc, pa, pb, tile, <usize>NR64 * 8, true)
              for (let r = 0; r < mr; r++) {
                const crow = cp + <usize>r * ldc
                const trow = tile + <usize>(r * NR64) * 8
                for (let j = 0; j < nr; j++) {
                  const v = load<f64>(trow + <usize>j * 8)
                  const dst = crow + <usize>j * 8
                  store<f64>(dst, overwrite ? v : load<f64>(dst) + v)
                }
              }
            }
          }
        }
      }
    }
  }
}
