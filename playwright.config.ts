import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

import { CHROMIUM_PATH, chromiumLaunchOptions } from './scripts/chromium'

// Playwright never downloads a browser here.
if (!existsSync(CHROMIUM_PATH)) {
  throw new Error(
    `No Chromium at ${CHROMIUM_PATH}. The end-to-end tests drive a real browser: install one with `
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
    launchOptions: chromiumLaunchOptions(),
  },
})
