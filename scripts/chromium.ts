/**
 * The Chromium every browser the project starts runs (end-to-end tests, benchmarks, the README's screenshot): Debian's,
 * or any Chromium named by CHROME_PATH. Nothing here downloads a browser.
 */
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium'

/** The flags each of them starts with: no sandbox (root), no GPU, no background traffic, no QUIC. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
]

/** playwright-core's launch options for it, with `extra` flags after the common ones. */
export function chromiumLaunchOptions(extra: readonly string[] = []): { executablePath: string, args: string[] } {
  return { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extra] }
}
