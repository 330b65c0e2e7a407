/**
 * Data-parallel training steps (issue 14): a minibatch of m rows is cut into S slices (slice s
 * holds rows ⌊s·m/S⌋ … ⌊(s+1)·m/S⌋ − 1 of it), each slice's gradient is computed against the same
 * weights by whichever thread of the team claims it (../team.ts), with the loss and dScores
 * divided by m (not by the slice's rows), so the slices' losses and gradients add up to the whole
 * batch's; the leader sums them in slice order 0, 1, …, S − 1 and the trainer takes one
 * optimizer step. The minibatch, the loss and the update are those of the single-thread step up
 * to the order of the sum; the same S gives the same bits whatever the threads.
 *
 * Each iteration is two team steps (the fewest the data allow: the update needs every slice's
 * gradient, the next pass every updated weight): the pass (slices of the batch, as above; slice
 * s also sums w² over chunk s of the weights, so the penalty reg·Σ‖W‖² is the slices' partial
 * sums added in slice order, not a serial pass on the leader) and the update, cut into chunks of
 * the flat parameter vector: per chunk, the slots summed in slice order, + 2·reg·W on weights,
 * and the optimizer's rule on the shared weights and moments (SGD on 2 slices: one pass over
 * memory, in WebAssembly on the shared block) — every element's arithmetic is the single-thread
 * step's, whichever thread takes the chunk. The serial part left to the leader is adding S records and copying the new weights
 * back onto its heap, while each helper copies them onto its own.
 *
 * The trainer's accuracies (epoch ends, the test split) run on the team too, as evaluation
 * rounds of up to S × 256 rows: slice s forwards its rows of the round, counts the correct
 * answers (or finds the first non-finite layer), and the leader adds the counts in slice order —
 * integers, so the accuracy is exactly the one-thread evaluator's count over the same scores.
 *
 * The shared block's layout and views: train-team-layout.ts; what a thread computes for one
 * slice: train-team-slice.ts; the update's and the penalty's arithmetic over chunks of the
 * parameter vector: train-team-update.ts. This file: the steps' protocol (workSlices, the
 * leader's teamStep, a helper's helpTeam).
 */
import {
  awaitSlices,
  awaitStep,
  claimSlice,
  finishSlice,
  helperReleased,
  MAX_SLICES,
  nextGen,
  startStep,
  stepWord,
  waitForWork
} from '../team'
import { createTeamGuard, guardMode, type GuardCounts } from '../team-guard'
import { parameters } from './net'
import { hyperParameters } from './optim'
import { divergedAt, norm, type GradientSource, type StepValue } from './train-step'
import type { Evaluate } from './train-eval'
import {
  EVAL,
  OPTIMIZERS,
  PASS,
  REC_BAD,
  REC_BLOCKS,
  REC_LOSS,
  REC_RIGHT,
  REC_SUMSQ,
  SPLITS,
  touchTeamPages,
  UPDATE,
  views,
  W_NORMS,
  W_PHASE,
  W_ROWS,
  W_SPLIT,
  W_STATS,
  W_T
} from './train-team-layout'
import {
  computeSlice,
  copyParams,
  evalSlice,
  scratchOf,
  type SliceWorker
} from './train-team-slice'
import { updateChunk } from './train-team-update'

export {
  adoptTeamMemory,
  createTrainTeam,
  largestSlice,
  sliceRows,
  teamBatch,
  teamMemory
} from './train-team-layout'
export type { SliceWorker } from './train-team-slice'

/**
 * Claims and computes slices of the current step until none is left. A helper holds a copy of
 * the weights of the step it last copied for (state.gen): it copies them before a pass slice of
 * a newer step, and right after an update it took part in (the next step is that update's pass);
 * the leader's net already holds them.
 */
export function workSlices(
  team: SharedArrayBuffer,
  w: SliceWorker,
  state: { gen: number }
): number {
  const v = views(team)
  const { outIdx, y } = scratchOf(w)
  const dim = w.data.dim
  let n = 0
  let updated = -1
  for (let c = claimSlice(team); c; c = claimSlice(team)) {
    const phase = v.words[W_PHASE]
    if (phase === UPDATE) {
      updateChunk(v, w.net, c.slice, c.slices)
      updated = c.gen
    } else {
      if (!w.leader && state.gen !== c.gen) {
        copyParams(w.net, v.params, false)
        state.gen = c.gen
      }
      if (phase === EVAL) evalSlice(v, w, c.slice, y, dim)
      else computeSlice(v, w, c.slice, outIdx, y, dim)
    }
    finishSlice(team)
    n++
  }
  if (updated >= 0 && !w.leader) {
    // Out of update chunks: take the new weights as soon as the last chunk is done (while the
    // leader copies them back), not when the next pass begins. The next step is that pass.
    awaitStep(team, updated)
    copyParams(w.net, v.params, false)
    state.gen = nextGen(updated)
  }
  return n
}

/**
 * The leader's gradient source over a team: publishes the batch, works slices with whatever
 * helpers are there, merges the slices' losses, divergences and block statistics (std of a
 * block's output: the slices' (rows, mean, M2) merged in slice order, Chan et al.); then the
 * update step, chunked over the team, after which the leader copies the new weights back.
 */
export function teamStep(
  team: SharedArrayBuffer,
  leader: SliceWorker,
  reg: number
): GradientSource & { evaluate: Evaluate; guard: GuardCounts } {
  const v = views(team)
  const S = v.slices
  const net = leader.net
  const state = { gen: -1 }
  // Shared or solo, step by step (../team-guard.ts). A step is recorded when the next starts:
  // its wait runs until then, so what the leader does between steps (merging the slices,
  // copying the weights back) counts — a team slows that too, on a busy machine.
  const guard = createTeamGuard({ mode: guardMode(process.env.LAYERSCOPE_TEAM_GUARD) })
  const last = { kind: 0, own: 0, ownSlices: 0, slices: 0, end: -1 }
  const round = (slices: number): void => {
    const t0 = performance.now()
    if (last.end >= 0) guard.record(last.kind, last.own, t0 - last.end, last.ownSlices, last.slices)
    startStep(team, slices, guard.solo)
    last.ownSlices = workSlices(team, leader, state)
    last.end = performance.now()
    awaitSlices(team)
    last.kind = v.words[W_PHASE]!
    last.own = last.end - t0
    last.slices = slices
  }
  const weights = parameters(net).filter((p) => p.kind === 'weight')
  // The shared weights are the run's from here on; the leader's copy follows each update.
  copyParams(net, v.params, true)
  let t = 0
  return {
    slices: S,
    step(idx, wantStats): StepValue {
      const m = idx.length
      v.idx.set(idx)
      v.words[W_ROWS] = m
      v.words[W_STATS] = wantStats ? 1 : 0
      v.words[W_PHASE] = PASS
      round(S)
      let dataLoss = 0
      let bad = 0
      let sumSq = 0
      for (let s = 0; s < S; s++) {
        const rec = v.record(s)
        dataLoss += rec[REC_LOSS]!
        sumSq += rec[REC_SUMSQ]!
        const b = rec[REC_BAD]!
        if (b > 0 && (bad === 0 || b < bad)) bad = b
      }
      // reg·Σ‖W‖² as l2Penalty's, its squares summed by the slices in chunks, then in slice order.
      const penalty = reg * sumSq
      const loss = dataLoss + penalty
      const parts = { dataLoss, penalty }
      if (bad > 0) {
        const where = { layer: bad, type: net.layers[bad - 1]!.type }
        return { ok: false, diverged: divergedAt(net, where, loss), ...parts }
      }
      if (!Number.isFinite(loss)) {
        const where = { layer: net.layers.length + 1, type: 'loss' }
        return { ok: false, diverged: divergedAt(net, where, loss), ...parts }
      }
      let actStd: number[] | null = null
      if (wantStats) {
        actStd = []
        for (let b = 0; b < v.blocks; b++) {
          let n = 0
          let mean = 0
          let M2 = 0
          for (let s = 0; s < S; s++) {
            const rec = v.record(s)
            const nb = rec[REC_BLOCKS + 3 * b]!
            if (nb === 0) continue
            const mb = rec[REC_BLOCKS + 1 + 3 * b]!
            const delta = mb - mean
            const tot = n + nb
            M2 += rec[REC_BLOCKS + 2 + 3 * b]! + (delta * delta * n * nb) / tot
            mean += (delta * nb) / tot
            n = tot
          }
          actStd.push(n > 0 ? Math.sqrt(M2 / n) : 0)
        }
      }
      return { ok: true, loss, actStd, ...parts }
    },
    update(config, wantNorms) {
      const c = v.control
      c[0] = config.lr
      c[1] = 2 * reg
      c[2] = OPTIMIZERS.indexOf(config.name)
      const hyper = hyperParameters(config)
      c[3] = hyper.momentum
      c[4] = hyper.beta1
      c[5] = hyper.beta2
      c[6] = hyper.eps
      v.words[W_T] = ++t
      v.words[W_NORMS] = wantNorms ? 1 : 0
      v.words[W_PHASE] = UPDATE
      round(Math.min(MAX_SLICES, 4 * S))
      copyParams(net, v.params, false)
      if (!wantNorms) return null
      const offsets = new Map<string, number>()
      let o = 0
      for (const [name, p] of Object.entries(net.params)) {
        offsets.set(name, o)
        o += p.length
      }
      return weights.map((p) => {
        const a = offsets.get(p.name)!
        return norm(v.sum.subarray(a, a + p.data.length))
      })
    },
    evaluate(split, indices) {
      const n = typeof indices === 'number' ? indices : indices.length
      if (n === 0) return { ok: true, acc: 0 }
      const R = v.evalIdx.length
      let right = 0
      for (let start = 0; start < n; start += R) {
        const m = Math.min(R, n - start)
        for (let i = 0; i < m; i++)
          v.evalIdx[i] = typeof indices === 'number' ? start + i : indices[start + i]!
        v.words[W_ROWS] = m
        v.words[W_SPLIT] = SPLITS.indexOf(split)
        v.words[W_PHASE] = EVAL
        round(S)
        // Slices in sample order: the first with a non-finite layer is the divergence.
        for (let s = 0; s < S; s++) {
          const rec = v.record(s)
          const bad = rec[REC_BAD]!
          if (bad > 0)
            return {
              ok: false,
              diverged: divergedAt(net, { layer: bad, type: net.layers[bad - 1]!.type })
            }
          right += rec[REC_RIGHT]!
        }
      }
      return { ok: true, acc: right / n }
    },
    guard,
    dispose() {}
  }
}

/**
 * A helper's life on a team: wait for a step, work slices, until released (index ≥ wanted) or
 * the leader is gone. Returns the slices it computed.
 */
export function helpTeam(
  team: SharedArrayBuffer,
  index: number,
  worker: SliceWorker,
  waitMs = 100
): number {
  const state = { gen: -1 }
  let done = 0
  let seen = -1
  touchTeamPages(team)
  while (!helperReleased(team, index)) {
    const word = stepWord(team)
    if (word === seen) {
      waitForWork(team, word, waitMs)
      continue
    }
    done += workSlices(team, worker, state)
    seen = word
  }
  return done
}
