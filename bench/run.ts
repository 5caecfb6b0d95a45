/**
 * `npm run bench` (after `vite build`): measures SocketLens against a bare page in the same headless Chromium,
 * for raw WebSocket and Socket.IO floods, plus clicks during a flood and a million synthetic events.
 * `--quick`: small sizes, one run each (runs inside `npm test` so the benchmark keeps working; no timing assertion).
 * `--json <file>`: also write the results as JSON. `--dist <dir>`: serve another build than dist/ (a private
 * `vite build --outDir`, so a teammate's rebuild cannot swap files under a running benchmark).
 *
 * `--profile`: where the main thread's time goes during the floods (profileRun.ts); `--soak [minutes] [--rate n]`: a
 * sustained stream past the buffer cap, sampled every 30 s (soak.ts). Neither is part of `npm test`.
 *
 * Measured pages are driven through a bare DevTools-protocol connection (cdp.ts: Page and Runtime only), never
 * through Playwright pages, whose Network domain would itself slow the WebSocket receive path.
 */
import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { cpus, release, totalmem } from 'node:os'
import { chromium } from 'playwright-core'
import { chromiumLaunchOptions } from '../scripts/chromium.ts'
import { preview } from 'vite'
import { FREE_PORTS, startDevServer } from '../dev-server/index.ts'
import { CdpPage, freePort } from './cdp.ts'
import { benchFanout } from './fanout.ts'
import { MONITOR_SCRIPT, NO_SAVED_TABS, startPageServer } from './pages.ts'
import { profileFloods, profileScroll } from './profileRun.ts'
import { cpuSnapshot, cpuUse, settle, sumCpuUse, type CpuUse } from './procCpu.ts'
import { appFloodResult, BARE_RESULT, CLICKS_DURING_FLOOD, HEAP_PER_EVENT, SCROLL_VIEWPORT, STATUS_EVENTS, STATUS_FRAMES, syntheticScrollAndFilter, watchStatus } from './scenarios.ts'
import { soak } from './soak.ts'
import { startSocketIoFlood } from './socketioFlood.ts'
import type { DriverPlace } from '../src/stores/driverFactory'

const quick = process.argv.includes('--quick')
const jsonIndex = process.argv.indexOf('--json')
const jsonFile = jsonIndex > 0 ? process.argv[jsonIndex + 1] : undefined
const distIndex = process.argv.indexOf('--dist')
const distDir = distIndex > 0 ? process.argv[distIndex + 1] : undefined
/**
 * `--compare <dist>`: a second build of the app, measured in the same rounds as the first (`--dist`), each run beside
 * the other's, for a before/after on a noisy machine (the floods only).
 */
const compareIndex = process.argv.indexOf('--compare')
const compareDir = compareIndex > 0 ? process.argv[compareIndex + 1] : undefined
const profileArg = process.argv.find(arg => arg === '--profile' || arg.startsWith('--profile='))
const profile = profileArg !== undefined
const [profileKinds, profileTargets] = (profileArg?.split('=')[1] ?? ':').split(':').map(list => list ? list.split(',') : undefined)
const workerEvaluation = process.argv.includes('--worker')
/** Only the floods and the clicks during one (no million-event scroll, no fan-out): a quicker look at the hot path. */
const floodsOnly = process.argv.includes('--floods')
/** Only the million-event scroll and filter (`syntheticScroll`): no floods, no clicks, no fan-out. */
const scrollOnly = process.argv.includes('--scroll')
const soakIndex = process.argv.indexOf('--soak')
const soakMinutes = soakIndex > 0 ? Number(/^\d+(\.\d+)?$/.test(process.argv[soakIndex + 1] ?? '') ? process.argv[soakIndex + 1] : 10) : 0
const rateIndex = process.argv.indexOf('--rate')
const soakRate = rateIndex > 0 ? Number(process.argv[rateIndex + 1]) : 4_000
/**
 * `--place worker|page`: where SocketLens runs its drivers in the soak and the profile (default: the app's own choice
 * for the machine; the floods always measure both).
 */
const placeIndex = process.argv.indexOf('--place')
const forcedPlace = placeIndex > 0 ? process.argv[placeIndex + 1] as DriverPlace : undefined
const SIZES = quick
  ? { wsFrames: 5_000, sioEvents: 2_000, frameSize: 100, synthetic: 20_000, scrollSteps: 30, runs: 1 }
  : { wsFrames: 100_000, sioEvents: 50_000, frameSize: 100, synthetic: 1_000_000, scrollSteps: 200, runs: 7 }
const WAIT_MS = 180_000
/** In the app's page: ms until its service worker is active (installed, precache filled), or -1 after 30 s. */
const SERVICE_WORKER_ACTIVE = `(async () => {
  const started = performance.now();
  if (!('serviceWorker' in navigator)) return -1;
  const active = await Promise.race([navigator.serviceWorker.ready.then(r => r.active), new Promise(r => setTimeout(() => r(null), 30000))]);
  if (!active) return -1;
  if (active.state !== 'activated') await new Promise(r => active.addEventListener('statechange', () => { if (active.state === 'activated') r(); }));
  return performance.now() - started;
})()`

/** HEAP_PER_EVENT's answer: `heapBytes`, what clearing the timeline freed (the JS heap, ArrayBuffers included). */
interface HeapPerEvent { retained: number, heapBytes: number, arenaBytes: number, payloadBytes: number }
/**
 * A long animation frame (LoAF) of ≥ 50 ms in a flood (bench/pages.ts `jank`): ms after the flood's first frame, its
 * length, and its phases; `scripts` as [invoker, file, ms, ms of forced style and layout].
 */
interface LongFrame { at: number, ms: number, tasks: number, callbacks: number, render: number, scripts: [string, string, number, number][] }
/** `tasks`: every long task as [ms after the flood's first frame, ms]; `frames`: the long animation frames. */
interface Jank { longTask: number, longTasks: number, longTaskAt: number, frameGap: number, tasks?: [number, number][], frames?: LongFrame[] }
/** The runs' long animation frames: how many, where their time went (summed), which scripts ran, and the longest. */
function describeFrames(runs: FloodRun[]): string {
  const frames = runs.flatMap(r => r.jank.frames ?? [])
  if (frames.length === 0) return 'none ≥ 50 ms'
  const sum = (pick: (f: LongFrame) => number) => fmt(frames.reduce((total, f) => total + pick(f), 0))
  const byInvoker = new Map<string, [number, number]>()
  for (const [invoker, file, ms, forced] of frames.flatMap(f => f.scripts)) {
    const key = file ? `${invoker} (${file.split('?')[0]!.replace(/-[\w-]{8}\.js$/, '.js')})` : invoker
    const [total, layout] = byInvoker.get(key) ?? [0, 0]
    byInvoker.set(key, [total + ms, layout + forced])
  }
  const scripts = [...byInvoker].sort((a, b) => b[1][0] - a[1][0]).slice(0, 4)
    .map(([key, [ms, forced]]) => `${key} ${fmt(ms)} ms${forced > 0 ? ` (forced style and layout ${fmt(forced)})` : ''}`).join(', ')
  const longest = frames.reduce((a, b) => (b.ms > a.ms ? b : a))
  return `${frames.length} ≥ 50 ms, ${sum(f => f.ms)} ms in all: tasks before rendering ${sum(f => f.tasks)} · frame callbacks ${sum(f => f.callbacks)} · style, layout and paint ${sum(f => f.render)}; scripts ≥ 5 ms: ${scripts || 'none'}; longest ${fmt(longest.ms)} ms, ${fmt(longest.at)} ms into the flood (${longest.tasks} / ${longest.callbacks} / ${longest.render})`
}
/** Of the runs' long tasks, how many began in the flood's first `ms` (the app's start-up overlaps it), and how many later. */
function earlyTasks(runs: FloodRun[], ms = 500): string {
  const all = runs.flatMap(r => r.jank.tasks ?? [])
  const early = all.filter(([at]) => at < ms).length
  return `${early} of the ${all.length} in the flood's first ${ms} ms`
}
interface FloodRun {
  n: number, first: number, last: number, jank: Jank, /** App: ms from the last frame to the frame whose status region shows N (-1: not seen). */ statusLag?: number
  /** App: the status region's updates during the flood, and the median ms between two (-1: fewer than two). */
  updates?: number, updateGap?: number
  /** The machine's CPU from the first message counted to the last (procCpu.ts), and how many messages that was. */
  cpu?: CpuUse, cpuMessages?: number
}

/** CPU µs per message summed over runs: the total, the idle cores, and the threads that used the most. */
function describeCpu(runs: FloodRun[]): string {
  const measured = runs.filter(r => r.cpu && (r.cpuMessages ?? 0) > 0)
  if (measured.length === 0) return 'not measured'
  const use = sumCpuUse(measured.map(r => r.cpu!))
  const messages = measured.reduce((sum, r) => sum + r.cpuMessages!, 0)
  const us = (ms: number) => fmt(ms * 1000 / messages, 1)
  const top = use.threads.slice(0, 6).map(([key, ms]) => `${key} ${us(ms)}`).join(' · ')
  return `${us(use.total)} µs busy, ${us(use.idle)} µs idle — ${top}`
}

function rate(run: FloodRun): number {
  return run.n > 1 && run.last > run.first ? (run.n - 1) / (run.last - run.first) * 1000 : Number.NaN
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const fmt = (n: number, digits = 0) => Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a'
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function waitFor<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, intervalMs = 200): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await poll()
    if (done(value)) return value
    if (Date.now() - started > WAIT_MS) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`)
    await sleep(intervalMs)
  }
}

/** Where SocketLens runs its drivers: the settings the app reads at start (stores/settings.ts), written before it loads. */
function placeSetting(place: DriverPlace): string {
  const settings = { theme: 'system', maxEvents: 1_000_000, maxMegabytes: 256, driversInWorker: place === 'worker' }
  return `try { localStorage.setItem('socketlens.settings.v1', ${JSON.stringify(JSON.stringify(settings))}) } catch {}`
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`)
  const dev = await startDevServer({ ports: FREE_PORTS, log: () => {} })
  const sio = await startSocketIoFlood(SIZES.sioEvents, SIZES.frameSize)
  const pages = await startPageServer()
  const app = await preview({ ...(distDir ? { build: { outDir: distDir } } : {}), preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' })
  const appAddress = app.httpServer.address() as AddressInfo
  const appUrl = `http://localhost:${appAddress.port}`
  const appB = compareDir ? await preview({ build: { outDir: compareDir }, preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' }) : undefined
  const appUrlB = appB ? `http://localhost:${(appB.httpServer.address() as AddressInfo).port}` : undefined
  const debugPort = await freePort()
  const browser = await chromium.launch(chromiumLaunchOptions([`--remote-debugging-port=${debugPort}`, '--js-flags=--expose-gc', '--enable-precise-memory-info']))
  const results: Record<string, unknown> = {}
  try {
    const cpu = cpus()
    const machine = `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ${fmt(totalmem() / 2 ** 30, 1)} GiB, Linux ${release()}, Node ${process.version}, Chromium ${browser.version()} (headless)`
    results.machine = machine
    results.date = new Date().toISOString()
    log(`SocketLens benchmark${quick ? ' (quick)' : ''} — ${results.date}`)
    log(`Machine: ${machine}`)

    async function onPage<T>(url: string, body: (page: CdpPage) => Promise<T>, init = ''): Promise<T> {
      const page = await CdpPage.open(debugPort)
      try {
        await page.navigate(url, `${MONITOR_SCRIPT};${NO_SAVED_TABS};${init}`)
        return await body(page)
      }
      finally {
        await page.close()
      }
    }

    // Every measurement is of a returning visitor's app: its service worker installed and its precache filled. On a
    // first visit the install (every file of the build) waits for a quiet page (src/whenQuiet.ts); were it to start
    // in a measured flood, the first round would share the two cores with it.
    // Opened without the monitor, whose animation-frame loop would leave the page no quiet moment.
    const warmUpPage = await CdpPage.open(debugPort)
    const warmUpMs = await warmUpPage.navigate(appUrl).then(() => warmUpPage.evaluate<number>(SERVICE_WORKER_ACTIVE)).finally(() => warmUpPage.close())
    if (appUrlB) {
      const warmUpB = await CdpPage.open(debugPort)
      const ms = await warmUpB.navigate(appUrlB).then(() => warmUpB.evaluate<number>(SERVICE_WORKER_ACTIVE)).finally(() => warmUpB.close())
      log(`Compared: ${distDir ?? 'dist'} (A) and ${compareDir} (B); B's service worker active ${fmt(ms)} ms after its page opened`)
    }
    results.serviceWorkerActiveMs = warmUpMs
    log(`Warm-up: the app's service worker ${warmUpMs >= 0 ? `active ${fmt(warmUpMs)} ms after the page opened` : 'did not activate within 30 s (measuring without it)'}`)

    if (profile && profileKinds?.includes('scroll')) {
      const profiled = await profileScroll({ onPage, waitFor, log, appUrl, bareUrl: () => '', endpoint: () => '' }, SIZES.synthetic, SIZES.scrollSteps)
      if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ ...results, profile: profiled }, null, 2)}\n`)
      return
    }
    if (profile) {
      const profiled = await profileFloods({
        onPage: (url, body) => onPage(url, body, forcedPlace ? placeSetting(forcedPlace) : ''), waitFor, log, appUrl,
        // With --place worker the bare page to compare with receives in a Worker too.
        bareUrl: (kind, endpoint) => kind === 'ws'
          ? `${pages.url}/${forcedPlace === 'worker' ? 'bare-ws-variant.html?mode=worker&' : 'bare-ws.html?'}url=${encodeURIComponent(endpoint)}`
          : `${pages.url}/${forcedPlace === 'worker' ? 'bare-socketio-worker.html' : 'bare-socketio.html'}?url=${encodeURIComponent(endpoint)}&client=${encodeURIComponent(sio.clientScriptUrl)}`,
        endpoint: (kind, n) => kind === 'ws' ? `${dev.urls.ws}/flood?n=${n}&size=${SIZES.frameSize}` : `${sio.url}/flood`,
      }, { ws: SIZES.wsFrames, socketio: SIZES.sioEvents }, { kinds: profileKinds, targets: profileTargets })
      if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ ...results, profile: profiled }, null, 2)}\n`)
      return
    }
    if (soakMinutes > 0) {
      const soaked = await soak({
        minutes: soakMinutes, rate: soakRate, appUrl, debugPort, log, place: forcedPlace,
        onPage: (url, body) => onPage(url, body, forcedPlace ? placeSetting(forcedPlace) : ''),
      })
      if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ ...results, soak: soaked }, null, 2)}\n`)
      return
    }

    if (scrollOnly) {
      await syntheticScroll()
      if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
      return
    }

    /**
     * Wait for `count` (an expression) to reach `n`, noting the machine's CPU from the first message it counts to the
     * last: polled every 10 ms until the first, so a page's load is left out.
     */
    async function cpuOfFlood(page: CdpPage, count: string, n: number, what: string): Promise<Pick<FloodRun, 'cpu' | 'cpuMessages'>> {
      const from = await waitFor(`${what}: the first message`, () => page.evaluate<number>(count), v => v >= 1, 10)
      const before = cpuSnapshot(debugPort)
      const to = await waitFor(what, () => page.evaluate<number>(count), v => v >= n)
      return { cpu: cpuUse(before, cpuSnapshot(debugPort)), cpuMessages: to - from }
    }

    /** The browser's own rate: a page that only counts, receiving on its main thread or in a dedicated Worker. */
    async function bare(kind: 'ws' | 'socketio', endpoint: string, n: number, where: DriverPlace = 'page'): Promise<FloodRun> {
      const url = kind === 'ws'
        ? where === 'page' ? `${pages.url}/bare-ws.html?url=${encodeURIComponent(endpoint)}` : `${pages.url}/bare-ws-variant.html?mode=worker&url=${encodeURIComponent(endpoint)}`
        : `${pages.url}/${where === 'page' ? 'bare-socketio.html' : 'bare-socketio-worker.html'}?url=${encodeURIComponent(endpoint)}&client=${encodeURIComponent(sio.clientScriptUrl)}`
      return barePage(url, n, `bare ${kind} page (${where}) to receive ${n}`)
    }

    /** The `read` variants of the raw WebSocket bare page: they read every frame's data and keep nothing. */
    async function bareRead(endpoint: string, n: number, where: DriverPlace = 'page'): Promise<FloodRun> {
      return barePage(`${pages.url}/bare-ws-variant.html?mode=${where === 'page' ? 'read' : 'worker-read'}&url=${encodeURIComponent(endpoint)}`, n, `the reading bare page (${where}) to receive ${n}`)
    }

    /** A bare page's flood, on a settled browser: its rate, jank and the machine's CPU from its first message on. */
    async function barePage(url: string, n: number, what: string): Promise<FloodRun> {
      await settle(debugPort)
      return onPage(url, async (page) => {
        const cpu = await cpuOfFlood(page, '__bare.n', n, what)
        return { ...await page.evaluate<FloodRun>(BARE_RESULT), ...cpu }
      })
    }

    /** SocketLens receiving a flood, with its drivers in the driver Worker (the default) or on the page (the setting off). */
    async function inApp(kind: 'ws' | 'socketio', endpoint: string, n: number, extra?: 'clicks' | 'heap', place: DriverPlace = 'worker', origin = appUrl): Promise<FloodRun & { clicks?: Record<string, number>, heap?: HeapPerEvent }> {
      const link = `${origin}/?${new URLSearchParams({ url: endpoint, type: kind, connect: '1' })}`
      await settle(debugPort)
      return onPage(link, async (page) => {
        let clicks: Record<string, number> | undefined
        // Socket.IO's frames include Engine.IO packets (handshake, pings): count its application events.
        const received = kind === 'socketio' ? STATUS_EVENTS : STATUS_FRAMES
        await page.evaluate(watchStatus(kind, n))
        if (extra === 'clicks') {
          await waitFor('the flood to start', () => page.evaluate<number>(received), v => v >= n * 0.1, 20)
          clicks = await page.evaluate<Record<string, number>>(CLICKS_DURING_FLOOD)
          clicks.framesAtEnd = await page.evaluate<number>(received)
        }
        // The clicks' run measures clicks: its CPU would include them.
        const cpu = extra === 'clicks'
          ? await waitFor(`the app to receive ${n} (${kind})`, () => page.evaluate<number>(received), v => v >= n).then(() => ({}))
          : await cpuOfFlood(page, received, n, `the app to receive ${n} (${kind})`)
        const run = { ...await page.evaluate<FloodRun>(appFloodResult(kind)), ...cpu }
        if (run.n !== n) throw new Error(`the app's timeline holds ${run.n} of the ${n} ${kind} messages`)
        const heap = extra === 'heap' ? await page.evaluate<HeapPerEvent>(HEAP_PER_EVENT) : undefined
        return { ...run, clicks, heap }
      }, placeSetting(place))
    }

    if (workerEvaluation) {
      // Issue 12: what receiving in a dedicated Worker would give, against the bare main-thread page and the app.
      const n = SIZES.wsFrames
      const endpoint = `${dev.urls.ws}/flood?n=${n}&size=${SIZES.frameSize}`
      const variants = ['bare', 'keep', 'worker', 'worker-read', 'worker-stream', 'worker-keep', 'worker-batch', 'app'] as const
      const runs: Record<string, FloodRun[]> = Object.fromEntries(variants.map(v => [v, []]))
      for (let r = 0; r < SIZES.runs; r++) {
        for (const variant of variants) {
          if (variant === 'app') runs.app!.push(await inApp('ws', endpoint, n))
          else if (variant === 'bare') runs.bare!.push(await bare('ws', endpoint, n))
          else {
            runs[variant]!.push(await onPage(`${pages.url}/bare-ws-variant.html?mode=${variant}&url=${encodeURIComponent(endpoint)}`, async (page) => {
              const got = await waitFor(`${variant} page to receive ${n}`, () => page.evaluate<{ n: number, error?: string }>('({ n: __bare.n, error: __bare.error })'), v => v.n >= n || v.error !== undefined)
              if (got.error !== undefined) throw new Error(`the ${variant} page: ${got.error}`)
              if (variant === 'worker-batch') await waitFor('the batches to reach the page', () => page.evaluate<number>('__bare.kept'), v => v >= n)
              return page.evaluate<FloodRun>(BARE_RESULT)
            }))
          }
        }
      }
      log('')
      log(`Raw WebSocket ${fmt(n)} frames of ${SIZES.frameSize} B, receiving on the main thread and in a Worker — ${SIZES.runs} rounds, each variant once per round`)
      for (const variant of variants) {
        const list = runs[variant]!
        const ratios = list.map((run, i) => rate(run) / rate(runs.bare![i]!))
        const toWorker = list.map((run, i) => rate(run) / rate(runs.worker![i]!))
        log(`  ${variant.padEnd(13)} ${fmt(median(list.map(rate))).padStart(8)} frames/s   ×${fmt(median(ratios), 2)} the bare page (rounds: ${ratios.map(x => fmt(x, 2)).join(', ')}), ×${fmt(median(toWorker), 2)} the Worker bare page (rounds: ${toWorker.map(x => fmt(x, 2)).join(', ')}); longest task ${fmt(Math.max(...list.map(r => r.jank.longTask)))} ms, longest frame gap ${fmt(Math.max(...list.map(r => r.jank.frameGap)))} ms`)
      }
      results.worker = runs
      if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
      return
    }

    for (const kind of ['ws', 'socketio'] as const) {
      const n = kind === 'ws' ? SIZES.wsFrames : SIZES.sioEvents
      const endpoint = kind === 'ws' ? `${dev.urls.ws}/flood?n=${n}&size=${SIZES.frameSize}` : `${sio.url}/flood`
      // Issue 12: SocketLens runs its drivers in a Worker; its limit is a bare page receiving in a Worker too. The
      // main-thread bare page and SocketLens with its drivers on the page (the setting off) are measured beside them.
      const bareRuns: FloodRun[] = []
      /** Raw WebSocket only: a main-thread page that reads each frame's data and keeps nothing (pages.ts `read`). */
      const readRuns: FloodRun[] = []
      const bareWorkerRuns: FloodRun[] = []
      /** Raw WebSocket only: the same in a Worker (pages.ts `worker-read`). */
      const readWorkerRuns: FloodRun[] = []
      const appRuns: FloodRun[] = []
      const appPageRuns: FloodRun[] = []
      /** `--compare`: the second build, in both places. */
      const appRunsB: FloodRun[] = []
      const appPageRunsB: FloodRun[] = []
      let heap: HeapPerEvent | undefined
      // One of each per round, back to back, so drift on a shared machine hits all alike.
      // Each pair runs side by side, bare first in even rounds and the app first in odd ones, so a drift or an order
      // effect within a round hits both sides alike; each run starts on a quiet browser (settle).
      for (let r = 0; r < SIZES.runs; r++) {
        const steps: (() => Promise<void>)[] = [
          async () => {
            bareRuns.push(await bare(kind, endpoint, n))
            if (kind === 'ws') readRuns.push(await bareRead(endpoint, n))
          },
          async () => {
            // With --compare, A and B take turns going first (rounds 0, 1: A; 2, 3: B; …).
            if (appUrlB && r % 4 >= 2) appPageRunsB.push(await inApp(kind, endpoint, n, undefined, 'page', appUrlB))
            appPageRuns.push(await inApp(kind, endpoint, n, undefined, 'page'))
            if (appUrlB && r % 4 < 2) appPageRunsB.push(await inApp(kind, endpoint, n, undefined, 'page', appUrlB))
          },
          async () => {
            bareWorkerRuns.push(await bare(kind, endpoint, n, 'worker'))
            if (kind === 'ws') readWorkerRuns.push(await bareRead(endpoint, n, 'worker'))
          },
          async () => {
            if (appUrlB && r % 4 >= 2) appRunsB.push(await inApp(kind, endpoint, n, undefined, 'worker', appUrlB))
            const run = await inApp(kind, endpoint, n, heap === undefined ? 'heap' : undefined)
            heap ??= run.heap
            appRuns.push(run)
            if (appUrlB && r % 4 < 2) appRunsB.push(await inApp(kind, endpoint, n, undefined, 'worker', appUrlB))
          },
        ]
        const order = r % 2 === 0 ? [0, 1, 2, 3] : [1, 0, 3, 2]
        for (const step of order) await steps[step]!()
      }
      const pairs = (runs: FloodRun[], limits: FloodRun[]) => runs.map((run, i) => rate(run) / rate(limits[i]!))
      // The median of each round's ratio cancels most drift of a shared machine.
      const ratio = median(pairs(appRuns, bareWorkerRuns))
      const ratioPage = median(pairs(appPageRuns, bareRuns))
      const worst = appRuns.reduce((a, b) => (b.jank.longTask > a.jank.longTask ? b : a))
      const worstPage = appPageRuns.reduce((a, b) => (b.jank.longTask > a.jank.longTask ? b : a))
      const longTask = worst.jank.longTask
      const frameGap = Math.max(...appRuns.map(r => r.jank.frameGap))
      const bareFrameGap = Math.max(...bareRuns.map(r => r.jank.frameGap))
      const bareLongTask = Math.max(...bareRuns.map(r => r.jank.longTask))
      const bareWorkerLongTask = Math.max(...bareWorkerRuns.map(r => r.jank.longTask))
      const label = kind === 'ws' ? `Raw WebSocket: ${fmt(n)} frames of ${SIZES.frameSize} B` : `Socket.IO: ${fmt(n)} events of ~${SIZES.frameSize} B (websocket transport)`
      const rates = (runs: FloodRun[]) => `${fmt(median(runs.map(rate))).padStart(8)} frames/s   (runs: ${runs.map(r => fmt(rate(r))).join(', ')})`
      const tasks = (runs: FloodRun[]) => { const longest = Math.max(...runs.map(r => r.jank.longTask)); return longest > 0 ? `longest main-thread task ${fmt(longest)} ms; ${runs.map(r => r.jank.longTasks).join('/')} tasks ≥ 50 ms per run` : 'no main-thread task ≥ 50 ms reported' }
      log('')
      log(`${label} — median of ${SIZES.runs} round(s)`)
      log(`  bare page, Worker       ${rates(bareWorkerRuns)}`)
      log(`  SocketLens (Worker)     ${rates(appRuns)}`)
      log(`  ratio                   ${fmt(ratio, 2)}   (SocketLens with its drivers in the Worker ÷ the Worker bare page, per round: ${pairs(appRuns, bareWorkerRuns).map(x => fmt(x, 2)).join(', ')}; target ≥ 0.95)`)
      if (readWorkerRuns.length > 0) {
        log(`  Worker reading data     ${rates(readWorkerRuns)}   (the Worker bare page that also reads each frame's data, keeps nothing)`)
        log(`  ratio to it             ${fmt(median(pairs(appRuns, readWorkerRuns)), 2)}   (SocketLens (Worker) ÷ the reading Worker page, per round: ${pairs(appRuns, readWorkerRuns).map(x => fmt(x, 2)).join(', ')}); the reading Worker page ÷ the Worker bare one: ${fmt(median(pairs(readWorkerRuns, bareWorkerRuns)), 2)} (${pairs(readWorkerRuns, bareWorkerRuns).map(x => fmt(x, 2)).join(', ')})`)
      }
      log(`  bare page, main thread  ${rates(bareRuns)}`)
      log(`  SocketLens (page)       ${rates(appPageRuns)}`)
      if (readRuns.length > 0) {
        log(`  bare page reading data  ${rates(readRuns)}   (main thread, reads each frame's data, keeps nothing)`)
        log(`  ratio to it             ${fmt(median(pairs(appPageRuns, readRuns)), 2)}   (SocketLens (page) ÷ the reading page, per round: ${pairs(appPageRuns, readRuns).map(x => fmt(x, 2)).join(', ')}); the reading page ÷ the bare one: ${fmt(median(pairs(readRuns, bareRuns)), 2)} (${pairs(readRuns, bareRuns).map(x => fmt(x, 2)).join(', ')})`)
      }
      log(`  ratio, page             ${fmt(ratioPage, 2)}   (drivers on the page ÷ the main-thread bare page, per round: ${pairs(appPageRuns, bareRuns).map(x => fmt(x, 2)).join(', ')}); the Worker bare page ÷ the main-thread one: ${fmt(median(pairs(bareWorkerRuns, bareRuns)), 2)}`)
      const lags = (runs: FloodRun[]) => runs.map(r => r.statusLag === undefined || r.statusLag < 0 ? 'not seen' : fmt(r.statusLag)).join(', ')
      log(`  status count reaching ${fmt(n)}, ms after the last frame, per run: Worker ${lags(appRuns)}; page ${lags(appPageRuns)}   (target ≤ 100 ms)`)
      const updates = (runs: FloodRun[]) => runs.map(r => `${r.updates ?? '?'}/${r.updateGap === undefined || r.updateGap < 0 ? '–' : fmt(r.updateGap)}`).join(', ')
      log(`  UI updates during the flood (status region changes / median ms apart), per run: Worker ${updates(appRuns)}; page ${updates(appPageRuns)}`)
      if (appUrlB) {
        log(`  B: SocketLens (Worker)  ${rates(appRunsB)}   ratio ${fmt(median(pairs(appRunsB, bareWorkerRuns)), 2)} (per round: ${pairs(appRunsB, bareWorkerRuns).map(x => fmt(x, 2)).join(', ')}); B ÷ A ${fmt(median(pairs(appRunsB, appRuns)), 2)} (${pairs(appRunsB, appRuns).map(x => fmt(x, 2)).join(', ')})`)
        log(`  B: SocketLens (page)    ${rates(appPageRunsB)}   ratio ${fmt(median(pairs(appPageRunsB, bareRuns)), 2)} (per round: ${pairs(appPageRunsB, bareRuns).map(x => fmt(x, 2)).join(', ')}); B ÷ A ${fmt(median(pairs(appPageRunsB, appPageRuns)), 2)} (${pairs(appPageRunsB, appPageRuns).map(x => fmt(x, 2)).join(', ')})`)
        log(`  B: status count lag: Worker ${lags(appRunsB)}; page ${lags(appPageRunsB)} · tasks ≥ 50 ms: Worker ${tasks(appRunsB)}; page ${tasks(appPageRunsB)}`)
        log(`  B: UI updates during the flood: Worker ${updates(appRunsB)}; page ${updates(appPageRunsB)}`)
      }
      log(`  during the flood, SocketLens (Worker): ${longTask > 0 ? `longest main-thread task ${fmt(longTask)} ms, ${fmt(worst.jank.longTaskAt)} ms into the flood; ${appRuns.map(r => r.jank.longTasks).join('/')} tasks ≥ 50 ms per run (${earlyTasks(appRuns)})` : 'no main-thread task ≥ 50 ms reported'}   (target: none over 50 ms)`)
      log(`  long animation frames (LoAF: wall time by phase), SocketLens (Worker): ${describeFrames(appRuns)} · (page): ${describeFrames(appPageRuns)} · bare page, main thread: ${describeFrames(bareRuns)}`)
      log(`  the same, SocketLens (page): ${tasks(appPageRuns)} (${fmt(worstPage.jank.longTaskAt)} ms into the flood) · bare page, main thread: ${tasks(bareRuns)} · bare page, Worker: ${bareWorkerLongTask > 0 ? `longest ${fmt(bareWorkerLongTask)} ms` : 'none ≥ 50 ms'}   (wall time: grows with the machine's load)`)
      log(`  the machine's CPU per message, all ${SIZES.runs} rounds (procCpu.ts: every thread of Chromium and of the bench's own Node process, which serves the flood; idle: both cores):`)
      for (const [name, runs] of [['bare page, Worker', bareWorkerRuns], ['Worker reading data', readWorkerRuns], ['SocketLens (Worker)', appRuns], ['bare page, main thread', bareRuns], ['bare page reading data', readRuns], ['SocketLens (page)', appPageRuns], ['B: SocketLens (Worker)', appRunsB], ['B: SocketLens (page)', appPageRunsB]] as const)
        if (runs.length > 0)
        log(`    ${name.padEnd(23)} ${describeCpu(runs)}`)
      log(`  longest gap between animation frames: SocketLens (Worker) ${fmt(frameGap)} ms, (page) ${fmt(Math.max(...appPageRuns.map(r => r.jank.frameGap)))} ms, bare page ${fmt(bareFrameGap)} ms`)
      if (heap) {
        const perEvent = heap.heapBytes / heap.retained
        const payload = heap.payloadBytes / heap.retained
        log(`  JS heap per retained event (ArrayBuffers included): ${fmt(perEvent)} B, of which payload ${fmt(payload)} B → ${fmt(perEvent - payload)} B beyond the payload (target ≤ 200; ${fmt(heap.retained)} timeline events; of which the payload arena ${fmt(heap.arenaBytes / 1024 / 1024, 1)} MiB in 1 MiB chunks)`)
      }
      results[kind] = { n, bareRuns, readRuns, bareWorkerRuns, readWorkerRuns, appRuns, appPageRuns, appRunsB, appPageRunsB, ratio, ratioPage, longTask, frameGap, bareFrameGap, bareLongTask, bareWorkerLongTask, heap }
    }

    // Clicks with the drivers in each place: the Worker (the default with more than two cores) and the page.
    log('')
    const clicks: Record<string, Record<string, number>> = {}
    for (const place of ['worker', 'page'] as const) {
      const c = (await inApp('ws', `${dev.urls.ws}/flood?n=${SIZES.wsFrames}&size=${SIZES.frameSize}`, SIZES.wsFrames, 'clicks', place)).clicks!
      clicks[place] = c
      log(`Clicks during a raw WebSocket flood, drivers ${place === 'worker' ? 'in the Worker' : 'on the page'} (the first queued at frame ${fmt(c.framesAtStart ?? 0)}; ${fmt(c.framesAtEnd ?? 0)} frames received when the last one showed):`)
      log(`  select a row ${fmt(c.selectRow ?? -1)} ms · direction filter on ${fmt(c.filterOn ?? -1)} ms · off ${fmt(c.filterOff ?? -1)} ms   (target ≤ 100 ms each; click queued → first frame showing the result)`)
    }
    results.clicks = clicks
    if (floodsOnly) {
      if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
      return
    }

    await syntheticScroll()

    /** A million synthetic events: append, scroll end to end twice (scenarios.ts), filter. */
    async function syntheticScroll(): Promise<void> {
      const synthetic = await onPage(`${appUrl}/`, async (page) => {
        await waitFor('the app to mount its timeline', () => page.evaluate<number>('__bench.handles.length'), v => v > 0)
        await page.send('Emulation.setDeviceMetricsOverride', SCROLL_VIEWPORT)
        return page.evaluate<Record<string, unknown>>(syntheticScrollAndFilter(SIZES.synthetic, SIZES.scrollSteps, quick ? 1_000 : 5_000))
      })
      interface Sweep { ms: number, longestStep: number, medianStep: number, reachedEnd: boolean, work: { longest: number, median: number, p95: number, over16: number }, frames: { frameMs: number, nextFrame: number, twoOrMore: number, longestInterval: number } }
      const s = synthetic as Record<string, number> & { filterJank: Jank, sweepReachedEnd: boolean, sweepWork: Sweep['work'], sweepFrames: Sweep['frames'], laterSweep: Sweep }
      // The work: from the begin of the frame that handles the step's scroll to the end of its rendering (scenarios.ts).
      const sweepLines = (sw: Sweep) => [
        `${sw.reachedEnd ? '' : '(did NOT reach the last row) '}step's work longest ${fmt(sw.work.longest, 1)} ms, median ${fmt(sw.work.median, 1)}, p95 ${fmt(sw.work.p95, 1)}, ${sw.work.over16} of ${s.steps} over 16 ms (target ≤ 16 ms: one frame)`,
        `steps shown on the next frame: ${sw.frames.nextFrame} of ${s.steps}; steps that took 2+ frames: ${sw.frames.twoOrMore} (longest interval ${fmt(sw.frames.longestInterval, 1)} ms; a frame ${fmt(sw.frames.frameMs, 1)} ms); sweep ${fmt(sw.ms)} ms`,
      ]
      const first: Sweep = { ms: s.sweepMs, longestStep: s.longestStep, medianStep: s.medianStep, reachedEnd: s.sweepReachedEnd, work: s.sweepWork, frames: s.sweepFrames }
      log('')
      log(`${fmt(SIZES.synthetic)} synthetic events retained:`)
      log(`  append all ${fmt(s.fillMs)} ms (${fmt(s.fillMs * 1e6 / SIZES.synthetic)} ns each) · first frame showing the tail ${fmt(s.firstPaintMs)} ms · ${s.domRows} rows in the DOM (list ${fmt(s.listHeight)} px high, tab ${SCROLL_VIEWPORT.width} × ${SCROLL_VIEWPORT.height})`)
      log(`  scroll top → bottom in ${s.steps} steps, right after the appends: ${sweepLines(first).join('\n      ')}; one jump top → bottom ${fmt(s.jumpMs)} ms`)
      log(`  the same sweep ${fmt(s.settleMs / 1000)} s later: ${sweepLines(s.laterSweep).join('\n      ')}`)
      log(`  text filter over all of them ${fmt(s.filterMs)} ms (in time slices: longest frame gap ${fmt(s.filterJank.frameGap)} ms), clearing it ${fmt(s.unfilterMs)} ms`)
      results.synthetic = synthetic
    }

    // Issue 13: N clients in one room of the dev server receive a burst (bench/fanout.ts).
    results.fanout = await benchFanout({ browser, debugPort, appUrl, socketIoUrl: dev.urls.socketio, clients: quick ? 21 : 201, burst: quick ? 10 : 100, log })

    if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`)
  }
  finally {
    await browser.close()
    await new Promise<void>(resolve => app.httpServer.close(() => resolve()))
    if (appB) await new Promise<void>(resolve => appB.httpServer.close(() => resolve()))
    await pages.close()
    await sio.close()
    await dev.close()
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`)
  process.exitCode = 1
})
