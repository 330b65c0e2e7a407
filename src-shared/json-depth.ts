/**
 * How deep a JSON text nests, found by a linear scan before JSON.parse and the recursive
 * readers after it see the text: a hostile file nested 100,000 deep must be refused with a
 * message, not overflow a stack.
 */

/** The character offset where `text` first nests deeper than `max` arrays/objects, else -1. */
export function jsonTooDeepAt(text: string, max: number): number {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return -1
}
