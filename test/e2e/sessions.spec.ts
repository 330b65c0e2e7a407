import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

async function trainQuickRun(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Training', exact: true }).click()
  const form = page.getByRole('form', { name: 'Training configuration' })
  await form.getByLabel('Data').selectOption('synthetic')
  await form.getByLabel('Examples').fill('400')
  await form.getByLabel('Width').fill('30')
  await form.getByLabel('Epochs').fill('2')
  await form.getByLabel('Validation').fill('100')
  await form.getByRole('button', { name: 'Train' }).click()
  const row = page.getByTestId('train-runs').locator('tbody tr').last()
  await expect(row).toHaveAttribute('data-status', 'completed')
  await row.getByRole('button', { name: 'Add to session' }).click()
  await expect(row.getByRole('button', { name: 'In session' })).toBeVisible()
}

test('save a session, reload, open it again: the same runs and numbers', async ({ app }) => {
  const { page } = app
  const dir = mkdtempSync(join(tmpdir(), 'ls-session-'))
  const file = join(dir, 'lab.layerscope')
  await trainQuickRun(page)
  await page.getByRole('button', { name: 'Sessions', exact: true }).click()
  await expect(page.getByTestId('session-bar')).toContainText('unsaved changes')
  const facts = page.getByTestId('session-runs').locator('tbody tr').first().locator('.facts-cell')
  await expect(facts).toContainText('val acc')
  const before = (await facts.textContent()) ?? ''

  // Ctrl+S on an untitled session asks where to save it.
  await page.keyboard.press('Control+s')
  const dialog = page.getByRole('dialog', { name: 'Save the session as' })
  await dialog.getByRole('textbox').fill(file)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('session-bar')).toContainText(file)
  await expect(page.getByTestId('session-bar')).not.toContainText('unsaved')

  // Notes and tags are kept with the run.
  const row = page.getByTestId('session-runs').locator('tbody tr').first()
  await row.getByRole('textbox', { name: /^Tags of/ }).fill('baseline, small')
  await row.getByRole('textbox', { name: /^Tags of/ }).press('Tab')
  await expect(page.getByTestId('session-bar')).toContainText('unsaved changes')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByTestId('session-bar')).not.toContainText('unsaved')

  await page.reload()
  await page.getByRole('button', { name: 'Sessions', exact: true }).click()
  await page.getByRole('button', { name: 'New', exact: true }).click()
  await expect(page.getByText('No runs in this session yet')).toBeVisible()
  await page.getByRole('textbox', { name: 'Session file' }).fill(file)
  await page.getByRole('button', { name: 'Open session' }).click()
  const reopened = page.getByTestId('session-runs').locator('tbody tr').first()
  await expect(reopened.locator('.facts-cell')).toHaveText(before)
  await expect(reopened.getByRole('textbox', { name: /^Tags of/ })).toHaveValue('baseline, small')
  await reopened.getByRole('button', { name: 'Pin A' }).click()
  await expect(page.getByTestId('side-by-side')).toContainText('from lab.layerscope')
  await app.shot('sessions-reopened')
})

test('a damaged session file shows its SessionError and keeps the open session', async ({
  app
}) => {
  const { page } = app
  const dir = mkdtempSync(join(tmpdir(), 'ls-session-'))
  const good = join(dir, 'good.layerscope')
  await trainQuickRun(page)
  await page.getByRole('button', { name: 'Sessions', exact: true }).click()
  await page.getByRole('button', { name: 'Save As…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Save the session as' })
  await dialog.getByRole('textbox').fill(good)
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('session-bar')).toContainText(good)

  const runsBefore = await page.getByTestId('session-runs').locator('tbody tr').count()
  // One flipped byte in the middle of a copy: the checksum catches it.
  const bytes = readFileSync(good)
  const i = Math.floor(bytes.length / 2)
  bytes[i] = bytes[i]! ^ 0xff
  const bad = join(dir, 'damaged.layerscope')
  writeFileSync(bad, bytes)
  await page.getByRole('textbox', { name: 'Session file' }).fill(bad)
  await page.getByRole('button', { name: 'Open session' }).click()
  const err = page.getByTestId('session-error')
  await expect(err).toContainText('damaged.layerscope')
  await expect(err).toContainText(/checksum|CHECKSUM|damaged|corrupt/i)
  await expect(err).toContainText('is unchanged')
  await expect(page.getByTestId('session-bar')).toContainText(good)
  await expect(page.getByTestId('session-runs').locator('tbody tr')).toHaveCount(runsBefore)
  await app.shot('sessions-damaged-file')
})

test('two depth runs pinned A and B: their std by layer on one chart', async ({ app }) => {
  const { page } = app
  // The server lives for the whole file: start from a new, empty session.
  await page.getByRole('button', { name: 'Sessions', exact: true }).click()
  await page.getByRole('button', { name: 'New', exact: true }).click()
  const unsaved = page.getByRole('dialog', { name: 'Unsaved changes' })
  const empty = page.getByText('No runs in this session yet')
  await expect(empty.or(unsaved)).toBeVisible()
  if (await unsaved.isVisible()) await unsaved.getByRole('button', { name: "Don't save" }).click()
  await expect(empty).toBeVisible()
  await page.getByRole('button', { name: 'Depth', exact: true }).click()
  const runs = page.getByRole('list', { name: 'Runs overlaid' }).getByRole('listitem')
  for (const [i, preset] of ['tanh + N(0, 0.01)', 'ReLU + He'].entries()) {
    await page.getByRole('button', { name: preset }).click()
    await expect(runs).toHaveCount(i + 1)
    await runs
      .nth(i)
      .getByRole('button', { name: `Add ${preset} to the session` })
      .click()
    await expect(
      runs.nth(i).getByRole('button', { name: `${preset} is in the session` })
    ).toBeVisible()
  }
  await page.getByRole('button', { name: 'Sessions', exact: true }).click()
  const rows = page.getByTestId('session-runs').locator('tbody tr')
  await expect(rows).toHaveCount(2)
  await rows.nth(0).getByRole('button', { name: 'Pin A' }).click()
  await rows.nth(1).getByRole('button', { name: 'Pin B' }).click()
  const side = page.getByTestId('side-by-side-charts')
  const std = side.locator('.chart-panel', { hasText: 'Std of activations by layer (A and B)' })
  await expect(std.locator('canvas')).toBeVisible()
  await expect(side.locator('.chart-title')).toHaveText([
    'Std of activations by layer (A and B)',
    'Gradient std per layer, log (A and B)',
    'Layer 1: activations of A and B (densities)'
  ])
  // The layer picker moves the histogram overlay to another layer of both runs.
  await side.getByRole('spinbutton', { name: 'Layer to compare' }).fill('10')
  await expect(side.locator('.chart-title').nth(2)).toHaveText(
    'Layer 10: activations of A and B (densities)'
  )
  await page.setViewportSize({ width: 1440, height: 2400 })
  await std.scrollIntoViewIfNeeded()
  await app.shot('sessions-depth-side-by-side')
})
