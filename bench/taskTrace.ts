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
  const tasks: TracedTask[] = []
  for (const e of traceEvents) {
    if (e.ph !== 'X' || e.cat !== 'toplevel' || !mainThreads.has(`${e.pid}:${e.tid}`)) continue
    if (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask') continue
    tasks.push({ start: e.ts / 1000, wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 })
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
