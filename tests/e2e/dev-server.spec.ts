import { expect, openConnected, test } from './fixtures'

/**
 * The dev server as the inspector uses it: the study note's rooms (issue 8) through the Rooms panel, and the control
 * API that obeys only the inspector's own pages (issue 11, item 5), tried from real pages in Chromium.
 */
test.describe('rooms on the study note\'s server', () => {
  test('the Rooms panel joins; `message` brings the plain message and `roomMessage` names its sender', async ({ browser, appUrl, dev }) => {
    const context = await browser.newContext()
    const alice = await context.newPage()
    const bob = await context.newPage()
    for (const page of [alice, bob])
      await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })

    await alice.getByRole('textbox', { name: 'Room' }).fill('lobby')
    await alice.getByRole('button', { name: 'Join room' }).click()
    const rooms = alice.getByRole('region', { name: 'Rooms' })
    await expect(rooms).toContainText('joined')
    const timeline = alice.getByRole('log', { name: 'Timeline' })
    // The note's announcement, a text `message` to the room.
    await expect(timeline).toContainText('joined room lobby')

    await bob.getByRole('textbox', { name: 'Event name' }).fill('message')
    await bob.getByRole('textbox', { name: 'Message' }).fill('{"room": "lobby", "message": "plain from bob"}')
    await bob.getByRole('button', { name: 'Send' }).click()
    await expect(timeline).toContainText('plain from bob')

    await bob.getByRole('textbox', { name: 'Event name' }).fill('roomMessage')
    await bob.getByRole('textbox', { name: 'Message' }).fill('{"room": "lobby", "message": "rich from bob"}')
    await bob.getByRole('button', { name: 'Send' }).click()
    await expect(timeline).toContainText('rich from bob')
    await expect(timeline).toContainText('roomMessage')

    await alice.getByRole('button', { name: 'Leave room' }).click()
    await expect(rooms).toContainText('left')
    await context.close()
  })
})

test.describe('the control API obeys only the inspector', () => {
  test('the inspector reads its token same-origin and drives the control API', async ({ page, appUrl }) => {
    await page.goto(appUrl)
    const result = await page.evaluate(async () => {
      const info = await (await fetch('/__socketlens/dev-server.json')).json() as { controlUrl: string, token: string }
      const status = await fetch(`${info.controlUrl}/status`, { headers: { Authorization: `Bearer ${info.token}` } })
      const post = await fetch(`${info.controlUrl}/refuse-upgrade`, {
        method: 'POST',
        headers: { 'Authorization': `Bearer ${info.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ on: false }),
      })
      return { status: status.status, post: await post.json() as unknown }
    })
    expect(result).toEqual({ status: 200, post: { ok: true, action: 'refuse-upgrade', on: false } })
  })

  test('a page on another origin can neither read the token nor drive the control API', async ({ page, appUrl, dev }) => {
    // A socket stays connected through all of it: nothing the foreign page asked for may happen.
    const witness = await page.context().newPage()
    const status = await openConnected(witness, appUrl, `${dev.ws}/echo`)

    // Any page elsewhere: here the dev server's own Socket.IO text page, which is open to every origin.
    await page.goto(dev.socketio)
    const tried = await page.evaluate(async ({ appUrl, control, token }) => {
      const outcome = async (run: () => Promise<Response>) => {
        try {
          const res = await run()
          return res.type === 'opaque' ? 'opaque' : `read ${res.status}`
        }
        catch {
          return 'blocked'
        }
      }
      return {
        // The token page has no CORS headers: unreadable from here.
        token: await outcome(() => fetch(`${appUrl}/__socketlens/dev-server.json`)),
        // Even with the token (say it leaked), the control API refuses this origin at the preflight.
        withToken: await outcome(() => fetch(`${control}/kill-sockets`, { method: 'POST', headers: { 'Authorization': `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' })),
        // A simple request needs no preflight and leaves unread; the server refuses it all the same.
        simple: await outcome(() => fetch(`${control}/kill-sockets`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body: '{}' })),
        stall: await outcome(() => fetch(`${control}/stall-heartbeats?ms=600000`, { method: 'POST', mode: 'no-cors', body: 'x' })),
      }
    }, { appUrl, control: dev.control, token: dev.controlToken })
    expect(tried).toEqual({ token: 'blocked', withToken: 'blocked', simple: 'opaque', stall: 'opaque' })

    await witness.bringToFront()
    await witness.getByRole('textbox', { name: 'Message' }).fill('still here')
    await witness.getByRole('button', { name: 'Send' }).click()
    await expect(witness.getByRole('log', { name: 'Timeline' })).toContainText('still here')
    await expect(status).toContainText('open')
    const state = await (await fetch(`${dev.control}/status`, { headers: { Authorization: `Bearer ${dev.controlToken}` } })).json() as { faults: unknown }
    expect(state.faults).toEqual({ refuseUpgrade: false, heartbeatsStalledUntil: null })
  })
})
