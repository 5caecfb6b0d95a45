import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { extname, join, normalize, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { DEFAULT_CERT_DIR, loadOrCreateCertificate } from '../../dev-server/cert'
import { closedPort, listenOnLoopback } from '../support/ports'
import { deepLink, expect, test } from './fixtures'

/**
 * The failures only a browser shows: a browser hides why a WebSocket handshake failed (a bare `error`, then 1006),
 * so these run the built app in Chromium against the dev server and assert what the diagnosis banner says.
 * Set SOCKETLENS_SCREENSHOTS=<dir> to keep a screenshot of every banner.
 */

const SCREENSHOTS = process.env.SOCKETLENS_SCREENSHOTS

function banner(page: Page) {
  return page.getByRole('region', { name: 'Diagnosis' })
}

async function connectTo(page: Page, appUrl: string, url: string): Promise<void> {
  await page.goto(appUrl)
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(url)
  await page.getByRole('button', { name: 'Connect' }).click()
}

async function openOptions(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Options', exact: true }).click()
}

/** Light and dark screenshots of the page, to look at the banner in both themes. */
async function snap(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: join(SCREENSHOTS, `diagnosis-${name}-${colorScheme}.png`) })
  }
  await page.emulateMedia({ colorScheme: null })
}

test.describe('diagnoses in the browser', () => {
  test('nothing listening: a closed port is explained, with the close code', async ({ page, appUrl }) => {
    const port = await closedPort()
    await connectTo(page, appUrl, `ws://127.0.0.1:${port}/`)
    const region = banner(page)
    // The bare 1006 alone could be a refused port or a rejected handshake; the HTTP probe that follows tells them
    // apart (issue 8, case 5; diagnoses-ws.spec.ts has the other outcomes).
    await expect(region.getByRole('heading')).toHaveText('Nothing listening')
    await expect(region).toContainText(`The connection to 127.0.0.1:${port} failed before it opened, and an ordinary HTTP request to http://127.0.0.1:${port}/ failed too: nothing answers on that port, or this browser cannot reach it (a firewall, a blocked local-network request).`)
    await expect(region).toContainText('Next step: Start the server, or check the host and the port.')
    await expect(region).toContainText('Close code 1006 (Abnormal closure)')
    await snap(page, 'nothing-listening')

    // "Show in timeline" selects the error event: the detail pane shows it.
    await region.getByRole('button', { name: 'Show in timeline' }).click()
    await expect(page.getByRole('log', { name: 'Timeline' }).locator('[aria-current="true"]')).toContainText('error')
    await region.getByRole('button', { name: 'Dismiss' }).click()
    await expect(region).toHaveCount(0)
  })

  test('handshake rejected with 403: as fast as a refused port in a browser, told apart by the HTTP probe', async ({ page, appUrl, dev }) => {
    await connectTo(page, appUrl, `${dev.ws}/reject?status=403`)
    const region = banner(page)
    // Chromium fails a 403 answer within milliseconds, like a refused connection, and hides the status; the HTTP
    // probe that follows finds a server answering there, and the diagnosis still hedges on why it refused.
    await expect(region.getByRole('heading')).toHaveText('Something answers HTTP here, but not WebSocket at this path')
    await expect(region.getByText('a guess', { exact: true })).toBeVisible()
    await expect(region).toContainText('but it did not accept the WebSocket handshake at /reject. Most often it serves only HTTP there, or its WebSocket endpoint is at another path; it may also refuse this page\'s Origin or want a token.')
    await expect(region).toContainText('the browser console (DevTools) shows the handshake\'s HTTP status.')
    await snap(page, 'handshake-rejected')
  })

  test('subprotocol mismatch: the requested subprotocol is named in the explanation', async ({ page, appUrl, dev }) => {
    await page.goto(appUrl)
    await openOptions(page)
    await page.getByLabel('Subprotocols (comma-separated)').fill('chat.v9')
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${dev.ws}/subprotocol`)
    await page.getByRole('button', { name: 'Connect' }).click()
    const region = banner(page)
    // Chromium fails a 101 without the subprotocol it asked for like a refused connection (1006 within
    // milliseconds); the HTTP probe finds a server there, so the heading names the two causes left and the next
    // step says how to tell them apart.
    await expect(region.getByRole('heading')).toHaveText('Subprotocol refused, or no WebSocket at this path?')
    await expect(region).toContainText('Connect once without subprotocols')
    await expect(region).toContainText('You asked for the subprotocol chat.v9: a server that supports none of them fails the handshake exactly like one that has no WebSocket endpoint at this path')
    await expect(region).toContainText('Close code 1006 (Abnormal closure)')
    await snap(page, 'subprotocol-mismatch')
  })

  test('TLS certificate not trusted: the self-signed wss:// endpoint', async ({ page, appUrl, dev }) => {
    await connectTo(page, appUrl, `${dev.wss}/`)
    const host = new URL(dev.wss).host
    const region = banner(page)
    await expect(region.getByRole('heading')).toHaveText('TLS certificate not trusted')
    await expect(region).toContainText(new RegExp(`The secure connection to ${host.replace(/\./g, '\\.')} failed within \\d+ ms, before any answer\\. Most often the server's TLS certificate is not trusted by this browser`))
    await expect(region).toContainText(`Next step: Open https://${host} once in this browser tab and accept the certificate, then connect again.`)
    await snap(page, 'tls-untrusted')
  })

  test('connect timeout: a server that accepts TCP and never answers the handshake', async ({ page, appUrl, dev }) => {
    await page.goto(appUrl)
    await openOptions(page)
    await page.getByLabel('Connect timeout (ms)').fill('300')
    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(dev.silent!)
    await page.getByRole('button', { name: 'Connect' }).click()
    const region = banner(page)
    await expect(region.getByRole('heading')).toHaveText('No answer to the handshake')
    await expect(region).toContainText(/Nothing answered the WebSocket handshake within \d+ ms: the server accepted the TCP connection but never replied/)
    await expect(region).toContainText('Next step: Check the host, port and path, and that the server handles this endpoint; for a very slow server, raise the connect timeout.')
    await expect(region).not.toContainText('Close code')
    await snap(page, 'connect-timeout')
    await page.getByRole('button', { name: 'Disconnect' }).click()
  })

  test('Socket.IO: /admin without a token is rejected by the server middleware', async ({ page, appUrl, dev }) => {
    await page.goto(deepLink(appUrl, `${dev.socketio}/admin`, { type: 'socketio', connect: '1' }))
    const region = banner(page)
    await expect(region.getByRole('heading')).toHaveText('Rejected by server middleware')
    await expect(region).toContainText('The server reached the namespace /admin but its middleware refused the connection: "not authorized" with data {"reason":"invalid token","hint":"connect to /admin with auth: { token: \\"letmein\\" }"}.')
    await expect(region).toContainText('Check the auth payload (for example auth.token), query and cookies the middleware expects, then connect again.')
    await expect(region).toContainText('Namespace /admin')
    await snap(page, 'auth-rejected')
  })
})

test.describe('mixed content', () => {
  let server: HttpsServer | undefined
  let httpsUrl = ''

  test.beforeAll(async () => {
    // The built app over https, with the dev server's self-signed certificate (trust is waived in the context).
    const certificate = await loadOrCreateCertificate(DEFAULT_CERT_DIR, () => {})
    const root = resolve(process.env.SOCKETLENS_DIST ?? 'dist')
    const types: Record<string, string> = {
      '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
      '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
    }
    server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'https://localhost').pathname)
      const candidate = normalize(join(root, pathname))
      const file = candidate.startsWith(root) && extname(candidate) ? candidate : join(root, 'index.html')
      stat(file).then(
        () => {
          res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
          createReadStream(file).pipe(res)
        },
        () => res.writeHead(404).end(),
      )
    })
    httpsUrl = `https://127.0.0.1:${await listenOnLoopback(server)}`
  })

  test.afterAll(async () => {
    server?.closeAllConnections()
    await new Promise<void>(done => (server ? server.close(() => done()) : done()))
  })

  test('an https page refuses ws:// to a non-local host before any traffic, and says why', async ({ browser }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true })
    const page = await context.newPage()
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never routed. The WebSocket constructor throws SecurityError before any
    // connection is attempted, so no packet leaves the machine either way.
    await connectTo(page, httpsUrl, 'ws://192.0.2.1:8080/')
    const region = banner(page)
    await expect(region.getByRole('heading')).toHaveText('Blocked as mixed content')
    await expect(region).toContainText('This page is served over https, and browsers block unencrypted ws:// connections from a secure page to any host other than localhost (mixed content). The request never left the browser.')
    await expect(region).toContainText('Next step: Use wss://192.0.2.1:8080 if the server offers TLS, or open SocketLens over http (for example run it locally with npm start).')
    await expect(page.getByRole('status').filter({ hasText: /\bframes?\b/ })).toContainText('closed')
    await snap(page, 'mixed-content')
    await context.close()
  })
})
