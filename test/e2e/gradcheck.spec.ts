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

test('kinks in the verdict: a ReLU net with a large h shows both verdicts, and the toggle picks one', async ({
  app
}) => {
  const { page } = app
  await page.getByRole('button', { name: 'Gradient check', exact: true }).click()
  await page.getByLabel('Affine layers').fill('3')
  await page.getByLabel('Hidden width').fill('16')
  await page.getByLabel('Samples', { exact: true }).fill('16')
  await page.getByLabel('h', { exact: true }).fill('0.01')
  await page.getByRole('button', { name: 'Run check' }).click()
  const both = page.getByTestId('gc-both-verdicts')
  await expect(both).toContainText('every entry:')
  await expect(both).toContainText('the verdict counts every entry')
  await expect(page.getByTestId('gc-explanation')).toContainText('crossed a kink')
  await page.getByTestId('gc-exclude-kinks').check()
  await page.getByRole('button', { name: 'Run check' }).click()
  await expect(both).toContainText('the verdict counts without the kinks')
  await page.setViewportSize({ width: 1440, height: 1300 })
  await app.shot('gradcheck-kinks')
})
