import type { Page } from '@playwright/test'
import type { DevServer } from '../../dev-server/index'
import { FREE_PORTS, startDevServer } from '../../dev-server/index'
import { deepLink, expect, openConnected, statusOf, test } from './fixtures'

/**
 * The clustered dev server in Chromium (issue 13): with sticky sessions, two sessions in one room on different nodes
 * exchange a room message, and a fan-out shows the nodes its clients landed on; without them, the banner says that requests of one session reached different server
 * nodes. Each test starts its own cluster (three node processes; one cluster per process at a time).
 */

test.describe.configure({ mode: 'serial' })

let cluster: DevServer | undefined

test.afterEach(async () => {
  await cluster?.close()
  cluster = undefined
})

/** The node named in the session's `welcome` (`"node":N` in the timeline). */
async function nodeOf(page: Page): Promise<number> {
  const welcome = page.getByRole('log', { name: 'Timeline' }).locator('[data-seq]').filter({ hasText: 'welcome' }).first()
  await expect(welcome).toContainText('"node":')
  const match = /"node":(\d+)/.exec(await welcome.innerText())
  return Number(match?.[1])
}

test('with sticky sessions, two sessions on different nodes exchange a room message', async ({ browser, appUrl }) => {
  test.setTimeout(120_000)
  cluster = await startDevServer({ ports: FREE_PORTS, log: () => {}, cluster: { nodes: 3 } })
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  await context.addInitScript(() => localStorage.setItem('socketlens.startHere.v1', 'dismissed'))
  const alice = await context.newPage()
  await openConnected(alice, appUrl, cluster.urls.socketio, { type: 'socketio' })
  const aliceNode = await nodeOf(alice)
  expect(aliceNode).toBeGreaterThanOrEqual(1)
  // New sessions go round-robin over the nodes, but a session that had to open twice on a loaded machine (a
  // handshake retried) took a turn of its own: Bob opens until he lands on another node, at most four times.
  let bob = await context.newPage()
  await openConnected(bob, appUrl, cluster.urls.socketio, { type: 'socketio' })
  let bobNode = await nodeOf(bob)
  for (let tries = 1; tries < 4 && bobNode === aliceNode; tries++) {
    await bob.close()
    bob = await context.newPage()
    await openConnected(bob, appUrl, cluster.urls.socketio, { type: 'socketio' })
    bobNode = await nodeOf(bob)
  }
  expect(bobNode, 'new sessions are spread over the nodes: Bob lands on another one').not.toBe(aliceNode)

  const room = `lobby-${Date.now().toString(36)}`
  for (const page of [alice, bob]) {
    await page.getByRole('textbox', { name: 'Room' }).fill(room)
    await page.getByRole('button', { name: 'Join room' }).click()
    await expect(page.getByRole('region', { name: 'Rooms' })).toContainText('joined')
  }
  await alice.getByRole('textbox', { name: 'Text to send' }).fill('hello across nodes')
  await alice.getByRole('button', { name: 'Send to room' }).click()
  const received = bob.getByRole('log', { name: 'Timeline' }).locator('[data-seq]').filter({ hasText: 'hello across nodes' }).last()
  await expect(received).toContainText('message')
  // The server's own record: Alice's room message arrived on her node, Bob's join on his.
  const events = cluster.record().entries.filter(e => e.type === 'event' && (e.event === 'joinRoom' || e.event === 'message'))
  expect(events.map(e => 'node' in e && e.node).sort()).toEqual(expect.arrayContaining([aliceNode, bobNode]))

  // The fan-out view on the same cluster: which nodes its clients landed on, and a room message that reaches the
  // clients of every node (the cluster adapter carries it between them).
  await alice.getByRole('button', { name: 'Fan-out', exact: true }).click()
  const setup = alice.getByRole('form', { name: 'Fan-out setup' })
  await setup.getByRole('textbox', { name: 'Fan-out endpoint' }).fill(cluster.urls.socketio)
  await setup.getByRole('combobox', { name: 'Protocol' }).selectOption('socketio')
  await setup.getByRole('spinbutton', { name: 'Clients', exact: true }).fill('7')
  await setup.getByRole('spinbutton', { name: 'Clients per second' }).fill('50')
  await setup.getByRole('textbox', { name: 'Rooms' }).fill(`${room}-fan`)
  await setup.getByRole('button', { name: 'Start fan-out' }).click()
  const grid = alice.getByRole('region', { name: 'Client states' })
  await expect(grid.getByRole('status')).toContainText('7 in their room', { timeout: 60_000 })
  const nodes = grid.getByRole('list', { name: 'Server nodes' }).getByRole('listitem')
  await expect(nodes).toHaveCount(3)
  await expect(nodes).toHaveText([/^Node \d: \d clients?$/, /^Node \d: \d clients?$/, /^Node \d: \d clients?$/])
  await expect(grid.getByRole('img', { name: /^Client 1: open, node \d$/ })).toBeVisible()
  await alice.getByRole('button', { name: 'Send to the room' }).click()
  await expect(alice.getByRole('region', { name: 'Deliveries' }).getByRole('status')).toContainText('Delivered 6 of 6 expected', { timeout: 20_000 })
  await alice.getByRole('button', { name: 'Stop fan-out' }).click()
  await context.close()
})

test('without sticky sessions, the diagnosis says requests of one session reached different server nodes', async ({ page, appUrl }) => {
  test.setTimeout(120_000)
  cluster = await startDevServer({ ports: FREE_PORTS, log: () => {}, cluster: { nodes: 3, sticky: false } })
  await page.goto(deepLink(appUrl, cluster.urls.socketio, { type: 'socketio', connect: '1' }))
  const region = page.getByRole('region', { name: 'Diagnosis' })
  // From the second session in a row the evidence is complete: no longer a guess.
  await expect(region.getByRole('heading')).toHaveText('Requests of one session reached different server nodes', { timeout: 30_000 })
  await expect(region).toContainText('Session ID unknown')
  await expect(region).toContainText('Enable sticky sessions')
  await expect(region).toContainText('HTTP 400')
  await expect(region).toContainText(/The handshake succeeded \(sid [\w-]{20}\)/)
  await expect(statusOf(page)).not.toContainText('open')
  // The one-click way round it: WebSocket only makes one request a session, so one node serves it.
  await region.getByRole('button', { name: 'Use WebSocket only' }).click()
  await expect(statusOf(page)).toContainText('open', { timeout: 30_000 })
})
