import ko from '../../src/i18n/messages/ko'
import { expect, test } from './fixtures'

test('installs as a PWA: a manifest with icons, and the app opens offline once visited, in either language', async ({ page, context, appUrl }) => {
  await page.goto(appUrl)
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href')
  expect(manifestHref).toBeTruthy()
  const manifest = await (await page.request.get(new URL(manifestHref!, appUrl).href)).json() as { name: string, display: string, icons: { sizes: string }[] }
  expect(manifest).toMatchObject({ name: 'SocketLens', display: 'standalone' })
  expect(manifest.icons.map(i => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))

  // The service worker takes control once its precache is filled.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
    if (!navigator.serviceWorker.controller)
      await new Promise<void>(resolve => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }))
  })

  await context.setOffline(true)
  await page.reload()
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Connect' })).toBeEnabled()
  // The Korean words are a chunk this English visit never loaded (src/i18n), precached with the rest: switching works
  // offline too.
  await page.locator('details.settings > summary').click()
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption({ label: '한국어' })
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko')
  await expect(page.locator('details.settings > summary')).toHaveText(ko.session.settings.title)
  await context.setOffline(false)
})
