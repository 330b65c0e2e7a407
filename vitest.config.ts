import { defineConfig, type Plugin } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

/**
 * electron-vite's `?modulePath` import (src-main/paths.ts) gives the built module's path; under
 * the tests, which run the sources, it is the source file's path.
 */
const modulePath: Plugin = {
  name: 'test-module-path',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('?modulePath')) return null
    return `export default ${JSON.stringify(id.slice(0, -'?modulePath'.length))}`
  }
}

// Two projects: plain-Node code (engine, data, lab service, CLI) and renderer code (happy-dom).
export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints at the end.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
        plugins: [modulePath],
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        plugins: [vue()],
        test: {
          name: 'web',
          environment: 'happy-dom',
          include: ['test/web/**/*.test.ts']
        }
      }
    ]
  }
})
