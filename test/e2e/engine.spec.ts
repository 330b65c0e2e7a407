import { expect, test } from './fixtures'

test('the app frame opens and runs the RNG check through the pool', async ({ app }) => {
  const { page } = app
  await expect(page.getByRole('navigation', { name: 'Views' })).toBeVisible()
  await page.getByRole('button', { name: 'Engine', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Engine' })).toBeVisible()
  await expect(page.getByText('Worker threads')).toBeVisible()
  await page.getByLabel('Draws').fill('2000000')
  await page.getByLabel('Seed').fill('7')
  await page.getByRole('button', { name: 'Run' }).click()
  const result = page.getByTestId('sample-result')
  await expect(result).toContainText('2,000,000 draws with seed 7')
  const text = (await result.textContent()) ?? ''
  const mean = Number(/mean\s+(-?[\d.]+)/.exec(text)?.[1])
  const std = Number(/std\s+(-?[\d.]+)/.exec(text)?.[1])
  // 6 standard errors of the mean and of the std for 2e6 draws.
  expect(Math.abs(mean)).toBeLessThan(6 / Math.sqrt(2e6))
  expect(Math.abs(std - 1)).toBeLessThan(6 / Math.sqrt(4e6))
  await expect(page.locator('.chart canvas').first()).toBeVisible()
  await app.shot('engine-rng-check')
})

test('a running job shows progress and can be cancelled with its button', async ({ app }) => {
  const { page } = app
  await page.getByRole('button', { name: 'Engine', exact: true }).click()
  await page.getByLabel('Draws').fill('50000000')
  await page.getByRole('button', { name: 'Run' }).click()
  await expect(page.locator('.job-progress progress')).toBeVisible()
  await page.locator('.job-progress').getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByRole('alert')).toContainText('Cancelled')
  await expect(page.getByText('No jobs running')).toBeVisible()
})

test('a page reloaded in the middle of a run still shows the job, which can be cancelled', async ({
  app
}) => {
  test.skip(app.kind !== 'browser', 'reloading is a browser-mode concern')
  const { page } = app
  await page.getByRole('button', { name: 'Engine', exact: true }).click()
  await page.getByLabel('Draws').fill('50000000')
  await page.getByRole('button', { name: 'Run' }).click()
  await expect(page.locator('.job-progress progress')).toBeVisible()
  await page.reload()
  const status = page.getByRole('contentinfo', { name: 'Status' })
  await expect(status).toContainText('1 job running')
  await app.shot('reload-mid-run')
  await status.getByRole('button', { name: /^Cancel/ }).click()
  await expect(status).toContainText('No jobs running')
})
