import { expect, test } from './fixtures'

test('the tanh + N(0, 0.01) preset: ten layers, each std about 0.22× the one below', async ({
  app
}) => {
  const { page } = app
  await page.getByRole('button', { name: 'Depth', exact: true }).click()
  await page.getByRole('button', { name: 'tanh + N(0, 0.01)' }).click()
  const rows = page.getByTestId('depth-table').locator('tbody tr')
  await expect(rows).toHaveCount(10)
  await expect(rows.nth(2)).toContainText('hidden layer 3 had mean')
  const ratios = await page
    .getByTestId('depth-table')
    .locator('td[data-col="ratio"]')
    .allTextContents()
  expect(ratios).toHaveLength(10)
  // σ·√n = 0.01·√500 ≈ 0.2236 while tanh is linear. Layer 1 is a little lower: its
  // pre-activations have std ≈ 0.22, where tanh already compresses by about 1 − σ² ≈ 0.95.
  for (const r of ratios) expect(Math.abs(Number(r) / 0.2236 - 1)).toBeLessThan(0.06)
  await expect(page.getByTestId('depth-explanation')).toContainText('0.22')
  await expect(page.locator('.chart canvas').first()).toBeVisible()
  // The main area scrolls inside the window: a tall window shows the whole view in one shot.
  await page.setViewportSize({ width: 1440, height: 2600 })
  await app.shot('depth-tanh-small')
})

test('two presets overlaid on the same charts, and one layer compared across them', async ({
  app
}) => {
  const { page } = app
  await page.getByRole('button', { name: 'Depth', exact: true }).click()
  await page.getByRole('button', { name: 'tanh + Xavier' }).click()
  await expect(page.getByTestId('depth-table').locator('tbody tr')).toHaveCount(10)
  await page.getByRole('button', { name: 'ReLU + He' }).click()
  const runs = page.getByRole('list', { name: 'Runs overlaid' }).getByRole('listitem')
  await expect(runs).toHaveCount(2)
  await expect(runs.nth(0)).toContainText('tanh + Xavier')
  await expect(runs.nth(1)).toContainText('ReLU + He')
  await expect(page.getByRole('combobox', { name: 'Run A' })).toHaveValue(/job-/)
  await page.setViewportSize({ width: 1440, height: 2600 })
  await app.shot('depth-overlay')
})

test('grid mode: activation × init as parallel depth runs, drawn as two heatmaps', async ({
  app
}) => {
  const { page } = app
  await page.getByRole('button', { name: 'Depth', exact: true }).click()
  await page.getByRole('tab', { name: 'Grid: activation × init' }).click()
  await page.getByLabel('Samples').fill('300')
  await page.getByRole('button', { name: 'Run grid (9)' }).click()
  await expect(page.getByText("std of layer 10's activations")).toBeVisible({ timeout: 60_000 })
  await expect(
    page.locator('.chart-title', { hasText: "first layer's weight gradient" })
  ).toBeVisible()
  await expect(page.locator('.chart canvas')).toHaveCount(2)
  await expect(page.getByText('No jobs running')).toBeVisible({ timeout: 60_000 })
  await expect(page.getByRole('alert')).toHaveCount(0)
  await page.setViewportSize({ width: 1440, height: 1000 })
  await app.shot('depth-grid')
})
