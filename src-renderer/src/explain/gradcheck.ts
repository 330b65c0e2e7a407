/** "What am I looking at" for a gradient check: the reasoning, with this check's numbers. */
import type { GradcheckResult } from '../../../src-shared/results'
import { short, sig } from '../format'

/** Machine epsilon (the spacing of floats just above 1) of each dtype. */
export const MACHINE_EPSILON = { float64: 2 ** -52, float32: 2 ** -23 } as const

/** Decimal digits of the loss that survive in the centred difference: log10(h / ε_mach). */
export function survivingDigits(dtype: 'float64' | 'float32', h: number): number {
  return Math.log10(h / MACHINE_EPSILON[dtype])
}

export function explainGradcheck(
  r: GradcheckResult,
  c: { dtype: 'float64' | 'float32'; h: number; burnIn: number }
): string[] {
  const out = [
    "For every parameter entry the check compares the analytic gradient a with the centred difference n = (L(θ + h) − L(θ − h)) / 2h, and reports ε = ‖a − n‖ / (‖a‖ + ‖n‖) per parameter, coloured by the lecture's bands."
  ]
  const digits = survivingDigits(c.dtype, c.h)
  out.push(
    `The difference's truncation error shrinks like h², but the round-off in the two losses is divided by 2h: ${c.dtype} carries ε_mach = ${sig(MACHINE_EPSILON[c.dtype], 2)}, so at h = ${short(c.h)} only about ${Math.max(0, Math.round(digits))} significant digits of the loss survive in the difference${c.dtype === 'float32' ? ' — too few to tell a correct gradient from a wrong one, which is why gradient checks run in float64' : ''}.`
  )
  const worst = [...r.params].sort((a, b) => b.normRelError - a.normRelError)[0]
  if (worst) {
    out.push(
      `Here the worst parameter is ${worst.name} with ε = ${sig(worst.normRelError)} (${worst.verdict}); the overall verdict is ${r.verdict}.`
    )
  }
  const kinks = r.params.reduce((a, p) => a + p.kinks, 0)
  if (kinks > 0) {
    out.push(
      `${kinks} entr${kinks === 1 ? 'y' : 'ies'} crossed a kink (a ReLU-family unit through 0 where its two slopes differ, a maxout tie, an SVM margin) between θ − h and θ + h: the numeric gradient there mixes two slopes, so a large error on those entries is expected, not a bug${r.kinksExcluded ? ' (they are left out of the verdict)' : ''}.`
    )
    if (r.verdicts)
      out.push(
        r.verdicts.allEntries === r.verdicts.excludingKinks
          ? `Both ways the verdict is ${r.verdicts.allEntries}: the kink entries do not change it.`
          : `Counting every entry the verdict is ${r.verdicts.allEntries}; with the kink entries left out it is ${r.verdicts.excludingKinks} — the kinks account for the difference.`
      )
  }
  if (c.burnIn > 0) {
    out.push(
      `The check ran after ${c.burnIn} burn-in step${c.burnIn === 1 ? '' : 's'} of training, away from the small initial weights where some bugs (e.g. in regularization) hide.`
    )
  }
  return out
}
