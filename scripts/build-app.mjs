// Builds what `npm start` and `npm run serve` run: the WebAssembly kernels, then main, preload
// and renderer with electron-vite. Quiet on success; on failure prints what the tools said.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const viteBin = fileURLToPath(
  new URL('../node_modules/electron-vite/bin/electron-vite.js', import.meta.url)
)

export function buildApp() {
  for (const args of [['scripts/build-wasm.mjs'], [viteBin, 'build', '--logLevel', 'warn']]) {
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' })
    if (r.status !== 0) {
      process.stderr.write(
        `${r.stdout ?? ''}${r.stderr ?? ''}\nLayerscope could not be built (${args.join(' ')}).\n`
      )
      return false
    }
  }
  return true
}
