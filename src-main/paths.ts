/**
 * Where the built pieces live. The bundler may place this module in out/main/ or in a shared
 * chunk under out/main/chunks/, so the main folder is found from here, not assumed.
 * Everything that runs from source (tests) passes its own paths instead.
 */
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function builtMainDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  return basename(here) === 'chunks' ? dirname(here) : here
}

export const builtWorkerFile = (): string => join(builtMainDir(), 'worker.js')
export const builtRendererDir = (): string => join(builtMainDir(), '..', 'renderer')
export const builtPreloadFile = (): string => join(builtMainDir(), '..', 'preload', 'index.cjs')
