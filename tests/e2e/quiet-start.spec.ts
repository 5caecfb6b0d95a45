import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { deepLink, expect, test } from './fixtures'

/**
 * What the app leaves for its first quiet moment (src/whenQuiet.ts) — the code editor's chunk, the service worker's
 * registration — must not land on the flood a deep link opens. A server that takes its time over the handshake
 * (a remote one, a busy one) opens the connection after the page's first second: the page idles while the
 * handshake is in flight, and that idle time is not quiet.
 */

const HANDSHAKE_MS = 2_000
const FRAMES = 3_000

test('a deep link\'s connection still opening holds back the editor and the service worker until its flood is over', async ({ page, appUrl }) => {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, done) => void setTimeout(() => done(true), HANDSHAKE_MS),
  })
  server.on('connection', (socket) => {
    const payload = 'x'.repeat(100)
    for (let i = 0; i < FRAMES; i++) socket.send(payload)
  })
  await new Promise(resolve => server.once('listening', resolve))
  try {
    // When the status first said "open", and when it first counted the whole flood (page time).
    await page.addInitScript((frames) => {
      const seen: Record<string, number> = {}
      Object.assign(window, { __seen: seen })
      const watch = new MutationObserver(() => {
        const text = document.querySelector('[role="status"]')?.textContent ?? ''
        if (/\bopen\b/.test(text)) seen.open ??= performance.now()
        if (text.includes(`${frames.toLocaleString('en-US')} frames`)) seen.flooded ??= performance.now()
      })
      addEventListener('DOMContentLoaded', () => watch.observe(document.body, { subtree: true, childList: true, characterData: true }))
    }, FRAMES)
    const endpoint = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`
    await page.goto(deepLink(appUrl, endpoint, { type: 'ws', connect: '1' }))
    await expect(page.getByRole('status')).toContainText(`${FRAMES.toLocaleString('en-US')} frames`, { timeout: 20_000 })
    // Once the page is quiet the editor replaces the Message textarea.
    await expect(page.locator('.cm-editor')).toHaveCount(1, { timeout: 20_000 })
    const { seen, fetched } = await page.evaluate(() => ({
      seen: (window as unknown as { __seen: Record<string, number> }).__seen,
      fetched: performance.getEntriesByType('resource').map(e => ({ name: new URL(e.name).pathname, at: e.startTime })),
    }))
    const editor = fetched.find(r => /\/codeMirror-[^/]*\.js$/.test(r.name))
    const serviceWorker = fetched.find(r => /\/workbox-window[^/]*\.js$/.test(r.name))
    expect(editor, 'the editor chunk was fetched').toBeDefined()
    expect(serviceWorker, 'the service worker\'s registration chunk was fetched').toBeDefined()
    expect(seen.open).toBeGreaterThan(HANDSHAKE_MS)
    expect(seen.flooded).toBeDefined()
    expect(editor!.at, 'the editor chunk waited for the flood').toBeGreaterThan(seen.flooded!)
    expect(serviceWorker!.at, 'the service worker waited for the flood').toBeGreaterThan(seen.flooded!)
  }
  finally {
    for (const client of server.clients) client.terminate()
    await new Promise(resolve => server.close(resolve))
  }
})
