import type { Page } from '@playwright/test'

/**
 * The timeline's test hook, shared by the suites that put events straight on a session's timeline: the hook the
 * benchmark uses (`window.__socketlensBench`, installed before the app loads; bench/pages.ts).
 */

export async function openWithTimeline(page: Page, appUrl: string): Promise<void> {
  await page.addInitScript(() => {
    const handles: unknown[] = []
    Object.assign(window, { __handles: handles, __socketlensBench: { attach: (handle: unknown) => handles.push(handle) } })
  })
  await page.goto(appUrl)
  await page.waitForFunction(() => (window as unknown as { __handles: unknown[] }).__handles.length > 0)
}

/**
 * Appends `n` frames in one task to the timeline of the `handle`-th panel that attached (`synthetic payload #i`,
 * seq i + 1 on a fresh timeline), as an import or a burst would; returns the last seq.
 */
export const APPEND_TO = `(handle, n) => {
  const { timeline } = window.__handles[handle];
  const base = Date.UTC(2024, 0, 1, 12);
  for (let i = 0; i < n; i++) {
    const data = 'synthetic payload #' + i;
    timeline.append({ time: base + i, layer: 'wire', kind: 'frame', dir: i % 2 ? 'out' : 'in', transport: 'websocket', size: data.length, data });
  }
  return timeline.seqNext - 1;
}`

/** The same on the timeline of the panel that attached last (the session shown). */
export const APPEND = `(n) => (${APPEND_TO})(window.__handles.length - 1, n)`

/**
 * What both tests of a scroll right after a batch start from: `append`, the list, `frame()` (the next animation
 * frame), `lastRow()` (the seq of the last row in the DOM), and `settle()`: five more frames, then where the list is
 * and the first row it shows.
 */
export const AFTER_BATCH = `
  const append = ${APPEND};
  const log = document.querySelector('[role="log"]');
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const lastRow = () => { const rows = log.querySelectorAll('[data-seq]'); return Number(rows[rows.length - 1]?.dataset.seq); };
  const settle = async () => {
    for (let i = 0; i < 5; i++) await frame();
    return { scrollTop: log.scrollTop, first: Number(log.querySelector('[data-seq]')?.dataset.seq) };
  };`
