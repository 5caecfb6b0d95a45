/**
 * `npm start` hands the control token to the inspector and to the dev server (issue 11, item 5): scripts/start.ts
 * run for real (its `--dev` mode, which needs no build), every port free, then the inspector's endpoint and the
 * control API asked the way a page would.
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { DevServerInfo } from '../../dev-server/inspector-endpoint.ts'
import { httpJson } from '../support/devServer.ts'

/** A port free right now (the child binds it a moment later; a collision would fail the start loudly, not silently). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

const DEV_PORT_FLAGS = ['--ws-port', '--wss-port', '--socketio-port', '--polling-port', '--socketio-v2-port', '--msgpack-port',
  '--websocket-only-port', '--custom-path-port', '--http-only-port', '--control-port']

describe('npm start (scripts/start.ts)', () => {
  it('serves the per-start token to the inspector only, and the dev server obeys it', async () => {
    const appPort = await freePort()
    const start = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url))
    const env = { ...process.env }
    delete env.SOCKETLENS_CONTROL_TOKEN
    const child = spawn(process.execPath, ['--import', 'tsx', start, '--dev', '--port', String(appPort), ...DEV_PORT_FLAGS.flatMap((flag) => [flag, '0'])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const app = `http://localhost:${appPort}`
    try {
      let info: { status: number; body: unknown } = { status: 0, body: undefined }
      const deadline = Date.now() + 60_000
      while (info.status !== 200 && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 250))
        info = await httpJson(`${app}/__socketlens/dev-server.json`).catch(() => info)
      }
      expect(info.status, out).toBe(200)
      const { controlUrl, token, urls } = info.body as DevServerInfo
      expect(token).toMatch(/^[\w-]{43}$/)
      expect(urls.socketio).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      // The banner of this start prints the same token; the inspector's origin is the allowed one.
      expect(out).toContain(`Authorization: Bearer ${token}`)

      const asInspector = await httpJson(`${controlUrl}/status`, { headers: { Authorization: `Bearer ${token}`, Origin: app } })
      expect(asInspector.status).toBe(200)
      expect(asInspector.headers.get('access-control-allow-origin')).toBe(app)
      const elsewhere = await httpJson(`${controlUrl}/status`, { headers: { Authorization: `Bearer ${token}`, Origin: 'http://localhost:1' } })
      expect(elsewhere.status).toBe(403)
      expect((await httpJson(`${controlUrl}/status`, { headers: { Origin: app } })).status).toBe(401)
      // A page of another site cannot have the token served to it.
      expect((await httpJson(`${app}/__socketlens/dev-server.json`, { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403)

      child.kill('SIGINT')
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 90_000)
})
