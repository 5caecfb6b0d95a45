import type { Page } from '@playwright/test'
import { deepLink, expect, openConnected, test } from './fixtures'

/**
 * The accessible names in docs/architecture.md are a contract: screen readers, these tests and outside acceptance
 * tests find controls by them, and role queries match names by case-insensitive substring. So every contract
 * name must resolve to exactly one element, with every panel of the app open.
 */
async function openEveryPanel(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true }))
}

async function closeEveryPanel(page: Page): Promise<void> {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = false }))
}

async function expectUnique(page: Page, queries: [Parameters<Page['getByRole']>[0], string][]): Promise<void> {
  for (const [role, name] of queries) await expect(page.getByRole(role, { name }), `${role} "${name}"`).toHaveCount(1)
}

test('raw WebSocket: every contract name is unique, and the status region says state and frames', async ({ page, appUrl, dev }) => {
  await page.goto(deepLink(appUrl, `${dev.ws}/echo`, { connect: '1' }))
  const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
  await expect(status).toContainText('open')
  await openEveryPanel(page)
  await expectUnique(page, [
    ['textbox', 'Endpoint URL'], ['button', 'Disconnect'], ['textbox', 'Message'], ['button', 'Send'],
    ['log', 'Timeline'], ['button', 'Export timeline'],
  ])
  await closeEveryPanel(page)
  await page.getByRole('textbox', { name: 'Message' }).fill('x')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(status).toHaveText(/open.*\b1 frame\b/)
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(status).toContainText('closed')
  await expectUnique(page, [['button', 'Connect']])
})

test('Socket.IO: every contract name is unique; an ack that never comes is explained', async ({ page, appUrl, dev }) => {
  await openConnected(page, appUrl, dev.socketio)
  await openEveryPanel(page)
  await expectUnique(page, [
    ['textbox', 'Endpoint URL'], ['button', 'Disconnect'], ['textbox', 'Message'], ['button', 'Send'],
    ['textbox', 'Event name'], ['checkbox', 'Expect acknowledgement'], ['textbox', 'Room'], ['button', 'Join room'],
    ['button', 'Leave room'], ['log', 'Timeline'], ['button', 'Export timeline'],
  ])
  await closeEveryPanel(page)
  // The dev server never acknowledges `noAck`.
  await page.getByRole('textbox', { name: 'Event name' }).fill('noAck')
  await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
  await page.getByRole('spinbutton', { name: 'Wait for the ack (ms)' }).fill('300')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('region', { name: 'Composer' })).toContainText(/300 ms/)
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('ack_timeout')
})

test('whatever a server sends is shown as text, never as markup', async ({ page, appUrl, dev }) => {
  await openConnected(page, appUrl, `${dev.ws}/echo`)
  const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b><script>window.__pwned=2</script>'
  await page.getByRole('textbox', { name: 'Message' }).fill(hostile)
  await page.getByRole('button', { name: 'Send' }).click()
  const timeline = page.getByRole('log', { name: 'Timeline' })
  await expect(timeline).toContainText(hostile)
  await timeline.getByText(hostile).last().click()
  await expect(page.getByRole('region', { name: 'Event detail' })).toContainText(hostile)
  expect(await page.locator('img[src="x"], b:text("bold")').count()).toBe(0)
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
})
