import type { Page } from '@playwright/test'
import { expect, openConnected, statusOf, test } from './fixtures'

/** The shown session's timeline as "Export timeline" writes it: the header, and the event lines. */
async function exported(page: Page): Promise<{ header: Record<string, unknown>, events: string[] }> {
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export timeline' }).click()
  const path = await (await download).path()
  const { readFile } = await import('node:fs/promises')
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
  return { header: JSON.parse(lines[0]!) as Record<string, unknown>, events: lines.slice(1) }
}

test('Save timeline keeps a live timeline; after a reload it reopens from the list, read-only, with the same events', async ({ page, appUrl, dev }) => {
  test.setTimeout(60_000)
  const status = await openConnected(page, appUrl, `${dev.ws}/echo`)
  for (const text of ['one', 'two', '{"three":3}']) {
    await page.getByRole('textbox', { name: 'Message' }).fill(text)
    await page.getByRole('button', { name: 'Send' }).click()
  }
  await expect(status).toContainText(/\b3 frames\b/)
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(status).toContainText('closed')
  const before = await exported(page)

  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/Saved ".*": \d+ events, [\d.]+ (B|kB)\./)).toBeVisible()

  await page.reload()
  await page.getByRole('button', { name: 'Saved timelines' }).click()
  const list = page.getByRole('region', { name: 'Saved timelines' })
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(list.getByRole('listitem')).toContainText(`${before.events.length} events`)
  await list.getByRole('button', { name: /^Open saved / }).click()

  // A read-only session: no connection bar, the recorded state, Replay offered.
  await expect(statusOf(page)).toContainText('imported (read-only)')
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Replay', exact: true })).toBeVisible()
  const after = await exported(page)
  expect(after.events).toEqual(before.events)
  expect(after.header).toMatchObject({ protocol: 'ws', endpoint: `${dev.ws}/echo`, events: before.events.length })
})

test('the list renames and deletes, and says so when empty', async ({ page, appUrl, dev }) => {
  await openConnected(page, appUrl, `${dev.ws}/echo`)
  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/^Saved "/)).toBeVisible()
  // The Saved panel of a live session holds the same list.
  await page.getByText('Saved', { exact: true }).click()
  const list = page.getByRole('region', { name: 'Saved timelines' })
  await list.getByRole('button', { name: /^Rename / }).click()
  await list.getByRole('textbox', { name: /^New name for / }).fill('echo check')
  await list.getByRole('button', { name: 'OK' }).click()
  await expect(list.getByRole('button', { name: 'Open saved echo check' })).toBeVisible()
  await list.getByRole('button', { name: 'Delete saved echo check' }).click()
  await expect(list).toContainText('No saved timelines yet')
})
