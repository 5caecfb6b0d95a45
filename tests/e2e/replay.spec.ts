import type { Page } from '@playwright/test'
import { expect, openConnected, statusOf, test } from './fixtures'

interface Line { layer: string, kind: string, dir: string, name?: string, namespace?: string, ackId?: number, detail?: { args?: unknown[] } }

/** The shown session's events as "Export timeline" writes them. */
async function exportedEvents(page: Page): Promise<Line[]> {
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export timeline' }).click()
  const { readFile } = await import('node:fs/promises')
  const lines = (await readFile(await (await download).path(), 'utf8')).split('\n').filter(Boolean)
  return lines.slice(1).map(line => JSON.parse(line) as Line)
}

async function emit(page: Page, name: string, message: string, ack: boolean): Promise<void> {
  await page.getByRole('textbox', { name: 'Event name' }).fill(name)
  await page.getByRole('textbox', { name: 'Message' }).fill(message)
  await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).setChecked(ack)
  await page.getByRole('button', { name: 'Send' }).click()
}

/** Record on the dev server's Socket.IO, save, and reopen the recording from the saved list (read-only). */
async function recordAndReopen(page: Page, appUrl: string, endpoint: string, emits: [string, string, boolean][], pauseMs = 0): Promise<void> {
  const status = await openConnected(page, appUrl, endpoint, { type: 'socketio' })
  for (const [name, message, ack] of emits) {
    await emit(page, name, message, ack)
    if (ack) await expect(page.getByRole('region', { name: 'Composer' })).toContainText(/Ack in/)
    if (pauseMs) await page.waitForTimeout(pauseMs)
  }
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(status).toContainText('closed')
  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/^Saved "/)).toBeVisible()
  await page.getByRole('button', { name: 'Saved timelines' }).click()
  await page.getByRole('region', { name: 'Saved timelines' }).getByRole('button', { name: /^Open saved / }).first().click()
  await expect(statusOf(page)).toContainText('imported (read-only)')
}

const emitsOf = (events: Line[]) => events.filter(e => e.layer === 'app' && e.kind === 'emit').map(e => ({ name: e.name, args: e.detail?.args, ack: e.ackId !== undefined }))
const acksOf = (events: Line[]) => events.filter(e => e.layer === 'app' && e.kind === 'ack').map(e => ({ name: e.name, args: e.detail?.args }))

test('Replay sends a recorded Socket.IO session\'s emits again, with and without ack, and the acks come back', async ({ page, appUrl, dev }) => {
  test.setTimeout(90_000)
  await recordAndReopen(page, appUrl, dev.socketio, [['greet', 'hello', false], ['store', '{"id":7,"tags":["a","b"]}', true], ['note', '42', false]])
  const recorded = await exportedEvents(page)
  expect(emitsOf(recorded)).toEqual([
    { name: 'greet', args: ['hello'], ack: false },
    { name: 'store', args: [{ id: 7, tags: ['a', 'b'] }], ack: true },
    { name: 'note', args: [42], ack: false },
  ])

  await page.getByRole('button', { name: 'Replay', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Replay a recording' })
  await expect(dialog.getByRole('textbox', { name: 'Target endpoint' })).toHaveValue(dev.socketio)
  await dialog.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '10×' })
  await dialog.getByRole('button', { name: 'Start', exact: true }).click()

  // A new live session, connected, that sent all three and got the one ack.
  const progress = page.getByRole('group', { name: 'Replay progress' })
  await expect(progress).toContainText(/finished: 3 of 3 sent/)
  await expect(progress).toContainText('1 of 1 acknowledged')
  await expect(statusOf(page)).toContainText('open')
  const replayed = await exportedEvents(page)
  expect(emitsOf(replayed)).toEqual(emitsOf(recorded))
  expect(acksOf(replayed)).toEqual(acksOf(recorded))
  expect(acksOf(replayed)).toEqual([{ name: 'store', args: [{ id: 7, tags: ['a', 'b'] }] }])

  // Side by side with the recording.
  await page.getByRole('button', { name: 'Compare side by side' }).click()
  await expect(page.getByRole('main', { name: 'Side by side' })).toBeVisible()
})

test('Stop replay ends a replay between two messages; a long pause keeps its spacing', async ({ page, appUrl, dev }) => {
  test.setTimeout(90_000)
  await recordAndReopen(page, appUrl, dev.socketio, [['first', '1', false], ['second', '2', false]], 1500)
  await page.getByRole('button', { name: 'Replay', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Replay a recording' })
  await dialog.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '0.5× (half speed)' })
  await dialog.getByRole('button', { name: 'Start', exact: true }).click()
  const progress = page.getByRole('group', { name: 'Replay progress' })
  await expect(progress).toContainText(/: 1 of 2 sent/)
  // The recorded pause of 1.5 s or more is at least 3 s at half speed: the second is still waiting.
  await page.waitForTimeout(1500)
  await expect(progress).toContainText(/: 1 of 2 sent/)
  await page.getByRole('button', { name: 'Stop replay' }).click()
  await expect(progress).toContainText(/stopped: 1 of 2 sent/)
  await page.waitForTimeout(2000)
  expect(emitsOf(await exportedEvents(page)).map(e => e.name)).toEqual(['first'])
})

test('a replay whose endpoint does not open says so in bounded time and sends nothing', async ({ page, appUrl, dev }) => {
  test.setTimeout(90_000)
  await recordAndReopen(page, appUrl, dev.socketio, [['only', '1', false]])
  await page.getByRole('button', { name: 'Replay', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Replay a recording' })
  await dialog.getByRole('textbox', { name: 'Target endpoint' }).fill('http://127.0.0.1:9')
  await dialog.getByRole('spinbutton', { name: 'Wait for the connection (s)' }).fill('2')
  await dialog.getByRole('button', { name: 'Start', exact: true }).click()
  await expect(page.getByRole('group', { name: 'Replay progress' })).toContainText('did not open within 2 s, so nothing was sent', { timeout: 8000 })
  expect(emitsOf(await exportedEvents(page))).toEqual([])
})

test('Replay of a raw WebSocket recording resends its frames as fast as possible, to an endpoint typed in the dialog', async ({ page, appUrl, dev }) => {
  test.setTimeout(90_000)
  // Recorded against the classic echo (`/`), replayed against the byte-exact one (`/echo`): another endpoint.
  const status = await openConnected(page, appUrl, dev.ws)
  for (const text of ['alpha', '{"beta":2}']) {
    await page.getByRole('textbox', { name: 'Message' }).fill(text)
    await page.getByRole('button', { name: 'Send' }).click()
  }
  await expect(status).toContainText(/\b2 frames\b/)
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await page.getByRole('button', { name: 'Save timeline' }).click()
  await page.getByRole('button', { name: 'Saved timelines' }).click()
  await page.getByRole('region', { name: 'Saved timelines' }).getByRole('button', { name: /^Open saved / }).first().click()
  await expect(statusOf(page)).toContainText('imported (read-only)')

  await page.getByRole('button', { name: 'Replay', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Replay a recording' })
  await dialog.getByRole('textbox', { name: 'Target endpoint' }).fill(`${dev.ws}/echo`)
  await dialog.getByRole('combobox', { name: 'Speed' }).selectOption({ label: 'As fast as possible' })
  await expect(dialog.getByRole('spinbutton', { name: 'Max gap (ms)' })).toBeDisabled()
  await dialog.getByRole('button', { name: 'Start', exact: true }).click()
  await expect(page.getByRole('group', { name: 'Replay progress' })).toContainText(/finished: 2 of 2 sent/)
  await expect(statusOf(page)).toContainText(/open.*\b2 frames\b/)
  const frames = (await exportedEvents(page)).filter(e => e.layer === 'wire') as (Line & { data?: string })[]
  expect(frames.filter(f => f.dir === 'out').map(f => f.data)).toEqual(['alpha', '{"beta":2}'])
  // `/echo` answers byte for byte (the recording's `/` answered "echo message …"): it was the typed endpoint.
  expect(frames.filter(f => f.dir === 'in').map(f => f.data)).toEqual(['alpha', '{"beta":2}'])
})
