import { defineConfig } from '@playwright/test'
import { chromiumPath, electronAvailable } from './test/e2e/env'

/**
 * End-to-end specs run against the built app (`npm run build` first; scripts/test-e2e.mjs does).
 * - browser: browser mode (`out/main/serve.js`) in Chromium — Debian's /usr/bin/chromium here;
 * - electron: the same specs drive the real desktop app, where an Electron binary exists.
 * Playwright downloads nothing: it uses the browser that is on the machine.
 */
const chromium = chromiumPath()

export default defineConfig<{ appKind: 'browser' | 'electron' }>({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    trace: 'off'
  },
  projects: [
    ...(chromium
      ? [
          {
            name: 'browser',
            use: {
              browserName: 'chromium' as const,
              launchOptions: {
                executablePath: chromium,
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-quic',
                  '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync'
                ]
              }
            }
          }
        ]
      : []),
    ...(electronAvailable() ? [{ name: 'electron', use: { appKind: 'electron' as const } }] : [])
  ]
})
