import { deepLink, expect, test } from './fixtures'

test('a session keeps recording while another tab is shown, and loses nothing', async ({ page, appUrl, dev }) => {
  // Session 1: a ticker that keeps streaming.
  await page.goto(deepLink(appUrl, `${dev.ws}/ticker?hz=50`, { connect: '1' }))
  const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
  await expect(status).toContainText('open')
  await page.getByRole('textbox', { name: 'Message' }).fill('draft that must survive')

  // Session 2: another endpoint, in a new tab of the app.
  await page.getByRole('button', { name: 'New session' }).click()
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/echo`)
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(status).toContainText('open')
  await page.getByRole('textbox', { name: 'Message' }).fill('over here')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(status).toContainText(/\b1 frame\b/)
  await page.waitForTimeout(500)

  // Back to session 1: the frames that arrived meanwhile are all there, and the draft too.
  const tabs = page.getByRole('tab')
  await tabs.first().click()
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveText('draft that must survive')
  const count = async () => Number((await status.textContent())!.match(/([\d,]+) frames?/)![1]!.replace(/,/g, ''))
  const before = await count()
  expect(before).toBeGreaterThan(20)
  // Every counted frame is on the timeline: the filter bar's "N of M" covers them all (plus connecting and open).
  await expect(page.getByRole('search', { name: 'Filter timeline' })).toContainText(/of [\d,]+/)
  const shownOfTotal = await page.getByRole('search', { name: 'Filter timeline' }).textContent()
  const total = Number(shownOfTotal!.match(/of ([\d,]+)/)![1]!.replace(/,/g, ''))
  expect(total).toBeGreaterThanOrEqual(before + 2)
  // And it is still streaming.
  await expect.poll(count).toBeGreaterThan(before)
})

test('the open tabs, their settings and drafts come back after a reload, disconnected', async ({ page, appUrl, dev }) => {
  await page.goto(appUrl)
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/echo`)
  await page.getByRole('textbox', { name: 'Message' }).fill('first draft')
  await page.getByRole('button', { name: 'New session' }).click()
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(dev.socketio)
  await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText('open')
  await page.waitForTimeout(500)

  await page.reload()
  await expect(page.getByRole('tab')).toHaveCount(2)
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(dev.socketio)
  await expect(page.getByRole('textbox', { name: 'Event name' })).toHaveValue('echo')
  await expect(page.getByRole('button', { name: 'Connect' })).toBeVisible()
  await page.getByRole('tab').first().click()
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveText('first draft')
})
