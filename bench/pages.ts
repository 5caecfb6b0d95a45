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
  // Long animation frames (LoAF, Chromium 123+): the same long tasks with their phases and the scripts that ran.
  bench.longFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longFrames.push({
        start: e.startTime, duration: e.duration, renderStart: e.renderStart, styleAndLayoutStart: e.styleAndLayoutStart,
        scripts: e.scripts.map((s) => ({ invoker: s.invoker, type: s.invokerType, url: s.sourceURL, duration: s.duration, forced: s.forcedStyleAndLayoutDuration })),
      });
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {}
  let last = 0;
  const loop = (t) => { if (last) bench.frameGaps.push([t, t - last]); last = t; requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  window.__socketlensBench = { attach(handle) { bench.handles.push(handle); } };
  bench.nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  /**
   * Longest long task (and when, in ms after from), every long task as [ms after from, ms], and the longest frame gap
   * between two performance.now() times.
   */
  bench.jank = (from, to) => {
    let longTask = 0, longTasks = 0, longTaskAt = 0, frameGap = 0;
    const tasks = [];
    for (const t of bench.longTasks) if (t.start + t.duration >= from && t.start <= to) {
      longTasks++;
      tasks.push([Math.round(t.start - from), Math.round(t.duration)]);
      if (t.duration > longTask) { longTask = t.duration; longTaskAt = t.start - from; }
    }
    for (const [t, gap] of bench.frameGaps) if (t >= from && t - gap <= to) frameGap = Math.max(frameGap, gap);
    /*
     * The long animation frames in the window, split at the frame's rendering: 'tasks' (the task or tasks before it),
     * 'callbacks' (animation-frame callbacks, observers), 'render' (style, layout, paint); 'scripts' that ran (≥ 5 ms
     * each, LoAF's threshold) as [invoker, file, ms, ms of forced style and layout].
     */
    const frames = [];
    for (const f of bench.longFrames) if (f.start + f.duration >= from && f.start <= to && f.duration >= 50) {
      const end = f.start + f.duration;
      const rendered = f.renderStart > 0;
      const layoutAt = f.styleAndLayoutStart > 0 ? f.styleAndLayoutStart : end;
      frames.push({
        at: Math.round(f.start - from), ms: Math.round(f.duration),
        tasks: Math.round((rendered ? f.renderStart : end) - f.start),
        callbacks: rendered ? Math.round(layoutAt - f.renderStart) : 0,
        render: rendered ? Math.round(end - layoutAt) : 0,
        scripts: f.scripts.map((s) => [s.type === 'user-callback' || s.type === 'event-listener' ? s.invoker : s.type + (s.invoker ? ' ' + s.invoker : ''), (s.url || '').split('/').pop(), Math.round(s.duration), Math.round(s.forced)]),
      });
    }
    return { longTask, longTasks, longTaskAt, frameGap, tasks, frames };
  };
})()`

/**
 * Installed before the app's scripts on every page the bench opens in its one browser profile: no saved tabs
 * (`socketlens.sessions.v1`, src/stores/sessionPersistence.ts), so an app page holds the deep link's session alone.
 * The app saves its tabs when a page closes and opens a deep link beside the saved ones: without this, every run
 * restored the sessions of all the runs before it (dozens by the Socket.IO floods), and the app's start-up, which
 * overlaps a flood's first frames, grew from round to round.
 */
export const NO_SAVED_TABS = `try { localStorage.removeItem('socketlens.sessions.v1') } catch {}`

/**
 * A page that only counts raw WebSocket frames: the browser's own receive rate. With `start=manual` it connects
 * when `__start()` is called (the profiler starts first).
 */
const BARE_WS = `<!doctype html><meta charset="utf-8"><title>bare ws</title><script>
const bare = window.__bare = { n: 0, first: 0, last: 0 };
const start = () => {
  const ws = new WebSocket(new URLSearchParams(location.search).get('url'));
  ws.binaryType = 'arraybuffer';
  ws.onmessage = () => { const t = performance.now(); if (bare.n === 0) bare.first = t; bare.last = t; bare.n++; };
};
if (new URLSearchParams(location.search).get('start') === 'manual') window.__start = start; else start();
</script>`

/**
 * The raw WebSocket bare page's variants for the Worker evaluation (issue 12), `?mode=`:
 * - `read`: on the main thread, reads each frame's data and keeps nothing (the least a page that shows frames does);
 * - `keep`: on the main thread, reads each frame's data and keeps an event object for it (what any logger must do);
 * - `worker`: the WebSocket lives in a dedicated Worker that only counts;
 * - `worker-read`: in the Worker, reads each frame's data and keeps nothing (the `read` page's Worker twin: the least
 *   a Worker that records payloads must do);
 * - `worker-stream`: as worker-read, through `WebSocketStream` (a ReadableStream of messages, no MessageEvent per
 *   frame) instead of `WebSocket`'s message events: whether a driver built on it would receive faster;
 * - `worker-keep`: in the Worker, keeps an event object per frame (a log engine in the Worker; the UI gets counts);
 * - `worker-batch`: as worker-keep, and every 16 ms the Worker posts the new events to the page, which keeps them
 *   (structured clone of every event to the UI thread: the most the UI thread would pay in the Worker design).
 * Times come back as epoch ms and are turned into the page's performance.now() clock.
 */
const WORKER_SOURCE = `
let n = 0, first = 0, last = 0, units = 0, ws, batch = [];
const log = [];
const now = () => performance.timeOrigin + performance.now();
/** Every 16 ms: the counts so far, and a worker-batch page's new events. */
const report = () => {
  if (batch.length) { postMessage({ n, first, last, units, batch }); batch = []; }
  else postMessage({ n, first, last, units });
  setTimeout(report, 16);
};
/** The frames as a stream of messages: the data of each is the chunk read (a string for a text frame). */
async function stream(url) {
  report();
  const { readable } = await new WebSocketStream(url).opened;
  const reader = readable.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const t = now();
    units += typeof value === 'string' ? value.length : value.byteLength;
    if (n === 0) first = t;
    last = t;
    n++;
  }
}
onmessage = ({ data: { url, mode } }) => {
  if (mode === 'worker-stream') {
    if (typeof WebSocketStream !== 'function') postMessage({ error: 'this browser has no WebSocketStream' });
    else stream(url).catch((e) => postMessage({ error: String(e) }));
    return;
  }
  ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const keep = mode === 'worker-keep' || mode === 'worker-batch';
  ws.onmessage = (ev) => {
    const t = now();
    if (mode === 'worker-read') {
      const data = ev.data;
      units += typeof data === 'string' ? data.length : data.byteLength;
    }
    else if (keep) {
      const data = ev.data;
      const event = { seq: n + 1, time: t, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: typeof data === 'string' ? data.length : data.byteLength, data };
      log.push(event);
      if (mode === 'worker-batch') batch.push(event);
    }
    if (n === 0) first = t;
    last = t;
    n++;
  };
  report();
};`

const BARE_WS_VARIANTS = `<!doctype html><meta charset="utf-8"><title>bare ws variant</title><script>
const params = new URLSearchParams(location.search);
const mode = params.get('mode');
const bare = window.__bare = { n: 0, first: 0, last: 0, kept: 0 };
const kept = [];
const start = () => {
  if (mode === 'read') {
    // Reads each frame's data and keeps nothing: the least a page that looks at frames must do (Blink makes a string).
    const ws = new WebSocket(params.get('url'));
    ws.binaryType = 'arraybuffer';
    let units = 0;
    ws.onmessage = (ev) => {
      const t = performance.now();
      const data = ev.data;
      units += typeof data === 'string' ? data.length : data.byteLength;
      if (bare.n === 0) bare.first = t; bare.last = t; bare.n++; bare.units = units;
    };
    return;
  }
  if (mode === 'keep') {
    const ws = new WebSocket(params.get('url'));
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (ev) => {
      const t = performance.now();
      const data = ev.data;
      kept.push({ seq: bare.n + 1, time: performance.timeOrigin + t, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: typeof data === 'string' ? data.length : data.byteLength, data });
      if (bare.n === 0) bare.first = t; bare.last = t; bare.n++;
    };
    return;
  }
  const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(WORKER_SOURCE)}], { type: 'text/javascript' })));
  worker.onmessage = ({ data }) => {
    if (data.error) { bare.error = data.error; return; }
    if (data.batch) for (const e of data.batch) kept.push(e);
    bare.n = data.n;
    bare.first = data.first - performance.timeOrigin;
    bare.last = data.last - performance.timeOrigin;
    bare.kept = kept.length;
  };
  worker.postMessage({ url: params.get('url'), mode });
};
if (params.get('start') === 'manual') window.__start = start; else start();
</script>`

/** A page that only counts Socket.IO events with the same socket.io-client the app uses. */
const BARE_SOCKETIO = `<!doctype html><meta charset="utf-8"><title>bare socket.io</title><script>
const params = new URLSearchParams(location.search);
const bare = window.__bare = { n: 0, first: 0, last: 0 };
const script = document.createElement('script');
script.src = params.get('client');
const start = () => {
  const socket = io(params.get('url'));
  socket.onAny(() => { const t = performance.now(); if (bare.n === 0) bare.first = t; bare.last = t; bare.n++; });
};
script.onload = () => { if (params.get('start') === 'manual') window.__start = start; else start(); };
document.head.append(script);
</script>`

/**
 * The Socket.IO bare page's Worker variant: the same socket.io-client (its UMD build, loaded with importScripts)
 * counting events in a dedicated Worker, which posts its counts every 16 ms. The limit for SocketLens with its drivers
 * in the driver Worker. Times come back as epoch ms and are turned into the page's clock.
 */
const SOCKETIO_WORKER_SOURCE = `
let n = 0, first = 0, last = 0;
const now = () => performance.timeOrigin + performance.now();
onmessage = ({ data: { url, client } }) => {
  importScripts(client);
  const socket = io(url);
  socket.onAny(() => { const t = now(); if (n === 0) first = t; last = t; n++; });
  const report = () => { postMessage({ n, first, last }); setTimeout(report, 16); };
  report();
};`

const BARE_SOCKETIO_WORKER = `<!doctype html><meta charset="utf-8"><title>bare socket.io in a worker</title><script>
const params = new URLSearchParams(location.search);
const bare = window.__bare = { n: 0, first: 0, last: 0 };
const worker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(SOCKETIO_WORKER_SOURCE)}], { type: 'text/javascript' })));
worker.onmessage = ({ data }) => {
  bare.n = data.n;
  bare.first = data.first - performance.timeOrigin;
  bare.last = data.last - performance.timeOrigin;
};
const start = () => worker.postMessage({ url: params.get('url'), client: params.get('client') });
if (params.get('start') === 'manual') window.__start = start; else start();
</script>`

export interface PageServer { url: string, close: () => Promise<void> }

/** Serves the bare pages from http://localhost (a loopback origin, like the app's). */
export async function startPageServer(): Promise<PageServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname
    const body = path === '/bare-ws.html'
      ? BARE_WS
      : path === '/bare-socketio.html'
        ? BARE_SOCKETIO
        : path === '/bare-ws-variant.html' ? BARE_WS_VARIANTS : path === '/bare-socketio-worker.html' ? BARE_SOCKETIO_WORKER : undefined
    response.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
    response.end(body ?? 'not found')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://localhost:${port}`, close: () => new Promise<void>(resolve => server.close(() => resolve())) }
}
