/**
 * One training step's gradient: the loss of a minibatch (data + reg·Σ‖W‖²), a divergence found on
 * the way (a value, never thrown), the data gradients of every parameter, and, when asked, the
 * std of each layer block's output on the batch. The trainer (trainer.ts) adds 2·reg·W and takes
 * the optimizer step; it does not care which gradient source computed the batch: `localStep`
 * here (one thread, the arithmetic pinned by test/unit/nn/trainer-pin.test.ts) or `teamStep`
 * (train-team.ts: slices of the batch on several threads, summed in slice order).
 */
import { firstNonFinite } from './divergence'
import { addL2Gradient, gradName, l2Penalty, parameters, type ForwardResult, type Net } from './net'
import { createOptimizerState, optimizerStep, type OptimizerConfig } from './optim'
import { randInt, type Rng } from './rng'
import { norm, std } from './stats'
import type { Evaluate } from './train-eval'
import type { TrainSplits } from './trainer'
import { workspaceBackward, workspaceForward, workspaceLoss, type NetWorkspace } from './workspace'

/**
 * Where a run blew up: the layer block (1-based), the layer type or 'loss', and the loss (its
 * non-finite value, or NaN when a layer's output was the non-finite one: the loss is undefined
 * then, whatever the kernel computed).
 */
export interface DivergedAt {
  layer: number
  where: string
  loss: number
}

/**
 * Why a run ended diverged, as a value: a NaN or ±Infinity (where it first appeared), or a loss
 * that exploded while staying finite (explosion.ts: smoothed loss > factor × the first).
 */
export type RunDivergence =
  | ({ kind: 'non-finite' } & DivergedAt)
  | { kind: 'exploded'; loss: number; first: number; factor: number }

/** A run that diverged at a 1-based iteration. */
export interface Diverged {
  kind: 'diverged'
  iteration: number
  divergence: RunDivergence
}

/** The batch's loss in its two parts (NaN/±Infinity possible when diverged). */
export interface LossParts {
  /** Data loss of the batch. */
  dataLoss: number
  /** reg·Σ‖W‖². */
  penalty: number
}

export type StepValue =
  | (LossParts & {
      ok: true
      /** Data loss + reg·Σ‖W‖² of the batch. */
      loss: number
      /** Std of each block's output on the batch (when asked for), else null. */
      actStd: number[] | null
    })
  | (LossParts & { ok: false; diverged: DivergedAt })

/**
 * Computes the gradient of the minibatch of training rows `idx` at the net's current weights,
 * then takes the update.
 */
export interface GradientSource {
  /** Threads that cut each batch (1: the whole batch on this thread). */
  readonly slices: number
  step(idx: Int32Array, wantStats: boolean): StepValue
  /**
   * After a finite step: adds 2·reg·W to the weights' gradients and takes one optimizer step
   * (`config`'s rule and rate) on every parameter; returns ‖∂loss/∂W_l‖ (data + reg) of each
   * weight when asked for, else null.
   */
  update(config: OptimizerConfig, wantNorms: boolean): number[] | null
  /**
   * Accuracy on the same threads (a team's: rows cut into slices, correct answers added), used
   * instead of the trainer's one-thread evaluator when present.
   */
  evaluate?: Evaluate
  /** Gives back what the source holds (wasm heap, helpers). */
  dispose(): void
}

/** Maps a 1-based index into net.layers (layers + 1 = the loss) to its block number. */
export function blockOf(net: Net, layerIndex: number): number {
  let block = 0
  for (let i = 0; i < Math.min(layerIndex, net.layers.length); i++)
    if (net.layers[i]!.type === 'affine') block++
  return Math.max(1, block)
}

/** A divergence found by firstNonFinite, as a block and a place, with the batch's loss. */
export function divergedAt(net: Net, bad: { layer: number; type: string }, loss = NaN): DivergedAt {
  return {
    layer: blockOf(net, bad.layer),
    where: bad.type,
    loss: bad.type === 'loss' || !Number.isFinite(loss) ? loss : NaN
  }
}

/** Index in fwd.outputs of each block's output (the layer before the next affine, or the last). */
export function blockOutputs(net: Net): number[] {
  const out: number[] = []
  net.layers.forEach((l, i) => {
    if (l.type === 'affine' && i > 0) out.push(i - 1)
  })
  out.push(net.layers.length - 1)
  return out
}

/** Fisher–Yates with the run's RNG. */
export function shuffle(rng: Rng, a: Int32Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1)
    const t = a[i]!
    a[i] = a[j]!
    a[j] = t
  }
}

/** std and norm are stats.ts's (team sources import them from here). */
export { norm, std }

/**
 * The single-thread gradient source: gather the batch into the workspace, forward, loss,
 * divergence check (outputs, then the loss), backward. The trainer's arithmetic before the
 * split, unchanged.
 */
export function localStep(
  net: Net<Float32Array>,
  data: TrainSplits,
  ws: NetWorkspace<Float32Array>,
  reg: number
): GradientSource {
  const B = ws.rows
  const dim = data.dim
  const y = new Int32Array(B)
  const outIdx = blockOutputs(net)
  const weights = parameters(net).filter((p) => p.kind === 'weight')
  const state = createOptimizerState<Float32Array>()
  return {
    slices: 1,
    update(config, wantNorms) {
      const grads = ws.grads
      addL2Gradient(net, grads, reg)
      const norms = wantNorms ? weights.map((p) => norm(grads[gradName(p.name)]!)) : null
      optimizerStep(net.params, grads, state, config)
      return norms
    },
    step(idx, wantStats) {
      const m = idx.length
      const Xb = m === B ? ws.X : ws.X.subarray(0, m * dim)
      const yb = m === B ? y : y.subarray(0, m)
      data.gather('train', idx, Xb, yb)
      const fwd: ForwardResult<Float32Array> = workspaceForward(net, ws, m)
      const d = workspaceLoss(net.loss, ws, fwd.scores, yb)
      const penalty = l2Penalty(net, reg)
      const loss = d.loss + penalty
      const parts = { dataLoss: d.loss, penalty }
      const bad = firstNonFinite(net, fwd, loss)
      if (bad) return { ok: false, diverged: divergedAt(net, bad, loss), ...parts }
      workspaceBackward(net, ws, fwd, d.dScores)
      const actStd = wantStats ? outIdx.map((o) => std(fwd.outputs[o]!.data)) : null
      return { ok: true, loss, actStd, ...parts }
    },
    dispose() {}
  }
}
