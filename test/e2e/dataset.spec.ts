import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { cifarSampleDir, SAMPLE_MISSING } from './sample'

const sample = cifarSampleDir()
// Label counts of the sample's 600 training / 600 test records (the files' own labels).
const TRAIN_COUNTS = [57, 77, 56, 52, 60, 47, 62, 62, 62, 65]

test.describe('Dataset view', () => {
  test.skip(!sample, SAMPLE_MISSING)

  test('opens the binary folder: 600/600 images, class counts, mean image, grid', async ({
    app
  }) => {
    const { page } = app
    await page.getByRole('button', { name: 'Dataset', exact: true }).click()
    await page
      .getByRole('textbox', { name: 'Folder or archive' })
      .fill(join(sample!, 'cifar-10-batches-bin'))
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await expect(page.getByTestId('dataset-counts')).toContainText('600 / 600')
    await expect(page.getByRole('list', { name: 'Warnings' })).toContainText('Partial copy')
    await expect(page.getByTestId('mean-image').locator('canvas')).toBeVisible()
    const grid = page.getByTestId('image-grid')
    await expect(grid.locator('li')).toHaveCount(60)
    await expect(grid.locator('li').first()).toContainText('frog') // train label 6 first
    // Filtering by class: every tile is that class, and the pager counts its training images.
    await page
      .getByRole('group', { name: 'Filter by class' })
      .getByRole('button', { name: 'automobile' })
      .click()
    await expect(page.getByText(`(${TRAIN_COUNTS[1]} images)`)).toBeVisible()
    await expect(grid.locator('.tile-label')).toHaveText(Array(60).fill('automobile'))
    await grid.locator('li').nth(3).hover()
    await app.shot('dataset-binary-folder')
  })

  test('opens the .tar.gz form with the same numbers', async ({ app }) => {
    const { page } = app
    await page.getByRole('button', { name: 'Dataset', exact: true }).click()
    await page
      .getByRole('textbox', { name: 'Folder or archive' })
      .fill(join(sample!, 'cifar-10-binary.tar.gz'))
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await expect(page.getByTestId('dataset-counts')).toContainText('600 / 600')
    await expect(page.getByTestId('dataset-facts')).toContainText('cifar-10-binary.tar.gz')
    await expect(page.getByRole('table', { name: 'Per-channel statistics' })).toContainText(
      '124.77'
    )
    await app.shot('dataset-tar-gz')
  })

  test('a wrong folder shows its specific error and keeps the open dataset', async ({ app }) => {
    const { page } = app
    await page.getByRole('button', { name: 'Dataset', exact: true }).click()
    await page
      .getByRole('textbox', { name: 'Folder or archive' })
      .fill(join(sample!, 'cifar-10-batches-bin'))
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await expect(page.getByTestId('dataset-counts')).toContainText('600 / 600')
    // A folder with a truncated batch file: the error names the file and the offset.
    const bad = mkdtempSync(join(tmpdir(), 'ls-bad-'))
    writeFileSync(join(bad, 'data_batch_1.bin'), Buffer.alloc(3073 * 2 + 100))
    writeFileSync(join(bad, 'test_batch.bin'), Buffer.alloc(3073))
    await page.getByRole('textbox', { name: 'Folder or archive' }).fill(bad)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    const err = page.getByTestId('dataset-error')
    await expect(err).toContainText('data_batch_1.bin')
    await expect(err).toContainText(/offset/i)
    await expect(err).toContainText('Still open')
    await expect(page.getByTestId('dataset-counts')).toContainText('600 / 600')
    await app.shot('dataset-wrong-folder')
  })
})
