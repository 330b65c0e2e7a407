import { expect, test } from './fixtures'
import { cifarSampleDir, openSample, SAMPLE_MISSING } from './sample'

const sample = cifarSampleDir()

test.describe('experiments on the open dataset', () => {
  test.skip(!sample, SAMPLE_MISSING)

  test('Depth and Sanity checks run on the CIFAR-10 images opened in Dataset', async ({ app }) => {
    const { page } = app
    await openSample(page, sample!)

    await page.getByRole('button', { name: 'Depth', exact: true }).click()
    const form = page.locator('form.controls').first()
    await form.getByLabel('Layers').fill('4')
    await form.getByLabel('Samples').fill('500')
    await form.getByLabel('Input').selectOption('cifar')
    await form.getByLabel('Preprocessing').selectOption('none')
    await form.getByRole('button', { name: 'Run' }).click()
    // Raw pixels: the input is on the 0–255 scale (the sample's mean ≈ 120, std ≈ 63), not N(0, 1).
    const inputLine = page.getByText(/^input layer had mean/).first()
    await expect(inputLine).toBeVisible()
    const text = (await inputLine.textContent()) ?? ''
    const mean = Number(/mean\s+(-?[\d.e-]+)/.exec(text)?.[1])
    const std = Number(/std\s+(-?[\d.e-]+)/.exec(text)?.[1])
    expect(mean).toBeGreaterThan(100)
    expect(mean).toBeLessThan(140)
    expect(std).toBeGreaterThan(50)
    expect(std).toBeLessThan(75)
    await expect(page.getByText(/^hidden layer 4 had mean/).first()).toBeVisible()

    await page.getByRole('button', { name: 'Sanity checks', exact: true }).click()
    await page.getByLabel('Data').selectOption('dataset')
    await page.getByRole('button', { name: 'Run sanity checks' }).click()
    await expect(page.getByTestId('sanity-summary')).toContainText('3 of 3 passed')
    await app.shot('sanity-on-cifar')
  })
})
