import { expect, test } from './fixtures'
import { AFTER_BATCH, APPEND, openWithTimeline } from './timelineHook'

/**
 * Scrolling the timeline list in Chromium (issue 12's million-event scroll, at a size a test can afford): the rows on
 * screen are the rows the scroll position says, step after step, and a scroll right after a big batch arrived is the
 * person's, not an echo of the list following its tail. The events come through the hook the benchmark uses
 * (`window.__socketlensBench`, installed before the app loads; bench/pages.ts).
 */

test.describe('the timeline list scrolling', () => {
  test.use({ viewport: { width: 1280, height: 800 } })

  // Every tick renders in a task between frames; the rows and the scroll position change together in the next frame's
  // callbacks (TimelineList, useTimelineScroller). 60 events are fewer than a burst (useTimelineTick's default: over
  // 64); mid-stream (what the driver Worker says during a flood) a burst starts the busy spell.
  for (const [n, streaming] of [[60, false], [2000, false], [2000, true]] as const) {
    test(`once the rows show a batch of ${n} from an empty list${streaming ? ' mid-stream' : ''}, they show it at the tail, and a scroll to the top is the person's`, async ({ page, appUrl }) => {
      await openWithTimeline(page, appUrl)
      const result = await page.evaluate(`(async () => {${AFTER_BATCH}
        window.__handles.at(-1).timeline.streaming = ${streaming};
        const lastSeq = append(${n});
        while (lastRow() !== lastSeq) await frame();
        const atTail = log.scrollTop > 0 && log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
        log.scrollTop = 0;
        const result = { atTail, ...await settle() };
        window.__handles.at(-1).timeline.streaming = false;
        return result;
      })()`)
      expect(result).toEqual({ atTail: true, scrollTop: 0, first: 1 })
    })
  }

  test('while the timeline streams, a scroll to the top as soon as a burst\'s rows show is the person\'s', async ({ page, appUrl }) => {
    await openWithTimeline(page, appUrl)
    const result = await page.evaluate(`(async () => {${AFTER_BATCH}
      const atTail = () => log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
      window.__handles.at(-1).timeline.streaming = true;
      let lastSeq = append(2000);
      while (lastRow() !== lastSeq || !atTail()) await frame();
      // The next burst renders from the tick's timer (the busy spell).
      lastSeq = append(2000);
      while (lastRow() !== lastSeq) await frame();
      log.scrollTop = 0;
      const result = await settle();
      window.__handles.at(-1).timeline.streaming = false;
      return result;
    })()`)
    expect(result).toEqual({ scrollTop: 0, first: 1 })
  })

  test('every step of a sweep over 50,000 events, by jumps and by a few rows, shows the rows its scroll position says, each with its own cells', async ({ page, appUrl }) => {
    await openWithTimeline(page, appUrl)
    const steps = await page.evaluate(`(async () => {
      const append = ${APPEND};
      const log = document.querySelector('[role="log"]');
      const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
      append(50000);
      for (let i = 0; i < 3; i++) await frame();
      const out = [];
      // 26 jumps top to bottom (a scrollbar dragged), then 12 steps of 3 rows up and 12 of 2 rows down (a wheel):
      // a jump rewrites every row, a small step keeps the rows that stay.
      const tops = [...Array.from({ length: 26 }, (_, s) => (log.scrollHeight - log.clientHeight) * s / 25)];
      for (let s = 1; s <= 12; s++) tops.push(tops[25] - 66 * s);
      for (let s = 1; s <= 12; s++) tops.push(tops[37] + 44 * s);
      for (const top of tops) {
        log.scrollTop = Math.ceil(top);
        await frame(); await frame();
        const box = log.getBoundingClientRect();
        // The rows the person sees: inside the list's box.
        const rows = [...log.querySelectorAll('[data-seq]')].filter(r => { const b = r.getBoundingClientRect(); return b.bottom > box.top + 1 && b.top < box.bottom - 1; });
        out.push({
          scrollTop: log.scrollTop,
          max: log.scrollHeight - log.clientHeight,
          seqs: rows.map(r => Number(r.dataset.seq)),
          cells: rows.map(r => [...r.children].map(c => c.textContent)),
        });
      }
      return out;
    })()`) as { scrollTop: number, max: number, seqs: number[], cells: string[][] }[]
    for (const [s, step] of steps.entries()) {
      expect(step.seqs.length).toBeGreaterThan(5)
      // Consecutive events, where the scroll position puts them (the scrollbar maps onto the rows proportionally).
      expect(step.seqs).toEqual(step.seqs.map((_, i) => step.seqs[0]! + i))
      const expectedTop = Math.floor(step.scrollTop / Math.max(1, step.max) * (50_000 - step.seqs.length)) + 1
      expect(Math.abs(step.seqs[0]! - expectedTop)).toBeLessThanOrEqual(2)
      if (s === 25) expect(step.seqs.at(-1)).toBe(50_000)
      for (const [i, cells] of step.cells.entries()) {
        const seq = step.seqs[i]!
        expect(cells.slice(1)).toEqual([seq === 1 ? '' : '+1.0 ms', 'wire', seq % 2 ? '↓' : '↑', 'frame', `${`synthetic payload #${seq - 1}`.length} B`, `synthetic payload #${seq - 1}`])
      }
    }
  })

  test('rows keep answering pointer and keys after the window moved: selection, arrows, End', async ({ page, appUrl }) => {
    await openWithTimeline(page, appUrl)
    await page.evaluate(`(${APPEND})(5000)`)
    const log = page.getByRole('log', { name: 'Timeline' })
    await expect(log.locator('[data-seq="5000"]')).toBeVisible()
    await log.evaluate((el) => { el.scrollTop = el.scrollHeight / 2 })
    // The rows follow on the next frame: read one only once they left the tail.
    await expect(log.locator('[data-seq="5000"]')).toHaveCount(0)
    const row = log.locator('[data-seq]').nth(8)
    await expect(row).toBeVisible()
    const seq = Number(await row.getAttribute('data-seq'))
    await row.click()
    await expect(log.locator('[aria-current="true"]')).toHaveAttribute('data-seq', String(seq))
    await expect(page.getByRole('region', { name: 'Event detail' })).toContainText(`#${seq} frame`)
    await log.focus()
    await page.keyboard.press('ArrowDown')
    await expect(log.locator('[aria-current="true"]')).toHaveAttribute('data-seq', String(seq + 1))
    await expect(log.locator('[aria-current="true"]')).toHaveCount(1)
    await page.keyboard.press('End')
    await expect(log.locator('[aria-current="true"]')).toHaveAttribute('data-seq', '5000')
  })

})
