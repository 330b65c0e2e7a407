import { expect, test } from './fixtures'

test('f and f′ of the activations, the seed questions, and a live forward pass', async ({
  app
}) => {
  const { page } = app
  await page.getByRole('button', { name: 'Activations', exact: true }).click()
  const table = page.getByTestId('act-table')
  const tanh = table.locator('tbody tr', { hasText: /^\s*tanh/ })
  // tanh(10) rounds to 1.00; tanh′(10) = 1 − tanh²(10) ≈ 8.2e-9.
  await expect(tanh).toContainText('8.24e-9')
  await expect(tanh).toContainText('saturates on both sides')
  await page.getByRole('button', { name: 'Run forward pass' }).click()
  const live = page.getByTestId('act-live').locator('tbody tr')
  await expect(live).toHaveCount(6)
  // One ReLU layer: about half the entries are zero, but no unit is zero for all 1000 samples.
  await expect(live.filter({ hasText: /^\s*relu/ })).toContainText('0 %')
  await page.setViewportSize({ width: 1440, height: 1700 })
  await app.shot('activations')
})
