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
    __bench.statusChanges = [];
    const check = () => {
      // One call per update that changed the region (its records come together): the UI's updates.
      __bench.statusChanges.push(performance.now());
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
    // The status region's updates while the flood arrived: how often the UI showed it.
    const updates = __bench.statusChanges.filter(t => t > first && t <= last);
    const gaps = updates.slice(1).map((t, i) => t - updates[i]).sort((a, b) => a - b);
    return { n, first, last, retained: timeline.length, dropped: timeline.dropped, jank: __bench.jank(first, last), statusLag: __bench.statusAt === undefined ? -1 : __bench.statusAt - last, updates: updates.length, updateGap: gaps.length ? gaps[gaps.length >> 1] : -1 };
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
 * the appends (while V8 is still marking the heap they made) and again `settleMs` later.
 *
 * A sweep is `steps` scrollTop writes, one per frame, each in a task after the previous frame's rendering (where a
 * scrollbar drag's input arrives). Per step it measures, in wall time:
 * - the step's work: from the begin time of the frame that handles the scroll (the rAF callback's timestamp) to the
 *   end of that frame's rendering (a MessageChannel message posted from the rAF callback), `work`;
 * - the frame interval: from the previous step's frame to this one's (one frame at 60 Hz: 16.7 ms), `interval`.
 * Each step ends with `performance.mark('sweep:step')` / `('later:step')` (in the task after its frame), so a trace
 * can cut the sweep into steps (bench/scrollSteps.ts). `longestStep` / `medianStep` are the frame intervals (the
 * figures printed before the work was measured).
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
    // Why one frame's begin to the message is the step's work, in Chromium: the scrollTop written in a task queues
    // the scroll event for the next frame, and a frame (one BeginMainFrame task on the main thread) runs, in this
    // order: the queued scroll events (the list's handler; Vue's render of the rows is a microtask that runs when
    // the handler returns), the rAF callbacks, then style, layout, pre-paint and paint. The rAF timestamp is that
    // frame's begin time (its vsync), so it also counts a frame that waited for the main thread. A message posted
    // from the rAF callback is a new task: it runs once the frame's task has ended, after its paint. (Checked in a
    // trace of --profile=scroll: EventDispatch scroll → FunctionCall (the handler) → RunMicrotasks →
    // FireAnimationFrame → UpdateLayoutTree / Layout / PrePaint / Paint in one task, the message's task after it;
    // and in the page: every step's scroll event ran after its write and before its rAF callback, see inFrame.)
    // What the figure leaves out: the write itself (a clean layout, so only the scroll offset) and any task the
    // scheduler runs between the frame and the message (a GC step, a timer): those delay the message, so they count.
    const frameOfStep = () => new Promise((resolve) => requestAnimationFrame((begin) => {
      const rafAt = performance.now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { channel.port1.close(); resolve({ begin, rafAt, end: performance.now() }); };
      channel.port2.postMessage(null);
    }));
    let scrolledAt = -1;
    log.addEventListener('scroll', () => { scrolledAt = performance.now(); }, { passive: true });
    const stats = (values) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { longest: sorted[sorted.length - 1], median: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] };
    };
    const round = (ms) => Math.round(ms * 10) / 10;
    const sweep = async (label) => {
      log.scrollTop = 0;
      if (await until(performance.now(), () => firstRow() === 1) < 0) throw new Error('scrolling to the top did not show the first row (scrollTop ' + log.scrollTop + ', first row ' + firstRow() + ', ' + log.querySelectorAll('[data-seq]').length + ' rows)');
      // From here on the loop runs in the task after a frame's rendering.
      let { begin: previous } = await frameOfStep();
      const start = performance.now();
      performance.mark(label + ':start');
      const work = [], interval = [], beforeRaf = [];
      let inFrame = 0;
      for (let s = 1; s <= steps; s++) {
        log.scrollTop = Math.ceil((log.scrollHeight - log.clientHeight) * s / steps);
        const writtenAt = performance.now();
        scrolledAt = -1;
        const { begin, rafAt, end } = await frameOfStep();
        performance.mark(label + ':step');
        if (scrolledAt >= writtenAt && scrolledAt <= rafAt) inFrame++;
        work.push(round(end - begin));
        beforeRaf.push(round(rafAt - begin));
        interval.push(round(begin - previous));
        previous = begin;
      }
      const ms = performance.now() - start;
      // rAF timestamps are vsync times: an interval is a whole number of frames, the shortest being one (16.7 ms at
      // 60 Hz), give or take the timestamps' jitter.
      const frameMs = Math.min(...interval);
      const frames = interval.map(x => Math.round(x / frameMs));
      const w = stats(work), iv = stats(interval);
      return {
        ms, reachedEnd: lastRow() === lastSeq, jank: __bench.jank(start, performance.now()),
        longestStep: iv.longest, medianStep: iv.median,
        work: { longest: w.longest, median: w.median, p95: w.p95, over16: work.filter(x => x > 16).length },
        frames: { frameMs: round(frameMs), nextFrame: frames.filter(n => n <= 1).length, twoOrMore: frames.filter(n => n >= 2).length, longestInterval: iv.longest },
        inFrame, steps: { work, interval, beforeRaf },
      };
    };
    const first = await sweep('sweep');
    const { ms: sweepMs, longestStep, medianStep, reachedEnd: sweepReachedEnd, jank: sweepJank, work: sweepWork, frames: sweepFrames } = first;
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
    return { events: N, fillMs, firstPaintMs, sweepMs, steps, longestStep, medianStep, sweepReachedEnd, sweepJank, sweepWork, sweepFrames, sweepInFrame: first.inFrame, sweepSteps: first.steps, settleMs: ${settleMs}, laterSweep, jumpMs, filterMs, filterJank, unfilterMs, listHeight, domRows: log.querySelectorAll('[data-seq]').length };
  })()`
}
