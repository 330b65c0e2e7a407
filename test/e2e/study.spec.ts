/**
 * The preprocessing study in the Preprocessing view on the real CIFAR-10 sample: one job with a
 * progress bar, then the verdict, the per-mode table and its three charts (accuracy with error
 * bars, the learning-rate trials, the seeds' loss curves), each photographed; kept in the
 * session, it reopens with every chart.
 */
import { expect, test } from './fixtures'
import { cifarSampleDir, openSample, SAMPLE_MISSING } from './sample'

const sample = cifarSampleDir()

test.describe('Preprocessing study', () => {
  test.skip(!sample, SAMPLE_MISSING)

  test('two modes at their own rates, over seeds: verdict, table, charts, session', async ({
    app
  }) => {
    test.setTimeout(180_000)
    const { page } = app
    await openSample(page, sample!)
    await page.getByRole('button', { name: 'Preprocessing', exact: true }).click()
    // mean-image and channel-mean are selected by default; keep the run short.
    const form = page.getByRole('form', { name: 'Study settings' })
    await form.getByLabel('Seeds').fill('2')
    await form.getByLabel('Epochs').first().fill('2')
    await form.getByLabel('Search trials').fill('4')
    await form.getByRole('button', { name: /Run study/ }).click()
    await expect(page.locator('.job-progress progress').last()).toBeVisible()
    await app.shot('study-running')

    const verdict = page.getByTestId('study-verdict')
    await expect(verdict).toBeVisible({ timeout: 150_000 })
    await expect(verdict).toContainText('init he')
    const verdictText = (await verdict.textContent()) ?? ''
    await expect(verdict).toContainText(/mean-image|channel-mean/)
    const rows = page.getByTestId('study-modes').locator('tbody tr')
    await expect(rows).toHaveCount(2)
    await expect(rows.nth(0).locator('td').nth(2)).toHaveText(/^4 \(\d\)$/)

    const panels = page.getByTestId('study-charts').locator('canvas')
    await expect(panels).toHaveCount(3)
    await page.getByTestId('study-verdict').scrollIntoViewIfNeeded()
    await app.shot('study-verdict-table')
    for (const [i, name] of ['study-accuracy', 'study-trials', 'study-seed-loss'].entries()) {
      await panels.nth(i).scrollIntoViewIfNeeded()
      await app.shot(name)
    }

    // One entry in the session, which reopens with every chart.
    await page.getByRole('button', { name: /^Add Study: .* to the session$/ }).click()
    await expect(page.getByRole('button', { name: /^Study: .* is in the session$/ })).toBeVisible()
    await page.getByRole('button', { name: 'Sessions', exact: true }).click()
    await expect(page.getByRole('cell', { name: 'study', exact: true })).toBeVisible()
    await page.getByRole('button', { name: 'Pin A' }).first().click()
    const reopened = page.getByTestId('side-by-side-study')
    await expect(reopened.getByTestId('study-verdict')).toHaveText(verdictText)
    await expect(reopened.locator('canvas')).toHaveCount(3)
    await reopened.scrollIntoViewIfNeeded()
    await app.shot('study-session-reopened')
  })
  test('cancel stops the whole study', async ({ app }) => {
    const { page } = app
    await openSample(page, sample!)
    await page.getByRole('button', { name: 'Preprocessing', exact: true }).click()
    const form = page.getByRole('form', { name: 'Study settings' })
    await form.getByLabel('Epochs').first().fill('200')
    await form.getByLabel('Search epochs').fill('50')
    await form.getByRole('button', { name: /Run study/ }).click()
    await page.locator('.job-progress').getByRole('button', { name: 'Cancel' }).click()
    await expect(page.getByRole('alert')).toContainText('Cancelled', { timeout: 15_000 })
    await expect(page.getByTestId('study-verdict')).toHaveCount(0)
    await expect(form.getByRole('button', { name: /Run study/ })).toBeEnabled()
    await app.shot('study-cancelled')
  })
})
