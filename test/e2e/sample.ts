/** The CIFAR-10 sample for end-to-end specs, found as test/helpers/fixtures.ts finds it. */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

export function cifarSampleDir(): string | null {
  const env = process.env.LAYERSCOPE_CIFAR_SAMPLE
  const dir = env
    ? resolve(env)
    : join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'cifar10-sample')
  return existsSync(join(dir, 'cifar-10-batches-bin')) &&
    existsSync(join(dir, 'cifar-10-binary.tar.gz'))
    ? dir
    : null
}

export const SAMPLE_MISSING =
  'CIFAR-10 sample not found (../shared/fixtures/cifar10-sample or $LAYERSCOPE_CIFAR_SAMPLE)'
