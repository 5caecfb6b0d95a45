import type { CdpPage } from './cdp.ts'

/**
 * Where a page's main thread spends its time (issue 12): a Chromium trace of the renderer's main thread, cut into
 * buckets by what each slice of time was doing, and a sampled CPU profile for the JavaScript functions. Used by
 * `bench/run.ts --profile`; both run over the page's own DevTools connection (cdp.ts).
 */

export interface TraceEvent { name: string, cat: string, ph: string, ts: number, dur?: number, tdur?: number, pid: number, tid: number, args?: { name?: string, data?: Record<string, unknown> } }

/**
 * `SOCKETLENS_TRACE_CPU=1` adds V8's sampling profiler to the trace (ProfileChunk events for every isolate, the driver
 * Worker's included: `bench/traceFunctions.ts` reads them); it slows the page a little more.
 */
const CATEGORIES = ['devtools.timeline', 'v8.execute', 'toplevel', 'blink.user_timing', 'disabled-by-default-v8.gc', '__metadata',
  ...(process.env.SOCKETLENS_TRACE_CPU ? ['disabled-by-default-v8.cpu_profiler'] : [])].join(',')

/** Start tracing the browser (every process); the returned function stops and hands back the events. */
export async function startTrace(page: CdpPage): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = []
  const off = page.on('Tracing.dataCollected', params => events.push(...(params as { value: TraceEvent[] }).value))
  await page.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents', bufferUsageReportingInterval: 1000 })
  return async () => {
    const complete = page.once('Tracing.tracingComplete')
    await page.send('Tracing.end')
    await complete
    off()
    return events
  }
}

export type Bucket = 'receive: Blink (WebSocket frame → MessageEvent)' | 'receive: message handler JS' | 'animation frame callbacks (tick)'
  | 'microtasks (Vue render after the tick)' | 'DOM events (scroll, click)' | 'timer JS' | 'other JS' | 'style + layout' | 'paint + compositing'
  | 'GC' | 'task overhead (scheduler, tracing itself)'

export interface ThreadBreakdown {
  /** Wall time of the window (ms), wall time inside main-thread tasks (ms), and their CPU (thread) time. */
  windowMs: number
  busyMs: number
  cpuMs: number
  /** CPU time by bucket (ms): on a loaded machine a task's wall time is mostly waiting for a core. */
  buckets: Record<string, number>
  /** Counts of some events, to tell per-event costs. */
  counts: Record<string, number>
  /** Longest tasks in the window, wall ms, and the longest by CPU ms; tasks with ≥ 50 ms of CPU. */
  longest: number[]
  longestCpu: number[]
  cpuOver50: number
}

const GC = /GC|Scavenge|BlinkGC/
const STYLE_LAYOUT = /^(Layout|UpdateLayoutTree|RecalculateStyles|UpdateLayout|HitTest|IntersectionObserver|ComputeIntersections|ResizeObserver)/
const PAINT = /^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|Commit|PaintImage|RasterTask|Decode|UpdateLayerTree|PaintSetup|ScrollLayer)/

/** The renderer main thread (`pid:tid`) that ran the most in a trace: the measured page's, not another tab's. */
/** A trace slice's name for a breakdown: JavaScript calls by function and file, DOM events by type. */
export function sliceName(e: TraceEvent): string {
  const data = e.args?.data as { functionName?: string, type?: string, url?: string } | undefined
  if (e.name === 'FunctionCall') return `FunctionCall ${data?.functionName || '(anonymous)'} ${(data?.url ?? '').split('/').pop()}`
  if (e.name === 'EventDispatch') return `EventDispatch ${data?.type ?? ''}`
  return e.name
}

export function busiestRendererMain(events: TraceEvent[]): string | undefined {
  const mains = new Map<string, number>()
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.set(`${e.pid}:${e.tid}`, 0)
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`
    if (e.ph === 'X' && mains.has(key)) mains.set(key, mains.get(key)! + (e.dur ?? 0))
  }
  return [...mains].sort((a, b) => b[1] - a[1])[0]?.[0]
}

/**
 * Self time of every slice on the busiest renderer main thread between `from` and `to` (trace µs), by bucket.
 * JavaScript is attributed to what started it (a WebSocket message, an animation frame, a microtask checkpoint, a
 * timer, a DOM event); GC, style and layout, and paint are their own buckets wherever they run. In Chromium 156 a
 * WebSocket message is a task `Receive mojo message` whose child `FunctionCall` is the `onmessage` handler.
 * Tracing costs a few µs per traced slice, which lands mostly in "task overhead": compare buckets, not totals.
 */
export function breakdown(events: TraceEvent[], from?: number, to?: number): ThreadBreakdown {
  const main = busiestRendererMain(events)
  const slices = events.filter(e => e.ph === 'X' && `${e.pid}:${e.tid}` === main && e.dur !== undefined
    && (from === undefined || e.ts >= from) && (to === undefined || e.ts <= to))
    .sort((a, b) => a.ts - b.ts || (b.dur! - a.dur!))
  const buckets: Record<string, number> = {}
  const counts: Record<string, number> = {}
  const longest: number[] = []
  const longestCpu: number[] = []
  let busy = 0
  let cpu = 0
  const stack: { e: TraceEvent, end: number, child: number }[] = []
  const close = (frame: { e: TraceEvent, end: number, child: number }) => {
    const self = Math.max(0, (frame.e.tdur ?? frame.e.dur!) - frame.child)
    const bucket = classify(frame.e, stack)
    buckets[bucket] = (buckets[bucket] ?? 0) + self / 1000
  }
  for (const e of slices) {
    while (stack.length && e.ts >= stack.at(-1)!.end) close(stack.pop()!)
    const parent = stack.at(-1)
    if (parent) parent.child += e.tdur ?? Math.min(e.dur!, parent.end - e.ts)
    else {
      busy += e.dur!
      cpu += e.tdur ?? e.dur!
      longest.push(e.dur! / 1000)
      longestCpu.push((e.tdur ?? e.dur!) / 1000)
    }
    const counted = e.name === 'EventDispatch' ? `EventDispatch:${e.args?.data?.type}` : e.name
    counts[counted] = (counts[counted] ?? 0) + 1
    stack.push({ e, end: e.ts + e.dur!, child: 0 })
  }
  while (stack.length) close(stack.pop()!)
  const first = slices[0]?.ts ?? 0
  const last = slices.reduce((m, e) => Math.max(m, e.ts + e.dur!), first)
  for (const key of Object.keys(buckets)) buckets[key] = Math.round(buckets[key]! * 10) / 10
  const top = (list: number[]) => list.sort((a, b) => b - a).slice(0, 5).map(v => Math.round(v))
  return { windowMs: (last - first) / 1000, busyMs: busy / 1000, cpuMs: cpu / 1000, buckets, counts, longest: top(longest), longestCpu: top(longestCpu), cpuOver50: longestCpu.filter(v => v >= 50).length }
}

function classify(e: TraceEvent, ancestors: { e: TraceEvent }[]): Bucket {
  if (GC.test(e.name)) return 'GC'
  if (STYLE_LAYOUT.test(e.name)) return 'style + layout'
  if (PAINT.test(e.name)) return 'paint + compositing'
  if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask' || e.name === 'BlinkScheduler_PerformMicrotaskCheckpoint' || e.name === 'SimpleWatcher::OnHandleReady')
    return 'task overhead (scheduler, tracing itself)'
  const chain = [...ancestors.map(a => a.e), e]
  if (e.name === 'Receive mojo message') return 'receive: Blink (WebSocket frame → MessageEvent)'
  if (chain.some(a => a.name === 'FireAnimationFrame')) return 'animation frame callbacks (tick)'
  if (chain.some(a => a.name === 'RunMicrotasks')) return 'microtasks (Vue render after the tick)'
  if (chain.some(a => a.name === 'EventDispatch')) return 'DOM events (scroll, click)'
  if (chain.some(a => a.name === 'TimerFire')) return 'timer JS'
  if (chain.some(a => a.name === 'Receive mojo message')) return 'receive: message handler JS'
  return 'other JS'
}

interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }
interface CpuProfile { nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }

export async function startCpuProfile(page: CdpPage, intervalUs = 250): Promise<() => Promise<CpuProfile>> {
  await page.send('Profiler.enable')
  await page.send('Profiler.setSamplingInterval', { interval: intervalUs })
  await page.send('Profiler.start')
  return async () => (await page.send<{ profile: CpuProfile }>('Profiler.stop')).profile
}

/** Self time (ms) per function over the whole profile, top `n`, plus the profile's (idle), (program) and (garbage collector). */
export function topFunctions(profile: CpuProfile, n = 20): { fn: string, ms: number }[] {
  const byId = new Map(profile.nodes.map(node => [node.id, node]))
  const self = new Map<string, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!)!
    const { functionName, url, lineNumber } = node.callFrame
    const file = url.split('/').pop() ?? ''
    const key = file ? `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}` : functionName
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10 }))
}

export interface TaskDetail {
  /** Start, ms after `origin` (the WebSocket handshake's response when the trace has one, else the first task). */
  atMs: number
  wallMs: number
  cpuMs: number
  /** What started the task (its first child: `Receive mojo message`, `FireAnimationFrame`, `TimerFire`, …). */
  kind: string
  /** CPU self time by trace event name inside the task (JS calls by function name), largest first. */
  top: { name: string, ms: number }[]
}

/**
 * Every top-level task on the busiest renderer main thread that took at least `minMs` of wall or CPU time, with
 * what it did: where the long tasks of a flood come from, and whether the bare page has them too.
 */
export function taskDetails(events: TraceEvent[], minMs = 50): { origin: string, tasks: TaskDetail[] } {
  const main = busiestRendererMain(events)
  const slices = events.filter(e => (e.ph === 'X' && `${e.pid}:${e.tid}` === main && e.dur !== undefined))
    .sort((a, b) => a.ts - b.ts || (b.dur! - a.dur!))
  const handshake = events.find(e => e.name === 'WebSocketReceiveHandshakeResponse' && `${e.pid}:${e.tid}` === main)
  const origin = handshake?.ts ?? slices[0]?.ts ?? 0
  const tasks: TaskDetail[] = []
  let i = 0
  while (i < slices.length) {
    const task = slices[i]!
    const end = task.ts + task.dur!
    let j = i + 1
    while (j < slices.length && slices[j]!.ts < end) j++
    const wallMs = task.dur! / 1000
    const cpuMs = (task.tdur ?? task.dur!) / 1000
    if (wallMs >= minMs || cpuMs >= minMs) {
      // Self time of each slice inside the task.
      const inner = slices.slice(i, j)
      const self = new Map<string, number>()
      const stack: { e: TraceEvent, end: number, child: number }[] = []
      const close = (f: { e: TraceEvent, end: number, child: number }) => {
        const ms = Math.max(0, (f.e.tdur ?? f.e.dur!) - f.child) / 1000
        self.set(sliceName(f.e), (self.get(sliceName(f.e)) ?? 0) + ms)
      }
      for (const e of inner) {
        while (stack.length && e.ts >= stack.at(-1)!.end) close(stack.pop()!)
        const parent = stack.at(-1)
        if (parent) parent.child += e.tdur ?? Math.min(e.dur!, parent.end - e.ts)
        stack.push({ e, end: e.ts + e.dur!, child: 0 })
      }
      while (stack.length) close(stack.pop()!)
      const kind = inner.find(e => e !== task && !/RunTask|ThreadController|SimpleWatcher/.test(e.name))?.name ?? task.name
      tasks.push({
        atMs: Math.round((task.ts - origin) / 1000), wallMs: Math.round(wallMs), cpuMs: Math.round(cpuMs), kind,
        top: [...self].filter(([, ms]) => ms >= 0.5).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, ms]) => ({ name, ms: Math.round(ms * 10) / 10 })),
      })
    }
    i = j
  }
  return { origin: handshake ? 'the WebSocket handshake' : 'the first task', tasks }
}
