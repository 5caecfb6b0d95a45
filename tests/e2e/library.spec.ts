import { writeFileSync } from 'node:fs'
import { expect, test } from './fixtures'

test('a connection preset and a message snippet survive a reload', async ({ page, appUrl, dev }) => {
  await page.goto(appUrl)
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/echo`)
  await page.getByRole('textbox', { name: 'Message' }).fill('{"op":"subscribe"}')
  await page.getByText('Saved', { exact: true }).click()
  await page.getByRole('textbox', { name: 'Preset name' }).fill('my echo')
  await page.getByRole('button', { name: 'Save preset' }).click()
  await page.getByRole('textbox', { name: 'Snippet name' }).fill('subscribe')
  await page.getByRole('button', { name: 'Save snippet' }).click()
  await expect(page.getByRole('region', { name: 'Connection presets' })).toContainText('my echo')

  await page.reload()
  await page.getByText('Saved', { exact: true }).click()
  await page.getByRole('region', { name: 'Connection presets' }).getByRole('button', { name: 'my echo', exact: true }).click()
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue(`${dev.ws}/echo`)
  await page.getByRole('region', { name: 'Message snippets' }).getByRole('button', { name: 'subscribe', exact: true }).click()
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveText('{"op":"subscribe"}')

  await page.getByRole('button', { name: 'Connect' }).click()
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('{"op":"subscribe"}')
  await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText(/\b1 frame\b/)
})

test('a library file is imported in a worker, and a preset\'s settings are read back when it is opened', async ({ page, appUrl }) => {
  const workers: string[] = []
  page.on('worker', worker => workers.push(worker.url()))
  await page.goto(appUrl)
  await page.getByText('Saved', { exact: true }).click()
  const file = test.info().outputPath('library.json')
  writeFileSync(file, JSON.stringify({
    format: 'socketlens-library',
    version: 1,
    presets: [
      { id: 'io', name: 'custom path', url: 'http://127.0.0.1:3005/', type: 'socketio', sio: { path: '/realtime/io' } },
      { id: 'ws', name: 'plain echo', url: 'ws://127.0.0.1:8080/echo', type: 'ws' },
    ],
    snippets: [{ id: 's', name: 'greet', type: 'socketio', eventName: 'hello', message: '"world"' }],
  }))
  await page.getByLabel('Library file').setInputFiles(file)
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toHaveText('Imported 2 connections and 1 messages.')
  // Parsed, checked and written off the page's thread: the page gets what its list shows.
  expect(workers.some(url => /library\.worker/.test(url))).toBe(true)
  const presets = page.getByRole('region', { name: 'Connection presets' })
  await expect(presets).toContainText('2 saved')

  await page.reload()
  await page.getByText('Saved', { exact: true }).click()
  await presets.getByRole('button', { name: 'Open custom path in a new session' }).click()
  await expect(page.getByRole('tab')).toHaveCount(2)
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue('http://127.0.0.1:3005/')
  await page.getByRole('button', { name: 'Options', exact: true }).click()
  await expect(page.getByRole('textbox', { name: 'Path', exact: true })).toHaveValue('/realtime/io')
})
