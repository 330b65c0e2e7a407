/**
 * One error family (issue 15 item 4): only LabErrors are typed; the CLI names flags, the
 * service and workers name settings; terminal output never carries raw control characters.
 */
import { describe, expect, it } from 'vitest'
import { withFlag } from '../../src-main/cli'
import { safeLine, safeText } from '../../src-main/commands/terminal'
import { SessionError } from '../../src-main/lab/sessions/errors'
import { isInputErrorCode, LabError, toErrorData } from '../../src-shared/errors'
import { DatasetError } from '../../src-workers/data/errors'
import { NnInputError } from '../../src-workers/nn/errors'

describe('toErrorData', () => {
  it('keeps the code and where of every LabError kind', () => {
    expect(toErrorData(new DatasetError('bin-size', 'm', { file: 'f', offset: 3 }))).toEqual({
      code: 'bin-size',
      message: 'm',
      details: { file: 'f', offset: 3 }
    })
    expect(toErrorData(new SessionError('busy', 'b', { file: 's', path: ['runs', 2] }))).toEqual({
      code: 'busy',
      message: 'b',
      details: { file: 's', path: 'runs[2]' }
    })
    expect(toErrorData(new NnInputError('h: expected a positive step', 'h'))).toEqual({
      code: 'invalid-input',
      message: 'h: expected a positive step',
      details: { field: 'h' }
    })
    for (const e of [new DatasetError('not-found', 'x'), new SessionError('busy', 'x')])
      expect(e).toBeInstanceOf(LabError)
  })

  it("does not trust a Node error's code: ENOENT or ERR_* from a bug is internal (exit 1)", () => {
    const enoent = Object.assign(new Error("ENOENT: no such file, open '/x'"), {
      code: 'ENOENT',
      path: '/x'
    })
    const range = Object.assign(new RangeError('The value of "size" is out of range.'), {
      code: 'ERR_OUT_OF_RANGE'
    })
    for (const e of [enoent, range, { code: 'not-found', message: 'plain object' }]) {
      const d = toErrorData(e)
      expect(d.code).toBe('internal')
      expect(isInputErrorCode(d.code)).toBe(false)
    }
    expect(isInputErrorCode('session-io-failed')).toBe(false)
    expect(isInputErrorCode('not-found')).toBe(true)
  })
})

describe('the CLI names the flag of a setting', () => {
  const options = { val: { type: 'string' }, 'diverge-above': { type: 'string' } } as const
  it('turns a leading field into its flag, camelCase into kebab-case', () => {
    expect(withFlag('val 600: too many', { field: 'val' }, options)).toBe('--val 600: too many')
    expect(withFlag('divergeAbove: must be ≥ 0', { field: 'divergeAbove' }, options)).toBe(
      '--diverge-above: must be ≥ 0'
    )
  })
  it('leaves messages that do not start with the field, or fields without a flag', () => {
    expect(withFlag('/a/b: bad label', { field: 'labels' }, options)).toBe('/a/b: bad label')
    expect(withFlag('value: x', { field: 'val' }, options)).toBe('value: x')
    expect(withFlag('epsilon 0: ZCA needs ε > 0.', { field: 'epsilon' }, options)).toBe(
      'epsilon 0: ZCA needs ε > 0.'
    )
  })
})

describe('terminal text', () => {
  it('escapes ESC, BEL, OSC, C1 and (in a message) newlines', () => {
    expect(safeLine('a\x1b]0;t\x07b\nc\u009bd')).toBe('a\\x1b]0;t\\x07b\\nc\\x9bd')
    expect(safeText('line 1\nair\x1b[2Jplane\ttab\n')).toBe('line 1\nair\\x1b[2Jplane\ttab\n')
  })
})
