/**
 * `npx tsx bench/savedTimelines.ts [--dist <dir>] [--events N] [--json <file>] [--profile] [--no-export|--export-only]` (after
 * `vite build`, or a private `vite build --outDir`): "Save timeline" and reopening it from "Saved timelines" with a
 * million events (issue 11: no task over 50 ms for large saved work), then "Export timeline" of the reopened
 * session's million events, in a real headless Chromium.
 *
 * The page's timeline is filled through the bench hook (`window.__socketlensBench`, as bench/run.ts does) with N
 * raw WebSocket text frames, then Save timeline is clicked and, once it says "Saved", the saved timeline is opened
 * from the list until the read-only session's status shows; last, the read-only session is exported until its
 * download arrives (its lines counted; the page's JS heap polled meanwhile through CDP, its peak above the heap
 * before the click reported: a whole-timeline export must not hold a copy of every event). Each step runs inside a Chromium trace: the longest
 * task by CPU time (bench/taskTrace.ts; the wall time of the long-task observer grows with the machine's load).
 * `TRACE_BREAKDOWN=1` prints what ran inside each task over 50 ms of CPU, `--profile` the JS functions
 * (bench/taskProfile.ts; build with `--minify false` to read the names). Not part of `npm test`.
 */
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { chromiumLaunchOptions } from '../scripts/chromium.ts'
import { createReadStream, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { chromium } from 'playwright-core'
import { preview } from 'vite'
import { profileTasks, startProfile, stopProfile } from './taskProfile.ts'
import { breakdown, longestByPhase, startTaskTrace, stopTaskTrace } from './taskTrace.ts'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}
const distDir = arg('--dist')
const jsonFile = arg('--json')
const EVENTS = Number(arg('--events') ?? 1_000_000)
const profile = process.argv.includes('--profile')
const exportToo = !process.argv.includes('--no-export')
/** `--export-only`: the filled (live) timeline exported, without saving or reopening it first. */
const exportOnly = process.argv.includes('--export-only')
const TIMEOUT = 900_000

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const log = (line: string) => process.stdout.write(`${line}\n`)

/** The bench hook the timeline panel hands its timeline to, and long tasks as the page's observer sees them. */
const INIT = `window.__handles = []; window.__longTasks = [];
window.__socketlensBench = { attach(handle) { window.__handles.push(handle) } };
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__longTasks.push(e.duration) }).observe({ type: 'longtask', buffered: true })
// Phases for the trace (taskTrace.ts longestByPhase): a worker ends when a saved timeline's reading is done.
const terminate = Worker.prototype.terminate
Worker.prototype.terminate = function () { performance.mark('phase:after reading'); return terminate.call(this) }`

/** N text frames appended to the shown timeline, in slices (a string: tsx must not transform page code). */
const FILL = (n: number) => `(async () => {
  const timeline = window.__handles[window.__handles.length - 1].timeline
  const t0 = Date.now()
  for (let i = 0; i < ${n}; i++) {
    timeline.append({ seq: 0, time: t0 + i, layer: 'wire', kind: 'frame', dir: i % 2 ? 'in' : 'out', transport: 'websocket', size: 24, data: '{"n":' + i + ',"price":101.5}' })
    if (i % 50000 === 0) await new Promise(r => setTimeout(r, 0))
  }
  return timeline.length
})()`

export interface StepFigures { ms: number, longestWallMs: number, cpuMs: number, cpuWallMs: number, tasksOver50: number, during: Record<string, number>, totalCpuMs: number }

/** Run `what` inside a trace (and, with --profile, a V8 profile started before it): its time and longest tasks. */
async function measured(browser: Browser, page: Page, what: () => Promise<unknown>): Promise<StepFigures> {
  await page.evaluate('window.__longTasks = []')
  const profiler = profile ? await startProfile(page) : undefined
  await startTaskTrace(browser, page)
  await page.evaluate('performance.mark("phase:start")')
  const started = performance.now()
  await what()
  const ms = performance.now() - started
  const trace = await stopTaskTrace(browser)
  const cpuProfile = profiler ? await stopProfile(profiler).catch(() => undefined) : undefined
  if (cpuProfile) log(profileTasks(cpuProfile, trace))
  if (trace.events) log(breakdown(trace, Number(process.env.TRACE_THRESHOLD ?? 50)))
  const longest = longestByPhase(trace)
  const wall = await page.evaluate('Math.max(0, ...window.__longTasks)') as number
  return { ms, longestWallMs: wall, cpuMs: longest.cpuMs, cpuWallMs: longest.wallMs, tasksOver50: trace.tasks.filter(t => t.cpuMs > 50).length, during: longest.during, totalCpuMs: trace.tasks.reduce((sum, t) => sum + t.cpuMs, 0) }
}

/** Lines in a file, read as a stream (an export of a million events is 100 MB or more). */
async function countLines(path: string): Promise<number> {
  let lines = 0
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++
  }
  return lines
}

/** The page's JS heap (V8's used size) polled every 100 ms through CDP until `stop`: the peak and the first reading. */
async function pollHeap(page: Page): Promise<{ stop: () => Promise<{ startMb: number, peakMb: number }> }> {
  const cdp = await page.context().newCDPSession(page)
  const read = async () => (await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20
  const startMb = await read()
  let peakMb = startMb
  let running = true
  const loop = (async () => {
    while (running) {
      peakMb = Math.max(peakMb, await read())
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      await cdp.detach()
      return { startMb, peakMb }
    },
  }
}

async function main(): Promise<void> {
  const app = await preview({ ...(distDir ? { build: { outDir: distDir } } : {}), preview: { port: 0, strictPort: false, host: '127.0.0.1' }, logLevel: 'silent' })
  const appUrl = `http://localhost:${(app.httpServer.address() as AddressInfo).port}`
  const browser = await chromium.launch(chromiumLaunchOptions())
  try {
    const load = loadavg()
    log(`${EVENTS.toLocaleString('en-US')} events; ${cpus()[0]?.model.trim() ?? ''} × ${cpus().length}; Chromium ${browser.version()}; load ${load.map(l => l.toFixed(2)).join(', ')}`)
    const page = await browser.newPage()
    page.setDefaultTimeout(TIMEOUT)
    await page.addInitScript(INIT)
    await page.goto(appUrl)
    await page.getByRole('log', { name: 'Timeline' }).waitFor()
    const filled = await page.evaluate(FILL(EVENTS)) as number
    // The page takes in the filled timeline first (its view catches up): not part of the save. The fill's last events
    // are still in V8's young generation: short-lived garbage makes the scavenger promote them now, not inside the save.
    await page.waitForTimeout(3000)
    await page.evaluate(`(async () => { for (let s = 0; s < 40; s++) { let a; for (let i = 0; i < 20000; i++) a = { i, s: 'x' + i }; await new Promise(r => setTimeout(r, 0)) } })()`)
    await page.waitForTimeout(1000)

    let savedText = ''
    let save: StepFigures | undefined
    let open: StepFigures | undefined
    let opened = 0
    if (!exportOnly) {
      save = await measured(browser, page, async () => {
        await page.getByRole('button', { name: 'Save timeline' }).click()
        const said = page.getByText(/^Saved "/)
        await said.waitFor({ timeout: TIMEOUT })
        savedText = await said.innerText()
      })
      log(`save: ${fmt(save.ms)} ms (${savedText.trim()}); longest task ${fmt(save.cpuMs)} ms CPU (${fmt(save.cpuWallMs)} ms wall), ${save.tasksOver50} over 50 ms CPU ${JSON.stringify(save.during)}; ${fmt(save.totalCpuMs)} ms CPU in all; observer's longest ${fmt(save.longestWallMs)} ms wall`)

      await page.getByRole('button', { name: 'Saved timelines' }).click()
      open = await measured(browser, page, async () => {
        await page.getByRole('region', { name: 'Saved timelines' }).getByRole('button', { name: /^Open saved / }).first().click()
        await page.getByRole('status').filter({ hasText: /frames?/ }).filter({ hasText: 'imported' }).waitFor({ timeout: TIMEOUT })
      })
      // The read-only session's timeline, as its panel handed it to the hook (the status counts frames received only).
      opened = await page.evaluate('window.__handles[window.__handles.length - 1].timeline.length') as number
      log(`reopen: ${fmt(open.ms)} ms (${fmt(opened)} events in the read-only session); longest task ${fmt(open.cpuMs)} ms CPU (${fmt(open.cpuWallMs)} ms wall), ${open.tasksOver50} over 50 ms CPU ${JSON.stringify(open.during)}; ${fmt(open.totalCpuMs)} ms CPU in all; observer's longest ${fmt(open.longestWallMs)} ms wall`)
    }
    let exported: { lines: number, heapStartMb: number, heapPeakMb: number } | undefined
    let exportStep: StepFigures | undefined
    if (exportToo || exportOnly) {
      await page.waitForTimeout(2000)
      const heap = await pollHeap(page)
      let lines = 0
      exportStep = await measured(browser, page, async () => {
        const downloading = page.waitForEvent('download', { timeout: TIMEOUT })
        await page.getByRole('button', { name: 'Export timeline' }).click()
        const download = await downloading
        const path = await download.path()
        lines = await countLines(path)
        await download.delete()
      })
      const { startMb, peakMb } = await heap.stop()
      exported = { lines, heapStartMb: startMb, heapPeakMb: peakMb }
      log(`export: ${fmt(exportStep.ms)} ms (${fmt(lines)} lines: the header and ${fmt(lines - 1)} events); longest task ${fmt(exportStep.cpuMs)} ms CPU (${fmt(exportStep.cpuWallMs)} ms wall), ${exportStep.tasksOver50} over 50 ms CPU ${JSON.stringify(exportStep.during)}; ${fmt(exportStep.totalCpuMs)} ms CPU in all; observer's longest ${fmt(exportStep.longestWallMs)} ms wall; JS heap ${fmt(startMb)} MB before, peak ${fmt(peakMb)} MB (+${fmt(peakMb - startMb)} MB)`)
    }
    const after = loadavg()
    log(`load at the end ${after.map(l => l.toFixed(2)).join(', ')}`)
    if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ events: EVENTS, filled, saved: savedText.trim(), opened, save, open, ...(exportStep ? { export: exportStep, exported } : {}), loadBefore: load, loadAfter: after }, null, 2))
  }
  finally {
    await browser.close()
    await new Promise<void>(resolve => app.httpServer.close(() => resolve()))
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
