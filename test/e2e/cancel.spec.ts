import { expect, test } from './fixtures'

test('a long depth run shows progress with its ETA and Esc cancels it', async ({ app }) => {
  const { page } = app
  await page.getByRole('button', { name: 'Depth', exact: true }).click()
  await page.getByLabel('Layers').fill('100')
  await page.getByLabel('Width').fill('1000')
  await page.getByLabel('Samples').fill('2000')
  await page.getByLabel('Samples').press('Enter')
  const progress = page.locator('.job-progress')
  await expect(progress).toBeVisible()
  await expect(progress).toContainText(/left/)
  await app.shot('depth-running')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alert')).toContainText('Cancelled')
  await expect(page.getByText('No jobs running')).toBeVisible()
})
