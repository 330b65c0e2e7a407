// The data-parallel SGD update on 2 slices (src-workers/nn/train-team.ts sgd2), run on the team's
// own shared memory: per element g = f32(f32(s0 + s1) + twoReg·w) and w ← f32(w − lr·g), with
// exactly the roundings of the TypeScript loop — the slots' sum in float32 (a float64 add rounded
// to float32 gives the same bits), then twoReg·w, + and lr·g, − in float64 (f64x2 lanes), each
// result rounded to float32 once at the store. No fused multiply-add. twoReg = 0 skips the
// penalty term (no + 0·w, which would turn −0 into +0 and ∞·0 into NaN). `sum` (not 0) receives g.
// Also Σw² of a range of the weights (sumSquares, below). Pointers are byte addresses; n
// elements; no statics (the module is instantiated on memories whose low bytes belong to their
// owner).

function hi(v: v128): v128 {
  return i64x2.shuffle(v, v, 1, 0)
}

function join(a: v128, b: v128): v128 {
  // a, b: [x, y, 0, 0] each -> [a.x, a.y, b.x, b.y]
  return i64x2.shuffle(a, b, 0, 2)
}

export function sgd2(
  s0: usize,
  s1: usize,
  w: usize,
  sum: usize,
  n: i32,
  twoReg: f64,
  lr: f64
): void {
  const lrv = f64x2.splat(lr)
  const rv = f64x2.splat(twoReg)
  const reg = twoReg != 0
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2
    let g = f32x4.add(v128.load(s0 + o), v128.load(s1 + o))
    const wv = v128.load(w + o)
    const w0 = f64x2.promote_low_f32x4(wv)
    const w1 = f64x2.promote_low_f32x4(hi(wv))
    if (reg) {
      const g0 = f64x2.add(f64x2.promote_low_f32x4(g), f64x2.mul(rv, w0))
      const g1 = f64x2.add(f64x2.promote_low_f32x4(hi(g)), f64x2.mul(rv, w1))
      g = join(f32x4.demote_f64x2_zero(g0), f32x4.demote_f64x2_zero(g1))
    }
    if (sum) v128.store(sum + o, g)
    const n0 = f64x2.sub(w0, f64x2.mul(lrv, f64x2.promote_low_f32x4(g)))
    const n1 = f64x2.sub(w1, f64x2.mul(lrv, f64x2.promote_low_f32x4(hi(g))))
    v128.store(w + o, join(f32x4.demote_f64x2_zero(n0), f32x4.demote_f64x2_zero(n1)))
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2
    let g = load<f32>(s0 + o) + load<f32>(s1 + o)
    const wi = <f64>load<f32>(w + o)
    if (reg) g = <f32>(<f64>g + twoReg * wi)
    if (sum) store<f32>(sum + o, g)
    store<f32>(w + o, <f32>(wi - lr * <f64>g))
  }
}

// Σ w² over n float32 weights in float64, as train-team-update.ts sumSquares's loop: four running
// sums (element i in sum i mod 4; lanes of two f64x2 accumulators), the tail in the first, then
// s0 + s1 + (s2 + s3). Each lane adds its squares in the loop's order, so the same bits.
export function sumSquares(w: usize, n: i32): f64 {
  let a01 = f64x2.splat(0)
  let a23 = f64x2.splat(0)
  let i = 0
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(w + ((<usize>i) << 2))
    const lo = f64x2.promote_low_f32x4(v)
    const up = f64x2.promote_low_f32x4(hi(v))
    a01 = f64x2.add(a01, f64x2.mul(lo, lo))
    a23 = f64x2.add(a23, f64x2.mul(up, up))
  }
  let s0 = f64x2.extract_lane(a01, 0)
  const s1 = f64x2.extract_lane(a01, 1)
  const s2 = f64x2.extract_lane(a23, 0)
  const s3 = f64x2.extract_lane(a23, 1)
  for (; i < n; i++) {
    const x = <f64>load<f32>(w + ((<usize>i) << 2))
    s0 += x * x
  }
  return s0 + s1 + (s2 + s3)
}
