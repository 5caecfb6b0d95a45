/**
 * How long a page's first connection takes, from the click on Connect to the status saying "open", against the
 * connections after it on the same page (the drivers in their Worker, the default). Each round opens a fresh browser
 * context on the app with the dev server's raw WebSocket echo in the form (no `connect=1`), leaves it 3 s (a person
 * reading the page; the page's quiet moment comes in that time), then connects and disconnects three times.
 *
 *   npx vite build --outDir /tmp/dist-a && npx tsx bench/firstConnect.ts --dist /tmp/dist-a [--compare /tmp/dist-b] [--rounds 6]
 *
 * These are Playwright pages (which report each WebSocket frame to the driver, see docs/performance.md "How to run"):
 * a handshake and a few frames, the same for both builds, not a flood.
 *
 * With `--compare` the two builds take turns, round by round. Wall-clock figures on a shared machine: compare the
 * two builds within one run, not runs with each other. Recorded in docs/performance.md, "The first connection".
 */
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { chromiumLaunchOptions } from '../scripts/chromium.ts'
import { preview, type PreviewServer } from 'vite'
import { FREE_PORTS, startDevServer } from '../dev-server/index.ts'

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : undefined
}

const builds = [option('--dist') ?? 'dist', option('--compare')].filter((dir): dir is string => dir !== undefined)
const rounds = Math.max(1, Math.min(20, Number(option('--rounds') ?? 6) || 6))
/** Connections per page: the first, then the ones that find everything started. */
const CONNECTIONS = 3
/** How long a page is left before its first Connect. */
const READ_MS = 3000

/** Click Connect, resolve with the ms until the status region says "open" (observed, no polling, no layout forced). */
const CONNECT_TO_OPEN = `(async () => {
  const button = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Connect')
  if (!button) throw new Error('no Connect button')
  const status = () => document.querySelector('[role="status"]')?.textContent ?? ''
  const started = performance.now()
  const open = new Promise(resolve => {
    const observer = new MutationObserver(() => {
      if (/^open/.test(status())) { observer.disconnect(); resolve(undefined) }
    })
    observer.observe(document.body, { subtree: true, childList: true, characterData: true })
  })
  button.click()
  await open
  return performance.now() - started
})()`

async function measure(browser: Browser, appUrl: string, endpoint: string): Promise<{ times: number[], workerBefore: boolean }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
  try {
    await context.addInitScript(() => localStorage.setItem('socketlens.startHere.v1', 'dismissed'))
    const page = await context.newPage()
    await page.goto(`${appUrl}/?${new URLSearchParams({ url: endpoint, type: 'ws' })}`)
    await page.waitForTimeout(READ_MS)
    const workerBefore = page.workers().some(worker => /drivers\.worker/.test(worker.url()))
    const times: number[] = []
    for (let i = 0; i < CONNECTIONS; i++) {
      times.push(await page.evaluate<number>(CONNECT_TO_OPEN))
      await page.getByRole('button', { name: 'Disconnect' }).click()
      await page.getByRole('button', { name: 'Connect' }).waitFor()
      await page.waitForTimeout(500)
    }
    return { times, workerBefore }
  }
  finally {
    await context.close()
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
const ms = (value: number) => value.toFixed(0)

async function main(): Promise<void> {
  const dev = await startDevServer({ ports: FREE_PORTS, log: () => {} })
  const servers: PreviewServer[] = []
  let browser: Browser | undefined
  try {
    for (const dir of builds) servers.push(await preview({ build: { outDir: dir }, preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' }))
    const urls = servers.map(server => `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`)
    browser = await chromium.launch(chromiumLaunchOptions())
    const endpoint = `ws://127.0.0.1:${dev.ports.ws}/echo`
    console.log(`First connection — ${new Date().toISOString()}, ${rounds} round(s), ${endpoint}`)
    const results = builds.map(() => ({ first: [] as number[], later: [] as number[], workerBefore: 0 }))
    for (let round = 0; round < rounds; round++) {
      // Taking turns: which build goes first alternates with the round.
      const order = builds.map((_, i) => i)
      if (round % 2 === 1) order.reverse()
      for (const i of order) {
        const { times, workerBefore } = await measure(browser, urls[i]!, endpoint)
        results[i]!.first.push(times[0]!)
        results[i]!.later.push(...times.slice(1))
        if (workerBefore) results[i]!.workerBefore++
      }
    }
    builds.forEach((dir, i) => {
      const r = results[i]!
      console.log(`  ${dir}: first Connect → open median ${ms(median(r.first))} ms (${r.first.map(ms).join(', ')}) · later ones median ${ms(median(r.later))} ms (${r.later.map(ms).join(', ')}) · driver Worker already running before the first Connect in ${r.workerBefore} of ${rounds}`)
    })
  }
  finally {
    await browser?.close()
    for (const server of servers) await server.close()
    await dev.close()
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
