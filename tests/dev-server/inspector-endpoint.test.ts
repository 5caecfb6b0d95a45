/**
 * The inspector's way to the control token (issue 11, item 5): `/__socketlens/dev-server.json` on the inspector's own
 * origin, served by the Vite plugin that scripts/start.ts and tests/e2e/global-setup.ts use. Served here by the real
 * `vite preview` of an empty build folder, with the real dev server behind it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { preview, type PreviewServer } from 'vite'
import { DEV_SERVER_INFO_PATH, devServerInfoPlugin, type DevServerInfo } from '../../dev-server/inspector-endpoint.ts'
import { httpJson, useDevServer } from '../support/devServer.ts'

let app: PreviewServer
let dist: string
let info: DevServerInfo | undefined
let appPort: number

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'socketlens-dist-'))
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>inspector</title>')
  app = await preview({
    configFile: false,
    root: dist,
    preview: { port: 0, host: '127.0.0.1' },
    build: { outDir: dist },
    logLevel: 'silent',
    plugins: [devServerInfoPlugin(() => info)],
  })
  const address = app.httpServer.address()
  appPort = typeof address === 'object' && address ? address.port : 0
})
afterAll(async () => {
  await new Promise<void>((resolve) => app.httpServer.close(() => resolve()))
  await rm(dist, { recursive: true, force: true })
})
// After the app's beforeAll, which chose its port.
const server = useDevServer(() => ({ controlOrigins: [`http://localhost:${appPort}`] }))

/** A GET with any Host header (fetch does not let one set it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const endpoint = () => `http://127.0.0.1:${appPort}${DEV_SERVER_INFO_PATH}`

describe('/__socketlens/dev-server.json', () => {
  it('answers 503 until the dev server is up, then { controlUrl, token, urls } without CORS headers', async () => {
    info = undefined
    expect((await httpJson(endpoint())).status).toBe(503)
    info = { controlUrl: server().urls.control, token: server().controlToken, urls: { ...server().urls } }
    const res = await httpJson(endpoint(), { headers: { 'Sec-Fetch-Site': 'same-origin' } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual(info)
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    expect(res.headers.get('cache-control')).toBe('no-store')
    // Vite allows localhost origins by CORS on everything else; not here (a page on another port must not read it).
    const fromLocalPage = await httpJson(endpoint(), { headers: { Origin: 'http://localhost:1' } })
    expect(fromLocalPage.headers.get('access-control-allow-origin')).toBeNull()
    // And what the inspector then does with it works.
    const status = await httpJson(`${server().urls.control}/status`, { headers: { Authorization: `Bearer ${(res.body as DevServerInfo).token}`, Origin: `http://localhost:${appPort}` } })
    expect(status.status).toBe(200)
    expect(status.headers.get('access-control-allow-origin')).toBe(`http://localhost:${appPort}`)
  })

  it('refuses requests a browser marks as from another site, and other Host names (DNS rebinding)', async () => {
    info = { controlUrl: server().urls.control, token: server().controlToken, urls: { ...server().urls } }
    for (const site of ['cross-site', 'same-site']) {
      const res = await httpJson(endpoint(), { headers: { 'Sec-Fetch-Site': site, 'Origin': 'http://evil.example' } })
      expect(res.status).toBe(403)
      expect(JSON.stringify(res.body)).not.toContain(server().controlToken)
    }
    const rebound = await getWithHost(endpoint(), `evil.example:${appPort}`)
    expect(rebound.status).not.toBe(200)
    expect(rebound.body).not.toContain(server().controlToken)
    expect((await getWithHost(endpoint(), `localhost:${appPort}`)).status).toBe(200)
    expect((await httpJson(endpoint(), { method: 'POST' })).status).not.toBe(200)
  })
})
