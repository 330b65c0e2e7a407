import { expect, test } from './fixtures'

test('a gradient check in float64 is great, in float32 a concern; the h sweep draws both', async ({
  app
}) => {
  const { page } = app
  await page.getByRole('button', { name: 'Gradient check', exact: true }).click()
  await page.getByRole('button', { name: 'Run check' }).click()
  await expect(page.getByTestId('gc-verdict')).toHaveText('great')
  const rows = page.getByTestId('gc-table').locator('tbody tr')
  // Two affine layers: W1, b1, W2, b2.
  await expect(rows).toHaveCount(4)
  await expect(rows.first()).toContainText('W1')
  await expect(page.getByTestId('gc-explanation')).toContainText('about 11 significant digits')

  await page.getByLabel('Precision').selectOption('float32')
  await page.getByLabel('h', { exact: true }).press('Enter')
  await expect(page.getByTestId('gc-verdict')).not.toHaveText('great')
  await expect(page.getByTestId('gc-explanation')).toContainText(
    'why gradient checks run in float64'
  )

  await page.getByRole('button', { name: 'h sweep' }).click()
  await expect(page.getByText('Worst relative error ε against h')).toBeVisible()
  await page.setViewportSize({ width: 1440, height: 1500 })
  await app.shot('gradcheck')
})
