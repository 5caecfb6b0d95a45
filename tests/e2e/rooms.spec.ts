import { tmpdir } from 'node:os'
import { expect, openConnected, test } from './fixtures'

/**
 * "Send to room" (issue 10) against the dev server's room server, the study note's: two sessions join one room, one
 * sends with "Send to room" (`message` with `{ room, message }`), the other's timeline receives `message` with the
 * plain text.
 */
const SHOTS = process.env.SOCKETLENS_SHOTS ?? tmpdir()

test('Send to room: a session joined to a room sends to it; another in the room receives `message` with the text', async ({ browser, appUrl, dev }) => {
  test.setTimeout(60_000)
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  await context.addInitScript(() => localStorage.setItem('socketlens.startHere.v1', 'dismissed'))
  const alice = await context.newPage()
  const bob = await context.newPage()
  for (const page of [alice, bob]) await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })
  const room = `room-${Date.now().toString(36)}`

  // Nothing joined: the reason is shown, and the composer's "Send" is still the one button of that name.
  const aliceRooms = alice.getByRole('region', { name: 'Rooms' })
  await expect(aliceRooms).toContainText('Join a room to send to it.')
  await expect(alice.getByRole('button', { name: 'Send' })).toHaveCount(1)

  for (const page of [alice, bob]) {
    await page.getByRole('textbox', { name: 'Room' }).fill(room)
    await page.getByRole('button', { name: 'Join room' }).click()
    await expect(page.getByRole('region', { name: 'Rooms' })).toContainText('joined')
  }
  await expect(aliceRooms).toContainText(`to ${room}`)
  await alice.getByRole('textbox', { name: 'Text to send' }).fill('hello from alice')
  await alice.getByRole('button', { name: 'Send to room' }).click()
  await expect(aliceRooms.getByRole('status')).toHaveText(`Sent message to ${room}.`)

  // Alice's own timeline: the emit, as the study note's server wants it.
  await expect(alice.getByRole('log', { name: 'Timeline' })).toContainText(`{"room":"${room}","message":"hello from alice"}`)
  // Bob's: the server's `message`, carrying the plain text.
  const bobTimeline = bob.getByRole('log', { name: 'Timeline' })
  const received = bobTimeline.locator('[data-seq]').filter({ hasText: 'hello from alice' }).last()
  await expect(received).toContainText('message')
  await expect(received).not.toContainText('"room"')
  await alice.getByRole('region', { name: 'Rooms' }).screenshot({ path: `${SHOTS}/rooms-panel.png` })
  await context.close()
})
