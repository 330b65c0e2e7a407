/**
 * The lecture's gradient-check bands on ε = ‖a − n‖ / (‖a‖ + ‖n‖) (../shared/CLI.md
 * `gradcheck`): one definition, applied by the engine and drawn by the charts.
 */

export type Verdict = 'great' | 'check' | 'concern' | 'wrong'

/** Each band's verdict, its upper bound (exclusive) and what it means, best first. */
export const VERDICT_BANDS: readonly { verdict: Verdict; below: number; text: string }[] = [
  { verdict: 'great', below: 1e-7, text: 'below 1e-7: the gradient is right' },
  { verdict: 'check', below: 1e-4, text: 'below 1e-4: fine only where kinks explain it' },
  { verdict: 'concern', below: 1e-2, text: 'below 1e-2: usually a bug' },
  { verdict: 'wrong', below: Infinity, text: '1e-2 and up: the gradient is wrong' }
]

/** The band ε falls in; NaN and ±Infinity are wrong. */
export function verdictFor(eps: number): Verdict {
  if (!Number.isFinite(eps)) return 'wrong'
  return VERDICT_BANDS.find((b) => eps < b.below)!.verdict
}

/** The worse of verdicts (wrong > concern > check > great); great for none. */
export function worstVerdict(vs: readonly Verdict[]): Verdict {
  let w = 0
  for (const v of vs)
    w = Math.max(
      w,
      VERDICT_BANDS.findIndex((b) => b.verdict === v)
    )
  return VERDICT_BANDS[w]!.verdict
}
