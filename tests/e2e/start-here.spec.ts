import type { Browser, BrowserContext, Page } from '@playwright/test'
import { join } from 'node:path'
import type { DevServer } from '../../dev-server/index'
import { FREE_PORTS, startDevServer } from '../../dev-server/index'
import { deepLink, expect, openConnected, statusOf, test } from './fixtures'

/**
 * Issue 10: "Start here" (first run, Help menu, every preset against the real dev server), the Keyboard shortcuts
 * sheet and its shortcuts, and Copy link. The suite's shared `context` marks Start here as dismissed, so a first run
 * here is a context of its own.
 */
/** A folder to write screenshots of the panel, the sheet and Copy link into (light and dark), when set. */
const SCREENSHOTS = process.env.SOCKETLENS_SCREENSHOTS

async function snap(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${colorScheme}.png`) })
  }
  await page.emulateMedia({ colorScheme: null })
}

const PRESETS = ['WebSocket echo', 'Secure WebSocket echo', 'Socket.IO rooms', 'Long-polling only', 'Reconnect demo', 'Ticker stream', 'Socket.IO v2']

async function firstRun(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext, page: Page }> {
  const context = await browser.newContext({ locale: 'en-US', ...options })
  return { context, page: await context.newPage() }
}

function startHere(page: Page) {
  return page.getByRole('region', { name: 'Start here' })
}

/** Open Start here from the Help menu and pick `preset`. */
async function pickFromHelp(page: Page, preset: string): Promise<void> {
  await page.getByText('Help', { exact: true }).click()
  await page.getByRole('button', { name: 'Start here' }).click()
  await expect(startHere(page)).toBeVisible()
  await startHere(page).getByRole('button', { name: preset, exact: true }).click()
  await expect(startHere(page)).toBeHidden()
}

test.describe('Start here', () => {
  test('opens by itself on a first run, finds the dev server, stays dismissed, and comes back from Help', async ({ browser, appUrl }) => {
    const { context, page } = await firstRun(browser)
    await page.goto(appUrl)
    const dialog = startHere(page)
    await expect(dialog).toBeVisible()
    for (const name of PRESETS) await expect(dialog.getByRole('button', { name, exact: true })).toBeVisible()
    // The endpoint served beside the app named the servers (on the ports the test setup chose, not the defaults).
    await expect(dialog.getByRole('status')).toHaveText('The dev server is running.')
    await expect(dialog).toContainText('Socket.IO adds events, rooms, acknowledgements and automatic reconnection')
    await snap(page, 'start-here')
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect(dialog).toBeHidden()

    await page.reload()
    await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toBeVisible()
    await expect(startHere(page)).toBeHidden()
    await page.getByText('Help', { exact: true }).click()
    await page.getByRole('button', { name: 'Start here' }).click()
    await expect(startHere(page)).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(startHere(page)).toBeHidden()
    await context.close()
  })

  test('a first run that starts on its own endpoint: the panel steps aside, and the contract names stay unique', async ({ browser, appUrl, dev }) => {
    const { context, page } = await firstRun(browser)
    await page.goto(appUrl)
    await expect(startHere(page)).toBeVisible()
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/echo`)
    await expect(startHere(page)).toBeHidden()
    await page.getByRole('button', { name: 'Connect' }).click()
    await expect(statusOf(page)).toContainText('open')
    // Not dismissed, yet no first run any more: the tab is saved.
    await page.reload()
    await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.ws}/echo`)
    await page.waitForTimeout(300)
    await expect(startHere(page)).toBeHidden()
    await context.close()
  })

  test('in Korean: the panel, its presets and what they show', async ({ browser, appUrl }) => {
    const { context, page } = await firstRun(browser, { locale: 'ko-KR' })
    await page.goto(appUrl)
    const dialog = page.getByRole('region', { name: '여기서 시작' })
    await expect(dialog).toBeVisible()
    await expect(dialog.getByRole('button', { name: '재연결 데모' })).toBeVisible()
    await expect(dialog.getByRole('status')).toHaveText('개발 서버가 실행 중입니다.')
    await expect(dialog).toContainText('롱 폴링')
    await context.close()
  })

  test('a deep link does not open it', async ({ browser, appUrl, dev }) => {
    const { context, page } = await firstRun(browser)
    await page.goto(deepLink(appUrl, `${dev.ws}/echo`))
    await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.ws}/echo`)
    await page.waitForTimeout(300)
    await expect(startHere(page)).toBeHidden()
    await context.close()
  })

  test('without the dev server it says how to start it', async ({ browser, appUrl }) => {
    const { context, page } = await firstRun(browser)
    // The inspector served without `npm start`'s endpoint, and nothing on the default ports (a closed port: 9).
    await page.route('**/__socketlens/dev-server.json', route => route.fulfill({ status: 404, body: 'not found' }))
    await page.route(/^http:\/\/localhost:(8080|3000)\//, route => route.abort('connectionrefused'))
    await page.goto(appUrl)
    const status = startHere(page).getByRole('status')
    await expect(status).toContainText('The dev server is not running.')
    await expect(status).toContainText('npm start')
    await expect(status).toContainText('npm run dev-server')
    // Once the endpoint answers again (as when `npm start` is up), Check again finds it.
    await page.unrouteAll()
    await startHere(page).getByRole('button', { name: 'Check again' }).click()
    await expect(status).toHaveText('The dev server is running.')
    await expect(startHere(page).getByRole('button', { name: 'Check again' })).toBeHidden()
    await context.close()
  })

  test('the echo, ticker, long-polling and Socket.IO v2 presets connect to the dev server', async ({ page, appUrl, dev }) => {
    await page.goto(appUrl)
    const cases: [string, string, RegExp][] = [
      ['WebSocket echo', `${dev.ws}/`, /echo message hello/],
      ['Ticker stream', `${dev.ws}/ticker?hz=2`, /"symbol"/],
      ['Long-polling only', dev.polling, /polling/],
      ['Socket.IO v2', dev.socketioV2, /welcome/],
    ]
    for (const [preset, url, seen] of cases) {
      await pickFromHelp(page, preset)
      await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(url)
      await expect(statusOf(page), preset).toContainText('open')
      if (preset === 'WebSocket echo') await page.getByRole('button', { name: 'Send' }).click()
      await expect(page.getByRole('log', { name: 'Timeline' }), preset).toContainText(seen)
    }
    // Long-polling only: the server's handshake offers no upgrade, so the session stays on polling.
    await page.getByRole('tab').filter({ hasText: new URL(dev.polling).host }).click()
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('"upgrades":[]')
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('"transport":"polling"')
  })

  test('the secure echo connects once the certificate is trusted', async ({ browser, appUrl, dev }) => {
    const { context, page } = await firstRun(browser, { ignoreHTTPSErrors: true })
    await page.goto(appUrl)
    await startHere(page).getByRole('button', { name: 'Secure WebSocket echo' }).click()
    await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.wss}/`)
    // Picked on a first run, the preset took the place of the blank tab.
    await expect(page.getByRole('tab')).toHaveCount(1)
    await expect(statusOf(page)).toContainText('open')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('echo message hello over TLS')
    await context.close()
  })

  test('Socket.IO rooms: two sessions in one room, a message from the first arrives in the second', async ({ page, appUrl }) => {
    await page.goto(appUrl)
    await pickFromHelp(page, 'Socket.IO rooms')
    const tabs = page.getByRole('tab')
    await expect(tabs).toHaveCount(3) // the first-run tab and the two of the preset
    // The first of the two is shown, joined, its message ready.
    await expect(page.getByRole('region', { name: 'Rooms' })).toContainText('joined')
    await tabs.nth(2).click()
    await expect(page.getByRole('region', { name: 'Rooms' })).toContainText('joined')
    await tabs.nth(1).click()
    await expect(page.getByRole('textbox', { name: 'Message' })).toHaveText(/"message":"hello from the first session"/)
    await page.getByRole('button', { name: 'Send' }).click()
    await tabs.nth(2).click()
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('hello from the first session')
  })

  test.describe('Reconnect demo', () => {
    // The demo restarts every server of the dev server it drives: a private one, so no other test's connection is cut.
    let server: DevServer | undefined
    test.beforeAll(async ({ appUrl }) => {
      const port = new URL(appUrl).port
      server = await startDevServer({
        ports: FREE_PORTS,
        controlOrigins: [appUrl, `http://127.0.0.1:${port}`],
        log: () => {},
      })
    })
    test.afterAll(async () => {
      await server?.close()
    })

    test('the control API cuts the connection and Socket.IO reconnects by itself', async ({ page, appUrl }) => {
      const dev = server!
      // The inspector's endpoint names the private dev server, as `npm start` names its own.
      await page.route('**/__socketlens/dev-server.json', route => route.fulfill({
        json: { controlUrl: dev.urls.control, token: dev.controlToken, urls: { ...dev.urls } },
      }))
      await page.goto(appUrl)
      await pickFromHelp(page, 'Reconnect demo')
      await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(dev.urls.socketio)
      const status = statusOf(page)
      await expect(status).toContainText('open')
      await expect(status).toContainText('reconnecting')
      await expect(status).toContainText('open', { timeout: 20_000 })
      const timeline = page.getByRole('log', { name: 'Timeline' })
      await expect(timeline).toContainText('reconnect_attempt')
      expect(dev.status().restarts).toBe(1)
    })
  })
})

test.describe('Keyboard shortcuts', () => {
  test('? opens the sheet (not while typing); C connects and disconnects, P pauses, X clears, [ and ] switch sessions', async ({ page, appUrl, dev }) => {
    await page.goto(appUrl)
    const endpoint = page.getByRole('textbox', { name: 'Endpoint URL' })
    await endpoint.fill(`${dev.ws}/echo`)
    // Typed into a field, ? is a character.
    await endpoint.press('?')
    await expect(endpoint).toHaveValue(`${dev.ws}/echo?`)
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden()
    await endpoint.fill(`${dev.ws}/echo`)
    await endpoint.blur()

    await page.keyboard.press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await expect(sheet).toBeVisible()
    await expect(sheet).toContainText('Connect or disconnect the session')
    await expect(sheet).toContainText('Next session')
    await snap(page, 'keyboard-shortcuts')
    // While the sheet is open, its keys do nothing else.
    await page.keyboard.press('c')
    await expect(statusOf(page)).not.toContainText('open')
    await page.keyboard.press('Escape')
    await expect(sheet).toBeHidden()

    await page.keyboard.press('c')
    await expect(statusOf(page)).toContainText('open')
    await page.getByRole('textbox', { name: 'Message' }).fill('shortcut')
    await page.getByRole('textbox', { name: 'Message' }).blur()
    await page.keyboard.press('Control+Enter')
    const timeline = page.getByRole('log', { name: 'Timeline' })
    await expect(timeline).toContainText('shortcut')
    await expect(statusOf(page)).toContainText(/\b1 frame\b/)

    await page.keyboard.press('p')
    await expect(page.getByRole('button', { name: 'Resume' })).toHaveAttribute('aria-pressed', 'true')
    await page.keyboard.press('p')
    await expect(page.getByRole('button', { name: 'Pause' })).toHaveAttribute('aria-pressed', 'false')

    await page.keyboard.press('x')
    await expect(timeline).not.toContainText('shortcut')

    await page.keyboard.press('/')
    await expect(page.getByRole('searchbox', { name: 'Filter text' })).toBeFocused()
    await page.getByRole('searchbox', { name: 'Filter text' }).blur()

    await page.keyboard.press('c')
    await expect(statusOf(page)).toContainText('closed')

    await page.getByRole('button', { name: 'New session' }).click()
    const tabs = page.getByRole('tab')
    await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true')
    await page.locator('body').click({ position: { x: 5, y: 300 } })
    await page.keyboard.press('[')
    await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press(']')
    await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true')
  })
})

test.describe('Copy link', () => {
  test('the link opens the same session again and connects; auth and secret parameters only when ticked', async ({ browser, page, context, appUrl, dev }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(appUrl).origin })
    const endpoint = `${dev.customPath}/?token=s3cret&room=lobby`
    await openConnected(page, appUrl, endpoint, { type: 'socketio', path: '/realtime/io', client: 'v4', auth: '{"user":"me"}' })
    await page.getByRole('button', { name: 'Copy link' }).click()
    await expect(page.getByText('Copied.')).toBeVisible()
    const plain = await page.evaluate(() => navigator.clipboard.readText())
    const params = new URL(plain).searchParams
    expect(Object.fromEntries(params)).toEqual({ url: `${dev.customPath}/?room=lobby`, type: 'socketio', path: '/realtime/io', client: 'v4', connect: '1' })
    await expect(page.getByText('Left out: token, auth.')).toBeVisible()
    await snap(page, 'copy-link')

    await page.getByRole('checkbox', { name: 'Include auth and secrets' }).check()
    await expect(page.getByRole('textbox', { name: 'Link to this session' })).toHaveValue(/auth=/)
    const full = await page.evaluate(() => navigator.clipboard.readText())
    expect(new URL(full).searchParams.get('url')).toBe(endpoint)
    expect(new URL(full).searchParams.get('auth')).toBe('{"user":"me"}')

    // Opened elsewhere (a fresh browser), the link brings the session back and connects.
    const other = await browser.newContext({ locale: 'en-US' })
    const there = await other.newPage()
    await there.goto(plain)
    await expect(there.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.customPath}/?room=lobby`)
    await expect(statusOf(there)).toContainText('open')
    await expect(there.getByRole('region', { name: 'Start here' })).toBeHidden()
    await there.getByRole('button', { name: 'Options', exact: true }).click()
    await expect(there.getByRole('textbox', { name: 'Path', exact: true })).toHaveValue('/realtime/io')
    // Copy link on the reopened session makes the same link.
    await other.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(appUrl).origin })
    await there.getByRole('button', { name: 'Copy link' }).click()
    expect(await there.evaluate(() => navigator.clipboard.readText())).toBe(plain)
    await other.close()
  })
})
