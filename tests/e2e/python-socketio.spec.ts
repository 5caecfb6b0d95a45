import type { Page } from '@playwright/test'
import { startPythonSocketIo } from '../support/pythonSocketIo'
import type { PythonServer, PythonServerMode } from '../support/pythonSocketIo'
import { deepLink, expect, openConnected, statusOf, test } from './fixtures'

/**
 * SocketLens against a server this project did not write: python-socketio 5 on aiohttp, from Debian (.ci/run installs
 * python3-socketio and python3-aiohttp; /usr/bin/python3 runs it). Each test starts the server it needs on a free
 * port (tests/support/python-socketio-server.py) and stops it afterwards.
 */

const servers: PythonServer[] = []

async function python(mode: PythonServerMode): Promise<PythonServer> {
  const server = await startPythonSocketIo(mode)
  servers.push(server)
  return server
}

test.afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop()
})

async function lifecycleText(page: Page): Promise<string> {
  await page.getByRole('group', { name: 'Layer' }).getByRole('button', { name: 'lifecycle', exact: true }).click()
  return (await page.getByRole('log', { name: 'Timeline' }).textContent()) ?? ''
}

test.describe('python-socketio 5', () => {
  test('rooms, acks and the default namespace', async ({ browser, appUrl }) => {
    const server = await python('full')
    const context = await browser.newContext()
    const alice = await context.newPage()
    const bob = await context.newPage()
    for (const page of [alice, bob]) await openConnected(page, appUrl, server.url, { type: 'socketio' })

    // The handshake carries what it tells about the server (the fingerprint itself: tests/protocol/engine-probe.test.ts).
    await alice.getByRole('log', { name: 'Timeline' }).getByText('handshake', { exact: true }).first().click()
    await expect(alice.getByRole('region', { name: 'Event detail' })).toContainText('server: {')
    await alice.getByRole('button', { name: 'Close event detail' }).click()

    await alice.getByRole('textbox', { name: 'Room' }).fill('lobby')
    await alice.getByRole('button', { name: 'Join room' }).click()
    const rooms = alice.getByRole('region', { name: 'Rooms' })
    await expect(rooms).toContainText('joined')
    await expect(rooms).toContainText('{"joined":"lobby"}')

    await bob.getByRole('textbox', { name: 'Event name' }).fill('message')
    await bob.getByRole('textbox', { name: 'Message' }).fill('{"room": "lobby", "message": "hello from bob"}')
    await bob.getByRole('button', { name: 'Send' }).click()
    await expect(alice.getByRole('log', { name: 'Timeline' })).toContainText('hello from bob')

    await bob.getByRole('textbox', { name: 'Event name' }).fill('echo')
    await bob.getByRole('textbox', { name: 'Message' }).fill('{"n": [1, 2]}')
    await bob.getByRole('button', { name: '+ Add argument' }).click()
    await bob.getByRole('textbox', { name: 'Argument 2' }).fill('42')
    await bob.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
    await bob.getByRole('button', { name: 'Send' }).click()
    // python-socketio acks a handler's return value; a tuple arrives as the ack's arguments.
    await expect(bob.getByRole('region', { name: 'Composer' })).toContainText(/Ack in \d+(\.\d)? ms: \[\{"n":\[1,2\]\},42\]/)
    await context.close()
  })

  test('a namespace with auth: refused without the token (its message and data shown), joined with it', async ({ page, appUrl }) => {
    const server = await python('full')
    await page.goto(deepLink(appUrl, `${server.url}/admin`, { type: 'socketio', connect: '1' }))
    const region = page.getByRole('region', { name: 'Diagnosis' })
    await expect(region.getByRole('heading')).toHaveText('Rejected by server middleware')
    await expect(region).toContainText('"unauthorized"')
    await expect(region).toContainText('token required')

    await openConnected(page, appUrl, server.url, { type: 'socketio' })
    const namespaces = page.getByRole('region', { name: 'Namespaces' })
    await namespaces.getByRole('textbox', { name: 'Namespace to join' }).fill('admin')
    await namespaces.getByRole('textbox', { name: 'Namespace auth' }).fill('{"token": "letmein"}')
    await namespaces.getByRole('button', { name: 'Join namespace' }).click()
    await expect(namespaces.getByRole('listitem').filter({ hasText: '/admin' })).toContainText('open')
    await page.getByRole('combobox', { name: 'Namespace' }).selectOption('/admin')
    await page.getByRole('textbox', { name: 'Event name' }).fill('whoami')
    await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(page.getByRole('region', { name: 'Composer' })).toContainText('"namespace":"/admin"')
  })

  test('case 2: transports=[\'websocket\'] — "Invalid transport" is recognised, WebSocket chosen by itself and said', async ({ page, appUrl }) => {
    const server = await python('websocket-only')
    await page.goto(deepLink(appUrl, server.url, { type: 'socketio', connect: '1' }))
    await expect(statusOf(page)).toContainText('open')
    await expect(page.getByRole('region', { name: 'Diagnosis' })).toHaveCount(0)
    const text = await lifecycleText(page)
    expect(text).toContain('(python-engineio, from its "Invalid transport" answer) does not offer HTTP long-polling')
    expect(text).toContain('python-engineio\'s "Invalid transport"')
    // The captured body is shown as evidence on the failure.
    await page.getByRole('log', { name: 'Timeline' }).getByText('connect_error').first().click()
    await expect(page.getByRole('region', { name: 'Event detail' })).toContainText('Invalid transport')
  })

  test('case 3: default CORS — the diagnosis names the fix for python-socketio and Node, and WebSocket only is no circle', async ({ page, appUrl }) => {
    const server = await python('default-cors')
    await page.goto(deepLink(appUrl, server.url, { type: 'socketio', connect: '1' }))
    const region = page.getByRole('region', { name: 'Diagnosis' })
    await expect(region.getByRole('heading')).toHaveText('Polling blocked (CORS?)')
    await expect(region).toContainText(`cors_allowed_origins=['${new URL(appUrl).origin}']`)
    await expect(region).toContainText(`cors: { origin: ['${new URL(appUrl).origin}'] }`)
    await expect(region).toContainText('WebSocket only does not get around it')
    await expect(region).not.toContainText('Try the websocket transport only')
    await page.getByRole('button', { name: 'Disconnect' }).click()

    // Someone tries WebSocket only anyway: the answer is "refused", not "nothing listening".
    await page.getByRole('button', { name: 'Options', exact: true }).click()
    await page.getByRole('checkbox', { name: 'HTTP long-polling' }).uncheck()
    await page.getByRole('button', { name: 'Connect' }).click()
    await expect(region.getByRole('heading')).toHaveText('WebSocket handshake refused')
    await expect(region).toContainText('Something answers HTTP')
    await expect(region).toContainText('cors_allowed_origins')
    await expect(region).not.toContainText('Nothing listening')
  })
})
