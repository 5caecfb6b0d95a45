import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * Page-side scripts, as plain JavaScript strings: they run in Chromium through Runtime.evaluate, so they must not
 * go through tsx (whose transform could inject helpers the page does not have).
 */

/**
 * Installed before any page script: long tasks (PerformanceObserver `longtask`, ≥ 50 ms by definition), the gaps
 * between animation frames, and the hook the app's TimelinePanel hands its timeline to.
 */
export const MONITOR_SCRIPT = `(() => {
  const bench = window.__bench = { longTasks: [], frameGaps: [], handles: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  let last = 0;
  const loop = (t) => { if (last) bench.frameGaps.push([t, t - last]); last = t; requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  window.__socketlensBench = { attach(handle) { bench.handles.push(handle); } };
  bench.nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  /** Longest long task (and when, in ms after from) and longest frame gap between two performance.now() times. */
  bench.jank = (from, to) => {
    let longTask = 0, longTasks = 0, longTaskAt = 0, frameGap = 0;
    for (const t of bench.longTasks) if (t.start + t.duration >= from && t.start <= to) {
      longTasks++;
      if (t.duration > longTask) { longTask = t.duration; longTaskAt = t.start - from; }
    }
    for (const [t, gap] of bench.frameGaps) if (t >= from && t - gap <= to) frameGap = Math.max(frameGap, gap);
    return { longTask, longTasks, longTaskAt, frameGap };
  };
})()`

/** A page that only counts raw WebSocket frames: the browser's own receive rate. */
const BARE_WS = `<!doctype html><meta charset="utf-8"><title>bare ws</title><script>
const bare = window.__bare = { n: 0, first: 0, last: 0 };
const ws = new WebSocket(new URLSearchParams(location.search).get('url'));
ws.binaryType = 'arraybuffer';
ws.onmessage = () => { const t = performance.now(); if (bare.n === 0) bare.first = t; bare.last = t; bare.n++; };
</script>`

/** A page that only counts Socket.IO events with the same socket.io-client the app uses. */
const BARE_SOCKETIO = `<!doctype html><meta charset="utf-8"><title>bare socket.io</title><script>
const params = new URLSearchParams(location.search);
const bare = window.__bare = { n: 0, first: 0, last: 0 };
const script = document.createElement('script');
script.src = params.get('client');
script.onload = () => {
  const socket = io(params.get('url'));
  socket.onAny(() => { const t = performance.now(); if (bare.n === 0) bare.first = t; bare.last = t; bare.n++; });
};
document.head.append(script);
</script>`

export interface PageServer { url: string, close: () => Promise<void> }

/** Serves the bare pages from http://localhost (a loopback origin, like the app's). */
export async function startPageServer(): Promise<PageServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const body = path === '/bare-ws.html' ? BARE_WS : path === '/bare-socketio.html' ? BARE_SOCKETIO : undefined
    response.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    response.end(body ?? 'not found')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://localhost:${port}`, close: () => new Promise<void>(resolve => server.close(() => resolve())) }
}
