/**
 * The depth probe's random draws on a team (depth-team.ts's DRAW step): an undrawn probe laid
 * out with its draws as segments of the seed's one stream of normal() draws, in depthSetup's
 * order, and a slice of that stream drawn from a generator jumped to its start (rng.ts
 * rngAtNormal) — so however the stream is cut, every value is the one-thread setup's.
 */
import type { DepthConfig } from '../../src-shared/experiments'
import { activationOf } from './build'
import { depthPlan } from './depth'
import { allocProbe, type DepthShare, type SliceTick } from './depth-team-layout'
import { initOf, initStd } from './init'
import { normal, rngAtNormal } from './rng'
import type { FloatArray, Mat } from './tensor'

/** DRAW slices per slice of the pass. */
export const DRAW_SLICES_PER_THREAD = 8

/** Elements drawn between two progress ticks of a DRAW slice. */
const DRAW_TICK = 1 << 16

/**
 * Lays an undrawn probe out in shared memory: the values that are not random (a data batch,
 * biases, PReLU's α, a constant init) written, and the draws listed in stream order for the
 * DRAW step — the order of depthSetup: X, W_1 … W_L, the head, then G.
 */
export function planProbe(config: DepthConfig, data: Mat | undefined, slices: number): DepthShare {
  const plan = depthPlan(config, data)
  const { c, layers } = plan
  const act = activationOf(config.activation, config.params)
  const paramSizes: Record<string, number> = {}
  for (const l of layers) {
    if (l.type === 'affine') {
      paramSizes[l.W] = l.fanIn * l.fanOut
      if (l.b) paramSizes[l.b] = l.fanOut
    } else if (l.type === 'prelu') paramSizes[l.alpha] = l.units
  }
  const p = allocProbe(
    { c, layers, inputSize: c.inputWidth, paramSizes, float32: c.dtype === 'float32' },
    slices
  )
  let at = 0
  const draw = (target: string, count: number, std: number): void => {
    p.draws.push({ target, start: at, count, std })
    at += count
  }
  if (data) p.X.set(data.data)
  else draw('X', p.X.length, 1)
  const init = initOf(config)
  for (const l of layers) {
    if (l.type === 'affine') {
      if (c.init === 'constant') p.params[l.W]!.fill(config.std)
      else {
        const std = initStd(init, l.fanIn, l.fanOut)
        if (std === null) throw new Error(`depth: init ${c.init} cannot be drawn on a team`)
        if (std !== 0) draw(l.W, l.fanIn * l.fanOut, std)
      }
      if (l.b) p.params[l.b]!.fill(c.bias ?? 0)
    } else if (l.type === 'prelu') p.params[l.alpha]!.fill(act.alpha)
  }
  if ('G' in p.upstream) draw('G', p.upstream.G.length, 1)
  return p
}

/** The array a draw segment fills. */
function drawTarget(p: DepthShare, target: string): FloatArray {
  if (target === 'X') return p.X
  if (target === 'G' && 'G' in p.upstream) return p.upstream.G
  const a = p.params[target]
  if (!a) throw new Error(`depth: no array '${target}' to draw into`)
  return a
}

/** Normal draws in the stream: the sum of the segments' counts. */
export const drawCount = (p: DepthShare): number =>
  p.draws.reduce((n, d) => Math.max(n, d.start + d.count), 0)

/**
 * DRAW slice s of S: stream draws [lo, hi), cut at pair boundaries (⌊s·P/S⌋ pairs, P pairs in
 * all), from a generator jumped to draw lo — so every value is the one-thread stream's.
 */
export function drawSlice(p: DepthShare, s: number, S: number, tick?: SliceTick): void {
  const D = drawCount(p)
  const pairs = Math.ceil(D / 2)
  const lo = 2 * Math.floor((s * pairs) / S)
  const hi = Math.min(D, 2 * Math.floor(((s + 1) * pairs) / S))
  if (hi <= lo) return
  const rng = rngAtNormal(p.seed, lo)
  let done = 0
  for (const d of p.draws) {
    const from = Math.max(lo, d.start)
    const to = Math.min(hi, d.start + d.count)
    if (from >= to) continue
    const out = drawTarget(p, d.target)
    const std = d.std
    for (let i = from - d.start, end = to - d.start; i < end;) {
      const stop = Math.min(end, i + DRAW_TICK)
      done += stop - i
      // As fillNormal writes it: mean (0) + std · z.
      for (; i < stop; i++) out[i] = 0 + std * normal(rng)
      tick?.(done / (hi - lo))
    }
  }
}
