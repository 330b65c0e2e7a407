/** Turning chart data into files the user can keep: CSV and JSON text, and a download. */

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows of flat records → CSV with a header row (the union of keys, in first-seen order). */
export function toCsv(rows: Record<string, unknown>[]): string {
  const keys: string[] = []
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k)
  const lines = [keys.map(csvCell).join(',')]
  for (const r of rows) lines.push(keys.map((k) => csvCell(r[k])).join(','))
  return lines.join('\n') + '\n'
}

export function downloadText(filename: string, text: string, type: string): void {
  downloadUrl(filename, URL.createObjectURL(new Blob([text], { type })), true)
}

export function downloadUrl(filename: string, url: string, revoke = false): void {
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  if (revoke) setTimeout(() => URL.revokeObjectURL(url), 1000)
}
