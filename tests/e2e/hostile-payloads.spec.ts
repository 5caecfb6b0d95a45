import type { Page } from '@playwright/test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { closeLoopbackServers, httpServer, socketIoServer } from '../support/servers'
import { expect, openConnected, test } from './fixtures'

/**
 * Issue 11, items 1, 2 and 9 against real servers of the test's own: a stock Socket.IO 4.8 server and a `ws` server
 * that send values nested thousands of levels deep, a huge string, and names built to pass for something else.
 */

const DEEP_NOTE = 'nested deeper than 100 levels — shown as text'
/** 8 MiB: the issue measured 64 MiB; the point here is that it is clipped, not how long 64 MiB takes. */
const BIG = 8 * 1024 * 1024

test.afterEach(async ({ page }) => {
  // Leave the app first: a Socket.IO server closes only once its clients are gone.
  await page.goto('about:blank')
  await closeLoopbackServers()
})

/** Export the shown session; every line parses as JSON (a 10,000-level line included). */
async function exportLines(page: Page): Promise<Record<string, unknown>[]> {
  const downloading = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export timeline' }).click()
  const file = await (await downloading).path()
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
  return lines.map(line => JSON.parse(line) as Record<string, unknown>)
}

/** Nesting depth of JSON text made of brackets (what the server sent), counted without recursion. */
function depthOf(value: unknown): number {
  let depth = 0
  let node = value
  while (Array.isArray(node) || (node !== null && typeof node === 'object')) {
    depth++
    node = Array.isArray(node) ? node[0] : (node as { a: unknown }).a
  }
  return depth
}

test('Socket.IO: deep and huge arguments and spoofing event names are shown, opened and exported', async ({ page, appUrl }) => {
  // 8 MiB through long-polling, then out through the export, on a shared two-core machine.
  test.setTimeout(120_000)
  const { io, url } = await socketIoServer({ cors: { origin: '*' } })
  io.on('connection', (socket) => {
    socket.on('go', () => {
      // What the server did: a 2,000-level array through the stock encoder.
      let v: unknown[] = []
      for (let i = 1; i < 2000; i++) v = [v]
      socket.emit('deep2k', v)
      // The stock encoder's own JSON.stringify overflows past ~5,000 levels in Node, so the 10,000-level packets go
      // to the engine as text: the client sees exactly what a server with a bigger stack would send.
      socket.conn.send(`2["deep10k",${'['.repeat(10_000)}${']'.repeat(10_000)}]`)
      socket.conn.send(`2["deepobj",${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}]`)
      socket.emit('big', `${'x'.repeat(BIG)}END`)
      socket.emit('\u202Egnp.exe', 'rtl')
      socket.emit('line\r\nbreak\u001B[31m', 'controls')
    })
  })

  await openConnected(page, appUrl, url, { type: 'socketio' })
  await page.getByRole('textbox', { name: 'Event name' }).fill('go')
  await page.getByRole('button', { name: 'Send' }).click()
  const timeline = page.getByRole('log', { name: 'Timeline' })
  const row = (text: string) => timeline.locator('[data-seq].app').filter({ hasText: text })
  for (const name of ['deep2k', 'deep10k', 'deepobj', 'big', 'gnp.exe', 'controls']) {
    await expect(row(name)).toHaveCount(1)
    await expect(row(name).locator('.preview')).toHaveText(/\S/)
  }

  // The right-to-left override is a visible marker, not a reordering of the name.
  const rtl = row('gnp.exe')
  await expect(rtl.locator('.kind')).toHaveText('event \\u202Egnp.exe')
  await expect(rtl.locator('.kind .invisible-char')).toBeVisible()
  await expect(row('controls').locator('.kind')).toHaveText('event line\\r\\nbreak\\u001B[31m')

  const detail = page.getByRole('region', { name: 'Event detail' })
  for (const name of ['deep2k', 'deep10k', 'deepobj']) {
    await row(name).click()
    await expect(detail.locator('.head')).toContainText(name)
    await expect(detail).toContainText(DEEP_NOTE)
    await detail.getByRole('tab', { name: 'Text' }).click()
    await expect(detail.getByRole('tabpanel')).not.toContainText('[object Object]')
    await detail.getByRole('tab', { name: 'Tree' }).click()
  }

  await row('big').click()
  await expect(detail.locator('.head')).toContainText('big')
  await expect(detail.getByRole('tabpanel')).toContainText(`(${(BIG + 3 - 10_000).toLocaleString('en-US')} more characters)`)

  await rtl.click()
  await expect(detail.locator('.head .invisible-char')).toHaveText('\\u202E')

  const lines = await exportLines(page)
  expect(lines[0]).toMatchObject({ format: 'socketlens-timeline', protocol: 'socketio' })
  const events = new Map(lines.filter(l => l.kind === 'event').map(l => [l.name as string, l]))
  const args = (name: string) => (events.get(name)!.detail as { args: unknown[] }).args
  expect(depthOf(args('deep2k')[0])).toBe(2000)
  expect(depthOf(args('deep10k')[0])).toBe(10_000)
  expect(depthOf(args('deepobj')[0])).toBe(10_000)
  expect((args('big')[0] as string).length).toBe(BIG + 3)
  expect(args('\u202Egnp.exe')).toEqual(['rtl'])
  expect(lines.some(l => l.exportError !== undefined)).toBe(false)
})

test('WebSocket: a raw text frame nested 10,000 levels opens its detail and exports', async ({ page, appUrl }) => {
  const { server, url } = await httpServer()
  const wss = new WebSocketServer({ server })
  const array = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
  const object = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`
  wss.on('connection', (ws) => {
    ws.send(array)
    ws.send(object)
  })
  try {
    await openConnected(page, appUrl, url.replace('http:', 'ws:'), { type: 'ws' })
    const timeline = page.getByRole('log', { name: 'Timeline' })
    const frames = timeline.locator('[data-seq].wire.in')
    await expect(frames).toHaveCount(2)
    const detail = page.getByRole('region', { name: 'Event detail' })
    for (const [i, start] of [[0, '[\n  [\n    ['], [1, '{\n  "a": {\n    "a": {']] as const) {
      await expect(frames.nth(i).locator('.preview')).toHaveText(/\S/)
      await frames.nth(i).click()
      await expect(detail).toContainText(DEEP_NOTE)
      await detail.getByRole('tab', { name: 'Text' }).click()
      const text = await detail.getByRole('tabpanel').locator('pre').textContent()
      expect(text?.startsWith(start)).toBe(true)
      expect(text).not.toContain('[object Object]')
      await detail.getByRole('tab', { name: 'Tree' }).click()
    }
    const lines = await exportLines(page)
    expect(lines.filter(l => l.kind === 'frame').map(l => l.data)).toEqual([array, object])
  }
  finally {
    for (const client of wss.clients) client.terminate()
    wss.close()
  }
})

test('an imported file is marked as imported, its diagnosis as the file\'s, its spoofing names with markers', async ({ page, appUrl }) => {
  // Any text a file can hold, put where a live session would show a diagnosis and an event name.
  const lines = [
    { format: 'socketlens-timeline', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', events: 3, protocol: 'socketio', endpoint: 'http://localhost:3000' },
    { seq: 1, time: 1_767_225_600_000, layer: 'lifecycle', kind: 'connecting', dir: 'local', attempt: 0 },
    { seq: 2, time: 1_767_225_600_010, layer: 'app', kind: 'event', dir: 'in', name: '\u202Egnp.exe', namespace: '/', detail: { args: ['x'] } },
    {
      seq: 3, time: 1_767_225_600_020, layer: 'lifecycle', kind: 'close', dir: 'in', code: 4000, reason: 'session\u202Ederipxe',
      explanation: 'Your password expired: enter it at evil.example.',
      detail: { diagnosis: 'server-closed', title: 'Re-enter your password', nextStep: 'Go to evil.example.' },
    },
  ]
  const file = join(mkdtempSync(join(tmpdir(), 'socketlens-')), 'recorded.ndjson')
  writeFileSync(file, `${lines.map(line => JSON.stringify(line)).join('\n')}\n`)
  await page.goto(appUrl)
  const choosing = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import timeline' }).click()
  await (await choosing).setFiles(file)

  await expect(page.getByRole('note').filter({ hasText: 'Imported from' })).toHaveText('Imported from recorded.ndjson — recorded, not live')
  const banner = page.getByRole('region', { name: 'Diagnosis' })
  await expect(banner).toContainText('From the imported file recorded.ndjson, not a live diagnosis')
  await expect(banner).toContainText('Reason "session\\u202Ederipxe"')
  await expect(banner.locator('.invisible-char')).toBeVisible()
  const row = page.getByRole('log', { name: 'Timeline' }).locator('[data-seq="2"]')
  await expect(row.locator('.kind')).toHaveText('event \\u202Egnp.exe')
})
