/**
 * In-page measurement scripts (plain JavaScript strings, see pages.ts), parameterised by the runner.
 * Each evaluates to a promise of a JSON value.
 */

/** `<N> frames` (or `1 frame`) from the app's status region, or -1 before it renders. */
export const STATUS_FRAMES = `(() => {
  const m = /([\\d,]+) frames?\\b/.exec(document.querySelector('[role="status"]')?.textContent ?? '');
  return m ? Number(m[1].replaceAll(',', '')) : -1;
})()`

/**
 * `<M> events` (Socket.IO application events received) from the app's status region, or -1 before it renders.
 * `<N> frames` counts every Engine.IO packet (handshake, pings), so it runs ahead of the events.
 */
export const STATUS_EVENTS = `(() => {
  const m = /([\\d,]+) events?\\b/.exec(document.querySelector('[role="status"]')?.textContent ?? '');
  return m ? Number(m[1].replaceAll(',', '')) : -1;
})()`

/**
 * Watches the status region (a MutationObserver on it: reading its text forces no layout) and notes when its count
 * first reaches `n`: `__bench.statusAt` is the first animation frame after the DOM said so (the frame that shows it).
 * The target: the status count reaching N within 100 ms of the last frame.
 */
export function watchStatus(protocol: 'ws' | 'socketio', n: number): string {
  const count = protocol === 'ws' ? STATUS_FRAMES : STATUS_EVENTS
  return `(() => {
    __bench.statusAt = undefined;
    const check = () => {
      if (__bench.statusAt !== undefined || __bench.statusPending) return;
      if (${count} >= ${n}) { __bench.statusPending = true; requestAnimationFrame((t) => { __bench.statusAt = t; }); }
    };
    // The status region may be replaced (the session view mounts as it connects): watch the one in the page.
    let watched, observer;
    const attach = () => {
      const el = document.querySelector('[role="status"]');
      if (el && el !== watched) {
        observer?.disconnect();
        watched = el;
        observer = new MutationObserver(check);
        observer.observe(el, { subtree: true, childList: true, characterData: true });
        check();
      }
      if (__bench.statusAt === undefined) setTimeout(attach, el ? 100 : 20);
    };
    __bench.statusPending = false;
    attach();
    return true;
  })()`
}

/** First and last receive time of the counted events in the app's timeline, and the jank between them. */
export function appFloodResult(protocol: 'ws' | 'socketio'): string {
  const match = protocol === 'ws'
    ? `e.layer === 'wire' && e.kind === 'frame' && e.dir === 'in'`
    : `e.layer === 'app' && e.kind === 'event' && e.dir === 'in'`
  return `(async () => {
    // The status region may have just reached N: its frame (requested first) comes before this one.
    if (__bench.statusPending && __bench.statusAt === undefined) await __bench.nextFrame();
    const { timeline } = __bench.handles.at(-1);
    let n = 0, first = 0, last = 0;
    for (const e of timeline.iterate()) if (${match}) { if (n === 0) first = e.time; last = e.time; n++; }
    first -= performance.timeOrigin; last -= performance.timeOrigin;
    return { n, first, last, retained: timeline.length, dropped: timeline.dropped, jank: __bench.jank(first, last), statusLag: __bench.statusAt === undefined ? -1 : __bench.statusAt - last };
  })()`
}

export const BARE_RESULT = `(() => ({ ...__bare, jank: __bench.jank(__bare.first, __bare.last) }))()`

/**
 * Heap held by the retained events: garbage-collect, read the heap, clear the timeline, collect again, read again.
 * Needs --js-flags=--expose-gc and --enable-precise-memory-info. Payload = text characters (one byte each for the
 * Latin-1 payloads used here) plus binary bytes, in frames and in Socket.IO arguments.
 */
export const HEAP_PER_EVENT = `(async () => {
  const { timeline } = __bench.handles.at(-1);
  const settle = async () => { for (let i = 0; i < 3; i++) { gc(); await __bench.nextFrame(); } gc(); };
  let payload = 0;
  const size = (v) => typeof v === 'string' ? v.length : v instanceof ArrayBuffer ? v.byteLength : 0;
  for (const e of timeline.iterate()) {
    payload += size(e.data);
    const args = e.detail && e.detail.args;
    if (Array.isArray(args)) for (const a of args) payload += size(a);
  }
  const retained = timeline.length;
  // Compact frames keep their payloads in ArrayBuffer chunks; Chromium's usedJSHeapSize counts ArrayBuffer memory
  // (a 100 MiB Uint8Array adds 100 MiB to it), so they are in heapBytes already. Their size is reported beside it.
  const arenaBytes = timeline.arenaBytes ?? 0;
  await settle();
  const before = performance.memory.usedJSHeapSize;
  timeline.clear();
  await settle();
  const after = performance.memory.usedJSHeapSize;
  return { retained, heapBytes: before - after, arenaBytes, payloadBytes: payload };
})()`

/**
 * Clicks during a flood, as a person would make them: select a row, turn a direction filter on, turn it off.
 * Each latency runs from the moment the click is queued (a task, behind whatever the flood queued) to the first
 * animation frame whose DOM shows the result. Afterwards End resumes following the tail.
 */
export const CLICKS_DURING_FLOOD = `(async () => {
  const frame = __bench.nextFrame;
  const log = document.querySelector('[role="log"]');
  const count = document.querySelector('.filter-bar .count');
  const out = [...document.querySelectorAll('[role="group"][aria-label="Direction"] button')].find((b) => b.textContent.includes('Out'));
  // pick() chooses the element when the click runs (rows are recycled while the list follows the tail).
  const clickAndWait = async (pick, done) => {
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const target = pick();
    target.click();
    do { await frame(); } while (!done(target) && performance.now() - t0 < 10000);
    return done(target) ? performance.now() - t0 : -1;
  };
  let seq = 0;
  const selectRow = await clickAndWait(() => {
    const rows = log.querySelectorAll('[data-seq]');
    const row = rows[Math.min(3, rows.length - 1)];
    seq = Number(row.dataset.seq);
    return row;
  }, () => !!log.querySelector('[data-seq="' + seq + '"][aria-current="true"]'));
  const filterOn = await clickAndWait(() => out, () => out.getAttribute('aria-pressed') === 'true' && count.textContent.startsWith('0 of'));
  const filterOff = await clickAndWait(() => out, () => out.getAttribute('aria-pressed') === 'false' && !count.textContent.startsWith('0 of'));
  log.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
  return { selectRow, filterOn, filterOff, framesAtStart: seq };
})()`

/**
 * The tab size of the million-event scenario (`Emulation.setDeviceMetricsOverride`): a laptop's window. A new
 * DevTools tab is 780 × 493, where the timeline list is 0 px high once "Start here" takes its place: its rows were
 * laid out but never painted.
 */
export const SCROLL_VIEWPORT = { width: 1280, height: 800, deviceScaleFactor: 1, mobile: false }

/**
 * Fill the timeline with synthetic events, then scroll it end to end and filter it. The sweep runs twice: right after
 * the appends (while V8 is still marking the heap they made) and again `settleMs` later. Each step is one
 * `performance.mark('sweep:step')` / `('later:step')` (after its animation frame), so a trace can cut the sweep into
 * steps (bench/scrollSteps.ts).
 */
export function syntheticScrollAndFilter(events: number, steps: number, settleMs = 5_000): string {
  return `(async () => {
    const N = ${events};
    const { timeline, view } = __bench.handles.at(-1);
    const frame = __bench.nextFrame;
    // The list as a person sees it once "Start here" is dismissed (in a SCROLL_VIEWPORT tab: ~620 px, 29 rows).
    [...document.querySelectorAll('.start-here button')].find(b => b.textContent.trim() === 'Close')?.click();
    for (let i = 0; i < 3; i++) await frame();
    const log = document.querySelector('[role="log"]');
    const count = document.querySelector('.filter-bar .count');
    const fmt = new Intl.NumberFormat('en-US');
    const lastRow = () => { const rows = log.querySelectorAll('[data-seq]'); return Number(rows[rows.length - 1]?.dataset.seq); };
    const firstRow = () => Number(log.querySelector('[data-seq]')?.dataset.seq);
    const until = async (t0, done) => { while (!done()) { if (performance.now() - t0 > 60000) return -1; await frame(); } return performance.now() - t0; };

    const base = Date.now();
    let t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const data = 'synthetic payload #' + i;
      timeline.append({ time: base + i * 0.01, layer: 'wire', kind: 'frame', dir: i % 2 ? 'out' : 'in', transport: 'websocket', size: data.length, data });
    }
    const fillMs = performance.now() - t0;
    const lastSeq = timeline.seqNext - 1;
    const firstPaintMs = await until(performance.now(), () => lastRow() === lastSeq);

    const steps = ${steps};
    // Top to bottom, one scrollTop per animation frame (a person dragging the scrollbar); each step's time is from
    // one frame to the next.
    const sweep = async (label) => {
      log.scrollTop = 0;
      if (await until(performance.now(), () => firstRow() === 1) < 0) throw new Error('scrolling to the top did not show the first row (scrollTop ' + log.scrollTop + ', first row ' + firstRow() + ', ' + log.querySelectorAll('[data-seq]').length + ' rows)');
      await frame();
      const start = performance.now();
      performance.mark(label + ':start');
      let previous = start;
      const stepMs = [];
      for (let s = 1; s <= steps; s++) {
        log.scrollTop = Math.ceil((log.scrollHeight - log.clientHeight) * s / steps);
        await frame();
        performance.mark(label + ':step');
        const now = performance.now();
        stepMs.push(now - previous);
        previous = now;
      }
      const ms = performance.now() - start;
      const sorted = [...stepMs].sort((a, b) => a - b);
      return { ms, longestStep: sorted[sorted.length - 1], medianStep: sorted[Math.floor(sorted.length / 2)], reachedEnd: lastRow() === lastSeq, jank: __bench.jank(start, performance.now()) };
    };
    const first = await sweep('sweep');
    const { ms: sweepMs, longestStep, medianStep, reachedEnd: sweepReachedEnd, jank: sweepJank } = first;
    const listHeight = log.clientHeight;
    // The same sweep once the appends' garbage collection had time to finish.
    await new Promise(resolve => setTimeout(resolve, ${settleMs}));
    const laterSweep = await sweep('later');

    log.scrollTop = 0;
    await until(performance.now(), () => firstRow() === 1);
    t0 = performance.now();
    log.scrollTop = log.scrollHeight;
    const jumpMs = await until(t0, () => lastRow() === lastSeq);

    const needle = 'payload #' + (N - 1);
    t0 = performance.now();
    view.filter.text = needle;
    const filterMs = await until(t0, () => count.textContent === '1 of ' + fmt.format(N));
    const filterJank = __bench.jank(t0, performance.now());
    t0 = performance.now();
    view.filter.text = '';
    const unfilterMs = await until(t0, () => count.textContent === fmt.format(N) + ' of ' + fmt.format(N));
    return { events: N, fillMs, firstPaintMs, sweepMs, steps, longestStep, medianStep, sweepReachedEnd, sweepJank, settleMs: ${settleMs}, laterSweep, jumpMs, filterMs, filterJank, unfilterMs, listHeight, domRows: log.querySelectorAll('[data-seq]').length };
  })()`
}
