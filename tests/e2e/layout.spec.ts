import type { Browser, Locator, Page } from '@playwright/test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, openConnected, test } from './fixtures'

async function expectInside(inner: Locator, outer: Locator): Promise<void> {
  const a = (await inner.boundingBox())!
  const b = (await outer.boundingBox())!
  expect(a.y).toBeGreaterThanOrEqual(b.y - 1)
  expect(a.y + a.height).toBeLessThanOrEqual(b.y + b.height + 1)
}

test.describe('a narrow window', () => {
  test.use({ viewport: { width: 820, height: 860 } })

  test('stacks the detail under the list and keeps the selected row in view', async ({ page, appUrl, dev }) => {
    await openConnected(page, appUrl, dev.socketio)
    await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('upgrade')
    const log = page.getByRole('log', { name: 'Timeline' })
    // A row in the lower half: the detail pane opening under the list would cover it.
    await log.getByText('upgrade', { exact: true }).last().click()
    const detail = page.getByRole('region', { name: 'Event detail' })
    await expect(detail).toBeVisible()
    const logBox = (await log.boundingBox())!
    const detailBox = (await detail.boundingBox())!
    expect(detailBox.y).toBeGreaterThanOrEqual(logBox.y + logBox.height - 1)
    await expectInside(log.locator('[aria-current="true"]'), log)

    // Keyboard jumps scroll to rows that were out of view.
    await log.press('Home')
    await expectInside(log.locator('[aria-current="true"]'), log)
    await log.press('End')
    await expectInside(log.locator('[aria-current="true"]'), log)
  })
})

const SESSIONS_STORAGE_KEY = 'socketlens.sessions.v1'
/** Screenshots of the layouts measured here, to look at (SOCKETLENS_SHOTS, else the OS's temporary folder). */
const SHOTS = process.env.SOCKETLENS_SHOTS ?? tmpdir()

/**
 * A page of its own context whose app restores `count` saved tabs on real-looking endpoints (two on one endpoint),
 * the last one active.
 */
async function withSavedTabs(browser: Browser, width: number, count: number): Promise<Page> {
  const urls = ['http://localhost:3000', 'ws://localhost:8080/ticker?hz=2', 'ws://localhost:8080/echo', 'http://localhost:3001', 'wss://localhost:8443/', 'http://localhost:3000', 'ws://localhost:8080/close?code=1011', 'http://localhost:3005/realtime/io', 'ws://127.0.0.1:8080/flood', 'http://localhost:3002']
  const sessions = Array.from({ length: count }, (_, i) => ({ key: `k${i}`, name: `Session ${i + 1}`, url: urls[i % urls.length], type: urls[i % urls.length]!.startsWith('http') ? 'socketio' : 'ws' }))
  const context = await browser.newContext({ viewport: { width, height: 800 } })
  await context.addInitScript(([key, value]) => {
    localStorage.setItem('socketlens.startHere.v1', 'dismissed')
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(key!, value!)
      sessionStorage.setItem('seeded', '1')
    }
  }, [SESSIONS_STORAGE_KEY, JSON.stringify({ sessions, active: count - 1, activeKey: `k${count - 1}` })])
  return context.newPage()
}

/** The header's boxes: itself, each of its direct children's, and every button or summary in it. */
async function headerBoxes(page: Page) {
  return page.locator('header.header').evaluate((header) => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect()
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, text: (el.textContent ?? '').trim().slice(0, 40) }
    }
    return {
      header: box(header),
      controls: [...header.querySelectorAll(':scope > * > button, :scope > * > * > button, :scope > * > * > summary, :scope > * > summary')]
        .filter(el => !el.closest('nav'))
        .map(box),
      tablist: box(header.querySelector('[role="tablist"]')!),
      activeTab: box(header.querySelector('[role="tab"][aria-selected="true"]')!),
      /** The active tab's label: how wide it is drawn and how wide its whole text is. */
      activeLabel: (() => {
        const text = header.querySelector<HTMLElement>('[role="tab"][aria-selected="true"] .text')!
        return { shown: text.clientWidth, whole: text.scrollWidth, text: text.textContent }
      })(),
      viewport: window.innerWidth,
    }
  })
}

for (const width of [1280, 800]) {
  test.describe(`the header at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } })

    test(`keeps its height with 8 tabs, the tools ${width > 1000 ? 'beside the tabs' : 'on a row of their own'}, the active tab's name whole and in view`, async ({ browser, appUrl }) => {
      test.setTimeout(60_000)
      const single = await withSavedTabs(browser, width, 1)
      await single.goto(appUrl)
      await expect(single.getByRole('tab')).toHaveCount(1)
      const one = await headerBoxes(single)
      await single.context().close()

      const page = await withSavedTabs(browser, width, 8)
      await page.goto(appUrl)
      await expect(page.getByRole('tab')).toHaveCount(8)
      await expect(page.getByRole('tab', { name: 'localhost:3000 #2' })).toHaveCount(1)
      const eight = await headerBoxes(page)
      await page.screenshot({ path: `${SHOTS}/header-${width}.png`, clip: { x: 0, y: 0, width, height: 120 } })

      // The same height as with one tab: the number of tabs never wraps anything.
      expect(Math.abs(eight.header.height - one.header.height), JSON.stringify({ one: one.header, eight: eight.header })).toBeLessThanOrEqual(1)
      // Every tool (Import timeline and the others) on one row, inside the header and the window: at 1280 px the
      // tabs' row; at 800 px, where the tools leave the strip too little for a tab, a row of their own under it.
      expect(eight.controls.map(c => c.text)).toEqual(expect.arrayContaining(['Import timeline']))
      const middle = (b: { top: number, bottom: number }) => (b.top + b.bottom) / 2
      const toolsRow = middle(eight.controls[0]!)
      for (const control of eight.controls) {
        expect(control.top, control.text).toBeGreaterThanOrEqual(eight.header.top)
        expect(control.bottom, JSON.stringify(control)).toBeLessThanOrEqual(eight.header.bottom)
        expect(control.right, control.text).toBeLessThanOrEqual(eight.viewport)
        expect(Math.abs(middle(control) - toolsRow), control.text).toBeLessThanOrEqual(6)
        if (width > 1000) expect(Math.abs(middle(control) - middle(eight.tablist)), control.text).toBeLessThanOrEqual(6)
        else expect(control.top, control.text).toBeGreaterThanOrEqual(eight.tablist.bottom)
      }
      // The active tab's name is read whole, however narrow the window: at 800 px the tools used to leave the strip
      // about 60 px, and the label ellipsized to nothing.
      for (const boxes of [one, eight]) expect(boxes.activeLabel.shown, JSON.stringify(boxes.activeLabel)).toBeGreaterThanOrEqual(boxes.activeLabel.whole)
      // The tab strip scrolls (8 tabs do not fit), and the active (last) tab is scrolled into view.
      expect(await page.getByRole('tablist').first().evaluate(el => el.scrollWidth > el.clientWidth)).toBe(true)
      expect(eight.activeTab.left).toBeGreaterThanOrEqual(eight.tablist.left - 1)
      expect(eight.activeTab.right).toBeLessThanOrEqual(eight.tablist.right + 1)
      // Picking the first tab brings it into view too.
      await page.getByRole('tablist').first().evaluate((el) => { el.scrollLeft = el.scrollWidth })
      await page.getByRole('tab').first().evaluate(el => (el as HTMLElement).click())
      const first = await headerBoxes(page)
      expect(first.activeTab.left).toBeGreaterThanOrEqual(first.tablist.left - 1)
      await page.context().close()
    })
  })
}

test('connection options open beside the URL, close on Escape and give the focus back', async ({ page, appUrl }) => {
  await page.goto(appUrl)
  const url = page.getByRole('textbox', { name: 'Endpoint URL' })
  const options = page.getByRole('button', { name: 'Options', exact: true })
  const urlBox = (await url.boundingBox())!
  const buttonBox = (await options.boundingBox())!
  // On the URL's line, right of it.
  expect(Math.abs((buttonBox.y + buttonBox.height / 2) - (urlBox.y + urlBox.height / 2))).toBeLessThanOrEqual(4)
  expect(buttonBox.x).toBeGreaterThanOrEqual(urlBox.x + urlBox.width)
  // Not in the side panel any more.
  await expect(page.locator('aside').getByText('Connection options')).toHaveCount(0)

  await options.focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Connection options' })
  await expect(dialog).toBeVisible()
  await expect(options).toHaveAttribute('aria-expanded', 'true')
  const dialogBox = (await dialog.boundingBox())!
  expect(dialogBox.y).toBeGreaterThanOrEqual(urlBox.y + urlBox.height)
  expect(dialogBox.y).toBeLessThanOrEqual(urlBox.y + urlBox.height + 20)
  // Focus in the first field; Enter in a field does not Connect.
  await expect(dialog.getByLabel('Subprotocols (comma-separated)')).toBeFocused()
  await page.keyboard.type('chat.v1')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('button', { name: 'Connect' })).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/options-open.png` })
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(options).toBeFocused()
  // Kept, and reopened with the same value.
  await options.click()
  await expect(dialog.getByLabel('Subprotocols (comma-separated)')).toHaveValue('chat.v1')
  await page.getByRole('textbox', { name: 'Endpoint URL' }).click()
  await expect(dialog).toBeHidden()
})

/** A recorded binary frame, opened from a file: the detail pane's hex view shows it. */
async function openBinaryFrame(page: Page, appUrl: string): Promise<void> {
  const bytes = Buffer.from(Array.from({ length: 72 }, (_, i) => (i % 3 === 0 ? 0x41 + (i % 26) : i)))
  const lines = [
    { format: 'socketlens-timeline', version: 1, exportedAt: '2026-01-01T00:00:00.000Z', events: 1, protocol: 'ws', endpoint: 'ws://localhost:8080/echo' },
    { seq: 1, time: 1_767_225_600_000, layer: 'wire', kind: 'frame', dir: 'in', transport: 'websocket', size: bytes.length, data: bytes.toString('base64'), dataEncoding: 'base64' },
  ]
  const file = join(mkdtempSync(join(tmpdir(), 'socketlens-')), 'binary.ndjson')
  writeFileSync(file, `${lines.map(line => JSON.stringify(line)).join('\n')}\n`)
  await page.goto(appUrl)
  const choosing = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: 'Import timeline' }).click()
  await (await choosing).setFiles(file)
  await page.getByRole('log', { name: 'Timeline' }).locator('[data-seq="1"]').click()
  const detail = page.getByRole('region', { name: 'Event detail' })
  await detail.getByRole('tab', { name: 'Hex' }).click()
}

for (const width of [1280, 820]) {
  test.describe(`the hex view at ${width} px`, () => {
    test.use({ viewport: { width, height: 860 } })

    test('shows every line whole, the character column included, and Copy covers no byte', async ({ page, appUrl }) => {
      await openBinaryFrame(page, appUrl)
      const panel = page.getByRole('region', { name: 'Event detail' }).getByRole('tabpanel')
      const copy = panel.getByRole('button', { name: 'Copy hex dump' })
      await expect(copy).toBeVisible()
      const measured = await panel.evaluate((view) => {
        const pre = view.querySelector('pre')!
        const rect = (r: DOMRect) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom })
        const copyBox = rect(view.querySelector('button')!.getBoundingClientRect())
        // Each character of the dump: its box, where it is drawn.
        const text = pre.firstChild as Text
        const chars: { ch: string, left: number, right: number, top: number, bottom: number }[] = []
        const range = document.createRange()
        for (let i = 0; i < text.length; i++) {
          if (text.data[i] === '\n') continue
          range.setStart(text, i)
          range.setEnd(text, i + 1)
          const r = range.getBoundingClientRect()
          chars.push({ ch: text.data[i]!, ...rect(r) })
        }
        // What is visible: the pre's own box and every scrolling ancestor's.
        let visible = rect(pre.getBoundingClientRect())
        for (let el: HTMLElement | null = pre; el; el = el.parentElement) {
          const style = getComputedStyle(el)
          if (el === pre || style.overflowX !== 'visible') {
            const r = el.getBoundingClientRect()
            visible = { left: Math.max(visible.left, r.left), right: Math.min(visible.right, r.right), top: Math.max(visible.top, r.top), bottom: Math.min(visible.bottom, r.bottom) }
          }
        }
        return { copyBox, chars, visible, lines: text.data.split('\n') }
      })
      const hidden = measured.chars.filter(c => c.ch !== ' ' && (c.right > measured.visible.right + 0.5 || c.left < measured.visible.left - 0.5))
      expect(hidden.map(c => c.ch).join(''), 'characters cut off').toBe('')
      // The character column's closing bar of every line is visible.
      const bars = measured.chars.filter(c => c.ch === '|')
      expect(bars.length).toBe(measured.lines.length * 2)
      const covered = measured.chars.filter(c => c.ch !== ' ' && c.left < measured.copyBox.right && c.right > measured.copyBox.left && c.top < measured.copyBox.bottom && c.bottom > measured.copyBox.top)
      expect(covered.map(c => c.ch).join(''), 'characters under Copy').toBe('')
      await page.screenshot({ path: `${SHOTS}/hex-${width}.png` })
    })
  })
}

test('a tab renames in place: double-click, Enter saves, Escape cancels; the menu has Rename; the name outlives a reload', async ({ page, appUrl, dev }) => {
  await page.goto(`${appUrl}/?url=${encodeURIComponent(dev.socketio)}&type=socketio`)
  await page.getByRole('button', { name: 'New session' }).click()
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(dev.socketio)
  const host = new URL(dev.socketio).host
  await expect(page.getByRole('tab', { name: `${host} #2` })).toHaveCount(1)

  await page.getByRole('tab', { name: `${host} #2` }).dblclick()
  const name = page.getByRole('textbox', { name: 'Tab name' })
  await expect(name).toBeFocused()
  await name.fill('Observer')
  await name.press('Escape')
  await expect(name).toHaveCount(0)
  await expect(page.getByRole('tab', { name: `${host} #2` })).toBeFocused()

  await page.getByRole('tab', { name: `${host} #2` }).click({ button: 'right' })
  await page.screenshot({ path: `${SHOTS}/tab-menu.png`, clip: { x: 0, y: 0, width: 1280, height: 140 } })
  await page.getByRole('menuitem', { name: 'Rename' }).click()
  await page.getByRole('textbox', { name: 'Tab name' }).fill('Observer')
  await page.getByRole('textbox', { name: 'Tab name' }).press('Enter')
  await expect(page.getByRole('tab', { name: 'Observer' })).toBeFocused()
  await expect(page.getByRole('tab', { name: host, exact: true })).toHaveCount(1)
  await page.reload()
  await expect(page.getByRole('tab', { name: 'Observer' })).toHaveCount(1)
})

/**
 * The payload is what a row is read for: in a narrow list the row gives it the layer column's room, and in a tight one
 * the delta's too, instead of cutting the payload to nothing (it had none at 800 px and at 420 px, 81 px at 640 px).
 */
for (const { width, preview, dropped } of [
  { width: 1280, preview: 300, dropped: [] as string[] },
  // The controls beside the list leave it about 500 px: the payload had none.
  { width: 800, preview: 140, dropped: ['layer', 'delta'] },
  { width: 640, preview: 180, dropped: ['layer'] },
  { width: 420, preview: 100, dropped: ['layer', 'delta'] },
]) {
  test.describe(`the timeline's rows at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } })

    test(`give the payload ${preview} px or more${dropped.length ? `, without the ${dropped.join(' and ')} column` : ', every column shown'}`, async ({ page, appUrl, dev }) => {
      await openConnected(page, appUrl, `${dev.ws}/ticker?hz=20`)
      const log = page.getByRole('log', { name: 'Timeline' })
      const row = log.locator('.timeline-row.in').filter({ hasText: 'frame' }).last()
      await expect(row.locator('.preview')).toContainText('{"symbol"')
      const cells = await row.evaluate(el => Object.fromEntries([...el.children].map(cell => [cell.className, cell.getBoundingClientRect().width])))
      await page.screenshot({ path: `${SHOTS}/rows-${width}.png` })
      expect(cells.preview, JSON.stringify(cells)).toBeGreaterThanOrEqual(preview)
      for (const column of ['time', 'delta', 'layer', 'dir', 'kind', 'size']) {
        if (dropped.includes(column)) expect(cells[column], `${column}: ${JSON.stringify(cells)}`).toBe(0)
        else expect(cells[column], `${column}: ${JSON.stringify(cells)}`).toBeGreaterThan(0)
      }
      // The kind stays readable beside it.
      expect(cells.kind, JSON.stringify(cells)).toBeGreaterThanOrEqual(80)
    })
  })
}
