/**
 * The house walls are lint rules (eslint.config.js); these cases prove the rules catch a
 * breach, so a config edit cannot quietly turn a wall off.
 */
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname })

async function breaches(filePath: string, text: string): Promise<string[]> {
  const [r] = await eslint.lintText(text, { filePath })
  return (r?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message)
}

describe('import walls', () => {
  it('src-shared imports only zod and its own files', async () => {
    const ok =
      "import { z } from 'zod'\nimport { calls } from './contract'\nexport const q = [z, calls]\n"
    expect(await breaches('src-shared/x.ts', ok)).toEqual([])
    for (const from of [
      'node:fs',
      'fs',
      'vue',
      'electron',
      '../src-main/cli',
      '../src-workers/nn'
    ]) {
      const text = `import * as m from '${from}'\nexport const q = m\n`
      expect(await breaches('src-shared/x.ts', text), from).toHaveLength(1)
    }
  }, 30_000)

  it('the lab service never imports electron (the shell beside it may)', async () => {
    for (const text of [
      "import { app } from 'electron'\nexport const q = app\n",
      "import type { App } from 'electron'\nexport type Q = App\n",
      "import { app } from 'electron/main'\nexport const q = app\n"
    ]) {
      expect(await breaches('src-main/lab/x.ts', text), text).toHaveLength(1)
      expect(await breaches('src-main/lab/sessions/x.ts', text), text).toHaveLength(1)
    }
    const shell = "import { app } from 'electron'\nexport const q = app\n"
    expect(await breaches('src-main/window.ts', shell)).toEqual([])
  }, 30_000)

  it('workers and the renderer keep out of each other and of the main process', async () => {
    const text = (from: string) => `import * as m from '${from}'\nexport const q = m\n`
    expect(await breaches('src-workers/nn/x.ts', text('electron'))).toHaveLength(1)
    expect(await breaches('src-workers/nn/x.ts', text('../../src-main/cli'))).toHaveLength(1)
    expect(await breaches('src-renderer/src/x.ts', text('node:fs'))).toHaveLength(1)
    expect(await breaches('src-renderer/src/x.ts', text('../../src-workers/nn'))).toHaveLength(1)
  }, 30_000)
})
