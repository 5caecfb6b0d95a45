import { deepLink, expect, openConnected, test } from './fixtures'

test.describe('Socket.IO sessions', () => {
  test('an emit with an acknowledgement shows the answer and its round-trip time; JSON stays JSON', async ({ page, appUrl, dev }) => {
    await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })
    await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
    await page.getByRole('textbox', { name: 'Message' }).fill('{"hello": "world", "n": [1, 2]}')
    await page.getByRole('button', { name: '+ Add argument' }).click()
    await page.getByRole('textbox', { name: 'Argument 2' }).fill('42')
    await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
    await page.getByRole('button', { name: 'Send' }).click()
    // The dev server acks `echo` with its arguments: an object and a number came back, not strings.
    await expect(page.getByRole('region', { name: 'Composer' })).toContainText(/Ack in \d+(\.\d)? ms: \[\{"hello":"world","n":\[1,2\]\},42\]/)
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText(/42\d+\["echo",\{"hello":"world","n":\[1,2\]\},42\]/)
  })

  test('a second namespace joins over the same connection with its own auth', async ({ page, appUrl, dev }) => {
    await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })
    const namespaces = page.getByRole('region', { name: 'Namespaces' })
    await namespaces.getByRole('textbox', { name: 'Namespace to join' }).fill('admin')
    await namespaces.getByRole('textbox', { name: 'Namespace auth' }).fill('{"token": "letmein"}')
    await namespaces.getByRole('button', { name: 'Join namespace' }).click()
    await expect(namespaces.getByRole('listitem').filter({ hasText: '/admin' })).toContainText('open')
    await expect(page.getByRole('combobox', { name: 'Namespace' })).toBeVisible()
  })

  test('the auth deep-link parameter reaches the middleware-guarded namespace', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, `${dev.socketio}/admin`, { type: 'socketio', auth: '{"token":"letmein"}', connect: '1' }))
    await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText('open')
  })
})

test('a server\'s ack request is shown, and answered once the person turns replies on', async ({ page, appUrl, dev }) => {
  await openConnected(page, appUrl, dev.socketio)
  const listeners = page.getByRole('region', { name: 'Listeners' })
  await listeners.getByRole('textbox', { name: 'Ack reply arguments (JSON array)' }).fill('["sure", 7]')
  await listeners.getByRole('textbox', { name: 'Ack reply arguments (JSON array)' }).blur()
  await listeners.getByRole('checkbox', { name: 'Answer the server\'s ack requests with' }).check()
  // `ask` makes the dev server emit `question` with an ack request and report the reply as the ack of `ask`.
  await page.getByRole('textbox', { name: 'Event name' }).fill('ask')
  await page.getByRole('textbox', { name: 'Message' }).fill('{"question": "ready?", "timeoutMs": 2000}')
  await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('region', { name: 'Composer' })).toContainText('[{"answer":["sure",7]}]')
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('ack_reply')
})
