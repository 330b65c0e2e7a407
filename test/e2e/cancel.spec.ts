import { expect, test } from './fixtures'

test('a long depth run shows progress with its ETA and Esc cancels it', async ({ app }) => {
  const { page } = app
  await page.getByRole('button', { name: 'Depth', exact: true }).click()
  // Long (about 0.65 TFLOP) yet inside one run's memory limit (about 0.94 of 1.1 GB): wide
  // and short, the most work per byte.
  await page.getByLabel('Layers').fill('4')
  await page.getByLabel('Width').fill('3000')
  await page.getByLabel('Samples').fill('3000')
  await page.getByLabel('Samples').press('Enter')
  const progress = page.locator('.job-progress')
  await expect(progress).toBeVisible()
  await expect(progress).toContainText(/left/)
  await app.shot('depth-running')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alert')).toContainText('Cancelled')
  await expect(page.getByText('No jobs running')).toBeVisible()
})
