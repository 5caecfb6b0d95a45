import type { Page } from '@playwright/test'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { deepLink, expect, statusOf, test } from './fixtures'

/**
 * Issue 8, Socket.IO, in Chromium: what SocketLens picks by itself on evidence (client version, parser, path) and
 * says on the timeline as a lifecycle `auto` event, the one-click retry when a choice is turned off, and the
 * diagnoses of a server that went away (case 1) or drops every connection (case 7), with servers of the dev server
 * and, for cases 1 and 7, socket.io servers this spec starts and stops itself.
 */

/** The timeline's lifecycle rows as their text, oldest first (only the lifecycle layer shown: all rows rendered). */
async function lifecycleRows(page: Page): Promise<string[]> {
  const timeline = page.getByRole('log', { name: 'Timeline' })
  return timeline.locator('[data-seq]').evaluateAll(rows => rows
    .map(row => ({ seq: Number(row.getAttribute('data-seq')), text: row.textContent?.replace(/\s+/g, ' ').trim() ?? '' }))
    .sort((a, b) => a.seq - b.seq)
    .map(row => row.text))
}

async function showLifecycleOnly(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'Layer' }).getByRole('button', { name: 'lifecycle', exact: true }).click()
}

/** A socket.io 4 server on a free loopback port, allowing any origin; `echo` acks its arguments. */
async function ownServer(onConnection?: (socket: import('socket.io').Socket) => void): Promise<{ url: string, port: number, stop: () => Promise<void>, start: () => Promise<void> }> {
  let http = createServer()
  let io: Server | undefined
  let port = 0
  const start = async (): Promise<void> => {
    http = createServer()
    io = new Server(http, { cors: { origin: '*' } })
    io.on('connection', (socket) => {
      socket.on('echo', (...args: unknown[]) => {
        const ack = args.pop()
        if (typeof ack === 'function') (ack as (...a: unknown[]) => void)(...args)
      })
      onConnection?.(socket)
    })
    await new Promise<void>(resolve => http.listen(port, '127.0.0.1', resolve))
    port = (http.address() as AddressInfo).port
  }
  // A server that stops: every connection ends at once. `io.close()` alone waits for the HTTP server to close, which
  // waits for every connection still in use, and when the stop cuts a session's upgrade probe the session stays on
  // long-polling: its next poll, on the browser's keep-alive connection, is answered by this half-closed server (a
  // ping 25 s later, a new handshake on reconnect) and the close never ends (1 run in 6 with the drivers in the Worker,
  // whose 'open' reaches the page a little later, so the stop lands in the probe more often).
  const stop = async (): Promise<void> => {
    const closing = io?.close()
    http.closeAllConnections()
    await closing
    if (http.listening) await new Promise<void>(resolve => http.close(() => resolve()))
  }
  await start()
  return { url: `http://127.0.0.1:${port}`, port, stop, start }
}

test.describe('automatic choices', () => {
  test('case 9: a Socket.IO v2 server gets the v2 client by itself; the timeline says what was found', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, dev.socketioV2, { type: 'socketio', connect: '1' }))
    await expect(statusOf(page)).toContainText('open')
    await expect(page.getByRole('region', { name: 'Diagnosis' })).toHaveCount(0)
    await showLifecycleOnly(page)
    const rows = await lifecycleRows(page)
    const auto = rows.find(row => row.includes('auto'))
    expect(auto).toContain('Connecting again with SocketLens\'s Socket.IO v2 client: the server speaks Engine.IO 3')
    // One timeline across the switch: the v4 client's failure, the switch, the v2 client's connect.
    expect(rows.findIndex(row => row.includes('connect_error'))).toBeLessThan(rows.indexOf(auto!))
    expect(rows.at(-1)).toContain('connect')
    // The choice and its evidence are in the event's detail (the lines themselves: tests/protocol/socketio-auto.test.ts).
    await page.getByRole('log', { name: 'Timeline' }).getByText(/Connecting again with SocketLens's Socket\.IO v2 client/).click()
    const detail = page.getByRole('region', { name: 'Event detail' })
    await expect(detail).toContainText('choice: "version"from: "v4"to: "v2"evidence: [')
  })

  test('case 9: with v4 forced, the v2 server is diagnosed and the switch is one click', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, dev.socketioV2, { type: 'socketio', client: 'v4', connect: '1' }))
    const region = page.getByRole('region', { name: 'Diagnosis' })
    await expect(region.getByRole('heading')).toHaveText('Socket.IO v2 server')
    await region.getByRole('button', { name: 'Switch to the Socket.IO v2 client' }).click()
    await expect(statusOf(page)).toContainText('open')
  })

  test('case 8: a msgpack server gets the msgpack parser by itself, and events still come back', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, dev.msgpack, { type: 'socketio', connect: '1' }))
    await expect(statusOf(page)).toContainText('open')
    await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
    await page.getByRole('textbox', { name: 'Message' }).fill('{"packed": [1, 2]}')
    await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(page.getByRole('region', { name: 'Composer' })).toContainText('[{"packed":[1,2]}]')
    await showLifecycleOnly(page)
    expect((await lifecycleRows(page)).join('\n')).toContain('Connecting again with the msgpack parser')
  })

  test('case 8: with the automatic parser off, the first failure says parser mismatch, retrying stops, one click fixes it', async ({ page, appUrl, dev }) => {
    await page.goto(appUrl)
    await page.getByRole('combobox', { name: 'Protocol' }).selectOption({ label: 'Socket.IO' })
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(dev.msgpack)
    await page.getByRole('button', { name: 'Options', exact: true }).click()
    await page.getByRole('checkbox', { name: 'Parser', exact: true }).uncheck()
    await page.getByRole('button', { name: 'Connect' }).click()
    const region = page.getByRole('region', { name: 'Diagnosis' })
    await expect(region.getByRole('heading')).toHaveText('Parser mismatch')
    await expect(region).not.toContainText('Nothing listening')
    await expect(statusOf(page)).toContainText('closed')
    await expect(region).not.toContainText('times in a row')
    await region.getByRole('button', { name: 'Retry with the msgpack parser' }).click()
    await expect(statusOf(page)).toContainText('open')
    // The options popover closed when Connect was pressed: open it again to read the parser.
    await page.getByRole('button', { name: 'Options', exact: true }).click()
    await expect(page.getByRole('combobox', { name: 'Socket.IO parser' })).toHaveValue('msgpack')
  })

  test('case 4: with the automatic path off, the banner says where the server is and one click connects there', async ({ page, appUrl, dev }) => {
    await page.goto(appUrl)
    await page.getByRole('combobox', { name: 'Protocol' }).selectOption({ label: 'Socket.IO' })
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.customPath}/realtime/io`)
    await page.getByRole('button', { name: 'Options', exact: true }).click()
    await page.getByRole('checkbox', { name: 'Socket.IO path' }).uncheck()
    await page.getByRole('button', { name: 'Connect' }).click()
    const region = page.getByRole('region', { name: 'Diagnosis' })
    await expect(region.getByRole('heading')).toHaveText('Socket.IO server found at path /realtime/io')
    await region.getByRole('button', { name: 'Use the path /realtime/io' }).click()
    await expect(statusOf(page)).toContainText('open')
    await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.customPath}/`)
  })

  for (const form of ['/realtime/io', '/realtime/io/?EIO=4&transport=websocket']) {
    test(`case 4: a custom path pasted into the URL (${form}) is found and connected to`, async ({ page, appUrl, dev }) => {
      await page.goto(deepLink(appUrl, `${dev.customPath}${form}`, { type: 'socketio', connect: '1' }))
      await expect(statusOf(page)).toContainText('open')
      await showLifecycleOnly(page)
      expect((await lifecycleRows(page)).join('\n')).toContain('Socket.IO server found at path /realtime/io')
    })
  }
})

test.describe('reconnects', () => {
  test('case 1: a server that stops after a connection is not blamed on CORS; SocketLens says it is reconnecting', async ({ page, appUrl }) => {
    // Reconnect delays grow (1 s, 2 s, 4 s, 5 s): coming back after the restart can take a while on a busy machine.
    test.setTimeout(60_000)
    const server = await ownServer()
    try {
      await page.goto(deepLink(appUrl, server.url, { type: 'socketio', connect: '1' }))
      await expect(statusOf(page)).toContainText('open')
      await server.stop()
      const region = page.getByRole('region', { name: 'Diagnosis' })
      await expect(region.getByRole('heading')).toHaveText(/The server went away/, { timeout: 15_000 })
      await expect(region).not.toContainText('CORS?')
      await expect(region).toContainText('this is not CORS')
      await expect(region).toContainText(/SocketLens keeps reconnecting: attempt \d+ of \d+ in/)
      await expect(region).toContainText('connection refused', { timeout: 15_000 })
      await server.start()
      await expect(statusOf(page)).toContainText('open', { timeout: 20_000 })
    }
    finally {
      await server.stop().catch(() => {})
    }
  })

  test('case 7: a server that closes every connection soon after it opens is named, and the attempts grow', async ({ page, appUrl }) => {
    test.setTimeout(60_000)
    const server = await ownServer(socket => setTimeout(() => socket.conn.close(), 400))
    try {
      await page.goto(deepLink(appUrl, server.url, { type: 'socketio', connect: '1' }))
      const region = page.getByRole('region', { name: 'Diagnosis' })
      await expect(region.getByRole('heading')).toHaveText(/every connection .*after about \d+ ms/, { timeout: 30_000 })
      await expect(region).toContainText(/\(\d times in a row\)/)
      // Not "attempt 1" again and again: the counter resets only after the stable period, so the next one is later.
      await expect(region).toContainText(/SocketLens keeps reconnecting: attempt [2-9] of 10 in \d/)
    }
    finally {
      await server.stop()
    }
  })
})
