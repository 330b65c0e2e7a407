import { describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli'

/** Every command of ../shared/CLI.md. */
const CLI_MD_COMMANDS = [
  'depth',
  'loss',
  'gradcheck',
  'sanity',
  'dataset',
  'preprocess',
  'train',
  'compare',
  'session',
  'bench'
]

describe('layerscope CLI frame', () => {
  it('--help lists every command of CLI.md', async () => {
    const r = await cli('--help')
    expect(r.code).toBe(0)
    for (const c of CLI_MD_COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\s`, 'm'))
  })

  it('every command has its own --help', async () => {
    for (const c of CLI_MD_COMMANDS) {
      const r = await cli(c, '--help')
      expect(r.code, c).toBe(0)
      expect(r.stdout, c).toContain(`layerscope ${c}`)
    }
  })

  it('an unknown command or option is bad input: exit 2, one line on stderr, no stack', async () => {
    const a = await cli('frobnicate')
    expect(a.code).toBe(2)
    expect(a.stderr).toContain("unknown command 'frobnicate'")
    const b = await cli('sample', '--bogus', '1')
    expect(b.code).toBe(2)
    expect(b.stderr).toMatch(/bogus/)
    expect(b.stderr).not.toMatch(/\n\s+at /)
    const c = await cli('sample', '--n', 'ten')
    expect(c).toMatchObject({ code: 2, stderr: "layerscope sample: --n: 'ten' is not a number\n" })
    const d = await cli('sample', '--n', '0')
    expect(d.code).toBe(2)
    expect(d.stderr).toContain('--n')
  })

  it('sample --json prints exactly one JSON document, reproducible by seed', async () => {
    const a = await cli('sample', '--n', '20000', '--seed', '5', '--json')
    expect(a.code).toBe(0)
    expect(a.stdout.trim().split('\n')).toHaveLength(1)
    const doc = JSON.parse(a.stdout) as { n: number; mean: number; std: number }
    expect(doc.n).toBe(20000)
    expect(Math.abs(doc.mean)).toBeLessThan(6 / Math.sqrt(20000))
    const b = await cli('sample', '--n', '20000', '--seed', '5', '--json')
    expect(b.stdout).toBe(a.stdout)
  })
})
