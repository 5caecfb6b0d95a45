import { expect, openConnected, test } from './fixtures'

/**
 * Issue 10: variables, repeat and history in a real Chromium against the dev server's WebSocket echo (`/` answers
 * `echo message <message>`). What the server received is read back from the timeline's rows. Slow tests: each opens a
 * connection and waits for a schedule, which on a busy 2-core machine takes most of the default 30 s.
 */
test.beforeEach(() => {
  test.slow()
})

test('Repeat sends n={{counter}} five times: the echo server gets n=1 … n=5, in order', async ({ page, appUrl, dev }) => {
  await openConnected(page, appUrl, `${dev.ws}/`)
  await page.getByRole('textbox', { name: 'Message' }).fill('n={{counter}}')
  // The preview shows the next send expanded.
  await expect(page.getByRole('region', { name: 'Composer' })).toContainText('n=1')
  await page.getByRole('spinbutton', { name: 'Repeat count' }).fill('5')
  await page.getByRole('spinbutton', { name: 'Repeat every (ms)' }).fill('50')
  await page.getByRole('button', { name: 'Repeat', exact: true }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Repeat done: 5 / 5.' })).toBeVisible()
  const timeline = page.getByRole('log', { name: 'Timeline' })
  const echoes = timeline.locator('[data-seq]').filter({ hasText: /echo message n=\d/ })
  await expect(echoes).toHaveCount(5)
  const texts = await echoes.allTextContents()
  expect(texts.map(t => /echo message (n=\d+)/.exec(t)![1])).toEqual(['n=1', 'n=2', 'n=3', 'n=4', 'n=5'])
  // What went out is the expanded text, never the template.
  await expect(timeline.locator('[data-seq]').filter({ hasText: '{{counter}}' })).toHaveCount(0)
  // The next send is number 6, and the template is in the history: Up in an empty Message recalls it.
  await page.getByRole('textbox', { name: 'Message' }).fill('')
  await page.getByRole('textbox', { name: 'Message' }).press('ArrowUp')
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveText('n={{counter}}')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(timeline.locator('[data-seq]').filter({ hasText: 'echo message n=6' })).toHaveCount(1)
})

test('Stop repeat stops a long repeat; a big one asks first in a dialog', async ({ page, appUrl, dev }) => {
  const status = await openConnected(page, appUrl, `${dev.ws}/`)
  await page.getByRole('textbox', { name: 'Message' }).fill('tick {{counter}}')
  await page.getByRole('spinbutton', { name: 'Repeat count' }).fill('20000')
  await page.getByRole('spinbutton', { name: 'Repeat every (ms)' }).fill('20')
  await page.getByRole('button', { name: 'Repeat', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Confirm repeat' })
  await expect(dialog).toContainText('20,000 times')
  await dialog.getByRole('button', { name: 'Continue' }).click()
  await expect(page.getByRole('status').filter({ hasText: / \/ 20,000$/ })).toBeVisible()
  await expect(status).toContainText(/\b([3-9]|\d\d+) frames\b/)
  await page.getByRole('button', { name: 'Stop repeat' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^Repeat stopped at [\d,]+ \/ 20,000\.$/ })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Repeat', exact: true })).toBeEnabled()
})

test('an unknown variable is not sent, and the composer says which', async ({ page, appUrl, dev }) => {
  const status = await openConnected(page, appUrl, `${dev.ws}/`)
  await page.getByRole('textbox', { name: 'Message' }).fill('hello {{nobody}}')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(page.getByRole('region', { name: 'Composer' })).toContainText('Not sent: there is no variable named nobody.')
  await expect(status).toContainText(/\b0 frames\b/)
})
