/**
 * The control block of a running training job: a small SharedArrayBuffer that the main process
 * writes (pause, resume, stop, a new learning rate) and the worker reads between iterations.
 * One block may be shared by several runs (every run of a comparison obeys the same controls).
 *
 * Layout: Int32 [0] state (RUN 0, PAUSE 1, STOP 2), Int32 [1] learning-rate generation (bumped
 * after every write of the rate), Float64 at byte 8: the learning rate set last.
 * Plain data with no imports, so both the main process and the workers use it.
 */

export const CONTROL_BYTES = 16

export const CONTROL_RUN = 0
export const CONTROL_PAUSE = 1
export const CONTROL_STOP = 2

export type ControlState = 'running' | 'paused' | 'stopping'

function views(block: SharedArrayBuffer): { i32: Int32Array; f64: Float64Array } {
  if (!(block instanceof SharedArrayBuffer) || block.byteLength < CONTROL_BYTES)
    throw new TypeError(`a control block is a SharedArrayBuffer of ${CONTROL_BYTES} bytes`)
  return { i32: new Int32Array(block, 0, 2), f64: new Float64Array(block, 8, 1) }
}

export function createControlBlock(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES)
}

export function controlState(block: SharedArrayBuffer): ControlState {
  const s = Atomics.load(views(block).i32, 0)
  return s === CONTROL_PAUSE ? 'paused' : s === CONTROL_STOP ? 'stopping' : 'running'
}

/** Pause (true) or resume (false); a stop already requested stays requested. */
export function setPaused(block: SharedArrayBuffer, paused: boolean): ControlState {
  const { i32 } = views(block)
  Atomics.compareExchange(
    i32,
    0,
    paused ? CONTROL_RUN : CONTROL_PAUSE,
    paused ? CONTROL_PAUSE : CONTROL_RUN
  )
  Atomics.notify(i32, 0)
  return controlState(block)
}

/** Ask the run to finish after the current iteration, with the results so far. */
export function requestStop(block: SharedArrayBuffer): ControlState {
  const { i32 } = views(block)
  Atomics.store(i32, 0, CONTROL_STOP)
  Atomics.notify(i32, 0)
  return 'stopping'
}

/** Set the learning rate from the next iteration on (per-epoch decay continues from it). */
export function setLearningRate(block: SharedArrayBuffer, lr: number): void {
  const { i32, f64 } = views(block)
  f64[0] = lr
  // The atomic add publishes the plain write above to any thread that loads the generation.
  Atomics.add(i32, 1, 1)
}

/** The generation of the learning rate (0 = never set) and its value. */
export function readLearningRate(block: SharedArrayBuffer): { generation: number; lr: number } {
  const { i32, f64 } = views(block)
  const generation = Atomics.load(i32, 1)
  return { generation, lr: f64[0]! }
}

/**
 * Worker side: block while the state is PAUSE (in slices of `sliceMs`, calling `onWait` between
 * slices so the caller can report it is paused). Returns the milliseconds spent paused.
 */
export function waitWhilePaused(
  block: SharedArrayBuffer,
  onWait?: () => void,
  sliceMs = 250
): number {
  const { i32 } = views(block)
  if (Atomics.load(i32, 0) !== CONTROL_PAUSE) return 0
  const t0 = performance.now()
  while (Atomics.load(i32, 0) === CONTROL_PAUSE) {
    onWait?.()
    Atomics.wait(i32, 0, CONTROL_PAUSE, sliceMs)
  }
  return performance.now() - t0
}
