import { readdirSync, readFileSync } from 'node:fs'

/**
 * CPU time by process and thread, read from /proc (Linux): what a flood costs the whole machine, not only the page's
 * main thread. Issue 12's two cores are shared by the flood server (this Node process), the browser process (its IO
 * thread and the network service read the sockets), the tab's renderer (the main thread, the driver Worker, the
 * compositor) and the rest; a page that costs more CPU per message leaves less for the others, and the rate drops.
 * Not part of `npm test`.
 */

export interface Proc { pid: number, ppid: number, cmdline: string, cpuTicks: number }

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
export const CLOCK_TICKS = 100

function statFields(text: string): string[] {
  // The command name (field 2) is in parentheses and may hold spaces: the fields after it start after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ')
}

export function processes(): Proc[] {
  const list: Proc[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const fields = statFields(readFileSync(`/proc/${name}/stat`, 'utf8'))
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ')
      list.push({ pid: Number(name), ppid: Number(fields[1]), cmdline, cpuTicks: Number(fields[11]) + Number(fields[12]) })
    }
    catch {
      // The process ended while we read it.
    }
  }
  return list
}

/** The processes of the Chromium that listens on `debugPort`: its browser process and everything under it. */
export function chromiumTree(debugPort: number, all = processes()): Proc[] {
  const root = all.find(p => p.cmdline.includes(`--remote-debugging-port=${debugPort}`) && !p.cmdline.includes('--type='))
  if (!root) return []
  const inTree = new Set([root.pid])
  for (let grew = true; grew;) {
    grew = false
    for (const p of all) if (!inTree.has(p.pid) && inTree.has(p.ppid)) { inTree.add(p.pid); grew = true }
  }
  return all.filter(p => inTree.has(p.pid))
}

/** CPU ticks by "process type/thread name" (e.g. `renderer/Compositor`, `browser/Chrome_IOThread`, `node/node`). */
export type CpuSnapshot = Map<string, number> & { idleTicks?: number, totalTicks?: number }

function processType(cmdline: string): string {
  return /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser'
}

/**
 * Every thread's CPU ticks in the Chromium tree and in this Node process (the bench's servers), keyed by process type
 * and thread name, plus the machine's idle and total ticks (/proc/stat), so two snapshots say where a flood's CPU went.
 */
export function cpuSnapshot(debugPort: number): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map()
  const add = (key: string, ticks: number) => snapshot.set(key, (snapshot.get(key) ?? 0) + ticks)
  const tree = chromiumTree(debugPort).map(p => ({ pid: p.pid, type: processType(p.cmdline) }))
  for (const { pid, type } of [...tree, { pid: process.pid, type: 'node' }]) {
    let tids: string[]
    try {
      tids = readdirSync(`/proc/${pid}/task`)
    }
    catch {
      continue
    }
    for (const tid of tids) {
      try {
        const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()
        const fields = statFields(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))
        // Threads of a pool (ThreadPoolForeg…) and the renderers' main threads ("chromium") add up under one name.
        add(`${type}/${comm}`, Number(fields[11]) + Number(fields[12]))
      }
      catch {
        // The thread ended while we read it.
      }
    }
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  snapshot.idleTicks = (cpu[3] ?? 0) + (cpu[4] ?? 0)
  snapshot.totalTicks = cpu.reduce((sum, v) => sum + v, 0)
  return snapshot
}

export interface CpuUse {
  /** ms of CPU by "process type/thread name", largest first (threads that used none left out). */
  threads: [string, number][]
  /** ms of CPU of every thread measured. */
  total: number
  /** ms the machine's cores were idle (all cores together), and the wall ms the snapshots were apart × cores. */
  idle: number
  capacity: number
}

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const threads: [string, number][] = []
  for (const [key, ticks] of after) {
    const ms = (ticks - (before.get(key) ?? 0)) * 1000 / CLOCK_TICKS
    if (ms > 0) threads.push([key, ms])
  }
  threads.sort((a, b) => b[1] - a[1])
  return {
    threads,
    total: threads.reduce((sum, [, ms]) => sum + ms, 0),
    idle: ((after.idleTicks ?? 0) - (before.idleTicks ?? 0)) * 1000 / CLOCK_TICKS,
    capacity: ((after.totalTicks ?? 0) - (before.totalTicks ?? 0)) * 1000 / CLOCK_TICKS,
  }
}

/** Add up several runs' use (same keys summed). */
export function sumCpuUse(uses: CpuUse[]): CpuUse {
  const byKey = new Map<string, number>()
  for (const use of uses) for (const [key, ms] of use.threads) byKey.set(key, (byKey.get(key) ?? 0) + ms)
  const threads = [...byKey].sort((a, b) => b[1] - a[1])
  return {
    threads,
    total: threads.reduce((sum, [, ms]) => sum + ms, 0),
    idle: uses.reduce((sum, u) => sum + u.idle, 0),
    capacity: uses.reduce((sum, u) => sum + u.capacity, 0),
  }
}

/**
 * Wait until the Chromium tree is quiet: less than `busyMs` of CPU over a `windowMs` window (a closed tab's renderer
 * shutting down, the browser's clean-up after it), at most `maxMs`. Run before each measured flood, so one run's
 * tear-down does not land in the next (the app's tab, with its larger heap, takes longer to go than a bare page's,
 * and would slow whichever run follows it). The ms waited.
 */
export async function settle(debugPort: number, { windowMs = 200, busyMs = 20, maxMs = 3_000 } = {}): Promise<number> {
  const started = Date.now()
  const ticks = () => chromiumTree(debugPort).reduce((sum, p) => sum + p.cpuTicks, 0)
  for (;;) {
    const before = ticks()
    await new Promise(resolve => setTimeout(resolve, windowMs))
    const used = (ticks() - before) * 1000 / CLOCK_TICKS
    if (used < busyMs || Date.now() - started >= maxMs) return Date.now() - started
  }
}
