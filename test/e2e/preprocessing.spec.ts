import { expect, test } from './fixtures'
import { cifarSampleDir, openSample, SAMPLE_MISSING } from './sample'

const sample = cifarSampleDir()

test.describe('Preprocessing view', () => {
  test.skip(!sample, SAMPLE_MISSING)

  test('fits two modes, then trains each: two curves and a winner', async ({ app }) => {
    const { page } = app
    await openSample(page, sample!)

    await page.getByRole('button', { name: 'Preprocessing', exact: true }).click()
    await page.getByRole('checkbox', { name: 'channel-mean', exact: true }).uncheck()
    await page.getByRole('checkbox', { name: 'channel-standardize', exact: true }).check()
    await page.getByRole('button', { name: 'Fit', exact: true }).click()
    const cards = page.getByTestId('fit-reports').locator('article')
    await expect(cards).toHaveCount(2)
    await expect(cards.nth(0)).toContainText('meanImage')
    await expect(cards.nth(1)).toContainText('channelStd')
    await expect(page.getByText('Pixels after channel-standardize')).toBeVisible()
    await app.shot('preprocessing-fit')

    await page.getByRole('button', { name: /Train each/ }).click()
    await expect(page.getByTestId('compare-verdict')).toContainText('won with', {
      timeout: 80_000
    })
    const charts = page.getByTestId('compare-charts')
    await charts.scrollIntoViewIfNeeded()
    // Two curves: one run per mode, each with its whole loss series.
    const rows = page.getByTestId('compare-runs').locator('tbody tr')
    await expect(rows).toHaveCount(2)
    for (const i of [0, 1]) {
      await expect(rows.nth(i).locator('td').nth(1)).toHaveText('completed')
      // 600 − 60 validation = 540 training images, batches of 50: 11 iterations × 5 epochs.
      expect(Number(await rows.nth(i).locator('td').nth(2).textContent())).toBe(
        5 * Math.ceil(540 / 50)
      )
    }
    await expect(charts.locator('canvas').first()).toBeVisible()
    await app.shot('preprocessing-train-each')

    // Both the fit and the comparison can be kept in the session.
    await page.getByRole('button', { name: 'Add Preprocessing: mean-image to the session' }).click()
    await page.getByRole('button', { name: /^Add Train each: .* to the session$/ }).click()
    await expect(
      page.getByRole('button', { name: /^Train each: .* is in the session$/ })
    ).toBeVisible()
    await page.getByRole('button', { name: 'Sessions', exact: true }).click()
    await expect(page.getByRole('cell', { name: 'preprocess', exact: true })).toBeVisible()
    await expect(page.getByRole('cell', { name: 'compare', exact: true })).toBeVisible()
  })
})
