// Elementwise activations and their derivatives for WebAssembly SIMD (AssemblyScript):
// sigmoid, tanh, ELU, SELU and GELU (x·Φ(x) by Cody's erfc; the tanh form as x·σ(2u)), forward
// y = f(x) and backward dx = g·f′.
//
// Every value is computed in float64 (f64x2 lanes), whatever the storage type: float32 inputs are
// widened, computed, and rounded once to float32 at the store. exp and expm1 are evaluated to a
// few float64 ulps (Cody–Waite reduction by ln 2, a degree-13 Taylor polynomial on |r| ≤ ln2/2,
// scaling by 2^k built from the exponent bits), so:
// - a float32 result is the float32 rounding of Math.* (the TypeScript path's value) except
//   where Math.*'s double lies within a few double ulps of a float32 rounding boundary;
// - a float64 result is within a few ulps (≤ 1e-15 relative) of Math.*.
// The arithmetic around exp/tanh is the TypeScript rules' own, operation for operation (no
// fused multiply-add), and the backward passes use the same f′ form (from y for sigmoid, tanh,
// ELU and SELU; from x for GELU). ±0, ±∞ and NaN follow Math.* (see the comments at each step).
//
// Kinds (must match src-workers/nn/activations-wasm.ts): 0 sigmoid, 1 tanh, 2 ELU (a = α),
// 3 SELU (a = λ, b = λ·α), 4 GELU tanh form (a = √(2/π), b = 0.044715), 5 GELU x·Φ(x) (erf),
// 6 ReLU, 7 leaky ReLU (a = slope).
// ReLU and leaky ReLU are the TypeScript rules' selects, lane by lane: f = x > 0 ? x : a·x (ReLU:
// 0) and f′ = x > 0 ? 1 : a (ReLU: 0), dx = g·f′, so NaN and −0 come out as there (x = NaN
// selects the second arm: ReLU gives +0, leaky a·NaN = NaN; g·0 is −0 for g < 0 and NaN for
// g = ±∞ or NaN). ReLU on float32 runs in f32x4 lanes (a select and g·1 or g·0, exact either
// way); leaky ReLU multiplies by the double a in f64x2 lanes and rounds once, as the rule does.
// Pointers are byte addresses on the shared heap; n elements; x, y, g, dx may not overlap
// except y == x in forward (in place) and dx == g in backward.

const LN2_HI: f64 = 6.9314718036912381649e-1
const LN2_LO: f64 = 1.90821492927058770002e-10
const INV_LN2: f64 = 1.442695040888963387
/** 2^52 + 2^51 + 1023: adding an integer-valued k puts k + 1023 in the low mantissa bits. */
const EXP_MAGIC: f64 = 6755399441056767.0
const SIGN: u64 = 0x8000000000000000

/** 2^k for integer-valued lanes k with −1022 ≤ k ≤ 1023. */
function pow2(k: v128): v128 {
  return i64x2.shl(f64x2.add(k, f64x2.splat(EXP_MAGIC)), 52)
}

/** r·Q(r) = Σ_{n≥1} rⁿ/n!, truncated after r¹³ (relative 1.2e-17 on ln2/2). */
function em1Reduced(r: v128): v128 {
  let q = f64x2.splat(1.0 / 6227020800.0) // 1/13!
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 479001600.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 39916800.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 3628800.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 362880.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 40320.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 5040.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 720.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 120.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 24.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0 / 6.0))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(0.5))
  q = f64x2.add(f64x2.mul(q, r), f64x2.splat(1.0))
  // r·Q rather than r + r²·…: keeps r's sign when r is ±0 and is exact for tiny r.
  return f64x2.mul(r, q)
}

/** k = round(x/ln2). */
function reduceK(x: v128): v128 {
  return f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_LN2)))
}

/** r = x − k·ln2 (two-part ln2: k·LN2_HI is exact for |k| < 2²⁰), |r| ≤ ln2/2. */
function reduceR(x: v128, k: v128): v128 {
  return f64x2.sub(
    f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))),
    f64x2.mul(k, f64x2.splat(LN2_LO))
  )
}

/**
 * expm1(x) for x in [−40, 40] (callers clamp; NaN passes through): 2^k·em1(r) + (2^k − 1), where
 * both products and 2^k − 1 are exact for |k| ≤ 53, so one rounding at the add. ±0 return
 * themselves (the reduction would turn −0 into +0).
 */
function expm1v(x: v128): v128 {
  const k = reduceK(x)
  const s = pow2(k)
  const e = f64x2.add(f64x2.mul(s, em1Reduced(reduceR(x, k))), f64x2.sub(s, f64x2.splat(1.0)))
  return v128.bitselect(x, e, f64x2.eq(x, f64x2.splat(0)))
}

/**
 * exp(x) for x ≤ 0 (NaN passes through): 2^k·(1 + em1(r)) with 2^k applied as two factors so
 * subnormal results are rounded once; below −750 the result is +0, as Math.exp's.
 */
function expNeg(x: v128): v128 {
  const xc = f64x2.max(x, f64x2.splat(-750.0))
  const k = reduceK(xc)
  const k1 = f64x2.floor(f64x2.mul(k, f64x2.splat(0.5)))
  const p = f64x2.add(f64x2.splat(1.0), em1Reduced(reduceR(xc, k)))
  return f64x2.mul(f64x2.mul(p, pow2(k1)), pow2(f64x2.sub(k, k1)))
}

/**
 * tanh(x) = sign(x)·e/(e + 2), e = expm1(2|x|): relative accuracy near 0 (e ≈ 2|x|), and 1 from
 * |x| ≥ 20 on (2|x| is clamped at 40, where the quotient already rounds to 1). ±0 → ±0, ±∞ → ±1.
 */
function tanhv(x: v128): v128 {
  const u = f64x2.min(f64x2.mul(f64x2.abs(x), f64x2.splat(2.0)), f64x2.splat(40.0))
  const e = expm1v(u)
  const t = f64x2.div(e, f64x2.add(e, f64x2.splat(2.0)))
  return v128.or(t, v128.and(x, i64x2.splat(SIGN)))
}

/** sigmoid: e = exp(−|x|); x ≥ 0: 1/(1 + e), else e/(1 + e) (as the TypeScript rule). */
function sigmoidv(x: v128): v128 {
  const e = expNeg(f64x2.neg(f64x2.abs(x)))
  const one = f64x2.splat(1.0)
  const num = v128.bitselect(one, e, f64x2.ge(x, f64x2.splat(0)))
  return f64x2.div(num, f64x2.add(one, e))
}

// Cody's erfc (SPECFUN CALERF) as src-workers/nn/erf.ts evaluates it, every interval computed
// and the lane's own selected: |z| ≤ 0.46875 (A, B), ≤ 4 (C, D), ≤ 26.543 (P, Q), beyond: 0.
function hs(num: v128, c: f64, y: v128): v128 {
  return f64x2.mul(f64x2.add(num, f64x2.splat(c)), y)
}

function erfcv(z: v128): v128 {
  const y = f64x2.abs(z)
  const one = f64x2.splat(1.0)
  // |z| ≤ 0.46875: 1 − z·R(z²)
  const ysq = v128.bitselect(f64x2.mul(y, y), f64x2.splat(0), f64x2.gt(y, f64x2.splat(1.11e-16)))
  let na = f64x2.mul(f64x2.splat(0.18577770618460315), ysq)
  let da = ysq
  na = hs(na, 3.1611237438705656, ysq)
  da = hs(da, 23.601290952344121, ysq)
  na = hs(na, 113.86415415105016, ysq)
  da = hs(da, 244.02463793444417, ysq)
  na = hs(na, 377.48523768530202, ysq)
  da = hs(da, 1282.6165260773723, ysq)
  const small = f64x2.sub(
    one,
    f64x2.div(
      f64x2.mul(z, f64x2.add(na, f64x2.splat(3209.3775891384695))),
      f64x2.add(da, f64x2.splat(2844.2368334391706))
    )
  )
  // 0.46875 < y ≤ 4
  let nc = f64x2.mul(f64x2.splat(2.1531153547440385e-8), y)
  let dc = y
  nc = hs(nc, 0.56418849698867009, y)
  dc = hs(dc, 15.744926110709835, y)
  nc = hs(nc, 8.8831497943883759, y)
  dc = hs(dc, 117.6939508913125, y)
  nc = hs(nc, 66.11919063714163, y)
  dc = hs(dc, 537.18110186200986, y)
  nc = hs(nc, 298.63513819740013, y)
  dc = hs(dc, 1621.3895745666902, y)
  nc = hs(nc, 881.95222124176909, y)
  dc = hs(dc, 3290.7992357334596, y)
  nc = hs(nc, 1712.0476126340706, y)
  dc = hs(dc, 4362.6190901432472, y)
  nc = hs(nc, 2051.0783778260715, y)
  dc = hs(dc, 3439.3676741437216, y)
  const rMid = f64x2.div(
    f64x2.add(nc, f64x2.splat(1230.3393547979972)),
    f64x2.add(dc, f64x2.splat(1230.3393548037494))
  )
  // y > 4: asymptotic in 1/y²
  const iy = f64x2.div(one, f64x2.mul(y, y))
  let np = f64x2.mul(f64x2.splat(0.016315387137302098), iy)
  let dp = iy
  np = hs(np, 0.30532663496123234, iy)
  dp = hs(dp, 2.5685201922898224, iy)
  np = hs(np, 0.36034489994980444, iy)
  dp = hs(dp, 1.8729528499234605, iy)
  np = hs(np, 0.12578172611122925, iy)
  dp = hs(dp, 0.52790510295142841, iy)
  np = hs(np, 0.016083785148742277, iy)
  dp = hs(dp, 0.060518341312441319, iy)
  let rBig = f64x2.div(
    f64x2.mul(iy, f64x2.add(np, f64x2.splat(6.587491615298378e-4))),
    f64x2.add(dp, f64x2.splat(0.0023352049762686918))
  )
  rBig = f64x2.div(f64x2.sub(f64x2.splat(0.56418958354775628695), rBig), y)
  const r = v128.bitselect(rMid, rBig, f64x2.le(y, f64x2.splat(4.0)))
  // exp(−y²) as exp(−ỹ²)·exp(−(y − ỹ)(y + ỹ)), ỹ = y truncated to 1/16
  const yt = f64x2.mul(f64x2.trunc(f64x2.mul(y, f64x2.splat(16.0))), f64x2.splat(0.0625))
  const del = f64x2.mul(f64x2.sub(y, yt), f64x2.add(y, yt))
  let c = f64x2.mul(f64x2.mul(expNeg(f64x2.mul(f64x2.neg(yt), yt)), expNeg(f64x2.neg(del))), r)
  c = v128.bitselect(f64x2.splat(0), c, f64x2.ge(y, f64x2.splat(26.543)))
  const big = v128.bitselect(f64x2.sub(f64x2.splat(2.0), c), c, f64x2.lt(z, f64x2.splat(0)))
  const out = v128.bitselect(small, big, f64x2.le(y, f64x2.splat(0.46875)))
  // NaN in, NaN out (every comparison above is false for NaN)
  return v128.bitselect(z, out, f64x2.ne(z, z))
}

/** Φ(x) = ½·erfc(−x/√2). */
function normalCdfv(x: v128): v128 {
  return f64x2.mul(
    f64x2.splat(0.5),
    erfcv(f64x2.mul(f64x2.neg(x), f64x2.splat(0.7071067811865476)))
  )
}

/** 2u = 2·(c·(x + k·x·x·x)), GELU's tanh-form argument doubled (the TypeScript rule's order). */
function geluV(x: v128, c: f64, k: f64): v128 {
  const kx3 = f64x2.mul(f64x2.mul(f64x2.mul(f64x2.splat(k), x), x), x)
  return f64x2.mul(f64x2.splat(2.0), f64x2.mul(f64x2.splat(c), f64x2.add(x, kx3)))
}

/** expm1(min(x, 0)) clamped below at −40 (where it is −1 in double): the ELU/SELU branch. */
function em1NonPositive(x: v128): v128 {
  return expm1v(f64x2.max(f64x2.min(x, f64x2.splat(0)), f64x2.splat(-40.0)))
}

function forwardVec(kind: i32, x: v128, a: f64, b: f64): v128 {
  switch (kind) {
    case 0:
      return sigmoidv(x)
    case 1:
      return tanhv(x)
    case 2: {
      const neg = f64x2.mul(f64x2.splat(a), em1NonPositive(x))
      return v128.bitselect(x, neg, f64x2.gt(x, f64x2.splat(0)))
    }
    case 3: {
      const pos = f64x2.mul(f64x2.splat(a), x)
      const neg = f64x2.mul(f64x2.splat(b), em1NonPositive(x))
      return v128.bitselect(pos, neg, f64x2.gt(x, f64x2.splat(0)))
    }
    case 5:
      // exact GELU: x·Φ(x)
      return f64x2.mul(x, normalCdfv(x))
    case 6:
      return v128.bitselect(x, f64x2.splat(0), f64x2.gt(x, f64x2.splat(0)))
    case 7:
      return v128.bitselect(x, f64x2.mul(f64x2.splat(a), x), f64x2.gt(x, f64x2.splat(0)))
    default: {
      // x·σ(2u) = ½x(1 + tanh u): e = exp(−|2u|), x·(2u ≥ 0 ? 1 : e)/(1 + e).
      const v = geluV(x, a, b)
      const e = expNeg(f64x2.neg(f64x2.abs(v)))
      const num = v128.bitselect(f64x2.splat(1.0), e, f64x2.ge(v, f64x2.splat(0)))
      return f64x2.div(f64x2.mul(x, num), f64x2.add(f64x2.splat(1.0), e))
    }
  }
}

/** g·f′, f′ from y = f(x) or from x as the TypeScript rule computes it. */
function backwardVec(kind: i32, x: v128, y: v128, g: v128, a: f64, b: f64): v128 {
  const one = f64x2.splat(1.0)
  let d: v128
  switch (kind) {
    case 0:
      d = f64x2.mul(y, f64x2.sub(one, y))
      break
    case 1:
      d = f64x2.sub(one, f64x2.mul(y, y))
      break
    case 2:
      d = v128.bitselect(one, f64x2.add(y, f64x2.splat(a)), f64x2.gt(x, f64x2.splat(0)))
      break
    case 3:
      d = v128.bitselect(f64x2.splat(a), f64x2.add(y, f64x2.splat(b)), f64x2.gt(x, f64x2.splat(0)))
      break
    case 6:
      d = v128.bitselect(one, f64x2.splat(0), f64x2.gt(x, f64x2.splat(0)))
      break
    case 7:
      d = v128.bitselect(one, f64x2.splat(a), f64x2.gt(x, f64x2.splat(0)))
      break
    case 5: {
      // Φ(x) + x·φ(x), φ(x) = e^(−x²/2)·(1/√(2π))
      const pdf = f64x2.mul(
        expNeg(f64x2.mul(f64x2.mul(f64x2.splat(-0.5), x), x)),
        f64x2.splat(0.3989422804014327)
      )
      d = f64x2.add(normalCdfv(x), f64x2.mul(x, pdf))
      break
    }
    default: {
      // s + 2·x·s·(1 − s)·c·(1 + 3k·x·x), s = σ(2u), 1 − s = σ(−2u) without cancellation.
      const v = geluV(x, a, b)
      const e = expNeg(f64x2.neg(f64x2.abs(v)))
      const pos = f64x2.ge(v, f64x2.splat(0))
      const den = f64x2.add(one, e)
      const s = f64x2.div(v128.bitselect(one, e, pos), den)
      const sc = f64x2.div(v128.bitselect(e, one, pos), den)
      const p = f64x2.mul(
        f64x2.mul(f64x2.mul(f64x2.mul(f64x2.splat(2.0), x), s), sc),
        f64x2.splat(a)
      )
      const q = f64x2.add(one, f64x2.mul(f64x2.mul(f64x2.splat(3.0 * b), x), x))
      d = f64x2.add(s, f64x2.mul(p, q))
    }
  }
  return f64x2.mul(g, d)
}

function lo32(v: v128): v128 {
  return f64x2.promote_low_f32x4(v)
}

function hi32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3))
}

function pack32(lo: v128, hi: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5)
}

function one32(p: usize): v128 {
  return f64x2.splat(<f64>load<f32>(p))
}

/** ReLU on float32 lanes: y = x > 0 ? x : +0. */
function relu32(x: usize, y: usize, end: usize): void {
  const zero = f32x4.splat(0)
  let o: usize = 0
  for (; o + 16 <= end; o += 16) {
    const v = v128.load(x + o)
    v128.store(y + o, v128.bitselect(v, zero, f32x4.gt(v, zero)))
  }
  for (; o < end; o += 4) {
    const v = load<f32>(x + o)
    store<f32>(y + o, v > 0 ? v : 0)
  }
}

/** ReLU's backward on float32 lanes: dx = g·(x > 0 ? 1 : 0). */
function reluBack32(x: usize, g: usize, dx: usize, end: usize): void {
  const zero = f32x4.splat(0)
  const one = f32x4.splat(1)
  let o: usize = 0
  for (; o + 16 <= end; o += 16) {
    const d = v128.bitselect(one, zero, f32x4.gt(v128.load(x + o), zero))
    v128.store(dx + o, f32x4.mul(v128.load(g + o), d))
  }
  for (; o < end; o += 4) {
    const d: f32 = load<f32>(x + o) > 0 ? 1 : 0
    store<f32>(dx + o, load<f32>(g + o) * d)
  }
}

/** y[i] = f(x[i]) for float32 arrays. */
export function forward32(kind: i32, x: usize, y: usize, n: i32, a: f64, b: f64): void {
  const end: usize = (<usize>n) << 2
  if (kind == 6) {
    relu32(x, y, end)
    return
  }
  let o: usize = 0
  for (; o + 16 <= end; o += 16) {
    const v = v128.load(x + o)
    const r0 = forwardVec(kind, lo32(v), a, b)
    const r1 = forwardVec(kind, hi32(v), a, b)
    v128.store(y + o, pack32(r0, r1))
  }
  for (; o < end; o += 4) {
    store<f32>(y + o, <f32>f64x2.extract_lane(forwardVec(kind, one32(x + o), a, b), 0))
  }
}

/** dx[i] = g[i]·f′(x[i]) for float32 arrays (y = f(x) from the forward pass). */
export function backward32(
  kind: i32,
  x: usize,
  y: usize,
  g: usize,
  dx: usize,
  n: i32,
  a: f64,
  b: f64
): void {
  const end: usize = (<usize>n) << 2
  if (kind == 6) {
    reluBack32(x, g, dx, end)
    return
  }
  let o: usize = 0
  for (; o + 16 <= end; o += 16) {
    const xv = v128.load(x + o)
    const yv = v128.load(y + o)
    const gv = v128.load(g + o)
    const r0 = backwardVec(kind, lo32(xv), lo32(yv), lo32(gv), a, b)
    const r1 = backwardVec(kind, hi32(xv), hi32(yv), hi32(gv), a, b)
    v128.store(dx + o, pack32(r0, r1))
  }
  for (; o < end; o += 4) {
    const r = backwardVec(kind, one32(x + o), one32(y + o), one32(g + o), a, b)
    store<f32>(dx + o, <f32>f64x2.extract_lane(r, 0))
  }
}

/** y[i] = f(x[i]) for float64 arrays. */
export function forward64(kind: i32, x: usize, y: usize, n: i32, a: f64, b: f64): void {
  const end: usize = (<usize>n) << 3
  let o: usize = 0
  for (; o + 16 <= end; o += 16) v128.store(y + o, forwardVec(kind, v128.load(x + o), a, b))
  if (o < end) {
    const r = forwardVec(kind, f64x2.splat(load<f64>(x + o)), a, b)
    store<f64>(y + o, f64x2.extract_lane(r, 0))
  }
}

/** dx[i] = g[i]·f′(x[i]) for float64 arrays. */
export function backward64(
  kind: i32,
  x: usize,
  y: usize,
  g: usize,
  dx: usize,
  n: i32,
  a: f64,
  b: f64
): void {
  const end: usize = (<usize>n) << 3
  let o: usize = 0
  for (; o + 16 <= end; o += 16) {
    const r = backwardVec(kind, v128.load(x + o), v128.load(y + o), v128.load(g + o), a, b)
    v128.store(dx + o, r)
  }
  if (o < end) {
    const r = backwardVec(
      kind,
      f64x2.splat(load<f64>(x + o)),
      f64x2.splat(load<f64>(y + o)),
      f64x2.splat(load<f64>(g + o)),
      a,
      b
    )
    store<f64>(dx + o, f64x2.extract_lane(r, 0))
  }
}
