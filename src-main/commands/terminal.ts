/**
 * What the CLI prints is text for a terminal: a class name, a file name or an option value
 * given by someone else must not move the cursor, set the title (OSC), ring the bell or start
 * a line that looks like another message. Control characters are shown escaped.
 */

/** C0 controls but newline and tab, DEL, and C1 controls: shown as \\xHH / \\uHHHH. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSAFE_IN_TEXT = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u2028\u2029]/g
/** The same, plus newline and tab: a message is one line. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSAFE_IN_LINE = /[\x00-\x1f\x7f\u0080-\u009f\u2028\u2029]/g

function escapeChar(c: string): string {
  if (c === '\n') return '\\n'
  if (c === '\r') return '\\r'
  if (c === '\t') return '\\t'
  const code = c.charCodeAt(0)
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`
}

/** Multi-line output (a report): lines kept, every other control character escaped. */
export function safeText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, escapeChar)
}

/** One line (an error message): every control character escaped, newlines included. */
export function safeLine(text: string): string {
  return text.replace(UNSAFE_IN_LINE, escapeChar)
}
