/**
 * The fan-out scenario of `npm run bench` (issue 13): N clients of the dev server's Socket.IO room server in the built
 * app's fan-out view (websocket transport), all in one room; client 1 sends a burst; the others receive it. Reports
 * the longest main-thread task while the burst is delivered (CPU time from a Chromium trace, bench/taskTrace.ts, and
 * wall time from the long-task observer; target: under 50 ms) and the delivery latency percentiles the view shows.
 *
 * The page is opened over its own DevTools WebSocket (bench/cdp.ts), not as a Playwright page: Playwright enables
 * the Network domain, which reports every WebSocket frame, in the renderer, to the driver.
 *
 * Run alone: `npx tsx bench/fanout.ts [--dist <dir>] [--clients 201] [--burst 100] [--limit] [--json out.json]`;
 * `--limit` instead opens 500 clients and reports how many Chromium lets open at once (the per-page cap).
 */
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { chromiumLaunchOptions } from '../scripts/chromium.ts'
import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { preview } from 'vite'
import { FREE_PORTS, startDevServer } from '../dev-server/index.ts'
import { CdpPage, freePort } from './cdp.ts'
import { MONITOR_SCRIPT, NO_SAVED_TABS } from './pages.ts'
import { stopTaskTrace } from './taskTrace.ts'

export interface FanoutBenchResult {
  clients: number
  receivers: number
  burst: number
  /** Ramp until every client was open and in the room (ms). */
  rampMs: number
  /** From the click on Send burst to the view showing every delivery (ms). */
  deliveredMs: number
  delivered: number
  expected: number
  latency: { min: number, median: number, p95: number, max: number } | undefined
  longestTaskCpuMs: number
  longestTaskWallMs: number
  /** Long-task observer: tasks ≥ 50 ms (wall) during the burst, and the longest. */
  longTasks: number
  longTaskMs: number
  /** Main-thread CPU over the burst (ms), from the trace. */
  mainThreadCpuMs: number
  load: number[]
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** DOM helpers installed in the page: set a labelled field as typing would, click a button by its text, read a region. */
const HELPERS = `window.__fan = {
  field(label) {
    const l = [...document.querySelectorAll('label')].find(l => l.querySelector('span')?.textContent.trim() === label)
    const el = l && l.querySelector('input, select, textarea')
    if (!el) throw new Error('no field ' + label)
    return el
  },
  set(label, value) {
    const el = this.field(label)
    if (el.type === 'checkbox') { if (el.checked !== value) el.click(); return }
    el.value = String(value)
    el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }))
  },
  click(text) {
    const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === text)
    if (!b) throw new Error('no button ' + text)
    b.click()
  },
  text(label) {
    const el = document.querySelector('[aria-label="' + label + '"]')
    if (!el) return ''
    // Each text node apart: the figures sit in neighbouring spans.
    const parts = []
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    while (walker.nextNode()) parts.push(walker.currentNode.textContent)
    return parts.join(' | ')
  },
}`

async function waitFor<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await poll()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value).slice(0, 300)})`)
    await new Promise(r => setTimeout(r, 100))
  }
}

const count = (text: string, re: RegExp): number => {
  const m = re.exec(text)
  return m ? Number(m[1]!.replace(/,/g, '')) : -1
}

async function openFanout(page: CdpPage, appUrl: string, endpoint: string, clients: number, room: string, rampPerSecond: number): Promise<void> {
  await page.navigate(`${appUrl}/`, `${MONITOR_SCRIPT};${NO_SAVED_TABS};localStorage.setItem('socketlens.startHere.v1', 'dismissed')`)
  await waitFor('the app', () => page.evaluate<boolean>(`!!document.querySelector('header button')`), v => v)
  await page.evaluate(`${HELPERS}; __fan.click('Fan-out'); true`)
  await waitFor('the fan-out view', () => page.evaluate<boolean>(`!!document.querySelector('[aria-label="Fan-out setup"]')`), v => v)
  await page.evaluate(`(() => {
    __fan.set('Fan-out endpoint', ${JSON.stringify(endpoint)})
    __fan.set('Protocol', 'socketio')
    return true
  })()`)
  await page.evaluate(`(() => {
    __fan.set('Clients', ${clients})
    __fan.set('Clients per second', ${rampPerSecond})
    __fan.set('Rooms', ${JSON.stringify(room)})
    __fan.set('WebSocket transport only (recommended)', true)
    __fan.click('Start fan-out')
    return true
  })()`)
}

/** The fan-out scenario in an open browser (remote debugging on `debugPort`). */
export async function benchFanout(options: { browser: Browser, debugPort: number, appUrl: string, socketIoUrl: string, clients?: number, burst?: number, log: (line: string) => void }): Promise<FanoutBenchResult> {
  const { browser, debugPort, appUrl, socketIoUrl, log } = options
  const clients = options.clients ?? 201
  const burst = options.burst ?? 100
  const receivers = clients - 1
  const page = await CdpPage.open(debugPort)
  try {
    const room = `bench-${Date.now().toString(36)}`
    const rampStart = Date.now()
    await openFanout(page, appUrl, socketIoUrl, clients, room, 50)
    await waitFor(`${clients} clients in the room`, () => page.evaluate<string>(`__fan.text('Client states')`), text => count(text, /([\d,]+) in their room/) === clients, 180_000)
    const rampMs = Date.now() - rampStart
    // Let the ramp's last renders and timers settle before measuring.
    await new Promise(r => setTimeout(r, 1500))
    const load = loadavg()
    await page.evaluate(`__bench.longTasks.length = 0; __fan.set('Burst size', ${burst}); true`)
    await browser.startTracing(undefined, { categories: ['toplevel', 'blink.user_timing', '__metadata'] })
    const t0 = await page.evaluate<number>(`(() => { const t = performance.now(); __fan.click('Send burst'); return t })()`)
    const expected = receivers * burst
    const text = await waitFor(`${fmt(expected)} deliveries`, () => page.evaluate<string>(`__fan.text('Deliveries')`), t => count(t, /Delivered ([\d,]+) of/) >= expected, 120_000)
    const t1 = await page.evaluate<number>('performance.now()')
    // The last tick's render after the final delivery is part of the burst.
    await new Promise(r => setTimeout(r, 1000))
    const trace = await stopTaskTrace(browser)
    const jank = await page.evaluate<{ longTask: number, longTasks: number }>(`__bench.jank(${t0}, ${t1 + 1000})`)
    // The trace's tasks from the burst's click on (the trace started right before it).
    let longestTaskCpuMs = 0
    let longestTaskWallMs = 0
    let mainThreadCpuMs = 0
    for (const task of trace.tasks) {
      longestTaskCpuMs = Math.max(longestTaskCpuMs, task.cpuMs)
      longestTaskWallMs = Math.max(longestTaskWallMs, task.wallMs)
      mainThreadCpuMs += task.cpuMs
    }
    const figures = /min ([\d.,]+) · median ([\d.,]+) · p95 ([\d.,]+) · max ([\d.,]+) ms/.exec(text)
    const num = (s: string) => Number(s.replace(/,/g, ''))
    const result: FanoutBenchResult = {
      clients, receivers, burst, rampMs, deliveredMs: t1 - t0,
      delivered: count(text, /Delivered ([\d,]+) of/), expected: count(text, /of ([\d,]+) expected/),
      latency: figures ? { min: num(figures[1]!), median: num(figures[2]!), p95: num(figures[3]!), max: num(figures[4]!) } : undefined,
      longestTaskCpuMs, longestTaskWallMs, longTasks: jank.longTasks, longTaskMs: jank.longTask, mainThreadCpuMs, load,
    }
    log('')
    log(`Fan-out: ${clients} Socket.IO clients (websocket) in one room, client 1 sends a burst of ${burst}: ${fmt(expected)} deliveries to ${receivers} receivers`)
    log(`  ramp to ${clients} open and joined: ${fmt(rampMs)} ms (50 clients/s) · burst delivered in ${fmt(result.deliveredMs)} ms (${fmt(result.delivered)} of ${fmt(result.expected)})`)
    if (result.latency) log(`  delivery latency, send → receive: min ${fmt(result.latency.min, 1)} · median ${fmt(result.latency.median)} · p95 ${fmt(result.latency.p95)} · max ${fmt(result.latency.max)} ms`)
    log(`  longest main-thread task during the burst: ${fmt(longestTaskCpuMs)} ms CPU, ${fmt(longestTaskWallMs)} ms wall (trace); long-task observer: ${jank.longTasks} task(s) ≥ 50 ms, longest ${fmt(jank.longTask)} ms   (target: none over 50 ms)`)
    log(`  main-thread CPU over the burst: ${fmt(mainThreadCpuMs)} ms (${fmt((mainThreadCpuMs * 1000) / Math.max(1, result.delivered), 1)} µs per delivery) · load average ${load.map(l => l.toFixed(2)).join(' ')}`)
    return result
  }
  finally {
    await page.evaluate(`(() => { try { __fan.click('Stop fan-out') } catch {} return true })()`).catch(() => undefined)
    await page.close()
  }
}

/** `--limit`: open `clients` at once and count how many Chromium lets open (the rest stay connecting or fail). */
export async function probeLimit(options: { debugPort: number, appUrl: string, socketIoUrl: string, clients: number, log: (line: string) => void }): Promise<{ open: number, states: string }> {
  const { debugPort, appUrl, socketIoUrl, clients, log } = options
  const page = await CdpPage.open(debugPort)
  try {
    // No room: joins make the study note's server announce every join to the whole room (N² messages).
    await openFanout(page, appUrl, socketIoUrl, clients, '', 100)
    // Past the ramp, and long enough for socket.io-client's 20 s connect timeout to report what does not open.
    await new Promise(r => setTimeout(r, clients * 10 + 25_000))
    const states = await page.evaluate<string>(`__fan.text('Client states')`)
    const open = count(states, /open ([\d,]+)/)
    log(`Limit probe: ${clients} clients asked for → ${states.replace(/\s+/g, ' ').trim()}`)
    return { open, states }
  }
  finally {
    await page.evaluate(`(() => { try { __fan.click('Stop fan-out') } catch {} return true })()`).catch(() => undefined)
    await page.close()
  }
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name)
    return i > 0 ? process.argv[i + 1] : undefined
  }
  const distDir = arg('--dist')
  const jsonFile = arg('--json')
  const log = (line: string) => process.stdout.write(`${line}\n`)
  const dev = await startDevServer({ ports: FREE_PORTS, log: () => {} })
  const app = await preview({ ...(distDir ? { build: { outDir: distDir } } : {}), preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' })
  const appUrl = `http://localhost:${(app.httpServer.address() as AddressInfo).port}`
  const debugPort = await freePort()
  const browser = await chromium.launch(chromiumLaunchOptions([`--remote-debugging-port=${debugPort}`]))
  try {
    log(`Chromium ${browser.version()} (headless); load average ${loadavg().map(l => l.toFixed(2)).join(' ')}`)
    const out: Record<string, unknown> = {}
    if (process.argv.includes('--limit')) {
      const n = Number(arg('--clients') ?? 500)
      out.limit = await probeLimit({ debugPort, appUrl, socketIoUrl: dev.urls.socketio, clients: n, log })
    }
    else {
      out.fanout = await benchFanout({ browser, debugPort, appUrl, socketIoUrl: dev.urls.socketio, clients: Number(arg('--clients') ?? 201), burst: Number(arg('--burst') ?? 100), log })
    }
    if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(out, null, 2)}\n`)
  }
  finally {
    await browser.close()
    await new Promise<void>(resolve => app.httpServer.close(() => resolve()))
    await dev.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`fan-out bench failed: ${(error as Error).stack ?? String(error)}\n`)
    process.exitCode = 1
  })
}
