import type { Page } from '@playwright/test'
import { expect, openConnected, statusOf, test } from './fixtures'

/** Join `room` in the shown session through the Rooms panel, and wait for the server to confirm it. */
async function joinRoom(page: Page, room: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Room' }).fill(room)
  await page.getByRole('button', { name: 'Join room' }).click()
  await expect(page.getByRole('region', { name: 'Rooms' })).toContainText('joined')
}

/** A text matcher for exactly this text. */
function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)
}

test('two Socket.IO clients in one room, side by side: one sends, the other\'s row shows it, one filter for both', async ({ page, appUrl, dev }) => {
  // Two connections, two room joins and a send: on a busy shared machine that takes longer than the default.
  test.slow()
  const room = `side-${Date.now().toString(36)}`
  // Two sessions on the room server, both in the room.
  await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })
  await joinRoom(page, room)
  await page.getByRole('button', { name: 'New session' }).click()
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(dev.socketio)
  await page.getByRole('button', { name: 'Connect' }).click()
  await expect(statusOf(page)).toContainText('open')
  await joinRoom(page, room)

  // Side by side, picking both.
  await page.getByRole('button', { name: 'Side by side', exact: true }).click()
  const picker = page.getByRole('group', { name: 'Sessions to show side by side' })
  const boxes = picker.getByRole('checkbox')
  await expect(boxes).toHaveCount(2)
  const names: string[] = []
  for (const box of await boxes.all()) {
    await box.check()
    // Each session as its tab calls it: "127.0.0.1:3000" and "127.0.0.1:3000 #2".
    names.push((await box.locator('xpath=..').textContent())!.trim())
  }
  expect(new Set(names).size).toBe(2)
  await page.screenshot({ path: test.info().outputPath('side-by-side-picker.png') })
  await page.getByRole('button', { name: 'Compare', exact: true }).click()

  const log = page.getByRole('log', { name: 'Side by side timeline' })
  await expect(log).toBeVisible()
  // The single session view made way: its timeline is not on the page.
  await expect(page.getByRole('log', { name: 'Timeline', exact: true })).toHaveCount(0)
  const legend = page.getByRole('list', { name: 'Sessions shown' })
  for (const name of names) await expect(legend).toContainText(name)

  // The first session writes to the room; the second receives the plain message. The composer here is the
  // session's own, with the contract's names, and they stay unique on the page.
  for (const [role, name] of [['textbox', 'Message'], ['button', 'Send'], ['textbox', 'Event name']] as const)
    await expect(page.getByRole(role, { name }), `${role} "${name}"`).toHaveCount(1)
  const [sender, receiver] = names as [string, string]
  await page.getByRole('group', { name: 'Write as' }).getByRole('radio', { name: sender, exact: true }).check()
  await page.getByRole('textbox', { name: 'Event name' }).fill('message')
  const text = `hi there ${Date.now().toString(36)}`
  await page.getByRole('textbox', { name: 'Message' }).fill(JSON.stringify({ room, message: text }))
  await page.getByRole('button', { name: 'Send', exact: true }).click()

  /** The rows of one session: its name is the row's session cell, in text. */
  const rowsOf = (name: string) => log.locator('.merged-row').filter({ has: page.locator('.session', { hasText: exactly(name) }) })
  // The receiver's application event holds the plain message (the room server strips the envelope); the sender's
  // rows show what it sent.
  await expect(rowsOf(receiver).filter({ hasText: `"${text}"` }).filter({ hasNotText: 'room' }).first()).toBeVisible()
  await expect(rowsOf(sender).filter({ hasText: text }).first()).toBeVisible()

  await page.screenshot({ path: test.info().outputPath('side-by-side-merged.png') })

  // One filter for both: text narrows both sessions' rows, direction "In" leaves only the receiver's.
  const filter = page.getByRole('search', { name: 'Filter timeline' })
  await filter.getByRole('searchbox', { name: 'Filter text' }).fill(text)
  await expect(log.locator('.merged-row').filter({ hasNotText: text })).toHaveCount(0)
  await expect(rowsOf(sender).first()).toBeVisible()
  await expect(rowsOf(receiver).first()).toBeVisible()
  await filter.getByRole('button', { name: /In$/ }).click()
  await expect(rowsOf(sender)).toHaveCount(0)
  await expect(rowsOf(receiver).first()).toBeVisible()

  // Selecting a row shows its details, from its session.
  await rowsOf(receiver).last().click()
  await expect(page.getByRole('region', { name: 'Event detail' })).toContainText(text)
  await expect(page.getByText(`From ${receiver}`, { exact: true })).toBeVisible()

  await page.screenshot({ path: test.info().outputPath('side-by-side.png') })

  // And back to one session.
  await page.getByRole('button', { name: /Back to one session/ }).click()
  await expect(page.getByRole('log', { name: 'Timeline', exact: true })).toBeVisible()
})
