import type { Page } from '@playwright/test'
import type { DevServer } from '../../dev-server/index'
import { FREE_PORTS, startDevServer } from '../../dev-server/index'
import { expect, test } from './fixtures'

/**
 * Issue 13, fan-out: N clients of the dev server's Socket.IO room server in one page. 51 clients join one room;
 * client 1 sends a burst; the study note's server forwards each message to the others in the room, so each is
 * delivered 50 times, with latency figures. A private dev server, restarted by its own handle: the reconnect storm
 * is timed until all clients are back. (A private server: restarting the shared one would cut other tests.)
 */
let server: DevServer | undefined
test.beforeAll(async () => {
  server = await startDevServer({
    ports: FREE_PORTS,
    log: () => {},
  })
})
test.afterAll(async () => {
  await server?.close()
})

async function startFanout(page: Page, appUrl: string, endpoint: string, clients: number, room: string): Promise<void> {
  await page.goto(appUrl)
  await page.getByRole('button', { name: 'Fan-out', exact: true }).click()
  const setup = page.getByRole('form', { name: 'Fan-out setup' })
  await setup.getByRole('textbox', { name: 'Fan-out endpoint' }).fill(endpoint)
  await setup.getByRole('combobox', { name: 'Protocol' }).selectOption('socketio')
  await setup.getByRole('spinbutton', { name: 'Clients', exact: true }).fill(String(clients))
  await setup.getByRole('spinbutton', { name: 'Clients per second' }).fill('100')
  await setup.getByRole('textbox', { name: 'Rooms' }).fill(room)
  await expect(setup.getByRole('checkbox', { name: 'WebSocket transport only (recommended)' })).toBeChecked()
  await setup.getByRole('button', { name: 'Start fan-out' }).click()
}

test('a fan-out of 50 receivers in one room sees every message of a burst delivered 50 times, with latency figures', async ({ page, appUrl }) => {
  test.setTimeout(90_000)
  const room = `fan-${Date.now().toString(36)}`
  await startFanout(page, appUrl, server!.urls.socketio, 51, room)
  const grid = page.getByRole('region', { name: 'Client states' })
  await expect(grid.getByRole('status')).toContainText('51 in their room', { timeout: 30_000 })
  await expect(grid.getByRole('img', { name: 'Client 17: open' })).toBeVisible()
  await expect(grid.getByRole('img')).toHaveCount(51)

  await page.getByRole('spinbutton', { name: 'Burst size' }).fill('20')
  await page.getByRole('button', { name: 'Send burst' }).click()
  await expect(page.getByRole('region', { name: 'Send' }).getByRole('status')).toHaveText('Message #20 sent by client 1 to 50 clients.')

  const deliveries = page.getByRole('region', { name: 'Deliveries' })
  await expect(deliveries.getByRole('status')).toContainText('Delivered 1,000 of 1,000 expected (20 messages; 20 reached everyone)', { timeout: 20_000 })
  await expect(deliveries.getByRole('status')).toContainText('0 missed')
  await expect(deliveries.getByRole('status')).toContainText('0 duplicates')
  await expect(deliveries).toContainText(/min [\d,.]+ · median [\d,.]+ · p95 [\d,.]+ · max [\d,.]+ ms/)
  // Every message's row: 50 of 50, missed by nobody.
  const rows = deliveries.getByRole('table').getByRole('row')
  await expect(rows).toHaveCount(21)
  for (const row of await rows.all()) {
    if ((await row.getByRole('columnheader').count()) > 0) continue
    await expect(row.getByRole('cell').nth(1)).toHaveText('50 of 50')
    await expect(row.getByRole('cell').nth(2)).toHaveText('—')
  }
  // The histogram holds all 1,000 receipts.
  const bins = await deliveries.getByRole('list', { name: 'Latency histogram' }).getByRole('listitem').allTextContents()
  expect(bins.reduce((n, text) => n + Number(text.replace(/,/g, '').match(/: (\d+)$/)![1]), 0)).toBe(1000)

  // Client 2's own timeline shows what it received, tagged.
  await page.getByRole('spinbutton', { name: 'Timeline of client' }).fill('2')
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText(`hello [fanout`)

  // The server restarts: every client drops, reconnects and rejoins; the storm is timed until all 51 are back.
  await server!.restart({ downtimeMs: 500 })
  await expect(grid).toContainText(/Reconnect storm: all 51 back after [\d.]+ s \(at most 51 down at once\)/, { timeout: 30_000 })
  await expect(grid.getByRole('status')).toContainText('51 in their room', { timeout: 15_000 })
  await page.getByRole('button', { name: 'Send to the room' }).click()
  await expect(deliveries.getByRole('status')).toContainText('Delivered 1,050 of 1,050 expected', { timeout: 15_000 })

  await page.getByRole('button', { name: 'Stop fan-out' }).click()
  await expect(grid.getByRole('img', { name: 'Client 51: closed' })).toBeVisible()
  await page.getByRole('button', { name: 'Back to sessions' }).click()
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toBeVisible()
})
