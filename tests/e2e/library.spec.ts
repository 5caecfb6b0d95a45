import { expect, test } from './fixtures'

test('a connection preset and a message snippet survive a reload', async ({ page, appUrl, dev }) => {
  await page.goto(appUrl)
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/echo`)
  await page.getByRole('textbox', { name: 'Message' }).fill('{"op":"subscribe"}')
  await page.getByText('Saved', { exact: true }).click()
  await page.getByRole('textbox', { name: 'Preset name' }).fill('my echo')
  await page.getByRole('button', { name: 'Save preset' }).click()
  await page.getByRole('textbox', { name: 'Snippet name' }).fill('subscribe')
  await page.getByRole('button', { name: 'Save snippet' }).click()
  await expect(page.getByRole('region', { name: 'Connection presets' })).toContainText('my echo')

  await page.reload()
  await page.getByText('Saved', { exact: true }).click()
  await page.getByRole('region', { name: 'Connection presets' }).getByRole('button', { name: 'my echo', exact: true }).click()
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.ws}/echo`)
  await page.getByRole('region', { name: 'Message snippets' }).getByRole('button', { name: 'subscribe', exact: true }).click()
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveText('{"op":"subscribe"}')

  await page.getByRole('button', { name: 'Connect' }).click()
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('{"op":"subscribe"}')
  await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText(/\b1 frame\b/)
})
