// The CIFAR gather's arithmetic for WebAssembly SIMD (AssemblyScript): n records of d uint8
// pixels, contiguous at `src`, mapped per feature to out[r·d + f] = pixel·scale[f] + shift[f].
//
// scale and shift are float64 (d each); the product and the sum are float64 operations, one
// rounding each and no fused multiply-add, so the float64 output equals the TypeScript loop's
// value bit for bit, and the float32 output is that value rounded once (as a Float32Array store
// rounds it). Pointers are byte addresses on the shared heap.

function affineQuad(q: v128, scale: usize, shift: usize): v128 {
  // q: four u32 pixels → two f64x2 halves → float32x4
  const a = f64x2.convert_low_i32x4_u(q)
  const b = f64x2.convert_low_i32x4_u(i32x4.shuffle(q, q, 2, 3, 2, 3))
  const ya = f64x2.add(f64x2.mul(a, v128.load(scale)), v128.load(shift))
  const yb = f64x2.add(f64x2.mul(b, v128.load(scale, 16)), v128.load(shift, 16))
  return f32x4.shuffle(f32x4.demote_f64x2_zero(ya), f32x4.demote_f64x2_zero(yb), 0, 1, 4, 5)
}

function affinePair(q: v128, scale: usize, shift: usize, out: usize): void {
  const a = f64x2.convert_low_i32x4_u(q)
  const b = f64x2.convert_low_i32x4_u(i32x4.shuffle(q, q, 2, 3, 2, 3))
  v128.store(out, f64x2.add(f64x2.mul(a, v128.load(scale)), v128.load(shift)))
  v128.store(out, f64x2.add(f64x2.mul(b, v128.load(scale, 16)), v128.load(shift, 16)), 16)
}

/** out (float32, n·d) = pixels·scale + shift, per feature. */
export function affine32(src: usize, n: i32, d: i32, scale: usize, shift: usize, out: usize): void {
  const dd: usize = <usize>d
  for (let r: usize = 0; r < <usize>n; r++) {
    const s = src + r * dd
    const o = out + r * dd * 4
    let f: usize = 0
    for (; f + 16 <= dd; f += 16) {
      const bytes = v128.load(s + f)
      const lo = i16x8.extend_low_i8x16_u(bytes)
      const hi = i16x8.extend_high_i8x16_u(bytes)
      const sc = scale + f * 8
      const sh = shift + f * 8
      const po = o + f * 4
      v128.store(po, affineQuad(i32x4.extend_low_i16x8_u(lo), sc, sh))
      v128.store(po, affineQuad(i32x4.extend_high_i16x8_u(lo), sc + 32, sh + 32), 16)
      v128.store(po, affineQuad(i32x4.extend_low_i16x8_u(hi), sc + 64, sh + 64), 32)
      v128.store(po, affineQuad(i32x4.extend_high_i16x8_u(hi), sc + 96, sh + 96), 48)
    }
    for (; f < dd; f++) {
      const v = <f64>load<u8>(s + f) * load<f64>(scale + f * 8) + load<f64>(shift + f * 8)
      store<f32>(o + f * 4, <f32>v)
    }
  }
}

/** out (float64, n·d) = pixels·scale + shift, per feature. */
export function affine64(src: usize, n: i32, d: i32, scale: usize, shift: usize, out: usize): void {
  const dd: usize = <usize>d
  for (let r: usize = 0; r < <usize>n; r++) {
    const s = src + r * dd
    const o = out + r * dd * 8
    let f: usize = 0
    for (; f + 16 <= dd; f += 16) {
      const bytes = v128.load(s + f)
      const lo = i16x8.extend_low_i8x16_u(bytes)
      const hi = i16x8.extend_high_i8x16_u(bytes)
      const sc = scale + f * 8
      const sh = shift + f * 8
      const po = o + f * 8
      affinePair(i32x4.extend_low_i16x8_u(lo), sc, sh, po)
      affinePair(i32x4.extend_high_i16x8_u(lo), sc + 32, sh + 32, po + 32)
      affinePair(i32x4.extend_low_i16x8_u(hi), sc + 64, sh + 64, po + 64)
      affinePair(i32x4.extend_high_i16x8_u(hi), sc + 96, sh + 96, po + 96)
    }
    for (; f < dd; f++) {
      const v = <f64>load<u8>(s + f) * load<f64>(scale + f * 8) + load<f64>(shift + f * 8)
      store<f64>(o + f * 8, v)
    }
  }
}
