import { expect, test } from './fixtures'
import { cifarSampleDir, openSample, SAMPLE_MISSING } from './sample'

const sample = cifarSampleDir()

test.describe('Training view', () => {
  test.skip(!sample, SAMPLE_MISSING)

  test('trains on CIFAR-10, changes the learning rate mid-run, cancels', async ({ app }) => {
    const { page } = app
    await openSample(page, sample!)

    await page.getByRole('button', { name: 'Training', exact: true }).click()
    const form = page.getByRole('form', { name: 'Training configuration' })
    // Long enough to steer: many small batches over many epochs.
    await form.getByLabel('Batch').fill('10')
    await form.getByLabel('Epochs').fill('400')
    await form.getByLabel('Stats every').fill('10')
    await form.getByRole('button', { name: 'Train' }).click()
    const row = page.getByTestId('train-runs').locator('tbody tr').first()
    await expect(row).toHaveAttribute('data-status', 'running')
    // Live curves: the iteration counter moves before the run ends.
    await expect(row.locator('td').nth(3)).not.toHaveText(/^\s*0 \//)
    await row.getByRole('spinbutton').fill('0.0005')
    await row.getByRole('button', { name: 'Set lr' }).click()
    await expect(row.locator('td.mono')).toHaveText('5.00e-4')
    await expect(page.locator('.chart canvas').first()).toBeVisible()
    await page.waitForTimeout(1500)
    await app.shot('training-live')
    await page.getByText('Activation std (layer × step)').scrollIntoViewIfNeeded()
    await app.shot('training-live-charts')
    await row.locator('.job-progress').getByRole('button', { name: 'Cancel' }).click()
    await expect(row).toHaveAttribute('data-status', 'cancelled')
    await expect(page.getByText('No jobs running')).toBeVisible()
  })

  test('a finished run shows its final accuracies and layer heatmaps', async ({ app }) => {
    const { page } = app
    await page.getByRole('button', { name: 'Training', exact: true }).click()
    const form = page.getByRole('form', { name: 'Training configuration' })
    await form.getByLabel('Data').selectOption('synthetic')
    await form.getByLabel('Examples').fill('500')
    await form.getByLabel('Hidden layers').fill('3')
    await form.getByLabel('Width').fill('50')
    await form.getByLabel('Epochs').fill('3')
    await form.getByLabel('Validation').fill('100')
    // Several steps of layer statistics (the contract's batch 200 and every 50 give one column).
    await form.getByLabel('Batch').fill('100')
    await form.getByLabel('Stats every').fill('5')
    await form.getByRole('button', { name: 'Train' }).click()
    const row = page.getByTestId('train-runs').locator('tbody tr').first()
    await expect(row).toHaveAttribute('data-status', 'completed')
    await expect(row.locator('td').nth(7)).toContainText('%')
    await expect(page.getByText('Activation std (layer × step)')).toBeVisible()
    await page.getByText('Gradient norm ‖∂L/∂W‖ (layer × step)').scrollIntoViewIfNeeded()
    await app.shot('training-heatmaps')
    const explain = page.getByTestId('train-explanation')
    await expect(explain).toContainText('first data loss was')
    await expect(explain).toContainText('Dead units (exactly 0 on all')
    // Equal weights: the units stay copies of one another.
    await form.getByLabel('Init').selectOption('constant')
    await form.getByLabel('Weight value').fill('0.001')
    await form.getByLabel('Bias at start').fill('0.01')
    await form.getByRole('button', { name: 'Train' }).click()
    const constant = page.getByTestId('train-runs').locator('tbody tr').nth(1)
    await expect(constant).toHaveAttribute('data-status', 'completed')
    await expect(explain).toContainText('only 1 of its 50 units differ at the end')
    await expect(explain).toContainText('the symmetry never broke')
    await explain.scrollIntoViewIfNeeded()
    await app.shot('training-symmetry')
    // A huge learning rate blows up: the run is marked diverged, with where.
    await form.getByLabel('Learning rate').fill('50')
    await form.getByLabel('Init').selectOption('normal')
    await form.getByLabel('Init std').fill('1')
    await form.getByRole('button', { name: 'Train' }).click()
    const second = page.getByTestId('train-runs').locator('tbody tr').nth(2)
    await expect(second).toHaveAttribute('data-status', /diverged|completed/)
    await app.shot('training-finished')
  })
})
