import { chromiumArgs, chromiumPath } from '../../playwright.config'
import { expect, test } from './fixtures'
import { AFTER_BATCH, APPEND_TO, openWithTimeline } from './timelineHook'

/**
 * The app with scrollbars that take room, as Chromium draws them on Windows and Linux. Playwright hides scrollbars in
 * headless Chromium (`--hide-scrollbars`); this file's browser shows them.
 */
test.use({
  viewport: { width: 1280, height: 800 },
  launchOptions: { executablePath: chromiumPath, args: chromiumArgs, ignoreDefaultArgs: ['--hide-scrollbars'] },
})

// A flood's first batch fills the list, and its scrollbar appears. Were the rows narrowed by it, every row would lay
// out again and the list's ResizeObserver would run a callback, in the flood's first frames; and a person sees the
// rows' text jump sideways. The scroller keeps the scrollbar's gutter from the start.
test('the timeline rows keep their width when the list starts to scroll', async ({ page, appUrl }) => {
  await openWithTimeline(page, appUrl)
  const widths = await page.evaluate(`(async () => {${AFTER_BATCH}
    const measure = () => ({
      list: log.clientWidth,
      rows: log.querySelector('[data-seq]').parentElement.getBoundingClientRect().width,
      scrollbar: log.offsetWidth - log.clientWidth - log.clientLeft * 2,
      overflows: log.scrollHeight > log.clientHeight,
    });
    let lastSeq = append(1);
    while (lastRow() !== lastSeq) await frame();
    const before = measure();
    lastSeq = append(200);
    while (lastRow() !== lastSeq) await frame();
    await settle();
    return { before, after: measure() };
  })()`) as Record<'before' | 'after', { list: number, rows: number, scrollbar: number, overflows: boolean }>
  // The comparison means something only where the scrollbar takes room.
  expect(widths.after.scrollbar).toBeGreaterThan(0)
  expect(widths.before.overflows).toBe(false)
  expect(widths.after.overflows).toBe(true)
  expect(widths.after.rows).toBe(widths.before.rows)
  expect(widths.after.list).toBe(widths.before.list)
})

test('the side by side rows keep their width when the list starts to scroll', async ({ page, appUrl }) => {
  await openWithTimeline(page, appUrl)
  await page.getByRole('button', { name: 'New session' }).click()
  await page.waitForFunction(() => (window as unknown as { __handles: unknown[] }).__handles.length > 1)
  // One frame on each session's timeline, then both side by side.
  await page.evaluate(`(${APPEND_TO})(0, 1); (${APPEND_TO})(1, 1)`)
  await page.getByRole('button', { name: 'Side by side', exact: true }).click()
  for (const box of await page.getByRole('group', { name: 'Sessions to show side by side' }).getByRole('checkbox').all()) await box.check()
  await page.getByRole('button', { name: 'Compare', exact: true }).click()
  const log = page.getByRole('log', { name: 'Side by side timeline' })
  await expect(log.locator('[data-source]')).toHaveCount(2)
  const measure = () => log.evaluate(el => ({
    list: el.clientWidth,
    rows: el.querySelector('[data-source]')!.parentElement!.getBoundingClientRect().width,
    scrollbar: (el as HTMLElement).offsetWidth - el.clientWidth - el.clientLeft * 2,
    overflows: el.scrollHeight > el.clientHeight,
  }))
  const before = await measure()
  await page.evaluate(`(${APPEND_TO})(0, 100); (${APPEND_TO})(1, 100)`)
  await expect.poll(async () => (await measure()).overflows).toBe(true)
  const after = await measure()
  expect(after.scrollbar).toBeGreaterThan(0)
  expect(before.overflows).toBe(false)
  expect(after.rows).toBe(before.rows)
  expect(after.list).toBe(before.list)
})
