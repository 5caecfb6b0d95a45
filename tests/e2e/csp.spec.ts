import type { Page } from '@playwright/test'
import type { AddressInfo } from 'node:net'
import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { deepLink, expect, openConnected, statusOf, test } from './fixtures'

/**
 * The built app's Content-Security-Policy (vite.config.ts): a meta tag in index.html and the same policy, plus
 * `frame-ancestors`, as a header of `vite preview` (which `npm start` and these tests serve the build with).
 * The app must work under it without one refusal, and code injected into the page must not run.
 */

interface PolicyWatch {
  /** Every `securitypolicyviolation` event in any document the page loaded, and every console error. */
  problems: string[]
}

/** Listens for refusals from before the app's first script runs, across navigations. */
async function watchPolicy(page: Page): Promise<PolicyWatch> {
  const watch: PolicyWatch = { problems: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') watch.problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', error => watch.problems.push(`page error: ${error.message}`))
  await page.exposeFunction('reportViolation', (text: string) => watch.problems.push(`violation: ${text}`))
  await page.addInitScript(() => {
    const report = (window as unknown as { reportViolation: (text: string) => void }).reportViolation
    document.addEventListener('securitypolicyviolation', (event) => {
      report(`${event.effectiveDirective} refused ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`)
    })
  })
  return watch
}

/** The build the suite serves (global-setup.ts). */
const dist = process.env.SOCKETLENS_DIST ?? 'dist'

test('the policy comes as a header (with frame-ancestors) and as a meta tag ahead of every script in the built page', async ({ page, appUrl }) => {
  const response = await page.goto(appUrl)
  const header = response!.headers()['content-security-policy'] ?? ''
  for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", 'connect-src ']) {
    expect(header, directive).toContain(directive)
  }
  expect(header).not.toMatch(/unsafe-eval|unsafe-inline|strict-dynamic/)
  expect(header).toMatch(/connect-src [^;]*\bws: wss: http: https:/)

  // The meta tag carries the same policy but frame-ancestors, which a meta tag cannot deliver (the browser ignores
  // it there and says so in the console). It comes before any script or stylesheet, so it governs all of them.
  const meta = await page.evaluate(() => {
    const tag = document.querySelector('meta[http-equiv="Content-Security-Policy"]')
    const first = document.head.querySelector('script, link[rel="stylesheet"], link[rel="modulepreload"]')
    return {
      content: tag?.getAttribute('content') ?? '',
      beforeScripts: !!tag && !!first && (tag.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
    }
  })
  expect(meta.content).toBe(header.replace(/;\s*frame-ancestors [^;]*/, ''))
  expect(meta.beforeScripts).toBe(true)

  // The service worker is served under the policy too.
  const sw = await page.request.get(new URL('/sw.js', appUrl).href)
  expect(sw.headers()['content-security-policy']).toBe(header)
})

test('another site cannot frame the inspector', async ({ page, appUrl }) => {
  // Another origin (a port of its own) whose page frames the inspector.
  const site = createServer((_request, response) => {
    response.setHeader('Content-Type', 'text/html')
    response.end(`<!doctype html><iframe src="${appUrl}/" title="framed"></iframe>`)
  })
  await new Promise<void>(resolve => site.listen(0, '127.0.0.1', resolve))
  try {
    // goto waits for the frame to load: Chromium puts its error page there instead of a refused document.
    await page.goto(`http://127.0.0.1:${(site.address() as AddressInfo).port}/`)
    const framed = page.frames().find(frame => frame !== page.mainFrame())
    expect(framed?.url()).not.toContain(new URL(appUrl).host)
    expect(await framed?.evaluate(() => document.querySelector('#app') !== null)).toBe(false)
  }
  finally {
    site.close()
  }
})

test('the app works under the policy: WebSocket echo, Socket.IO v4 and v2, the charts, without one refusal', async ({ page, appUrl, dev }) => {
  const watch = await watchPolicy(page)

  const status = await openConnected(page, appUrl, `${dev.ws}/`)
  await page.getByRole('textbox', { name: 'Message' }).fill('hello under CSP')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('log', { name: 'Timeline' })).toContainText('echo message hello under CSP')
  await expect(status).toContainText(/\b1 frame\b/)

  // Socket.IO v4 (its own lazily loaded chunk), an acknowledged emit, and the charts (uPlot, another lazy chunk
  // with its own stylesheet).
  await openConnected(page, appUrl, dev.socketio, { type: 'socketio' })
  await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
  await page.getByRole('textbox', { name: 'Message' }).fill('{"csp":true}')
  await page.getByRole('checkbox', { name: 'Expect acknowledgement' }).check()
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(page.getByRole('log', { name: 'Timeline' }).locator('[data-seq]').filter({ hasText: /ack echo/ })).toHaveCount(1)
  await page.getByRole('button', { name: 'Latency' }).click()
  await expect(page.getByRole('img', { name: /^Latency over time/ }).locator('canvas')).toHaveCount(1)
  await page.getByRole('button', { name: 'Throughput' }).click()
  await expect(page.getByRole('img', { name: /^Throughput in and out/ }).locator('canvas')).toHaveCount(1)
  // uPlot's own stylesheet applied (a stylesheet the policy refused would leave the legend unstyled).
  expect(await page.locator('.uplot').first().evaluate(el => getComputedStyle(el).fontFamily)).not.toBe('')

  // Socket.IO v2 (socket.io-client 2 and engine.io-client 3: the oldest code in the bundle), long-polling first.
  await page.goto(deepLink(appUrl, dev.socketioV2, { type: 'socketio', client: 'v2', connect: '1' }))
  await expect(statusOf(page)).toContainText('open')
  await page.getByRole('textbox', { name: 'Event name' }).fill('echo')
  await page.getByRole('textbox', { name: 'Message' }).fill('v2 under CSP')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(statusOf(page)).toContainText(/\b[1-9][\d,]* frames?\b/)

  expect(watch.problems).toEqual([])
})

test('an injected inline script, inline handler, eval and new Function are all refused', async ({ page, appUrl }) => {
  await page.goto(appUrl)
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toBeVisible()
  const outcome = await page.evaluate(async () => {
    const flags = window as unknown as Record<string, unknown>
    const violations: string[] = []
    document.addEventListener('securitypolicyviolation', e => violations.push(e.effectiveDirective))
    const script = document.createElement('script')
    script.textContent = 'window.__injectedScript = 1'
    document.head.append(script)
    const img = document.createElement('img')
    img.setAttribute('onerror', 'window.__injectedHandler = 1')
    img.src = '/no-such-image.png'
    document.body.append(img)
    await new Promise(resolve => img.addEventListener('error', resolve, { once: true }))
    const attempt = (run: () => unknown): string => {
      try {
        run()
        return 'ran'
      }
      catch (error) {
        return (error as Error).name
      }
    }
    const evalResult = attempt(() => (0, eval)('window.__injectedEval = 1'))
    const functionResult = attempt(() => new Function('window.__injectedFunction = 1')())
    // Violation events are dispatched as tasks: let them arrive.
    await new Promise(resolve => setTimeout(resolve, 100))
    return {
      ran: ['__injectedScript', '__injectedHandler', '__injectedEval', '__injectedFunction'].filter(name => name in flags),
      evalResult,
      functionResult,
      violations,
    }
  })
  expect(outcome.ran).toEqual([])
  expect(outcome.evalResult).toBe('EvalError')
  expect(outcome.functionResult).toBe('EvalError')
  expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr', 'script-src']))
})

test('the production bundle calls neither eval nor new Function', () => {
  // A string compiled at run time needs 'unsafe-eval'. The only Function( in the bundle is the global-object
  // fallback of engine.io-client 3 and 6 (`typeof self<"u"?self:typeof window<"u"?window:Function("return this")()`),
  // reached only where neither `self` nor `window` exists: never in a page or a worker.
  const globalFallback = /typeof window\s*(?:[!=]==?|<)\s*[`'"](?:u|undefined)[`'"]\s*\?\s*window\s*:\s*$/
  const found: string[] = []
  const files = [...readdirSync(join(dist, 'assets')).map(name => join('assets', name)), ...readdirSync(dist)]
  for (const file of files.filter(name => name.endsWith('.js'))) {
    const code = readFileSync(join(dist, file), 'utf8')
    for (const match of code.matchAll(/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(/g)) {
      const before = code.slice(Math.max(0, match.index - 80), match.index)
      if (!globalFallback.test(before)) found.push(`${file}: …${before}${code.slice(match.index, match.index + 40)}…`)
    }
  }
  expect(found).toEqual([])
})
