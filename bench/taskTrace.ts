import type { Browser, Page } from 'playwright-core'

/**
 * Main-thread tasks from a Chromium trace (category `toplevel`), with the CPU time each took (`tdur`) beside its
 * wall time. On a shared or busy machine a task's wall time includes the time the thread waited for a core, so
 * the long-task observer's figures grow with the machine's load; a task's CPU time is what the page itself spent.
 * Marks (`performance.mark`, category `blink.user_timing`) come with the trace's clock, to put tasks in phases.
 */
export interface TracedTask { start: number, wallMs: number, cpuMs: number }
export interface TaskTrace { tasks: TracedTask[], marks: { name: string, at: number }[] }

interface TraceEvent { name: string, cat: string, ph: string, ts: number, dur?: number, tdur?: number, pid: number, tid: number, args?: { name?: string } }

export async function startTaskTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: ['toplevel', 'blink.user_timing', '__metadata'] })
}

export async function stopTaskTrace(browser: Browser): Promise<TaskTrace> {
  const buffer = await browser.stopTracing()
  const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] }
  const mainThreads = new Set(traceEvents.filter(e => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map(e => `${e.pid}:${e.tid}`))
  // A task, and the microtask checkpoint Blink runs right after it (where promise continuations run: a Vue render
  // after an `await`), are one task to the long-task observer: merge a checkpoint into the task it follows.
  const parts = traceEvents.filter(e => e.ph === 'X' && e.cat.split(',').includes('toplevel') && mainThreads.has(`${e.pid}:${e.tid}`)
    && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask' || e.name === 'BlinkScheduler_PerformMicrotaskCheckpoint'))
    .sort((a, b) => a.ts - b.ts)
  const tasks: TracedTask[] = []
  let open: { end: number, task: TracedTask } | undefined
  for (const e of parts) {
    const dur = e.dur ?? 0
    const cpu = e.tdur ?? dur
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
  const marks = traceEvents.filter(e => e.cat.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n' || e.ph === 'b'))
    .map(e => ({ name: e.name, at: e.ts / 1000 })).sort((a, b) => a.at - b.at)
  return { tasks, marks }
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
