import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Two projects: plain-Node code (engine, data, lab service, CLI) and renderer code (happy-dom).
export default defineConfig({
  test: {
    // The JSON report feeds the one-line summary that .ci/run prints at the end.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      {
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
