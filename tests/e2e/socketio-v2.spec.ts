import type { Page } from '@playwright/test'
import type { SocketIoV2Server } from '../../dev-server/socketio-v2'
import { startSocketIoV2Server } from '../../dev-server/socketio-v2'
import { deepLink, expect, test } from './fixtures'

/**
 * A Socket.IO v2 server (Engine.IO 3) in the browser: the default v4 client fails against it, the diagnosis names it
 * and offers the v2 client; choosing v2 up front connects directly. Set SOCKETLENS_SCREENSHOTS=<dir> to keep a
 * screenshot of the banner with its switch button.
 */

const SCREENSHOTS = process.env.SOCKETLENS_SCREENSHOTS

function status(page: Page) {
  return page.getByRole('status').filter({ hasText: /\bframes?\b/ })
}

/**
 * The rows the timeline shows, oldest first, as `layer direction kind preview` (direction as its accessible label:
 * sent, received, local). Only rendered rows exist (the list is virtualized): filter the timeline first.
 */
async function rows(page: Page): Promise<string[]> {
  const timeline = page.getByRole('log', { name: 'Timeline' })
  const list = await timeline.locator('[data-seq]').evaluateAll(elements => elements.map((row) => {
    const text = (selector: string) => row.querySelector(selector)?.textContent?.trim() ?? ''
    const direction = row.querySelector('.dir')?.getAttribute('aria-label') ?? ''
    return { seq: Number(row.getAttribute('data-seq')), line: [text('.layer'), direction, text('.kind'), text('.preview')].join(' ').trim() }
  }))
  return list.sort((a, b) => a.seq - b.seq).map(row => row.line)
}

/** Shows only the timeline's engine layer (Engine.IO handshake, upgrade, heartbeat): a handful of rows, all rendered. */
async function showEngineLayerOnly(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'Layer' }).getByRole('button', { name: 'engine', exact: true }).click()
}

/** Points the session at a Socket.IO endpoint with the v2 client chosen in Connection options, then connects. */
async function connectWithV2Client(page: Page, appUrl: string, endpoint: string): Promise<void> {
  await page.goto(appUrl)
  await page.getByRole('combobox', { name: 'Protocol' }).selectOption({ label: 'Socket.IO' })
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(endpoint)
  await page.getByRole('button', { name: 'Options', exact: true }).click()
  await page.getByRole('combobox', { name: 'Socket.IO client version' }).selectOption('v2')
  await page.getByRole('button', { name: 'Connect' }).click()
}

test.describe('Socket.IO v2 server', () => {
  test('the v4 client\'s failure is diagnosed, the switch to the v2 client connects, and an ack comes back', async ({ page, appUrl, dev }) => {
    // With the v4 client forced: by default (client version automatic) the v2 client is chosen without asking.
    await page.goto(deepLink(appUrl, dev.socketioV2, { type: 'socketio', client: 'v4', connect: '1' }))
    const region = page.getByRole('region', { name: 'Diagnosis' })
    await expect(region.getByRole('heading')).toHaveText('Socket.IO v2 server')
    // The v4 client's first polling request gets an Engine.IO 3 body (`<length>:0{...}`): the strongest evidence.
    await expect(region).toContainText('The server speaks Socket.IO v2 (Engine.IO protocol 3), which a Socket.IO v3/v4 client cannot talk to.')
    await expect(region).toContainText('Switch to SocketLens\'s Socket.IO v2 client (the button beside this explanation, or Connection options → Client), or upgrade the server to Socket.IO v3 or later.')
    const switchButton = region.getByRole('button', { name: 'Switch to the Socket.IO v2 client' })
    await expect(switchButton).toBeVisible()
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/socketio-v2-switch.png` })

    await switchButton.click()
    await expect(status(page)).toContainText('open')
    await page.getByRole('button', { name: 'Options', exact: true }).click()
    await expect(page.getByRole('combobox', { name: 'Socket.IO client version' })).toHaveValue('v2')
    // The banner was about the failure the switch fixed.
    await expect(region.getByRole('button', { name: 'Switch to the Socket.IO v2 client' })).toHaveCount(0)
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('Welcome to the SocketLens dev server (Socket.IO v2)')

    await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
    await page.getByRole('textbox', { name: 'Message' }).fill('{"over": "engine.io 3", "n": [1, 2]}')
    await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
    await page.getByRole('button', { name: 'Send' }).click()
    // The v2 server acks `echo` with its arguments: the object came back as an object.
    await expect(page.getByRole('region', { name: 'Composer' })).toContainText(/Ack in \d+(\.\d)? ms: \[\{"over":"engine\.io 3","n":\[1,2\]\}\]/)
  })

  test('with the v2 client chosen up front it opens directly: handshake over polling, then the 2probe / 3probe / 5 upgrade', async ({ page, appUrl, dev }) => {
    await connectWithV2Client(page, appUrl, dev.socketioV2)
    await expect(status(page)).toContainText('open')
    await expect(page.getByRole('region', { name: 'Diagnosis' })).toHaveCount(0)

    const timeline = page.getByRole('log', { name: 'Timeline' })
    await expect(timeline).toContainText('Welcome to the SocketLens dev server (Socket.IO v2)')
    await showEngineLayerOnly(page)
    await expect.poll(() => rows(page)).toEqual([
      'engine received handshake',
      'engine local open',
      'engine local upgrading',
      'engine local upgrade',
    ])
    // The handshake carries Engine.IO 3's fields (no maxPayload) with the dev server's heartbeat settings (25 s /
    // 20 s), which the client drives in v2: it pings, the server answers.
    await timeline.locator('[data-seq]').filter({ hasText: 'handshake' }).click()
    const detail = page.getByRole('region', { name: 'Event detail' })
    await expect(detail).toContainText(/transport\s*polling/)
    await expect(detail).toContainText(/pingInterval:\s*25000\s*pingTimeout:\s*20000/)
    await expect(detail).not.toContainText('maxPayload')

    // The upgrade probe on the wire, Engine.IO 3 style: `2probe` out, `3probe` in, then `5` (UPGRADE) out.
    await showEngineLayerOnly(page)
    await page.getByRole('group', { name: 'Layer' }).getByRole('button', { name: 'wire', exact: true }).click()
    await page.getByRole('group', { name: 'Direction' }).getByRole('button', { name: '↑ Out' }).click()
    await expect.poll(() => rows(page)).toEqual(['wire sent frame 2probe', 'wire sent frame 5'])
  })

  test.describe('a short heartbeat', () => {
    let fast: SocketIoV2Server | undefined

    test.beforeAll(async () => {
      // The shared dev server pings every 25 s; a test-only v2 server with a 200 ms interval shows the heartbeat now.
      fast = await startSocketIoV2Server({ port: 0, pingInterval: 200, pingTimeout: 5000, log: () => {} })
    })
    test.afterAll(async () => {
      await fast?.close()
    })

    test('the v2 client pings and the server answers with a pong (Engine.IO 3 heartbeat)', async ({ page, appUrl }) => {
      await connectWithV2Client(page, appUrl, fast!.url)
      await expect(status(page)).toContainText('open')
      await showEngineLayerOnly(page)
      await expect.poll(async () => (await rows(page)).filter(line => /\b(ping|pong)\b/.test(line)).slice(0, 4)).toEqual([
        expect.stringMatching(/^engine sent ping/),
        expect.stringMatching(/^engine received pong/),
        expect.stringMatching(/^engine sent ping/),
        expect.stringMatching(/^engine received pong/),
      ])
      await page.getByRole('button', { name: 'Disconnect' }).click()
      await expect(status(page)).toContainText('closed')
    })
  })
})
