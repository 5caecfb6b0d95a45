import type { Locator, Page } from '@playwright/test'
import { test as base, expect } from '@playwright/test'

/**
 * The dev server's URLs (dev-server/types.ts, DevServerUrls) and the control API's token (`Authorization: Bearer`).
 * `wsTls` is wss:// on the ws port; `customPath` serves Socket.IO at /realtime/io; `httpOnly` speaks no WebSocket.
 */
export interface DevUrls {
  ws: string, wss: string, wsTls: string, socketio: string, polling: string, socketioV2: string, msgpack: string,
  websocketOnly: string, customPath: string, httpOnly: string, control: string, silent: string, controlToken: string,
  [name: string]: string
}

/** Fixtures every end-to-end test shares: where the app and the dev server listen (see global-setup.ts). */
export const test = base.extend<{ appUrl: string, dev: DevUrls }>({
  // "Start here" opens by itself on a first run (no saved tabs, no deep link) until dismissed. These tests start each
  // in a fresh browser, yet are about everything else: they see the app as someone who has dismissed it.
  // tests/e2e/start-here.spec.ts makes its own contexts for the first run.
  context: async ({ context }, use) => {
    await context.addInitScript(() => {
      try {
        localStorage.setItem('socketlens.startHere.v1', 'dismissed')
      }
      catch {
        // Storage disabled in this test: nothing to remember.
      }
    })
    await use(context)
  },
  // Playwright reads fixture dependencies from the destructuring pattern, so an empty one is required.
  // eslint-disable-next-line no-empty-pattern
  appUrl: async ({}, use) => {
    const url = process.env.SOCKETLENS_APP_URL
    if (!url) throw new Error('SOCKETLENS_APP_URL is not set: run the tests through playwright.config.ts')
    await use(url)
  },
  // eslint-disable-next-line no-empty-pattern
  dev: async ({}, use) => {
    await use(JSON.parse(process.env.SOCKETLENS_DEV_URLS ?? '{}') as DevUrls)
  },
})

/** The deep link from docs/architecture.md: `/?url=<endpoint>&type=ws|socketio&connect=1`. */
export function deepLink(appUrl: string, endpoint: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams({ url: endpoint, ...params })
  return `${appUrl}/?${query.toString()}`
}

export { expect }

/** The status region of the shown session: its state and `<N> frames` (docs/architecture.md, Contracts). */
export function statusOf(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /\bframes?\b/ })
}

/** Open `endpoint` through the deep link with `connect=1` and wait until the session is open. */
export async function openConnected(page: Page, appUrl: string, endpoint: string, params: Record<string, string> = {}): Promise<Locator> {
  await page.goto(deepLink(appUrl, endpoint, { ...params, connect: '1' }))
  await expect(statusOf(page)).toContainText('open')
  return statusOf(page)
}
