/**
 * What a fitted preprocessing report says, as short lines: the fitted statistics summarised
 * (3072-long vectors as their range), and the effect on the data. Pure, unit-tested.
 */
import type { PreprocessJobResult } from '../../../src-shared/datasets'
import { sig } from '../format'

/** One line per fitted quantity: short vectors in full, long ones as count and range. */
export function fitLines(fit: Record<string, unknown>): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = []
  for (const [name, v] of Object.entries(fit)) {
    if (typeof v === 'number')
      out.push({ name, value: Number.isInteger(v) ? v.toLocaleString('en') : sig(v, 4) })
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) {
      const a = v as number[]
      if (a.length <= 4) out.push({ name, value: a.map((x) => sig(x, 4)).join(', ') })
      else {
        let lo = Infinity
        let hi = -Infinity
        for (const x of a) {
          lo = Math.min(lo, x)
          hi = Math.max(hi, x)
        }
        out.push({ name, value: `${a.length} values, ${sig(lo, 4)} … ${sig(hi, 4)}` })
      }
    }
  }
  return out
}

export function explainPreprocessing(
  reports: { mode: string; r: PreprocessJobResult }[]
): string[] {
  if (reports.length === 0)
    return [
      'Pick the modes to compare and press Fit. Each mode is fitted on the training split only, then applied to every split — fitting on the test data would leak it into training.',
      'The lecture’s point: centring matters (every input positive makes all of a unit’s weight gradients share one sign, so updates zig-zag); for images, subtracting the mean image and subtracting the per-channel mean do about the same, and scaling or whitening adds little.'
    ]
  const out = reports.map(({ mode, r }) => {
    const t = r.report.after.train
    const te = r.report.after.test
    return `${mode}: the training pixels now have mean ${sig(t.mean)} and std ${sig(t.std)}; the test split, transformed with the training statistics, has mean ${sig(te.mean)} and std ${sig(te.std)}${Math.abs(te.mean) > 0.05 * Math.max(1e-9, t.std) && mode !== 'none' ? ' — not exactly zero, since its statistics were not fitted on it' : ''}.`
  })
  out.push(
    'The histograms show the pixel values of all three channels before (raw bytes, 0–255) and after the transform: centring shifts them to straddle 0, standardizing also rescales them to unit spread.'
  )
  return out
}
