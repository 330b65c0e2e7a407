import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const root = import.meta.dirname

/**
 * One build for the desktop app, browser mode and the CLI:
 * - main: the Electron shell, the browser-mode server and the CLI, each its own file under
 *   out/main/ (dependencies stay external: piscina must find its own worker file in
 *   node_modules); the Piscina worker entry is bundled where src-main/paths.ts imports it with
 *   `?modulePath`, which also gives its path;
 * - preload: CommonJS with everything bundled, as the sandbox requires;
 * - renderer: the Vue app under out/renderer/.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve(root, 'src-main/index.ts'),
          serve: resolve(root, 'src-main/serve-main.ts'),
          cli: resolve(root, 'src-main/cli-main.ts')
        },
        output: { format: 'es', entryFileNames: '[name].js' }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // Everything is bundled: the app runs offline and the CSP allows no remote script.
      assetsInlineLimit: 0,
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') }
      }
    }
  }
})
