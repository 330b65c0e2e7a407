/** What the all-core bench scripts print beside their figures: medians and the load average. */
import { loadavg } from 'node:os'

/** The median (the mean of the two middle values for an even count). */
export function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y)
  const k = s.length >> 1
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2
}

/** The 1, 5 and 15 minute load averages, "0.52, 1.10, 1.73". */
export function loadText(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')
}
