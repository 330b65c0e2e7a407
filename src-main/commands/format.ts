/** The number formats every command prints with (one set, shared). */

/** Fixed decimals (default 6, the seed's %f); non-finite values as their names. */
export const fmt = (v: number, digits = 6): string =>
  Number.isFinite(v) ? v.toFixed(digits) : String(v)

/** Three significant digits in exponent form ("2.14e-7"); non-finite values as their names. */
export const sci = (v: number): string => (Number.isFinite(v) ? v.toExponential(2) : String(v))

/** A fraction as a percentage with one decimal ("42.0 %"); null as "–". */
export const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)} %`)

/** Numbers with fixed decimals (default 2), comma-separated ("125.31, 122.95, 113.87"). */
export const fixedList = (xs: number[], digits = 2): string =>
  xs.map((x) => fmt(x, digits)).join(', ')
