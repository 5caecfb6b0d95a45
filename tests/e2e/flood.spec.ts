import { deepLink, expect, test } from './fixtures'

/**
 * The hot path end to end: 20,000 frames from the dev server's /flood into the built app in Chromium. The timeline
 * must count every one, keep only a window of rows in the DOM, and keep answering clicks and keys meanwhile.
 * (Speed is measured by `npm run bench`, not asserted here: this machine is shared and noisy.)
 */
test('receives a 20,000-frame flood, counts every frame and stays responsive', async ({ page, appUrl, dev }) => {
  await page.goto(deepLink(appUrl, `${dev.ws}/flood?n=20000&size=100`, { type: 'ws', connect: '1' }))
  const status = page.getByRole('status').filter({ hasText: /\bframes?\b/ })
  const timeline = page.getByRole('log', { name: 'Timeline' })
  const rows = timeline.locator('[data-seq]')

  // As soon as frames arrive, click a row. Rows are recycled while the list follows the tail, so which event the
  // click lands on is only known afterwards: the selected row, which then stays put (following stops), and the
  // detail pane must name the same event.
  await expect(rows.first()).toBeVisible()
  await rows.nth(3).click()
  const selected = timeline.locator('[data-seq][aria-current="true"]')
  await expect(selected).toHaveCount(1)
  const seq = await selected.getAttribute('data-seq')
  await expect(page.getByRole('region', { name: 'Event detail' })).toContainText(`#${seq} frame`)

  await expect(status).toContainText(/\b20,?000 frames\b/, { timeout: 20_000 })
  await expect(page.locator('.filter-bar .count')).toHaveText(/^[\d,]+ of [\d,]+$/)

  // Only a window of rows exists, however long the log.
  expect(await rows.count()).toBeLessThan(120)

  // Keyboard: End jumps to the newest event and follows the tail again.
  await timeline.focus()
  await page.keyboard.press('End')
  const last = timeline.locator('[data-seq][aria-current="true"]')
  await expect(last).toContainText('frame')
  const lastSeq = Number(await last.getAttribute('data-seq'))
  expect(lastSeq).toBeGreaterThanOrEqual(20_000)

  // A filter over the whole log applies and reports N of M.
  await page.getByRole('group', { name: 'Direction' }).getByRole('button', { name: '↑ Out' }).click()
  await expect(page.locator('.filter-bar .count')).toHaveText(/^0 of [\d,]+$/)
  await expect(timeline).toContainText('No events match the filter.')
})

/**
 * During a flood the busy tick renders the rows between frames and the list writes its scroll position in the next
 * frame's callbacks (useTimelineTick, useTimelineScroller): every frame that lays out a longer list must still show
 * its tail. A ResizeObserver on the list's spacer runs in exactly those frames, after their layout and before their
 * paint.
 */
test('following the tail through a flood in the driver Worker, every frame that lays out new rows shows the tail', async ({ page, appUrl, dev }) => {
  // Playwright reports every frame to its driver, so a loaded CI machine takes tens of seconds over a flood.
  test.setTimeout(120_000)
  await page.addInitScript(() => {
    const seen = { frames: 0, offTail: [] as string[] }
    Object.assign(window, { __tail: seen })
    const observer = new ResizeObserver(() => {
      const scroller = document.querySelector<HTMLElement>('[role="log"][aria-label="Timeline"]')
      if (!scroller) return
      seen.frames++
      const gap = scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop
      if (gap > 2) seen.offTail.push(`${gap} px above the tail, list ${scroller.scrollHeight} px`)
    })
    new MutationObserver((_, self) => {
      const spacer = document.querySelector('[role="log"][aria-label="Timeline"] .spacer')
      if (!spacer) return
      observer.observe(spacer)
      self.disconnect()
    }).observe(document, { childList: true, subtree: true })
  })
  await page.goto(deepLink(appUrl, `${dev.ws}/flood?n=40000&size=100`, { type: 'ws', connect: '1' }))
  await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText(/\b40,?000 frames\b/, { timeout: 100_000 })
  expect(page.workers().some(worker => /drivers\.worker/.test(worker.url()))).toBe(true)
  const seen = await page.evaluate(() => (window as unknown as { __tail: { frames: number, offTail: string[] } }).__tail)
  expect(seen.offTail).toEqual([])
  expect(seen.frames).toBeGreaterThan(3)
})
