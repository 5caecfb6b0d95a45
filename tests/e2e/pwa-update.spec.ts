import type { Page } from '@playwright/test'
import type { Plugin, PreviewServer } from 'vite'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, preview } from 'vite'
import { deepLink, expect, statusOf, test } from './fixtures'

/**
 * A new build must not reload a tab that is capturing (issue 11, item 8): the service worker waits, the page says
 * "A new version is available — Reload", and a Reload with a live session asks first. Two real builds, A and B,
 * differ by a marker tag in index.html, so B's precache manifest (and so its sw.js) differs from A's. The test
 * serves A with its own `vite preview` (which reads files from disk on every request), then copies B over it,
 * as a deploy does.
 */

const marker = (name: string): Plugin => ({
  name: 'test-build-marker',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'socketlens-test-build', content: name }, injectTo: 'head' }],
})

let root = ''
let served = ''
let server: PreviewServer | undefined
let appUrl = ''

// Each test installs a service worker twice (two precaches of the whole build): more than the default 30 s on a busy machine.
test.describe.configure({ mode: 'serial', timeout: 120_000 })

test.beforeAll(async () => {
  // Two production builds on a shared machine: minutes, not the default 30 s.
  test.setTimeout(300_000)
  root = mkdtempSync(join(tmpdir(), 'socketlens-pwa-update-'))
  served = join(root, 'served')
  for (const name of ['A', 'B']) {
    await build({ logLevel: 'silent', plugins: [marker(name)], build: { outDir: join(root, name), emptyOutDir: true, sourcemap: false } })
  }
  server = await preview({ logLevel: 'silent', preview: { port: 0, strictPort: false, host: '127.0.0.1' }, build: { outDir: served } })
  const address = server.httpServer.address()
  if (!address || typeof address === 'string') throw new Error('vite preview did not bind a TCP port')
  appUrl = `http://localhost:${address.port}`
})

test.afterAll(async () => {
  if (server) await new Promise<void>(resolve => server!.httpServer.close(() => resolve()))
  if (root) rmSync(root, { recursive: true, force: true })
})

/** Puts build `name` where the server reads its files, replacing the one before (as `vite build --emptyOutDir` does). */
function deploy(name: 'A' | 'B'): void {
  rmSync(served, { recursive: true, force: true })
  cpSync(join(root, name), served, { recursive: true })
}

async function buildOf(page: Page): Promise<string | null> {
  return page.locator('meta[name="socketlens-test-build"]').getAttribute('content')
}

async function framesOf(page: Page): Promise<number> {
  const text = await statusOf(page).textContent() ?? ''
  return Number(/([\d,]+) frames/.exec(text)?.[1]?.replaceAll(',', '') ?? Number.NaN)
}

/** Until the service worker controls the page, its precache is not filled and an update is a first install. */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
    if (!navigator.serviceWorker.controller)
      await new Promise<void>(resolve => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }))
  })
}

/** The session stays open and keeps counting frames: the page was not reloaded under it. */
async function expectStillCapturing(page: Page): Promise<void> {
  const before = await framesOf(page)
  await expect.poll(() => framesOf(page)).toBeGreaterThan(before)
  await expect(statusOf(page)).toContainText('open')
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true)
  expect(await buildOf(page)).toBe('A')
}

/** Deploys build A, opens it connected to the dev server's ticker (on `ws`), and marks the document so a reload shows. */
async function openCapturing(page: Page, ws: string): Promise<void> {
  deploy('A')
  await page.goto(deepLink(appUrl, `${ws}/ticker?hz=20`, { connect: '1' }))
  await expect(statusOf(page)).toContainText('open')
  expect(await buildOf(page)).toBe('A')
  await waitForServiceWorker(page)
  await page.evaluate(() => { (window as unknown as { sameDocument: boolean }).sameDocument = true })
  await expect.poll(() => framesOf(page)).toBeGreaterThan(0)
}

/** The page's service worker looks for a new build now, as it does by itself from time to time. */
async function checkForUpdate(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())!.update()
  })
}

const updatePrompt = (page: Page) => page.getByRole('region', { name: 'App update' })

test('a new build is offered, not forced: the capturing tab keeps going, and Reload asks first', async ({ page, dev }) => {
  await openCapturing(page, dev.ws)

  deploy('B')
  await checkForUpdate(page)
  const prompt = updatePrompt(page)
  await expect(prompt).toContainText('A new version is available')
  await expectStillCapturing(page)

  // Reload while a session is open: the prompt says what would be lost, and Cancel loses nothing.
  await prompt.getByRole('button', { name: 'Reload', exact: true }).click()
  await expect(prompt).toContainText(/closes 1 connection/)
  await expect(prompt).toContainText(/discards [\d,]+ recorded events/)
  await prompt.getByRole('button', { name: 'Cancel' }).click()
  await expectStillCapturing(page)

  await prompt.getByRole('button', { name: 'Reload', exact: true }).click()
  await prompt.getByRole('button', { name: 'Reload anyway' }).click()
  await expect.poll(() => buildOf(page)).toBe('B')
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBeUndefined()
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toBeVisible()
  await expect(updatePrompt(page)).toHaveCount(0)
})

test('a new build opened in another tab does not reload the capturing one', async ({ page, context, dev }) => {
  await openCapturing(page, dev.ws)

  // The reported case: the new build opened in a second tab, which reloads to it (nothing to lose there).
  deploy('B')
  const other = await context.newPage()
  await other.goto(appUrl)
  await checkForUpdate(other)
  await updatePrompt(other).getByRole('button', { name: 'Reload', exact: true }).click()
  await expect.poll(() => buildOf(other)).toBe('B')

  // The first tab now runs under B's service worker, but it was not reloaded, and it offers the new version.
  await expect(updatePrompt(page)).toContainText('A new version is available')
  await expectStillCapturing(page)
  // Well past the 4.7 s the reported reload took.
  await page.waitForTimeout(6_000)
  await expectStillCapturing(page)
})

test('Dismiss hides the prompt without reloading', async ({ page, dev }) => {
  await openCapturing(page, dev.ws)
  deploy('B')
  await checkForUpdate(page)
  const prompt = updatePrompt(page)
  await prompt.getByRole('button', { name: 'Dismiss' }).click()
  await expect(prompt).toHaveCount(0)
  await expectStillCapturing(page)
  // The same new build announced again (the worker reports "installed", then "waiting") stays dismissed.
  await checkForUpdate(page)
  await page.waitForTimeout(1_000)
  await expect(prompt).toHaveCount(0)
})
