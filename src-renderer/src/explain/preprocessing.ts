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

/** Whether a split's pixels are centred: |mean| within 1 % of their std. */
function centred(t: { mean: number; std: number }): boolean {
  return Math.abs(t.mean) <= 0.01 * Math.max(t.std, 1e-12)
}

function list(names: string[]): string {
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`
}

/**
 * What the fitted modes did to the data, from their reports only. The lecture's recommendation
 * (centre; for images centring alone is common practice; normalizing speeds up training) is
 * stated as the lecture's, not as a finding: whether a mode trains faster is measured by training.
 */
export function explainPreprocessing(
  reports: { mode: string; r: PreprocessJobResult }[]
): string[] {
  if (reports.length === 0)
    return [
      'Pick the modes to compare and press Fit. Each mode is fitted on the training split only, then applied to every split — fitting on the test data would leak it into training.',
      'What the lecture says, to check here: inputs should be centred (if every input of a unit is positive, all its weight gradients share one sign); normalizing speeds up training; for images, centring alone — the mean image or the per-channel mean — is the common practice, and normalizing the variance, PCA or whitening are not. This view shows what each mode does to the data; whether it trains faster is measured by training with each.'
    ]
  const out = reports.map(({ mode, r }) => {
    const t = r.report.after.train
    const te = r.report.after.test
    const k = r.report.fit.components
    const what =
      mode === 'pca' && typeof k === 'number'
        ? `the training images' ${k} components (their coordinates on the top ${k} eigenvectors, 0–1 scale)`
        : 'the training pixels'
    return `${mode}: ${what} now have mean ${sig(t.mean)} and std ${sig(t.std)}; the test split, transformed with the training statistics, has mean ${sig(te.mean)} and std ${sig(te.std)}${Math.abs(te.mean) > 0.05 * Math.max(1e-9, t.std) && mode !== 'none' ? ' — not exactly zero, since its statistics were not fitted on it' : ''}.`
  })
  if (reports.length >= 2) {
    const train = reports.map(({ mode, r }) => ({ mode, t: r.report.after.train }))
    const c = train.filter((x) => centred(x.t)).map((x) => x.mode)
    const nc = train.filter((x) => !centred(x.t))
    const parts: string[] = []
    if (c.length > 0)
      parts.push(
        `${list(c)} leave${c.length === 1 ? 's' : ''} the training pixels centred (|mean| under 1 % of the std)`
      )
    if (nc.length > 0)
      parts.push(
        `${list(nc.map((x) => `${x.mode} (mean ${sig(x.t.mean)})`))} ${nc.length === 1 ? 'does' : 'do'} not`
      )
    const stds = train.map((x) => x.t.std)
    const lo = Math.min(...stds)
    const hi = Math.max(...stds)
    const unit = train.filter((x) => x.t.std >= 0.5 && x.t.std <= 2).map((x) => x.mode)
    out.push(
      `Measured here: ${parts.join('; ')}. The training std ranges from ${sig(lo)} to ${sig(hi)} across these modes${unit.length > 0 && unit.length < train.length ? `; ${list(unit)} ${unit.length === 1 ? 'is' : 'are'} near unit scale (std between 0.5 and 2)` : ''}.`
    )
  }
  out.push(
    'The histograms show the pixel values of all three channels before (raw bytes, 0–255) and after the transform: centring shifts them to straddle 0, standardizing also rescales them to unit spread.' +
      (reports.some((x) => x.mode === 'pca')
        ? ' pca’s histogram is of its component values, all in one: components have no colour channels.'
        : '')
  )
  return out
}
