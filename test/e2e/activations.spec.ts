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
  // ELU and GELU at −10: saturated, not dead.
  const elu = table.locator('tbody tr', { hasText: /^\s*elu/ })
  await expect(elu).toContainText('saturated, not dead')
  // The cost of each activation, measured on a worker, and the advice beside the numbers.
  await page.getByRole('button', { name: 'Measure cost' }).click()
  const cost = page.getByTestId('act-cost').locator('tbody tr')
  // Every activation, the linear (identity) one included as the no-op baseline.
  await expect(cost).toHaveCount(10)
  await expect(cost.filter({ hasText: /^\s*linear/ })).toContainText('identity')
  await expect(cost.filter({ hasText: /^\s*sigmoid/ })).toContainText('exp-based')
  await expect(cost.filter({ hasText: /^\s*relu/ })).toContainText('1.0×')
  const advice = page.getByTestId('act-advice')
  await expect(advice).toContainText('Use ReLU, and be careful with the learning rate.')
  await expect(advice).toContainText('Measured here, ReLU runs at')
  await expect(advice).toContainText('Do not use sigmoid')
  await page.setViewportSize({ width: 1440, height: 3200 })
  await app.shot('activations')
})
