/**
 * Where the built pieces live. The worker's path comes from the bundler (electron-vite's
 * `?modulePath` bundles src-workers/worker.ts as its own module and gives its path). The
 * renderer and preload are their own builds: their folders are found from this module, which
 * the bundler may place in out/main/ or in a shared chunk under out/main/chunks/.
 * Everything that runs from source (tests) passes its own paths instead.
 */
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import workerPath from '../src-workers/worker?modulePath'

function builtMainDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  return basename(here) === 'chunks' ? dirname(here) : here
}

export const builtWorkerFile = (): string => workerPath
export const builtRendererDir = (): string => join(builtMainDir(), '..', 'renderer')
export const builtPreloadFile = (): string => join(builtMainDir(), '..', 'preload', 'index.cjs')
