/**
 * How long selecting a Socket.IO event with a huge string argument blocks the page (issue 11, item 2):
 * `npx tsx bench/selectHuge.ts [distDir] [MiB]` serves the build in distDir (default dist/), has a Socket.IO
 * server of its own emit one event whose argument is a string of MiB mebibytes (default 64), clicks its row and
 * prints the time until the detail pane shows it and the longest task meanwhile. A measurement, not a test.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium } from '@playwright/test'
import { Server } from 'socket.io'
import { preview } from 'vite'
import { CHROMIUM_PATH } from '../scripts/chromium.ts'

const distDir = process.argv[2] ?? 'dist'
const mib = Number(process.argv[3] ?? 64)

const http = createServer()
const io = new Server(http, { cors: { origin: '*' } })
io.on('connection', socket => socket.on('go', () => socket.emit('big', 'x'.repeat(mib * 1024 * 1024))))
await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
const ioUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
const app = await preview({ preview: { port: 0, host: '127.0.0.1' }, build: { outDir: distDir }, logLevel: 'silent' })
const appUrl = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] })
try {
  const page = await browser.newPage()
  await page.goto(`${appUrl}/?${new URLSearchParams({ url: ioUrl, type: 'socketio', connect: '1' })}`)
  await page.getByRole('status').filter({ hasText: /frames/ }).filter({ hasText: 'open' }).waitFor()
  await page.getByRole('textbox', { name: 'Event name' }).fill('go')
  await page.getByRole('button', { name: 'Send' }).click()
  const row = page.getByRole('log', { name: 'Timeline' }).locator('[data-seq].app').filter({ hasText: 'event big' })
  await row.waitFor({ timeout: 120_000 })
  await page.waitForTimeout(1000)
  await page.evaluate(() => {
    const w = window as unknown as { longest: number }
    w.longest = 0
    new PerformanceObserver(list => list.getEntries().forEach((e) => { w.longest = Math.max(w.longest, e.duration) })).observe({ type: 'longtask' })
  })
  const start = Date.now()
  await row.click({ timeout: 300_000 })
  await page.getByRole('region', { name: 'Event detail' }).locator('.head').filter({ hasText: 'big' }).waitFor({ timeout: 300_000 })
  await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0))))
  const elapsed = Date.now() - start
  await page.waitForTimeout(500)
  const longest = await page.evaluate(() => (window as unknown as { longest: number }).longest)
  console.log(`${distDir}: selecting an event with a ${mib} MiB string argument: ${elapsed} ms to the detail pane, longest task ${Math.round(longest)} ms`)
}
finally {
  await browser.close()
  await io.close()
  await new Promise<void>(resolve => app.httpServer.close(() => resolve()))
}
