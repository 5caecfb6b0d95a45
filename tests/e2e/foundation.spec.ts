import { deepLink, expect, openConnected, test } from './fixtures'

test.describe('walking skeleton', () => {
  test('connects to the echo server, sends hello and shows the echo on the timeline', async ({ page, appUrl, dev }) => {
    await page.goto(appUrl)
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/`)
    await page.getByRole('button', { name: 'Connect' }).click()
    const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
    await expect(status).toContainText('open')
    await page.getByRole('textbox', { name: 'Message' }).fill('hello')
    await page.getByRole('button', { name: 'Send' }).click()
    const timeline = page.getByRole('log', { name: 'Timeline' })
    await expect(timeline).toContainText('echo message hello')
    await expect(status).toContainText(/\b1 frame\b/)
    // Timestamps to the millisecond on every row.
    await expect(timeline).toContainText(/\d{2}:\d{2}:\d{2}\.\d{3}/)
    await page.getByRole('button', { name: 'Disconnect' }).click()
    await expect(status).toContainText('closed')
  })

  test('a deep link with connect=1 opens and connects', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, `${dev.ws}/`, { connect: '1' }))
    await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.ws}/`)
    await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText('open')
  })

  test('a malformed URL gets a sentence, not a bare "error"', async ({ page, appUrl }) => {
    await page.goto(appUrl)
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill('ws://local host:8080')
    await page.getByRole('button', { name: 'Connect' }).click()
    await expect(page.getByRole('alert')).toHaveText('The URL contains a space. Remove it or encode it as %20.')
    await expect(page.getByRole('button', { name: 'Connect' })).toBeEnabled()
  })

  test('Socket.IO: a message sent from one page reaches another page in the same room', async ({ browser, appUrl, dev }) => {
    const context = await browser.newContext()
    const alice = await context.newPage()
    const bob = await context.newPage()
    for (const page of [alice, bob]) {
      await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })
    }
    await alice.getByRole('textbox', { name: 'Room' }).fill('lobby')
    await alice.getByRole('button', { name: 'Join room' }).click()
    await expect(alice.getByRole('region', { name: 'Rooms' })).toContainText('joined')

    await bob.getByRole('textbox', { name: 'Event name' }).fill('message')
    await bob.getByRole('textbox', { name: 'Message' }).fill('{"room": "lobby", "message": "hi from bob"}')
    await bob.getByRole('button', { name: 'Send' }).click()

    await expect(alice.getByRole('log', { name: 'Timeline' })).toContainText('hi from bob')
    await context.close()
  })
})

test('a deep link can ask for WebSocket subprotocols', async ({ page, appUrl, dev }) => {
  await openConnected(page, appUrl, `${dev.ws}/subprotocol`, { protocols: 'chat.v2' })
  await page.getByRole('log', { name: 'Timeline' }).getByText('open', { exact: true }).click()
  await expect(page.getByRole('region', { name: 'Event detail' })).toContainText('chat.v2')
})
