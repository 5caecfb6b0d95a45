import type { Page } from '@playwright/test'
import ko from '../../src/i18n/messages/ko'
import { expect, test } from './fixtures'

/**
 * The Korean words are a chunk of their own (src/i18n `loadLocale`), not part of the initial bundle: an English visit
 * never fetches them, a Korean one loads them before the app's first render (no English flash), a chunk that cannot
 * be fetched leaves the UI as it was and says why, and picking the language again once it can be fetched switches it.
 *
 * The service worker is blocked so that every request reaches the network, where the test can see and refuse it
 * (tests/e2e/pwa.spec.ts covers the precache and offline use).
 */
test.use({ serviceWorkers: 'block' })

const KOREAN_CHUNK = /\/assets\/ko-[^/]+\.js$/

/**
 * Open the app, noting its first render as a person would have seen it (`<html lang>` and the app's words when #app
 * first fills) and the Korean chunk's requests from the start (the array goes on filling).
 */
async function openNoting(page: Page, appUrl: string): Promise<{ first: { lang: string, text: string }, requested: string[] }> {
  const requested: string[] = []
  page.on('request', (request) => {
    if (KOREAN_CHUNK.test(request.url())) requested.push(request.url())
  })
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const app = document.getElementById('app')
      if (!app || app.childElementCount === 0) return
      observer.disconnect()
      ;(window as unknown as { __firstRender: unknown }).__firstRender = {
        lang: document.documentElement.lang,
        text: app.textContent?.slice(0, 400) ?? '',
      }
    })
    observer.observe(document, { childList: true, subtree: true })
  })
  await page.goto(appUrl)
  const first = await page.waitForFunction(() => (window as unknown as { __firstRender?: { lang: string, text: string } }).__firstRender)
  return { first: await first.jsonValue() as { lang: string, text: string }, requested }
}

test.describe('in an English browser', () => {
  test.use({ locale: 'en-US' })

  test('an English visit never fetches the Korean words; a failed fetch says why, and a second pick switches', async ({ page, appUrl }) => {
    const { first, requested } = await openNoting(page, appUrl)
    expect(first.lang).toBe('en')
    await expect(page.locator('details.settings > summary')).toHaveText('Settings')
    expect(requested).toEqual([])

    // The chunk cannot be fetched (offline on a first visit, a server gone): the UI stays English and says so.
    await page.route(KOREAN_CHUNK, route => route.abort('internetdisconnected'))
    await page.locator('details.settings > summary').click()
    const language = page.getByRole('combobox', { name: 'Language', exact: true })
    await language.selectOption({ label: '한국어' })
    await expect(page.getByRole('alert').filter({ hasText: 'The 한국어 words could not be loaded' })).toBeVisible()
    await expect(language).toHaveValue('en')
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await expect(page.locator('details.settings > summary')).toHaveText('Settings')
    expect(await page.evaluate(() => localStorage.getItem('socketlens.locale'))).toBeNull()

    // Reachable again: the same pick now loads the words, switches every one of them, and is remembered.
    await page.unroute(KOREAN_CHUNK)
    await language.selectOption({ label: '한국어' })
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
    await expect(page.locator('details.settings > summary')).toHaveText(ko.session.settings.title)
    await expect(page.getByRole('alert').filter({ hasText: '한국어' })).toHaveCount(0)
    expect(await page.evaluate(() => localStorage.getItem('socketlens.locale'))).toBe('ko')
  })
})

test.describe('in a Korean browser', () => {
  test.use({ locale: 'ko-KR' })

  test('the first render is already Korean: the words load before the app mounts', async ({ page, appUrl }) => {
    const { first, requested } = await openNoting(page, appUrl)
    expect(first.lang).toBe('ko')
    expect(first.text).toContain(ko.session.settings.title)
    expect(requested).toHaveLength(1)
  })

  test('where the Korean words cannot load, the app still opens, in English, and keeps the choice for next time', async ({ page, appUrl }) => {
    await page.addInitScript(() => localStorage.setItem('socketlens.locale', 'ko'))
    await page.route(KOREAN_CHUNK, route => route.abort('internetdisconnected'))
    const warnings: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text())
    })
    await page.goto(appUrl)
    await expect(page.locator('details.settings > summary')).toHaveText('Settings')
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    expect(warnings.some(text => text.includes('the 한국어 words could not be loaded; showing English'))).toBe(true)
    expect(await page.evaluate(() => localStorage.getItem('socketlens.locale'))).toBe('ko')

    await page.unroute(KOREAN_CHUNK)
    await page.reload()
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
    await expect(page.locator('details.settings > summary')).toHaveText(ko.session.settings.title)
  })
})
