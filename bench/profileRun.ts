import { readFileSync, writeFileSync } from 'node:fs'
import type { CdpPage } from './cdp.ts'
import { breakdown, startCpuProfile, startTrace, taskDetails, topFunctions, type ThreadBreakdown } from './mainThreadProfile.ts'
import { SCROLL_VIEWPORT, STATUS_EVENTS, STATUS_FRAMES, syntheticScrollAndFilter } from './scenarios.ts'
import { describeSweeps, sweepSteps } from './scrollSteps.ts'

/**
 * `npx tsx bench/run.ts --profile [--dist <unminified build>]`: where the main thread's time goes during the raw
 * WebSocket and Socket.IO floods, in the bare pages and in the app (issue 12). For each page: one traced flood
 * (time by bucket, see mainThreadProfile.ts) and one flood under the sampling CPU profiler (JavaScript functions by
 * self time; build with `--minify false` to read their names). The flood starts after the recording does: the bare
 * pages wait for `__start()`, the app for a click on Connect. `--profile=ws:app` profiles only those (kinds
 * `ws`/`socketio`, targets `bare`/`app`/`deep`, comma-separated). `deep` (only when named) traces the app as the
 * benchmark opens it: a fresh load of the deep link that connects at once, so the app's start-up overlaps the flood.
 * Every traced page also lists its tasks of ≥ 50 ms (wall or CPU) with what they did (`taskDetails`).
 */
export interface ProfileContext {
  onPage: <T>(url: string, body: (page: CdpPage) => Promise<T>) => Promise<T>
  waitFor: <T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, intervalMs?: number) => Promise<T>
  log: (line: string) => void
  appUrl: string
  bareUrl: (kind: 'ws' | 'socketio', endpoint: string) => string
  endpoint: (kind: 'ws' | 'socketio', n: number) => string
}

const CLICK_CONNECT = `(() => { [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Connect').click(); return true; })()`
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export async function profileFloods(ctx: ProfileContext, sizes: { ws: number, socketio: number }, only?: { kinds?: string[], targets?: string[] }): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {}
  for (const kind of ['ws', 'socketio'] as const) {
    if (only?.kinds && !only.kinds.includes(kind)) continue
    const n = sizes[kind]
    for (const target of ['bare', 'app', 'deep'] as const) {
      if (only?.targets ? !only.targets.includes(target) : target === 'deep') continue
      for (const mode of target === 'deep' ? ['trace'] as const : ['trace', 'cpu'] as const) {
        const url = target === 'bare'
          ? `${ctx.bareUrl(kind, ctx.endpoint(kind, n))}&start=manual`
          : `${ctx.appUrl}/?${new URLSearchParams({ url: ctx.endpoint(kind, n), type: kind })}`
        const result = await ctx.onPage(url, async (page) => {
          if (target === 'bare') await ctx.waitFor('the bare page', () => page.evaluate<boolean>('typeof __start === "function"'), v => v)
          else await ctx.waitFor('the app to mount its timeline', () => page.evaluate<number>('__bench.handles.length'), v => v > 0)
          await sleep(500)
          const stop = mode === 'trace' ? await startTrace(page) : await startCpuProfile(page)
          const t0 = await page.evaluate<number>('performance.now()')
          if (target === 'deep') {
            await page.navigate(`${ctx.appUrl}/?${new URLSearchParams({ url: ctx.endpoint(kind, n), type: kind, connect: '1' })}`)
          }
          else await page.evaluate(target === 'bare' ? '__start()' : CLICK_CONNECT)
          const count = target === 'bare' ? '__bare.n' : kind === 'ws' ? STATUS_FRAMES : STATUS_EVENTS
          await ctx.waitFor(`${target} ${kind} to receive ${n}`, () => page.evaluate<number>(count), v => v >= n, 100)
          const t1 = target === 'deep' ? t0 : await page.evaluate<number>('performance.now()')
          await sleep(300)
          const data = await stop()
          return { ms: t1 - t0, data }
        })
        const label = `${kind === 'ws' ? 'raw WebSocket' : 'Socket.IO'} ${n.toLocaleString('en-US')} — ${target} — ${mode}`
        if (mode === 'trace') {
          if (process.env.SOCKETLENS_TRACE_DIR) writeFileSync(`${process.env.SOCKETLENS_TRACE_DIR}/${kind}-${target}.json`, JSON.stringify({ traceEvents: result.data }))
          const b = breakdown(result.data as Parameters<typeof breakdown>[0])
          report(ctx.log, label, b, n)
          const long = taskDetails(result.data as Parameters<typeof taskDetails>[0])
          ctx.log(`  tasks ≥ 50 ms (wall or CPU), ms after ${long.origin}:${long.tasks.length ? '' : ' none'}`)
          for (const task of long.tasks)
            ctx.log(`    at ${task.atMs} ms: ${task.wallMs} ms wall, ${task.cpuMs} ms CPU, ${task.kind} — ${task.top.map(t => `${t.name} ${t.ms}`).join(' · ')}`)
          results[`${kind}.${target}.trace`] = { ...b, longTasks: long }
        }
        else {
          const top = topFunctions(result.data as Parameters<typeof topFunctions>[0], 25)
          ctx.log(`\n${label} (until the count reached ${n}: ${Math.round(result.ms)} ms)`)
          for (const { fn, ms } of top) ctx.log(`  ${ms.toFixed(1).padStart(8)} ms  ${fn}`)
          results[`${kind}.${target}.cpu`] = { ms: result.ms, top }
        }
      }
    }
  }
  return results
}

/**
 * `--profile=scroll`: the million-event scenario (fill, 200 scroll steps, a jump, a text filter) traced, and every
 * task of ≥ 16 ms (one frame) listed with what it did: what a scroll step costs.
 */
export async function profileScroll(ctx: ProfileContext, events: number, steps: number): Promise<Record<string, unknown>> {
  return ctx.onPage(`${ctx.appUrl}/`, async (page) => {
    await ctx.waitFor('the app to mount its timeline', () => page.evaluate<number>('__bench.handles.length'), v => v > 0)
    await page.send('Emulation.setDeviceMetricsOverride', SCROLL_VIEWPORT)
    await sleep(500)
    const stop = await startTrace(page)
    const result = await page.evaluate<Record<string, unknown>>(syntheticScrollAndFilter(events, steps))
    await sleep(300)
    const data = await stop()
    if (process.env.SOCKETLENS_TRACE_DIR) writeFileSync(`${process.env.SOCKETLENS_TRACE_DIR}/scroll.json`, JSON.stringify({ traceEvents: data }))
    const long = taskDetails(data as Parameters<typeof taskDetails>[0], 16)
    type Work = { longest: number, median: number, over16: number }
    const later = result.laterSweep as { work: Work, ms: number }
    const work = result.sweepWork as Work
    const said = (w: Work) => `step's work longest ${Math.round(w.longest)} ms, median ${Math.round(w.median)}, ${w.over16} over 16 ms`
    ctx.log(`\n${events.toLocaleString('en-US')} synthetic events (list ${result.listHeight as number} px high, ${result.domRows as number} rows in the DOM at the end): ${said(work)}, sweep ${Math.round(result.sweepMs as number)} ms for ${steps} steps; ${Math.round((result.settleMs as number) / 1000)} s later: ${said(later.work)}, ${Math.round(later.ms)} ms`)
    // Each step's CPU from the trace (bench/scrollSteps.ts): right after the appends, and the same sweep later.
    const sweeps = sweepSteps(data as Parameters<typeof sweepSteps>[0], ['sweep', 'later'])
    for (const line of describeSweeps(sweeps)) ctx.log(line)
    const cpuLong = long.tasks.filter(task => task.cpuMs >= 16)
    ctx.log(`  tasks with ≥ 16 ms of CPU, ms after ${long.origin} (${long.tasks.length - cpuLong.length} more of ≥ 16 ms wall only):`)
    for (const task of cpuLong)
      ctx.log(`    at ${task.atMs} ms: ${task.wallMs} ms wall, ${task.cpuMs} ms CPU, ${task.kind} — ${task.top.map(t => `${t.name} ${t.ms}`).join(' · ')}`)
    return { result, sweeps, longTasks: long }
  })
}

export function report(log: (line: string) => void, label: string, b: ThreadBreakdown, n: number): void {
  log(`\n${label}: main thread busy ${Math.round(b.busyMs)} ms wall, ${Math.round(b.cpuMs)} ms CPU (${(b.cpuMs * 1000 / n).toFixed(1)} µs CPU per message) over ${Math.round(b.windowMs)} ms`)
  log(`  longest tasks: wall ${b.longest.join(', ')} ms; CPU ${b.longestCpu.join(', ')} ms; ${b.cpuOver50} with ≥ 50 ms of CPU`)
  for (const [bucket, ms] of Object.entries(b.buckets).sort((x, y) => y[1] - x[1]))
    log(`  ${ms.toFixed(1).padStart(8)} ms CPU ${(ms * 100 / b.cpuMs).toFixed(0).padStart(3)} %  ${bucket}`)
  const interesting = ['FireAnimationFrame', 'TimerFire', 'Layout', 'UpdateLayoutTree', 'Paint', 'MinorGC', 'MajorGC', 'RunMicrotasks']
  log(`  counts: ${interesting.filter(k => b.counts[k]).map(k => `${k} ${b.counts[k]}`).join(', ')}`)
}

/** `npx tsx bench/profileRun.ts <trace.json> <messages>…`: the breakdown of traces saved with SOCKETLENS_TRACE_DIR. */
if (process.argv[1]?.endsWith('profileRun.ts')) {
  for (let i = 2; i + 1 < process.argv.length; i += 2) {
    const { traceEvents } = JSON.parse(readFileSync(process.argv[i]!, 'utf8')) as { traceEvents: Parameters<typeof breakdown>[0] }
    report(line => process.stdout.write(`${line}\n`), process.argv[i]!, breakdown(traceEvents), Number(process.argv[i + 1]))
  }
}
