#!/usr/bin/env node
// The `layerscope` command: runs the built CLI (npm run build makes out/main/cli.js).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('layerscope: the CLI is not built yet; run `npm run build` first\n')
  process.exit(1)
}
await import(new URL('../out/main/cli.js', import.meta.url).href)
