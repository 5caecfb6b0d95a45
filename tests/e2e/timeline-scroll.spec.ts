import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/**
 * Scrolling the timeline list in Chromium (issue 12's million-event scroll, at a size a test can afford): the rows on
 * screen are the rows the scroll position says, step after step, and a scroll right after a big batch arrived is the
 * person's, not an echo of the list following its tail. The events come through the hook the benchmark uses
 * (`window.__socketlensBench`, installed before the app loads; bench/pages.ts).
 */

async function openWithTimeline(page: Page, appUrl: string): Promise<void> {
  await page.addInitScript(() => {
    const handles: unknown[] = []
    Object.assign(window, { __handles: handles, __socketlensBench: { attach: (handle: unknown) => handles.push(handle) } })
  })
  await page.goto(appUrl)
  await page.waitForFunction(() => (window as unknown as { __handles: unknown[] }).__handles.length > 0)
}

/** Appends `n` frames in one task (`synthetic payload #i`, seq i + 1), as an import or a burst would. */
const APPEND = `(n) => {
  const { timeline } = window.__handles.at(-1);
  const base = Date.UTC(2024, 0, 1, 12);
  for (let i = 0; i < n; i++) {
    const data = 'synthetic payload #' + i;
    timeline.append({ time: base + i, layer: 'wire', kind: 'frame', dir: i % 2 ? 'out' : 'in', transport: 'websocket', size: data.length, data });
  }
  return timeline.seqNext - 1;
}`

test.describe('the timeline list scrolling', () => {
  test.use({ viewport: { width: 1280, height: 800 } })

  test('a scroll to the top in the frame that first shows a big batch is the person\'s: the list leaves the tail', async ({ page, appUrl }) => {
    await openWithTimeline(page, appUrl)
    const result = await page.evaluate(`(async () => {
      const append = ${APPEND};
      const log = document.querySelector('[role="log"]');
      const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
      const lastSeq = append(2000);
      const lastRow = () => { const rows = log.querySelectorAll('[data-seq]'); return Number(rows[rows.length - 1]?.dataset.seq); };
      // The first frame whose rows show the tail (the list's tick runs before this callback in the same frame).
      while (lastRow() !== lastSeq) await frame();
      log.scrollTop = 0;
      for (let i = 0; i < 5; i++) await frame();
      return { scrollTop: log.scrollTop, first: Number(log.querySelector('[data-seq]')?.dataset.seq) };
    })()`)
    expect(result).toEqual({ scrollTop: 0, first: 1 })
  })
})
