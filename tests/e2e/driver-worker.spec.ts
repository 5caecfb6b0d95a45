import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/**
 * Where the sockets live (issue 12): a connection runs in the driver Worker by default, whatever the core count, so
 * the page's own WebSocket constructor is never called; with "Receive in a background thread" off, or where the
 * Worker cannot load, the page runs its drivers itself, and everything works the same. The core count the browser
 * reports is set at the edge (`navigator.hardwareConcurrency`).
 */

async function cores(page: Page, count: number): Promise<void> {
  await page.addInitScript((n) => {
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { configurable: true, get: () => n })
  }, count)
}

/** Counts the page's own `new WebSocket(...)`: a Worker's WebSocket is another global, not counted. */
async function countPageSockets(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.WebSocket
    const w = window as unknown as { __pageSockets: number }
    w.__pageSockets = 0
    window.WebSocket = new Proxy(Native, {
      construct(target, args: [string, (string | string[])?]) {
        w.__pageSockets++
        return new target(...args)
      },
    })
  })
}

const pageSockets = (page: Page) => page.evaluate(() => (window as unknown as { __pageSockets: number }).__pageSockets)

async function echo(page: Page, appUrl: string, url: string): Promise<void> {
  await page.goto(appUrl)
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(url)
  await page.getByRole('button', { name: 'Connect' }).click()
  const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
  await expect(status).toContainText('open')
  await page.getByRole('textbox', { name: 'Message' }).fill('through which thread?')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('echo message through which thread?')
  await expect(status).toContainText(/\b1 frame\b/)
}

test('with more than two cores a connection runs in the driver Worker: the page opens no WebSocket of its own', async ({ page, appUrl, dev }) => {
  await cores(page, 8)
  await countPageSockets(page)
  await echo(page, appUrl, `${dev.ws}/`)
  expect(page.workers().some(worker => /drivers\.worker/.test(worker.url()))).toBe(true)
  expect(await pageSockets(page)).toBe(0)
})

test('with two cores too a connection runs in the Worker; "Receive in a background thread" off moves the next one to the page', async ({ page, appUrl, dev }) => {
  await cores(page, 2)
  await countPageSockets(page)
  await echo(page, appUrl, `${dev.ws}/`)
  expect(await pageSockets(page)).toBe(0)
  expect(page.workers().some(worker => /drivers\.worker/.test(worker.url()))).toBe(true)
  await page.getByText('Settings', { exact: true }).click()
  const setting = page.getByRole('checkbox', { name: 'Receive in a background thread' })
  await expect(setting).toBeChecked()
  await setting.uncheck()
  // Remembered: the reload in echo() reads it back, and its count of page sockets starts again at 0.
  await echo(page, appUrl, `${dev.ws}/`)
  expect(await pageSockets(page)).toBe(1)
  expect(page.workers().some(worker => /drivers\.worker/.test(worker.url()))).toBe(false)
})

test('a driver Worker that cannot load leaves the page to run the connection, and nothing is lost', async ({ page, appUrl, dev }) => {
  await cores(page, 8)
  await countPageSockets(page)
  // What a proxy or a stale deployment does to the Worker's script.
  await page.route(/drivers\.worker/, route => route.abort('blockedbyclient'))
  await echo(page, appUrl, `${dev.ws}/`)
  expect(await pageSockets(page)).toBe(1)
})

const isDriverWorker = (url: string) => /drivers\.worker/.test(url)

test('the driver Worker starts once the page is quiet, before any connection, and the first connection runs in it', async ({ page, appUrl, dev }) => {
  await countPageSockets(page)
  const started = page.waitForEvent('worker', { predicate: worker => isDriverWorker(worker.url()), timeout: 15_000 })
  await page.goto(appUrl)
  await started
  // Started, not connected: nothing was opened by it, on the page or in the Worker.
  await expect(page.getByRole('button', { name: 'Connect' })).toBeVisible()
  expect(await pageSockets(page)).toBe(0)

  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/`)
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText('open')
  await page.getByRole('textbox', { name: 'Message' }).fill('after an early start')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('echo message after an early start')
  // The one Worker started early served the connection: no second one, no page socket.
  expect(page.workers().filter(worker => isDriverWorker(worker.url()))).toHaveLength(1)
  expect(await pageSockets(page)).toBe(0)
})

test('with "Receive in a background thread" off no driver Worker starts when the page is quiet', async ({ page, appUrl }) => {
  await page.addInitScript(() => localStorage.setItem('socketlens.settings.v1', JSON.stringify({ driversInWorker: false })))
  await page.goto(appUrl)
  // The service worker registers at the same quiet moment (main.ts): once it is there, the Worker would have been too.
  await page.evaluate(async () => {
    while (!(await navigator.serviceWorker.getRegistration())) await new Promise(resolve => setTimeout(resolve, 50))
  })
  await page.waitForTimeout(500)
  expect(page.workers().filter(worker => isDriverWorker(worker.url()))).toHaveLength(0)
})

test('a Socket.IO emit with nested JSON and its ack go through the Worker whole', async ({ page, appUrl, dev }) => {
  await cores(page, 8)
  await countPageSockets(page)
  await page.goto(`${appUrl}/?${new URLSearchParams({ url: dev.socketio, type: 'socketio', connect: '1' })}`)
  const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
  await expect(status).toContainText('open')
  await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
  await page.getByRole('textbox', { name: 'Message' }).fill('{"deep":{"er":[1,2,{"est":"한국어"}]}}')
  await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
  await page.getByRole('button', { name: 'Send' }).click()
  // The ack's arguments came back as JSON through both clones (page → Worker → page), with the round-trip time.
  await expect(page.getByRole('region', { name: 'Composer' })).toContainText(/Ack in \d+(\.\d)? ms: \[\{"deep":\{"er":\[1,2,\{"est":"한국어"\}\]\}\}\]/)
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('"est":"한국어"')
  expect(await pageSockets(page)).toBe(0)
})
