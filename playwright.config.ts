import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

/** Debian's Chromium, or any Chromium named by CHROME_PATH. Playwright never downloads a browser here. */
export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium'

/** The flags every test browser starts with (the machine's instructions: no background traffic, no QUIC). */
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']

if (!existsSync(chromiumPath)) {
  throw new Error(
    `No Chromium at ${chromiumPath}. The end-to-end tests drive a real browser: install one with `
    + '`apt-get install -y chromium` (Debian/Ubuntu), or point CHROME_PATH at a Chromium or Chrome binary.',
  )
}

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  fullyParallel: false,
  // Two workers on the two cores these machines have: one worker made CI's run twice as long. On CI a test that
  // fails once is run once more and reported as flaky (a loaded shared machine can starve a reconnect schedule);
  // locally nothing is retried, so a flaky test shows as a failure.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    headless: true,
    // English, the default locale, in which the contract's accessible names hold (tests/e2e/i18n.spec.ts: Korean).
    locale: 'en-US',
    trace: 'off',
    launchOptions: {
      executablePath: chromiumPath,
      args: chromiumArgs,
    },
  },
})
