/**
 * The million-event sweep cut into its steps (issue 12, `--profile=scroll`): the scenario marks the end of each step
 * (`performance.mark('<label>:step')`, bench/scenarios.ts, in the task that runs once the step's frame has been
 * rendered, which then writes the next scrollTop), and every main-thread task that starts between two marks belongs
 * to the later step. A step's frame task holds its whole work, in this order (checked in the trace): the scroll
 * event (the list's handler, then Vue's render of the rows in the microtask checkpoint), the animation frame
 * callbacks, style, layout, pre-paint, paint; a GC task between two frames counts for the step it delays.
 * `frameWallMs` is that frame task's wall time (the in-page figure, `work`, also counts the wait from the frame's
 * begin time to the task's start).
 */

import { busiestRendererMain, sliceName, type TraceEvent } from './mainThreadProfile.ts'

export interface ScrollStep {
  /** Wall time from the previous step's mark to this one's (one animation frame when the step fits). */
  wallMs: number
  /** CPU (thread) time of the main-thread tasks that started in the step. */
  cpuMs: number
  /** Wall time of the step's frame task (the one that ran its animation frame callbacks), 0 if none. */
  frameWallMs: number
  /** CPU self time by group (see `group`), ms. */
  groups: Record<string, number>
  /** CPU self time by trace event name (JS calls by function), largest first. */
  top: { name: string, ms: number }[]
}

export interface SweepSteps {
  label: string
  steps: ScrollStep[]
  longestWall: number
  medianWall: number
  longestCpu: number
  medianCpu: number
  /** Mean CPU per step by group. */
  meanGroups: Record<string, number>
}

const GC = /GC|Scavenge|BlinkGC|cppgc|LiveObjectVisitor|RememberedSet/

/** What a slice's self time was: the groups the report sums. */
function group(e: TraceEvent, ancestors: TraceEvent[]): string {
  if (GC.test(e.name)) return 'GC'
  if (e.name === 'UpdateLayoutTree' || e.name === 'RecalculateStyles') return 'style'
  if (e.name === 'Layout' || e.name === 'UpdateLayout') return 'layout'
  if (e.name === 'PrePaint') return 'pre-paint'
  if (/^(Paint|Layerize|UpdateLayer|CompositeLayers|Commit|PaintSetup|ScrollLayer|UpdateLayerTree)/.test(e.name)) return 'paint'
  if (/^(ThreadControllerImpl::RunTask|RunTask|BlinkScheduler_PerformMicrotaskCheckpoint)$/.test(e.name)) return 'task overhead'
  const chain = [...ancestors, e]
  if (chain.some(a => a.name === 'RunMicrotasks')) return 'JS: Vue render (microtasks)'
  if (chain.some(a => a.name === 'EventDispatch')) return 'JS: scroll handler'
  if (chain.some(a => a.name === 'FireAnimationFrame')) return 'JS: animation frame (bench)'
  return 'other'
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
const round = (ms: number) => Math.round(ms * 10) / 10

/** The steps of each sweep (`labels`: the marks' prefixes) from a trace of the scenario. */
export function sweepSteps(events: TraceEvent[], labels: string[]): SweepSteps[] {
  const main = busiestRendererMain(events)
  const slices = events.filter(e => e.ph === 'X' && `${e.pid}:${e.tid}` === main && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur! - a.dur!))
  // Top-level tasks with their CPU self time by group and by name.
  const tasks: { ts: number, wall: number, frame: boolean, cpu: number, groups: Map<string, number>, names: Map<string, number> }[] = []
  let i = 0
  while (i < slices.length) {
    const task = slices[i]!
    const end = task.ts + task.dur!
    let j = i + 1
    while (j < slices.length && slices[j]!.ts < end) j++
    const groups = new Map<string, number>()
    const names = new Map<string, number>()
    const stack: { e: TraceEvent, end: number, child: number }[] = []
    const close = (f: { e: TraceEvent, end: number, child: number }) => {
      const ms = Math.max(0, (f.e.tdur ?? f.e.dur!) - f.child) / 1000
      const g = group(f.e, stack.map(s => s.e))
      groups.set(g, (groups.get(g) ?? 0) + ms)
      names.set(sliceName(f.e), (names.get(sliceName(f.e)) ?? 0) + ms)
    }
    let frame = false
    for (const e of slices.slice(i, j)) {
      if (e.name === 'FireAnimationFrame') frame = true
      while (stack.length && e.ts >= stack.at(-1)!.end) close(stack.pop()!)
      const parent = stack.at(-1)
      if (parent) parent.child += e.tdur ?? Math.min(e.dur!, parent.end - e.ts)
      stack.push({ e, end: e.ts + e.dur!, child: 0 })
    }
    while (stack.length) close(stack.pop()!)
    // The thread clock is coarse on this machine: never more CPU than wall time.
    tasks.push({ ts: task.ts, wall: task.dur! / 1000, frame, cpu: Math.min(task.tdur ?? task.dur!, task.dur!) / 1000, groups, names })
    i = j
  }
  const marks = events.filter(e => e.cat.includes('blink.user_timing')).sort((a, b) => a.ts - b.ts)
  const out: SweepSteps[] = []
  for (const label of labels) {
    const start = marks.find(m => m.name === `${label}:start`)
    if (!start) continue
    const bounds = [start.ts, ...marks.filter(m => m.name === `${label}:step` && m.ts > start.ts).map(m => m.ts)]
    // A mark can be reported more than once (begin and end phases): keep distinct times.
    const times = bounds.filter((t, k) => k === 0 || t > bounds[k - 1]!)
    const steps: ScrollStep[] = []
    for (let k = 1; k < times.length; k++) {
      const inside = tasks.filter(t => t.ts >= times[k - 1]! && t.ts < times[k]!)
      const groups: Record<string, number> = {}
      const names = new Map<string, number>()
      for (const t of inside) {
        for (const [g, ms] of t.groups) groups[g] = (groups[g] ?? 0) + ms
        for (const [n, ms] of t.names) names.set(n, (names.get(n) ?? 0) + ms)
      }
      steps.push({
        wallMs: round((times[k]! - times[k - 1]!) / 1000),
        cpuMs: round(inside.reduce((sum, t) => sum + t.cpu, 0)),
        frameWallMs: round(Math.max(0, ...inside.filter(t => t.frame).map(t => t.wall))),
        groups: Object.fromEntries(Object.entries(groups).map(([g, ms]) => [g, round(ms)])),
        top: [...names].filter(([, ms]) => ms >= 0.5).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, ms]) => ({ name, ms: round(ms) })),
      })
    }
    const meanGroups: Record<string, number> = {}
    for (const step of steps) for (const [g, ms] of Object.entries(step.groups)) meanGroups[g] = (meanGroups[g] ?? 0) + ms / steps.length
    out.push({
      label,
      steps,
      longestWall: Math.max(0, ...steps.map(s => s.wallMs)),
      medianWall: median(steps.map(s => s.wallMs)),
      longestCpu: Math.max(0, ...steps.map(s => s.cpuMs)),
      medianCpu: median(steps.map(s => s.cpuMs)),
      meanGroups: Object.fromEntries(Object.entries(meanGroups).sort((a, b) => b[1] - a[1]).map(([g, ms]) => [g, round(ms)])),
    })
  }
  return out
}

/** Lines for the log: each sweep's summary, its mean step by group, and its slowest steps with what they did. */
export function describeSweeps(sweeps: SweepSteps[], slowest = 5): string[] {
  const lines: string[] = []
  for (const s of sweeps) {
    lines.push(`  ${s.label}: ${s.steps.length} steps; longest ${s.longestWall} ms wall / ${s.longestCpu} ms CPU; median ${s.medianWall} ms wall / ${s.medianCpu} ms CPU; median frame task ${median(s.steps.map(x => x.frameWallMs))} ms wall; steps over 16 ms: ${s.steps.filter(x => x.frameWallMs > 16).length} by the frame task's wall, ${s.steps.filter(x => x.cpuMs > 16).length} by CPU`)
    lines.push(`    mean CPU per step: ${Object.entries(s.meanGroups).map(([g, ms]) => `${g} ${ms}`).join(' · ')}`)
    const order = s.steps.map((step, k) => ({ step, k })).sort((a, b) => b.step.cpuMs - a.step.cpuMs).slice(0, slowest)
    for (const { step, k } of order)
      lines.push(`    step ${k + 1}: ${step.wallMs} ms wall (its frame task ${step.frameWallMs}), ${step.cpuMs} ms CPU — ${step.top.map(t => `${t.name} ${t.ms}`).join(' · ')}`)
  }
  return lines
}
