/** Number formats used across the views: short, honest about tiny and huge values. */

/** Three significant digits; exponent form below 1e-3 or from 1e4 up ("2.14e-7"). */
export function sig(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return '–'
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞'
  if (v === 0) return '0'
  const a = Math.abs(v)
  return a >= 1e-3 && a < 1e4
    ? v.toPrecision(digits)
    : v.toExponential(digits - 1).replace('e+', 'e')
}

/** The seed's `%f` (six decimals), switching to exponent form where %f would print 0.000000. */
export function seedFixed(v: number): string {
  if (!Number.isFinite(v)) return sig(v)
  if (v === 0 || Math.abs(v) >= 1e-3) return v.toFixed(6)
  return v.toExponential(2)
}

/** A fraction as a percentage with sensible precision ("0 %", "0.3 %", "42 %"). */
export function pct(f: number): string {
  const p = f * 100
  if (p === 0) return '0 %'
  if (p < 0.1) return '< 0.1 %'
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)} %`
}

/** A parameter as the user typed it, without trailing zeros ("0.01", "1e-5"). */
export function short(v: number): string {
  return String(parseFloat(v.toPrecision(4)))
}

/** Log-axis labels: "1e-4", "0.01", "1" (one significant digit in powers of ten). */
export function fmtLog(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v)
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4
    ? String(+v.toPrecision(3))
    : v.toExponential(0).replace('e+', 'e')
}
