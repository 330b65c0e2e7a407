/**
 * The Preprocessing view's pictures on the real sample: mean image vs channel mean, the same
 * images under every mode, the two-feature scatter stages, and pca's spectrum and eigenvectors.
 * Each panel is also saved on its own under test-results/screenshots/.
 */
import { join } from 'node:path'
import type { Locator } from '@playwright/test'
import { expect, test } from './fixtures'
import { cifarSampleDir, openSample, SAMPLE_MISSING } from './sample'

const sample = cifarSampleDir()
const shots = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots')

async function shotOf(panel: Locator, name: string): Promise<void> {
  await panel.scrollIntoViewIfNeeded()
  await panel.screenshot({ path: join(shots, `preprocessing-pictures-${name}.png`) })
}

test.describe('Preprocessing view: seeing the modes', () => {
  test.skip(!sample, SAMPLE_MISSING)

  test('fits mean-image, channel-mean and pca (K = 20) and draws every picture', async ({
    app
  }) => {
    // pca's 3072 × 3072 eigendecomposition takes tens of seconds on a loaded machine.
    test.setTimeout(300_000)
    const { page } = app
    await openSample(page, sample!)
    await page.getByRole('button', { name: 'Preprocessing', exact: true }).click()
    await page.getByRole('checkbox', { name: 'pca', exact: true }).check()
    const k = page.getByRole('spinbutton', { name: 'Components K (pca)' })
    await k.fill('20')
    await page.getByRole('button', { name: 'Fit', exact: true }).click()
    await expect(page.getByTestId('fit-reports').locator('article')).toHaveCount(3, {
      timeout: 240_000
    })

    // pca's K component values have no colour channels: one histogram of all values.
    const pcaHist = page.locator('.chart-panel', { hasText: 'Component values after pca' })
    await expect(pcaHist.locator('canvas')).toBeVisible()
    await shotOf(pcaHist, 'pca-histogram')

    const centring = page.getByTestId('centring-panel')
    await expect(centring).toContainText('max |Δ| =')
    await expect(centring).toContainText('The two differ by at most')
    await expect(centring.locator('canvas')).toHaveCount(3)
    await shotOf(centring, 'centring')

    const samples = page.getByTestId('samples-panel')
    // 3 modes × 8 images, each with its printed range.
    await expect(samples.locator('canvas')).toHaveCount(24)
    await expect(samples.locator('figcaption').first()).toContainText('[')
    await expect(samples).toContainText('reconstructions')
    await shotOf(samples, 'samples')

    const scatter = page.getByTestId('scatter-panel')
    for (const t of ['Original data', 'Zero-centred', 'Normalized', 'Decorrelated', 'Whitened'])
      await expect(scatter.getByText(t, { exact: false }).first()).toBeVisible()
    await expect(scatter).toContainText('Whitening divides each axis by √λ')
    await expect(scatter).toContainText('[[1.000, 0.000], [0.000, 1.000]]')
    await expect(scatter).toContainText('test images gives covariance')
    await shotOf(scatter, 'scatter')

    const pca = page.getByTestId('pca-panel')
    await expect(pca).toContainText('pca: K = 20 of 3072 eigenvectors')
    await expect(pca).toContainText('pca keeps the top 20 of 3072 eigenvectors')
    await expect(pca).toContainText('Only 539 eigenvalues are non-zero')
    // 600 − 60 validation images = 540, centred: 539 dimensions. And 16 eigenvector images.
    await expect(pca.locator('canvas.rgb-image')).toHaveCount(16)
    await shotOf(pca, 'pca')
    await app.shot('preprocessing-pictures')

    // Training offers pca with its own K (the net's input width).
    await page.getByRole('button', { name: 'Training', exact: true }).click()
    await expect(page.getByRole('spinbutton', { name: 'Components K (pca)' })).toHaveCount(0)
    await page.getByRole('combobox', { name: 'Preprocessing' }).selectOption('pca')
    await expect(page.getByRole('spinbutton', { name: 'Components K (pca)' })).toHaveValue('100')
  })
})
