import type { Page } from '@playwright/test'
import { deepLink, expect, openConnected, statusOf, test } from './fixtures'

/** The shown session's timeline as "Export timeline" writes it: the header, and the event lines. */
async function exported(page: Page): Promise<{ header: Record<string, unknown>, events: string[] }> {
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export timeline' }).click()
  const path = await (await download).path()
  const { readFile } = await import('node:fs/promises')
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
  return { header: JSON.parse(lines[0]!) as Record<string, unknown>, events: lines.slice(1) }
}

test('Save timeline keeps a live timeline; after a reload it reopens from the list, read-only, with the same events', async ({ page, appUrl, dev }) => {
  test.setTimeout(90_000)
  const status = await openConnected(page, appUrl, `${dev.ws}/echo`)
  for (const text of ['one', 'two', '{"three":3}']) {
    await page.getByRole('textbox', { name: 'Message' }).fill(text)
    await page.getByRole('button', { name: 'Send' }).click()
  }
  await expect(status).toContainText(/\b3 frames\b/)
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(status).toContainText('closed')
  const before = await exported(page)

  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/Saved ".*": \d+ events, [\d.]+ (B|kB)\./)).toBeVisible()

  await page.reload()
  await page.getByRole('button', { name: 'Saved timelines' }).click()
  const list = page.getByRole('region', { name: 'Saved timelines' })
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(list.getByRole('listitem')).toContainText(`${before.events.length} events`)
  await list.getByRole('button', { name: /^Open saved / }).click()

  // A read-only session: no connection bar, the recorded state, Replay offered.
  await expect(statusOf(page)).toContainText('imported (read-only)')
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Replay', exact: true })).toBeVisible()
  const after = await exported(page)
  expect(after.events).toEqual(before.events)
  expect(after.header).toMatchObject({ protocol: 'ws', endpoint: `${dev.ws}/echo`, events: before.events.length })
})

test('a 20,000-frame flood (frames kept compact) exports in several parts, saves, and reopens with every event as it was', async ({ page, appUrl, dev }) => {
  test.setTimeout(120_000)
  await page.goto(deepLink(appUrl, `${dev.ws}/flood?n=20000&size=100&close=1`, { type: 'ws', connect: '1' }))
  await expect(statusOf(page)).toContainText(/\b20,?000 frames\b/, { timeout: 30_000 })
  await expect(statusOf(page)).toContainText('closed')
  // Some 2.5 MB: the export's text is written in parts of 1 MiB, walked by seq in slices.
  const before = await exported(page)
  expect(before.events.length).toBeGreaterThan(20_000)
  expect(before.header.events).toBe(before.events.length)
  const seqs = before.events.map(line => (JSON.parse(line) as { seq: number }).seq)
  expect(seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1)).toBe(true)

  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/Saved ".*": [\d,]+ events, [\d.]+ (kB|MB)\./)).toBeVisible({ timeout: 60_000 })
  await page.getByRole('button', { name: 'Saved timelines' }).click()
  await page.getByRole('region', { name: 'Saved timelines' }).getByRole('button', { name: /^Open saved / }).first().click()
  await expect(statusOf(page)).toContainText('imported (read-only)', { timeout: 60_000 })
  // Read by the worker and built as its batches came: the same lines, seqs and all.
  const after = await exported(page)
  expect(after.events).toEqual(before.events)
  expect(after.header).toMatchObject({ events: before.events.length })
})

test('the list renames and deletes, and says so when empty', async ({ page, appUrl, dev }) => {
  await openConnected(page, appUrl, `${dev.ws}/echo`)
  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/^Saved "/)).toBeVisible()
  // The Saved panel of a live session holds the same list.
  await page.getByText('Saved', { exact: true }).click()
  const list = page.getByRole('region', { name: 'Saved timelines' })
  await list.getByRole('button', { name: /^Rename / }).click()
  await list.getByRole('textbox', { name: /^New name for / }).fill('echo check')
  await list.getByRole('button', { name: 'OK' }).click()
  await expect(list.getByRole('button', { name: 'Open saved echo check' })).toBeVisible()
  await list.getByRole('button', { name: 'Delete saved echo check' }).click()
  await expect(list).toContainText('No saved timelines yet')
})

/** Change the stored chunks of every saved timeline in the page's database (as a damaged disk or an old bug would). */
async function damageChunks(page: Page, how: 'not-ndjson' | 'missing'): Promise<number> {
  return page.evaluate(async (how) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('socketlens-timelines')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error)
    })
    const tx = db.transaction('chunks', 'readwrite')
    const store = tx.objectStore('chunks')
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const request = store.getAllKeys()
      request.onsuccess = () => resolve(request.result)
    })
    for (const key of keys) {
      if (how === 'missing') store.delete(key)
      else store.put({ timelineId: (key as [string, number])[0], index: (key as [string, number])[1], count: 3, text: 'this is not NDJSON\n' })
    }
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve
      tx.onerror = () => reject(tx.error)
    })
    db.close()
    return keys.length
  }, how)
}

test('a damaged saved timeline (a part that is not NDJSON, a missing part) says which part, opens nothing and stays in the list', async ({ page, appUrl, dev }) => {
  test.setTimeout(90_000)
  const status = await openConnected(page, appUrl, `${dev.ws}/echo`)
  await page.getByRole('textbox', { name: 'Message' }).fill('one')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(status).toContainText(/\b1 frames?\b/)
  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/^Saved "/)).toBeVisible()
  expect(await damageChunks(page, 'not-ndjson')).toBe(1)

  await page.reload()
  const tabs = await page.getByRole('tab').count()
  await page.getByRole('button', { name: 'Saved timelines' }).click()
  const list = page.getByRole('region', { name: 'Saved timelines' })
  await expect(list.getByRole('listitem')).toHaveCount(1)
  const details = (await list.getByRole('listitem').textContent())!.replace(/\s+/g, ' ').trim()
  await list.getByRole('button', { name: /^Open saved / }).click()
  await expect(list.getByRole('alert')).toContainText(/could not be read: part 1 of 1 is damaged \(Line 2 is not valid JSON.*Nothing was opened; the saved timeline is kept as it is\./)
  await expect(page.getByRole('tab')).toHaveCount(tabs)
  await expect(list.getByRole('listitem')).toHaveText(details)

  expect(await damageChunks(page, 'missing')).toBe(1)
  await list.getByRole('button', { name: /^Open saved / }).click()
  await expect(list.getByRole('alert')).toContainText(/is incomplete: part 1 of 1 is missing\. Nothing was opened; the saved timeline is kept as it is\./)
  await expect(page.getByRole('tab')).toHaveCount(tabs)
  await page.reload()
  await page.getByRole('button', { name: 'Saved timelines' }).click()
  await expect(page.getByRole('region', { name: 'Saved timelines' }).getByRole('listitem')).toHaveText(details)
})

/**
 * Measurement, not part of the suite (minutes on a busy machine): SOCKETLENS_MEASURE_SAVED=1. A million events saved
 * and reopened; the longest task (PerformanceObserver `longtask`: wall time, which grows with the machine's load)
 * while saving and while reading them back. The CPU time of each task, from a trace, is bench/savedTimelines.ts's.
 */
test('a million events: saving and reopening never hold the page for a long task', async ({ page, appUrl }) => {
  test.skip(!process.env.SOCKETLENS_MEASURE_SAVED, 'measurement: set SOCKETLENS_MEASURE_SAVED=1')
  test.setTimeout(900_000)
  const total = Number(process.env.SOCKETLENS_MEASURE_SAVED) > 1 ? Number(process.env.SOCKETLENS_MEASURE_SAVED) : 1_000_000
  await page.addInitScript(() => {
    const w = window as unknown as { __tasks: { start: number, duration: number }[], __handles: unknown[], __socketlensBench: unknown }
    w.__tasks = []
    w.__handles = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__tasks.push({ start: e.startTime, duration: e.duration })
    }).observe({ type: 'longtask', buffered: true })
    w.__socketlensBench = { attach: (handle: unknown) => w.__handles.push(handle) }
  })
  await page.goto(`${appUrl}/`)
  await expect(page.getByRole('log', { name: 'Timeline' })).toBeVisible()
  await page.evaluate(async (n) => {
    const w = window as unknown as { __handles: { timeline: { append: (e: object) => void } }[] }
    const timeline = w.__handles[w.__handles.length - 1]!.timeline
    const t0 = Date.now()
    for (let i = 0; i < n; i++) {
      timeline.append({ seq: 0, time: t0 + i, layer: 'wire', kind: 'frame', dir: i % 2 ? 'in' : 'out', transport: 'websocket', size: 24, data: `{"n":${i},"price":101.5}` })
      if (i % 100_000 === 0) await new Promise(resolve => setTimeout(resolve, 0))
    }
  }, total)
  await expect(page.getByRole('status').filter({ hasText: /frames?/ })).toContainText(/\d/)
  // The page takes in the filled timeline first (its view catches up): not part of the save.
  await page.waitForTimeout(3000)
  const longest = (from: number, to: number) => page.evaluate(([a, b]) => {
    const tasks = (window as unknown as { __tasks: { start: number, duration: number }[] }).__tasks.filter(t => t.start >= a && t.start <= b)
    return { longest: Math.max(0, ...tasks.map(t => t.duration)), count: tasks.length, at: tasks.map(t => [Math.round(t.start - a), Math.round(t.duration)]) }
  }, [from, to] as const)
  const now = () => page.evaluate(() => performance.now())

  // What this machine does to an idle page meanwhile (a busy shared machine shows long tasks of its own).
  const idleStart = await now()
  await page.waitForTimeout(5000)
  const idle = await longest(idleStart, await now())
  // The control: 5 s of plain work in 8 ms slices (as runInSlices does), then a yield. Its long tasks are the
  // machine's (another process took the CPU in the middle of a slice), not the code's.
  const busyStart = await now()
  await page.evaluate(async () => {
    const end = performance.now() + 5000
    let x = 0
    while (performance.now() < end) {
      const slice = performance.now() + 8
      while (performance.now() < slice) x += Math.sqrt(x + 1)
      await new Promise(resolve => setTimeout(resolve, 0))
    }
    return x
  })
  const busy = await longest(busyStart, await now())
  const cdp = process.env.SOCKETLENS_MEASURE_PROFILE ? await page.context().newCDPSession(page) : undefined
  if (cdp) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
  }
  const saveStart = await now()
  await page.getByRole('button', { name: 'Save timeline' }).click()
  await expect(page.getByText(/^Saved "/)).toBeVisible({ timeout: 600_000 })
  const saveEnd = await now()
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(process.env.SOCKETLENS_MEASURE_PROFILE!, JSON.stringify(profile))
  }
  const save = await longest(saveStart, saveEnd)

  await page.getByRole('button', { name: 'Saved timelines' }).click()
  if (cdp) await cdp.send('Profiler.start')
  const openStart = await now()
  await page.getByRole('region', { name: 'Saved timelines' }).getByRole('button', { name: /^Open saved / }).first().click()
  await expect(page.getByRole('status').filter({ hasText: /frames?/ })).toContainText('imported', { timeout: 600_000 })
  const openEnd = await now()
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(`${process.env.SOCKETLENS_MEASURE_PROFILE!}.open`, JSON.stringify(profile))
  }
  const open = await longest(openStart, openEnd)
  console.log(JSON.stringify({ total, idleLongestTaskMs: idle.longest, idleLongTasks: idle.count, controlLongestTaskMs: busy.longest, controlLongTasks: busy.count, saveMs: Math.round(saveEnd - saveStart), saveLongestTaskMs: save.longest, saveLongTasks: save.count, openMs: Math.round(openEnd - openStart), openLongestTaskMs: open.longest, openLongTasks: open.count }))
  if (process.env.SOCKETLENS_MEASURE_VERBOSE) console.log(JSON.stringify({ save: save.at, open: open.at }))
  expect(save.longest).toBeLessThan(50)
})
