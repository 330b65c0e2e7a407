import { expect, test } from './fixtures'
import { cifarSampleDir, openSample, SAMPLE_MISSING } from './sample'

const sample = cifarSampleDir()

test.describe('Preprocessing view', () => {
  test.skip(!sample, SAMPLE_MISSING)

  test('fits two modes: their statistics, mean images and histograms', async ({ app }) => {
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

    // The fit can be kept in the session.
    await page.getByRole('button', { name: 'Add Preprocessing: mean-image to the session' }).click()
    await page.getByRole('button', { name: 'Sessions', exact: true }).click()
    await expect(page.getByRole('cell', { name: 'preprocess', exact: true })).toBeVisible()
  })
})
