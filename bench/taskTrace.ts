import type { Browser, Page } from 'playwright-core'
import { writeFileSync } from 'node:fs'

/**
 * Main-thread tasks from a Chromium trace (category `toplevel`), with the CPU time each took (`tdur`) beside its
 * wall time. On a shared or busy machine a task's wall time includes the time the thread waited for a core, so
 * the long-task observer's figures grow with the machine's load; a task's CPU time is what the page itself spent.
 * Marks (`performance.mark`, category `blink.user_timing`) come with the trace's clock, to put tasks in phases.
 */
export interface TracedTask { start: number, wallMs: number, cpuMs: number }
export interface TaskTrace { tasks: TracedTask[], marks: { name: string, at: number }[], events?: TraceEvent[] }

interface TraceEvent { name: string, cat: string, ph: string, ts: number, dur?: number, tdur?: number, pid: number, tid: number, args?: { name?: string, data?: unknown } }

/** `TRACE_BREAKDOWN=1`: also what the page's thread did inside each task (`breakdown`): layout, style, GC, script. */
const breakdownWanted = process.env.TRACE_BREAKDOWN === '1'

export async function startTaskTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', '__metadata', ...(breakdownWanted ? ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'] : []), ...(process.env.TRACE_JS === '1' ? ['disabled-by-default-v8.cpu_profiler', 'disabled-by-default-v8.gc', 'cppgc', 'disabled-by-default-cppgc', 'blink_gc', 'disabled-by-default-blink_gc'] : [])] })
}

let dumped = 0

export async function stopTaskTrace(browser: Browser): Promise<TaskTrace> {
  const buffer = await browser.stopTracing()
  // TRACE_DUMP=<file prefix>: keep each raw trace (open it in chrome://tracing or Perfetto).
  if (process.env.TRACE_DUMP) writeFileSync(`${process.env.TRACE_DUMP}-${++dumped}.json`, buffer)
  const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }
  const mainThreads = new Set(traceEvents.filter(e => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(e => `${e.pid}:${e.tid}`))
  // A task, and the microtask checkpoint Blink runs right after it (where promise continuations run: a Vue render
  // after an `await`), are one task to the long-task observer: merge a checkpoint into the task it follows.
  // Thread by thread: a trace can hold more than one renderer's main thread (another page of the browser, a spare
  // renderer), and interleaving two threads' events would join tasks that never ran together.
  const byThread = new Map<string, TraceEvent[]>()
  for (const e of traceEvents) {
    const key = `${e.pid}:${e.tid}`
    if (e.ph !== 'X' || !mainThreads.has(key) || !e.cat.split(',').includes('toplevel')) continue
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask' && e.name !== 'BlinkScheduler_PerformMicrotaskCheckpoint') continue
    let list = byThread.get(key)
    if (!list) byThread.set(key, list = [])
    list.push(e)
  }
  // The page's thread is the busiest one.
  let tasks: TracedTask[] = []
  let busiest = -1
  for (const parts of byThread.values()) {
    const own = tasksOf(parts.sort((a, b) => a.ts - b.ts))
    const cpu = own.reduce((sum, t) => sum + t.cpuMs, 0)
    if (cpu > busiest) [tasks, busiest] = [own, cpu]
  }
  const marks = traceEvents.filter(e => e.cat.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b'))
    .map(e => ({ name: e.name, at: e.ts / 1000 })).sort((a, b) => a.at - b.at)
  return { tasks, marks, ...(breakdownWanted ? { events: traceEvents.filter(e => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`)) } : {}) }
}

/** One thread's tasks, its events in time order. */
function tasksOf(parts: TraceEvent[]): TracedTask[] {
  const tasks: TracedTask[] = []
  let open: { end: number, task: TracedTask } | undefined
  for (const e of parts) {
    const dur = e.dur ?? 0
    // A thread cannot spend more CPU than wall time: a larger thread time is the clock's error, not work (on this
    // machine's kernel the thread clock is coarse: main-thread tasks of 2–8 ms wall come with 4–9 ms of it).
    const cpu = Math.min(e.tdur ?? dur, dur)
    if ((e.tdur ?? 0) > dur + 20_000) process.stderr.write(`taskTrace: ${e.name} at ${(e.ts / 1000).toFixed(0)} ms says ${((e.tdur ?? 0) / 1000).toFixed(0)} ms of CPU in ${(dur / 1000).toFixed(0)} ms: counted as ${(dur / 1000).toFixed(0)}\n`)
    // Inside the open task (nested), or a checkpoint right after it (within 0.2 ms): the same task. Two tasks in a
    // row stay two tasks, however close.
    const checkpoint = e.name === 'BlinkScheduler_PerformMicrotaskCheckpoint'
    if (open && (e.ts < open.end || (checkpoint && e.ts <= open.end + 200))) {
      if (e.ts + dur > open.end) {
        const nestedCpu = e.ts < open.end ? 0 : cpu
        open.task.wallMs += (e.ts + dur - open.end) / 1000
        open.task.cpuMs += nestedCpu / 1000
        open.end = e.ts + dur
      }
      continue
    }
    open = { end: e.ts + dur, task: { start: e.ts / 1000, wallMs: dur / 1000, cpuMs: cpu / 1000 } }
    tasks.push(open.task)
  }
  return tasks
}

/**
 * Per task over `threshold` ms of CPU: the CPU time of the trace events inside it, by name (nested events are
 * counted in their parents too: Layout inside FunctionCall is in both).
 */
export function breakdown(trace: TaskTrace, threshold = 50): string {
  if (!trace.events) return ''
  const out: string[] = []
  for (const task of trace.tasks) {
    if (task.cpuMs < threshold) continue
    const from = task.start * 1000
    const to = from + task.wallMs * 1000
    const byName = new Map<string, number>()
    for (const e of trace.events) {
      if (e.ts < from || e.ts > to) continue
      if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') continue
      const key = e.name === 'FunctionCall' || e.name === 'TimerFire' || e.name === 'EventDispatch' ? `${e.name} ${JSON.stringify((e.args as { data?: { functionName?: string, url?: string, type?: string } } | undefined)?.data?.type ?? (e.args as { data?: { functionName?: string } } | undefined)?.data?.functionName ?? '')}` : e.name
      byName.set(key, (byName.get(key) ?? 0) + (e.tdur ?? e.dur ?? 0) / 1000)
    }
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `    ${v.toFixed(1).padStart(6)} ms  ${k}`).join('\n')
    out.push(`  task of ${task.cpuMs.toFixed(0)} ms CPU / ${task.wallMs.toFixed(0)} ms wall:\n${top}`)
  }
  return out.join('\n')
}

/**
 * The longest task by CPU time, overall and in each phase: a mark named `phase:<text>` starts a phase (the bench
 * page marks every change of the import's progress line).
 */
export function longestByPhase(trace: TaskTrace): { cpuMs: number, wallMs: number, during: Record<string, number> } {
  const phases = trace.marks.filter(m => m.name.startsWith('phase:'))
  const during: Record<string, number> = {}
  let cpuMs = 0
  let wallMs = 0
  for (const task of trace.tasks) {
    cpuMs = Math.max(cpuMs, task.cpuMs)
    wallMs = Math.max(wallMs, task.wallMs)
    if (task.cpuMs < 50) continue
    let phase = 'before'
    for (const mark of phases) if (mark.at <= task.start) phase = mark.name.slice('phase:'.length) || 'after the progress line'
    during[phase] = Math.max(during[phase] ?? 0, task.cpuMs)
  }
  return { cpuMs, wallMs, during }
}
