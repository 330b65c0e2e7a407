/** The CIFAR-10 sample for end-to-end specs, found as test/helpers/fixtures.ts finds it. */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, type Page } from '@playwright/test'

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

/** Open one form of the sample in the Dataset view and wait until its 600 / 600 images show. */
export async function openSample(
  page: Page,
  sample: string,
  form = 'cifar-10-batches-bin'
): Promise<void> {
  await page.getByRole('button', { name: 'Dataset', exact: true }).click()
  await page.getByRole('textbox', { name: 'Folder or archive' }).fill(join(sample, form))
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  await expect(page.getByTestId('dataset-counts')).toContainText('600 / 600')
}
