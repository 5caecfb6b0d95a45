/**
 * Regenerates docs/screenshot.png, the README's picture: the built app (run `vite build` first) on a Socket.IO
 * session with a room joined and an acknowledged emit selected, in the dark theme. `tsx scripts/screenshot.ts`.
 */
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from './chromium'
import { preview } from 'vite'
import { FREE_PORTS, startDevServer } from '../dev-server/index'

const root = fileURLToPath(new URL('..', import.meta.url))
const dev = await startDevServer({ ports: FREE_PORTS, log: () => {} })
const app = await preview({ root, preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' })
const address = app.httpServer.address()
if (!address || typeof address === 'string') throw new Error('vite preview did not bind a TCP port')
const browser = await chromium.launch(chromiumLaunchOptions())
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 }, colorScheme: 'dark' })
  const endpoint = dev.urls.socketio.replace('127.0.0.1', 'localhost')
  await page.goto(`http://localhost:${address.port}/?${new URLSearchParams({ url: endpoint, type: 'socketio', connect: '1' })}`)
  await page.getByRole('status').filter({ hasText: /\bframes?\b/ }).getByText('open').waitFor()
  await page.getByRole('textbox', { name: 'Room' }).fill('lobby')
  await page.getByRole('button', { name: 'Join room' }).click()
  await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
  await page.getByRole('textbox', { name: 'Message' }).fill('{"symbol":"ACME","price":42.17,"tags":["live","demo"]}')
  await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
  await page.getByRole('button', { name: 'Send' }).click()
  await page.getByRole('log', { name: 'Timeline' }).getByText('ack echo').click()
  await page.waitForTimeout(500)
  await page.screenshot({ path: fileURLToPath(new URL('../docs/screenshot.png', import.meta.url)) })
}
finally {
  await browser.close()
  await new Promise<void>(resolve => app.httpServer.close(() => resolve()))
  await dev.close()
}
