import type { Locator } from '@playwright/test'
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
