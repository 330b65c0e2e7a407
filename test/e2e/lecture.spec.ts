import { join } from 'node:path'
import { expect, test } from './fixtures'

/** A close-up of one part of the view, beside the full-page shot. */
const part = (name: string): { path: string } => ({
  path: join('test-results', 'screenshots', `browser-${name}.png`)
})

test('the Lecture view: run claims live, tables lecture vs measured, open the experiment', async ({
  app
}) => {
  const { page } = app
  await page.setViewportSize({ width: 1440, height: 1100 })
  await page.getByRole('button', { name: 'Lecture', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'The lecture, claim by claim' })).toBeVisible()
  await expect(page.getByTestId('lecture-summary')).toContainText('none run yet')

  // The x⁴ example: the lecture prints 108.000006, the arithmetic gives 108.000012.
  const x4 = page.getByTestId('claim-x4-centred')
  await x4.getByRole('button', { name: 'Run x4-centred' }).click()
  await expect(x4.getByTestId('verdict')).toHaveText('the lecture is off')
  await expect(x4.getByTestId('measured')).toContainText('108.000012')
  await expect(x4).toContainText('108.000006')

  // The reg convention: differs, with why.
  const full = page.getByTestId('claim-reg-1e3-full')
  await full.getByRole('button', { name: 'Run reg-1e3-full' }).click()
  await expect(full.getByTestId('verdict')).toHaveText('differs', { timeout: 60_000 })
  await expect(full).toContainText('twice the lecture’s ½·reg·ΣW²')

  // A table, layer by layer: ReLU + He, 5 seeds.
  const he = page.getByTestId('claim-table-relu-he')
  await he.getByRole('button', { name: 'Run table-relu-he' }).click()
  await expect(he.getByTestId('verdict')).toHaveText('reproduces', { timeout: 120_000 })
  await expect(he.locator('tbody tr')).toHaveCount(11)
  await expect(he.locator('tbody tr').nth(10)).toContainText('0.84452')
  await expect(page.getByTestId('lecture-summary')).toContainText('3 of')
  await he.scrollIntoViewIfNeeded()
  await app.shot('lecture-view')
  await he.screenshot(part('lecture-table-card'))
  await x4.screenshot(part('lecture-x4-card'))
  await full.screenshot(part('lecture-reg-card'))
  await page.getByRole('heading', { name: 'The lecture, claim by claim' }).scrollIntoViewIfNeeded()
  await page.screenshot(part('lecture-top'))

  // Open the full experiment: the Depth view with the card's configuration.
  await he.getByRole('button', { name: 'Open table-relu-he in Depth' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/depth/i)
  await expect(page.getByLabel('Activation', { exact: false }).first()).toHaveValue('relu')
})

test('the scalar gradient check and the W = ωI demonstration', async ({ app }) => {
  const { page } = app
  await page.setViewportSize({ width: 1440, height: 1100 })
  await page.getByRole('button', { name: 'Lecture', exact: true }).click()
  await page.getByRole('button', { name: 'Run the scalar check' }).click()
  await expect(page.getByTestId('scalar-lecture')).toContainText('108.000012')
  await expect(page.getByTestId('scalar-text')).toContainText(
    /float64 the forward difference’s error falls with slope 1\.0\d/
  )
  await expect(page.getByTestId('scalar-text')).toContainText(/centred one’s with slope 2\.0/)
  await page.locator('#lecture-demo-scalar').scrollIntoViewIfNeeded()
  await app.shot('lecture-scalar-check')
  await page.locator('#lecture-demo-scalar').screenshot(part('lecture-scalar-demo'))

  await page.getByTestId('scalar-fn').selectOption('relu')
  await page.getByRole('button', { name: 'Run the scalar check' }).click()
  await expect(page.getByTestId('scalar-text')).toContainText(
    'a kink, with slope 0 on the left and 1 on the right'
  )
  await expect(page.getByTestId('scalar-text')).toContainText('centred one 0.5')
  await page.locator('#lecture-demo-scalar').screenshot(part('lecture-scalar-kink'))

  await page.getByRole('button', { name: 'Run the ω demonstration' }).click()
  await expect(page.getByTestId('omega-text')).toContainText('0.001953125 for ω = 0.5')
  await expect(page.getByTestId('omega-text')).toContainText('38.4433594 for ω = 1.5')
  await page.locator('#lecture-demo-omega').scrollIntoViewIfNeeded()
  await app.shot('lecture-omega')
  await page.locator('#lecture-demo-omega').screenshot(part('lecture-omega-demo'))

  // A bad ω list is said plainly, and nothing runs.
  await page.getByTestId('omega-values').fill('0.9, x')
  await page.getByRole('button', { name: 'Run the ω demonstration' }).click()
  await expect(page.getByRole('alert')).toContainText("'0.9, x' is not a list of positive numbers")
})
