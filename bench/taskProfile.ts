import type { CDPSession, Page } from 'playwright-core'
import type { TaskTrace } from './taskTrace.ts'

/**
 * `--profile` in bench/imports.ts: a V8 CPU profile beside the task trace, to say *what* ran in the tasks over
 * 50 ms of CPU time. Profile timestamps and trace timestamps share Chromium's monotonic clock (µs), so a task's
 * samples are the ones inside its wall-time span. Build with `--minify false` to read the function names.
 */
interface ProfileNode { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }
interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }

export async function startProfile(page: Page): Promise<CDPSession> {
  const session = await page.context().newCDPSession(page)
  await session.send('Profiler.enable')
  await session.send('Profiler.setSamplingInterval', { interval: 100 })
  await session.send('Profiler.start')
  return session
}

export async function stopProfile(session: CDPSession): Promise<Profile> {
  const { profile } = await session.send('Profiler.stop') as unknown as { profile: Profile }
  await session.detach()
  return profile
}

const frameName = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`

/** For each task over `threshold` ms of CPU: its top functions by self time and by total (inclusive) time. */
export function profileTasks(profile: Profile, trace: TaskTrace, threshold = 50, top = Number(process.env.PROFILE_TOP ?? 25)): string {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const times: number[] = []
  let t = profile.startTime
  for (const d of profile.timeDeltas) { t += d; times.push(t) }
  const out: string[] = []
  for (const task of trace.tasks) {
    if (task.cpuMs < threshold) continue
    const from = task.start * 1000
    const to = from + task.wallMs * 1000
    const self = new Map<string, number>()
    const total = new Map<string, number>()
    for (let i = 0; i < profile.samples.length; i++) {
      if (times[i] < from || times[i] > to) continue
      const dt = (profile.timeDeltas[i + 1] ?? 100) / 1000
      let node = byId.get(profile.samples[i])
      if (!node) continue
      self.set(frameName(node), (self.get(frameName(node)) ?? 0) + dt)
      const seen = new Set<string>()
      while (node) {
        const name = frameName(node)
        if (!seen.has(name)) { seen.add(name); total.set(name, (total.get(name) ?? 0) + dt) }
        const p = parent.get(node.id)
        node = p === undefined ? undefined : byId.get(p)
      }
    }
    const list = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `    ${v.toFixed(1).padStart(6)} ms  ${k}`).join('\n')
    out.push(`  task of ${task.cpuMs.toFixed(0)} ms CPU / ${task.wallMs.toFixed(0)} ms wall\n   self:\n${list(self)}\n   total:\n${list(total)}`)
  }
  return out.join('\n')
}
