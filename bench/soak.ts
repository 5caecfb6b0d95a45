import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import type { CdpPage } from './cdp.ts'
import { chromiumTree, CLOCK_TICKS, processes, type Proc } from './procCpu.ts'
import { startStreamServer } from './streamServer.ts'

/**
 * `npx tsx bench/run.ts --soak [minutes] [--rate <frames/s>]` (issue 12): the app follows a raw WebSocket stream
 * of 100-byte text frames at a steady rate (default 4,000/s, so the 1,000,000-event cap is passed after about four
 * minutes and eviction runs for the rest), and every 30 s the runner samples: the received rate, the longest task
 * and the tasks ≥ 50 ms since the last sample (long-task observer: wall time, which grows with the machine's load,
 * so the load average is sampled too), the JS heap, and the renderer's resident memory (VmRSS of the tab's renderer
 * process, found under the browser's process tree in /proc). Not part of `npm test`.
 */
export interface SoakSample {
  atS: number, received: number, ratePerS: number, retained: number, dropped: number,
  longTaskMs: number, longTasks: number, heapMiB: number, heapTotalMiB: number, rssMiB: number, rendererCpuS: number, load1: number, serverSkipped: number,
}

/** Renderer processes under the Chromium that listens on `debugPort`. */
function renderers(debugPort: number): Proc[] {
  return chromiumTree(debugPort).filter(p => p.cmdline.includes('--type=renderer'))
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) / 1024 : Number.NaN
}

const SAMPLE = `(() => {
  const { timeline } = __bench.handles.at(-1);
  const since = __bench.soakSince ?? 0;
  let longTaskMs = 0, longTasks = 0;
  for (const t of __bench.longTasks) if (t.start >= since) { longTasks++; longTaskMs = Math.max(longTaskMs, t.duration); }
  __bench.longTasks.length = 0;
  __bench.soakSince = performance.now();
  return { received: timeline.count('wire', 'in'), retained: timeline.length, dropped: timeline.dropped, longTaskMs, longTasks,
    heap: performance.memory.usedJSHeapSize, heapTotal: performance.memory.totalJSHeapSize };
})()`

export async function soak(options: {
  minutes: number, rate: number, appUrl: string, debugPort: number, log: (line: string) => void,
  /** Where the app was told to run its drivers (logged only; `onPage` sets it). */
  place?: 'worker' | 'page',
  onPage: <T>(url: string, body: (page: CdpPage) => Promise<T>) => Promise<T>,
}): Promise<{ rate: number, samples: SoakSample[] }> {
  const { minutes, rate, appUrl, debugPort, log } = options
  const stream = await startStreamServer(rate, 100)
  // The tab's renderer is the one busiest over the first seconds of the stream, not necessarily a new process: the
  // app's service worker (installed by the warm-up) keeps a renderer of the app's site alive, and the tab joins it.
  const before = new Map(renderers(debugPort).map(p => [p.pid, p.cpuTicks]))
  const samples: SoakSample[] = []
  try {
    await options.onPage(`${appUrl}/?${new URLSearchParams({ url: stream.url, type: 'ws', connect: '1' })}`, async (page) => {
      const started = Date.now()
      await new Promise(resolve => setTimeout(resolve, 5000))
      const busiest = renderers(debugPort).sort((a, b) => (b.cpuTicks - (before.get(b.pid) ?? 0)) - (a.cpuTicks - (before.get(a.pid) ?? 0)))
      const renderer = busiest[0]
      if (!renderer) throw new Error('could not find the tab\'s renderer process')
      log(`Soak: raw WebSocket stream of 100-byte text frames at ${rate.toLocaleString('en-US')}/s for ${minutes} min; drivers ${options.place === undefined ? 'where the app chose' : options.place === 'worker' ? 'in the Worker' : 'on the page'}; renderer pid ${renderer.pid}; load average at start ${loadavg().map(v => v.toFixed(2)).join(' ')}`)
      log('   t   received   rate/s   retained   dropped  longest task  tasks≥50ms  JS heap  heap total  renderer RSS  renderer CPU  load1')
      await page.evaluate(`(__bench.longTasks.length = 0, __bench.soakSince = performance.now(), 0)`)
      let lastReceived = 0
      let lastAt = Date.now()
      for (let i = 1; i <= minutes * 2; i++) {
        await new Promise(resolve => setTimeout(resolve, started + 5000 + i * 30_000 - Date.now()))
        const s = await page.evaluate<{ received: number, retained: number, dropped: number, longTaskMs: number, longTasks: number, heap: number, heapTotal: number }>(SAMPLE)
        const now = Date.now()
        const cpu = processes().find(p => p.pid === renderer.pid)?.cpuTicks ?? Number.NaN
        const sample: SoakSample = {
          atS: Math.round((now - started) / 1000), received: s.received, ratePerS: Math.round((s.received - lastReceived) * 1000 / (now - lastAt)),
          retained: s.retained, dropped: s.dropped, longTaskMs: Math.round(s.longTaskMs), longTasks: s.longTasks,
          heapMiB: Math.round(s.heap / 2 ** 20), heapTotalMiB: Math.round(s.heapTotal / 2 ** 20), rssMiB: Math.round(rssMiB(renderer.pid)),
          rendererCpuS: Math.round(cpu / CLOCK_TICKS), load1: Math.round(loadavg()[0]! * 100) / 100, serverSkipped: stream.stats().skipped,
        }
        lastReceived = s.received
        lastAt = now
        samples.push(sample)
        log(`${String(sample.atS).padStart(4)} ${sample.received.toLocaleString('en-US').padStart(10)} ${sample.ratePerS.toLocaleString('en-US').padStart(8)} ${sample.retained.toLocaleString('en-US').padStart(10)} ${sample.dropped.toLocaleString('en-US').padStart(9)}  ${`${sample.longTaskMs} ms`.padStart(12)}  ${String(sample.longTasks).padStart(10)}  ${`${sample.heapMiB} MiB`.padStart(7)}  ${`${sample.heapTotalMiB} MiB`.padStart(10)}  ${`${sample.rssMiB} MiB`.padStart(12)}  ${`${sample.rendererCpuS} s`.padStart(12)}  ${sample.load1.toFixed(2).padStart(5)}`)
      }
    })
  }
  finally {
    await stream.close()
  }
  return { rate, samples }
}
