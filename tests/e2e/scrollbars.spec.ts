import type { Locator } from '@playwright/test'
import { chromiumLaunchOptions } from '../../scripts/chromium'
import { expect, test } from './fixtures'
import { APPEND, APPEND_TO, openWithTimeline } from './timelineHook'

/**
 * The app with scrollbars that take room, as Chromium draws them on Windows and Linux. Playwright hides scrollbars in
 * headless Chromium (`--hide-scrollbars`); this file's browser shows them.
 */
test.use({
  viewport: { width: 1280, height: 800 },
  launchOptions: { ...chromiumLaunchOptions(), ignoreDefaultArgs: ['--hide-scrollbars'] },
})

/** A list's width, its rows' width, the room its scrollbar takes, and whether it overflows. */
function widths(list: Locator, row: string) {
  return list.evaluate((el, row) => ({
    list: el.clientWidth,
    rows: el.querySelector(row)!.parentElement!.getBoundingClientRect().width,
    scrollbar: (el as HTMLElement).offsetWidth - el.clientWidth - el.clientLeft * 2,
    overflows: el.scrollHeight > el.clientHeight,
  }), row)
}

/** Measures `list` with its first rows, lets `fill` add enough to overflow it, and measures it again. */
async function beforeAndAfterOverflow(list: Locator, row: string, fill: () => Promise<unknown>) {
  const before = await widths(list, row)
  await fill()
  await expect.poll(async () => (await widths(list, row)).overflows).toBe(true)
  const after = await widths(list, row)
  // The comparison means something only where the scrollbar takes room.
  expect(after.scrollbar).toBeGreaterThan(0)
  expect(before.overflows).toBe(false)
  expect(after.rows).toBe(before.rows)
  expect(after.list).toBe(before.list)
}

// A flood's first batch fills the list, and its scrollbar appears. Were the rows narrowed by it, every row would lay
// out again and the list's ResizeObserver would run a callback, in the flood's first frames; and a person sees the
// rows' text jump sideways. The scroller keeps the scrollbar's gutter from the start.
test('the timeline rows keep their width when the list starts to scroll', async ({ page, appUrl }) => {
  await openWithTimeline(page, appUrl)
  const log = page.getByRole('log', { name: 'Timeline' })
  await page.evaluate(`(${APPEND})(1)`)
  await expect(log.locator('[data-seq]')).toHaveCount(1)
  await beforeAndAfterOverflow(log, '[data-seq]', () => page.evaluate(`(${APPEND})(200)`))
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
  await beforeAndAfterOverflow(log, '[data-source]', () => page.evaluate(`(${APPEND_TO})(0, 100); (${APPEND_TO})(1, 100)`))
})
