import { readFileSync } from 'node:fs'
import { deepLink, expect, openConnected, test } from './fixtures'

test.describe('timeline', () => {
  test('detail pane, export as NDJSON and import back into a read-only session', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, `${dev.ws}/echo`, { type: 'ws', connect: '1' }))
    const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
    await expect(status).toContainText('open')
    await page.getByRole('textbox', { name: 'Message' }).fill('{"greeting":"hello","n":[1,2]}')
    await page.getByRole('button', { name: 'Send' }).click()
    const timeline = page.getByRole('log', { name: 'Timeline' })
    await expect(status).toContainText(/\b1 frame\b/)

    // The echoed frame: its detail shows the JSON as a tree and as text.
    const echoed = timeline.locator('[data-seq]').filter({ hasText: '↓' }).filter({ hasText: 'greeting' })
    await echoed.click()
    const detail = page.getByRole('region', { name: 'Event detail' })
    await expect(detail.getByRole('tabpanel')).toContainText('greeting: "hello"')
    await detail.getByRole('tab', { name: 'Text' }).click()
    await expect(detail.getByRole('tabpanel')).toContainText('"greeting": "hello"')

    const downloading = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export timeline' }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toMatch(/\.ndjson$/)
    const file = await download.path()
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map(line => JSON.parse(line) as Record<string, unknown>)
    expect(lines[0]).toMatchObject({ format: 'socketlens-timeline', version: 1, protocol: 'ws' })
    const frames = lines.filter(l => l.kind === 'frame')
    expect(frames.map(f => [f.dir, f.data])).toEqual([['out', '{"greeting":"hello","n":[1,2]}'], ['in', '{"greeting":"hello","n":[1,2]}']])

    const choosing = page.waitForEvent('filechooser')
    await page.getByRole('button', { name: 'Import timeline' }).click()
    await (await choosing).setFiles(file)
    await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText('read-only')
    const imported = page.getByRole('log', { name: 'Timeline' })
    await expect(imported.locator('[data-seq]')).toHaveCount(lines.length - 1)
    await expect(imported).toContainText('greeting')
    await expect(page.getByRole('button', { name: 'Clear' })).toHaveCount(0)
  })

  test('Clear empties the live session\'s timeline through the store: rows, counts and the open detail', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, `${dev.ws}/echo`, { type: 'ws', connect: '1' }))
    const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
    await expect(status).toContainText('open')
    await page.getByRole('textbox', { name: 'Message' }).fill('before clear')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(status).toContainText(/\b1 frame\b/)
    const timeline = page.getByRole('log', { name: 'Timeline' })
    await timeline.locator('[data-seq]').filter({ hasText: 'before clear' }).first().click()
    await expect(page.getByRole('region', { name: 'Event detail' })).toBeVisible()
    await page.getByRole('button', { name: 'Clear' }).click()
    await expect(timeline).toHaveText('No events yet.')
    await expect(status).toContainText(/\b0 frames\b/)
    await expect(page.getByRole('region', { name: 'Event detail' })).toHaveCount(0)
    // Still connected and recording: the next echo is the first row again.
    await page.getByRole('textbox', { name: 'Message' }).fill('after clear')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(status).toContainText(/\b1 frame\b/)
    await expect(timeline.locator('[data-seq]').filter({ hasText: 'after clear' })).toHaveCount(2)
  })

  test('Socket.IO: an ack links back to its emit, and the charts draw', async ({ page, appUrl, dev }) => {
    await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })
    await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
    await page.getByRole('textbox', { name: 'Message' }).fill('{"ping":1}')
    await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
    await page.getByRole('button', { name: 'Send' }).click()

    const timeline = page.getByRole('log', { name: 'Timeline' })
    const ack = timeline.locator('[data-seq]').filter({ hasText: /ack echo/ })
    await expect(ack).toHaveCount(1)
    await ack.click()
    const detail = page.getByRole('region', { name: 'Event detail' })
    await expect(detail).toContainText('round trip')
    await detail.getByRole('button', { name: /^Go to the emit that asked #\d+$/ }).click()
    await expect(detail.locator('.head')).toContainText('echo')
    await expect(detail.getByRole('button', { name: /^Go to its ack #\d+$/ })).toBeVisible()

    await page.getByRole('button', { name: 'Latency' }).click()
    await expect(page.getByText('Ack round trip', { exact: true })).toBeVisible()
    await expect(page.locator('.summary').first()).toContainText(/min [\d.]+ · median [\d.]+ · p95 [\d.]+ · max [\d.]+ ms \(1\)/)
    await expect(page.getByRole('img', { name: /^Latency over time/ }).locator('canvas')).toHaveCount(1)
    await page.getByRole('button', { name: 'Throughput' }).click()
    await expect(page.getByRole('img', { name: /^Throughput in and out/ }).locator('canvas')).toHaveCount(1)
  })
})
