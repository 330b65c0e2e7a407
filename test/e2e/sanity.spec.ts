import { expect, test } from './fixtures'

test('one click runs the sanity suite: three passes with their numbers', async ({ app }) => {
  const { page } = app
  await page.getByRole('button', { name: 'Sanity checks', exact: true }).click()
  await page.getByRole('button', { name: 'Run sanity checks' }).click()
  await expect(page.getByTestId('sanity-summary')).toContainText('3 of 3 passed')
  for (const id of ['check-initial-loss', 'check-regularization', 'check-overfit'])
    await expect(page.getByTestId(id).locator('.badge')).toHaveText('pass')
  // ln 10 = 2.302585…
  await expect(page.getByTestId('check-initial-loss')).toContainText('2.302585')
  await expect(page.getByTestId('check-overfit')).toContainText('100 % train accuracy')
  await page.setViewportSize({ width: 1440, height: 1100 })
  await app.shot('sanity')
})
