import { spawn } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_HELP, parseCli } from '../../dev-server/cli.ts'
import { DEFAULT_PORTS, deepLink, formatBanner, type DevServer } from '../../dev-server/index.ts'
import { WsProbe, closeAllClients, connected, runTsx, sioClient, startTestServer } from '../support/devServer.ts'

let certDir: string
beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'socketlens-cert-'))
})
afterAll(async () => {
  await rm(certDir, { recursive: true, force: true })
})

describe('parseCli', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_PORTS).toEqual({
      ws: 8080, wss: 8443, socketio: 3000, polling: 3001, socketioV2: 3002, msgpack: 3003, websocketOnly: 3004, customPath: 3005, httpOnly: 3006, control: 3099,
    })
    expect(parseCli([], {})).toEqual({
      // The inspector's origin (under every loopback name) may use the control API; the token is made at start.
      options: { ports: {}, corsOrigins: '*', controlOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173', 'http://[::1]:5173'] },
      inspectorUrl: 'http://localhost:5173',
      help: false,
    })
  })

  it('reads every flag, and flags win over environment variables', () => {
    const settings = parseCli(
      ['--host', '0.0.0.0', '--ws-port', '9080', '--wss-port=9443', '--socketio-port', '4000', '--polling-port', '4001', '--socketio-v2-port', '4002', '--control-port', '4099',
        '--msgpack-port', '4003', '--websocket-only-port', '4004', '--custom-path-port', '4005', '--http-only-port', '4006',
        '--max-payload', '2048', '--max-connections', '5', '--cors', 'http://a.test, http://b.test', '--cert-dir', '/tmp/c', '--admin-token', 'sesame',
        '--inspector-url', 'https://inspector.test:4173/', '--control-origin', 'http://tools.test:8000', '--control-origin', 'http://c.test/,http://d.test',
        '--handshake-timeout', '2000', '--request-timeout', '5000', '--max-pending', '50'],
      { SOCKETLENS_WS_PORT: '1', SOCKETLENS_HOST: '10.0.0.1', SOCKETLENS_CONTROL_ORIGINS: 'http://env.test', SOCKETLENS_CONTROL_TOKEN: 'from-npm-start-0123456789' },
    )
    expect(settings.options).toEqual({
      host: '0.0.0.0',
      ports: { ws: 9080, wss: 9443, socketio: 4000, polling: 4001, socketioV2: 4002, msgpack: 4003, websocketOnly: 4004, customPath: 4005, httpOnly: 4006, control: 4099 },
      maxPayload: 2048,
      maxConnections: 5,
      corsOrigins: ['http://a.test', 'http://b.test'],
      certDir: '/tmp/c',
      adminToken: 'sesame',
      controlOrigins: ['https://inspector.test:4173', 'http://tools.test:8000', 'http://c.test', 'http://d.test'],
      controlToken: 'from-npm-start-0123456789',
      handshakeTimeoutMs: 2000,
      requestTimeoutMs: 5000,
      maxPendingHandshakes: 50,
    })
    expect(settings.inspectorUrl).toBe('https://inspector.test:4173/')
  })

  it('reads SOCKETLENS_* environment variables (and SOCKETLENS_APP_URL from npm start)', () => {
    const settings = parseCli([], {
      SOCKETLENS_WS_PORT: '0', SOCKETLENS_SOCKETIO_PORT: '3100', SOCKETLENS_SOCKETIO_V2_PORT: '3102', SOCKETLENS_CORS_ORIGINS: '*', SOCKETLENS_APP_URL: 'http://localhost:5174',
      SOCKETLENS_MSGPACK_PORT: '3103', SOCKETLENS_WEBSOCKET_ONLY_PORT: '3104', SOCKETLENS_CUSTOM_PATH_PORT: '3105', SOCKETLENS_HTTP_ONLY_PORT: '3106',
      SOCKETLENS_CONTROL_ORIGINS: 'http://a.test, http://b.test', SOCKETLENS_HANDSHAKE_TIMEOUT: '500',
    })
    expect(settings.options.ports).toEqual({ ws: 0, socketio: 3100, socketioV2: 3102, msgpack: 3103, websocketOnly: 3104, customPath: 3105, httpOnly: 3106 })
    expect(settings.options.corsOrigins).toBe('*')
    expect(settings.options.controlOrigins).toEqual(['http://localhost:5174', 'http://127.0.0.1:5174', 'http://[::1]:5174', 'http://a.test', 'http://b.test'])
    expect(settings.options.handshakeTimeoutMs).toBe(500)
    expect(settings.inspectorUrl).toBe('http://localhost:5174')
  })

  it('rejects bad values and unknown flags with a readable message', () => {
    expect(() => parseCli(['--ws-port', '70000'], {})).toThrow('--ws-port / SOCKETLENS_WS_PORT must be an integer from 0 to 65535, got "70000"')
    expect(() => parseCli([], { SOCKETLENS_MAX_PAYLOAD: 'big' })).toThrow(/max-payload/)
    expect(() => parseCli(['--bogus'], {})).toThrow(/bogus/)
    expect(() => parseCli([], { SOCKETLENS_SOCKETIO_V2_PORT: '-1' })).toThrow('--socketio-v2-port / SOCKETLENS_SOCKETIO_V2_PORT must be an integer from 0 to 65535, got "-1"')
    expect(() => parseCli(['--control-origin', '*'], {})).toThrow('never accepts the origin "*"')
    expect(() => parseCli(['--control-origin', 'evil'], {})).toThrow('"evil" is not an origin')
    expect(() => parseCli([], { SOCKETLENS_MAX_PENDING: '0' })).toThrow(/max-pending/)
    expect(parseCli(['-h'], {}).help).toBe(true)
    for (const flag of ['--host', '--ws-port', '--wss-port', '--socketio-port', '--polling-port', '--socketio-v2-port', '--control-port', '--max-payload', '--max-connections', '--cors', '--cert-dir', '--admin-token', '--inspector-url',
      '--msgpack-port', '--websocket-only-port', '--custom-path-port', '--http-only-port', '--control-origin', 'SOCKETLENS_CONTROL_TOKEN', '--handshake-timeout', '--request-timeout', '--max-pending']) {
      expect(CLI_HELP).toContain(flag)
    }
  })
})

describe('banner and deep links', () => {
  it('builds deep links in the inspector\'s format', () => {
    expect(deepLink('ws://localhost:8080/echo', 'ws')).toBe('http://localhost:5173/?url=ws%3A%2F%2Flocalhost%3A8080%2Fecho&type=ws&connect=1')
    expect(deepLink('http://localhost:3000', 'socketio', 'http://localhost:4173/')).toBe('http://localhost:4173/?url=http%3A%2F%2Flocalhost%3A3000&type=socketio&connect=1')
    expect(deepLink('http://localhost:3000', 'socketio', undefined, '/custom/')).toBe('http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3000&type=socketio&connect=1&path=%2Fcustom%2F')
    expect(deepLink('http://localhost:3000', 'socketio', undefined, '/socket.io')).not.toContain('path=')
  })

  it('lists every endpoint with a deep link, the trust hint and the admin token', () => {
    const fake = { ports: { ...DEFAULT_PORTS }, adminToken: 'letmein', controlToken: 'tok-0123456789abcdef', controlOrigins: ['http://localhost:5173'], status: () => ({ host: '127.0.0.1' }) }
    const banner = formatBanner(fake)
    for (const text of [
      'ws://localhost:8080/echo', 'ws://localhost:8080/flood', 'ws://localhost:8080/silent', 'wss://localhost:8443/',
      'open https://localhost:8443', 'http://localhost:3000', 'http://localhost:3001', 'http://localhost:3099', 'letmein',
      'http://localhost:5173/?url=ws%3A%2F%2Flocalhost%3A8080%2F&type=ws&connect=1',
      'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3000&type=socketio&connect=1',
      'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3001&type=socketio&connect=1',
      'Socket.IO v2 (Engine.IO 3): http://localhost:3002  (/admin takes ?token=letmein)',
      'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3002&type=socketio&connect=1',
      'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3002%2Fadmin%3Ftoken%3Dletmein&type=socketio&connect=1',
      // Issue 8: wss on the ws port, the fault endpoints and the Socket.IO variants.
      'wss://localhost:8080/', 'http://localhost:5173/?url=wss%3A%2F%2Flocalhost%3A8080%2F&type=ws&connect=1',
      'ws://localhost:8080/close-after', 'http://localhost:5173/?url=ws%3A%2F%2Flocalhost%3A8080%2Fclose-after%3Fms%3D1500%26code%3D1011&type=ws&connect=1',
      'http://localhost:3003', 'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3003&type=socketio&connect=1&parser=msgpack',
      'http://localhost:3004', 'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3004&type=socketio&connect=1',
      'http://localhost:3005', 'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3005&type=socketio&connect=1&path=%2Frealtime%2Fio',
      'http://localhost:5173/?url=http%3A%2F%2Flocalhost%3A3005%2Frealtime%2Fio&type=socketio&connect=1',
      'http://localhost:3006', 'http://localhost:5173/?url=ws%3A%2F%2Flocalhost%3A3006%2F&type=ws&connect=1',
      'roomMessage',
      // Issue 11: how to reach the control API, and that the other ports are open to any origin.
      'Authorization: Bearer tok-0123456789abcdef', 'browser origins: http://localhost:5173', 'answers any origin',
    ]) expect(banner).toContain(text)
    expect(banner).not.toContain('WARNING')
    expect(formatBanner({ ...fake, status: () => ({ host: '0.0.0.0' }) })).toContain('WARNING')
  })
})

describe('startDevServer', () => {
  it('makes the certificate once and reuses it; a broken cache file is replaced', async () => {
    const first = await startTestServer({ certDir })
    const file = first.tls.certFile
    const x509 = new X509Certificate(first.tls.cert)
    expect(x509.subjectAltName).toContain('DNS:localhost')
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1')
    expect(x509.checkHost('localhost')).toBe('localhost')
    expect((await stat(file)).mode & 0o077).toBe(0)
    await first.close()

    const second = await startTestServer({ certDir })
    expect(second.tls.cert).toBe(first.tls.cert)
    expect(await readFile(file, 'utf8')).toContain(second.tls.cert.trim())
    await second.close()

    await writeFile(file, 'garbage')
    const lines: string[] = []
    const third = await startTestServer({ certDir, log: (l) => lines.push(l) })
    expect(third.tls.cert).not.toBe(first.tls.cert)
    expect(lines.some((l) => l.includes('unusable'))).toBe(true)
    const p = new WsProbe(`${third.urls.wss}/echo`, undefined, { ca: third.tls.cert })
    await p.opened
    p.close()
    await third.close()
  })

  it('binds to 127.0.0.1 by default and says which flag to use when a port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const taken = (blocker.address() as { port: number }).port
    try {
      await expect(startTestServer({ ports: { socketio: taken } })).rejects.toThrow(`port ${taken} (socketio) is already in use: stop what holds it, or choose another port with --socketio-port or SOCKETLENS_SOCKETIO_PORT`)
      await expect(startTestServer({ ports: { socketioV2: taken } })).rejects.toThrow(`port ${taken} (socketioV2) is already in use: stop what holds it, or choose another port with --socketio-v2-port or SOCKETLENS_SOCKETIO_V2_PORT`)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
    const server: DevServer = await startTestServer()
    expect(server.status().host).toBe('127.0.0.1')
    expect(server.urls.ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
    await server.close()
    await server.close() // twice is fine
  })

  it('close() leaves nothing running: the process exits by itself, even after a flood, a stall and a pending restart', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/close-then-exit.ts', import.meta.url))
    const { output, code, signal } = await runTsx([fixture, certDir])
    expect(output).toContain('closed')
    expect({ code, signal }).toEqual({ code: 0, signal: null })
  })

  it('rejects invalid options', async () => {
    await expect(startTestServer({ ports: { ws: 70_000 } })).rejects.toThrow('ports.ws must be an integer from 0 to 65535')
    await expect(startTestServer({ maxPayload: 0 })).rejects.toThrow('maxPayload must be a positive number')
  })

  it('warns when bound beyond loopback, and keeps the controls on loopback', async () => {
    const lines: string[] = []
    const server = await startTestServer({ host: '0.0.0.0', log: (l) => lines.push(l) })
    try {
      expect(lines.some((l) => l.startsWith('WARNING: binding to 0.0.0.0'))).toBe(true)
      expect(server.urls.ws).toMatch(/^ws:\/\/127\.0\.0\.1:/)
      expect(server.urls.control).toMatch(/^http:\/\/127\.0\.0\.1:/)
      const lan = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')?.address
      if (lan) {
        // Reached through a non-loopback address: the echo answers, the control API is not there, __control refuses.
        const p = new WsProbe(`ws://${lan}:${server.ports.ws}/`)
        await p.opened
        p.close()
        await expect(fetch(`http://${lan}:${server.ports.control}/status`)).rejects.toThrow()
        const control = sioClient(`http://${lan}:${server.ports.socketio}/__control`, { reconnection: false })
        await expect(connected(control)).rejects.toThrow('not authorized')
        const local = sioClient(`${server.urls.socketio}/__control`, { reconnection: false, auth: { token: server.controlToken } })
        await connected(local)
      }
    } finally {
      closeAllClients()
      await server.close()
    }
  })
})

describe('npm run dev-server (main.ts)', () => {
  it('prints the banner, serves, and stops cleanly on SIGINT', async () => {
    const main = fileURLToPath(new URL('../../dev-server/main.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--ws-port', '0', '--wss-port', '0', '--socketio-port', '0', '--polling-port', '0', '--socketio-v2-port', '0',
      '--msgpack-port', '0', '--websocket-only-port', '0', '--custom-path-port', '0', '--http-only-port', '0', '--control-port', '0', '--cert-dir', certDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SOCKETLENS_INSPECTOR_URL: 'http://localhost:5999' },
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const deadline = Date.now() + 15_000
      while (!out.includes('Ctrl-C stops the dev server') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(out).toContain('SocketLens dev server')
      expect(out).toContain('http://localhost:5999/?url=')
      const wsPort = /WebSocket \(ws\) on (\d+)/.exec(out)?.[1]
      expect(wsPort).toBeDefined()
      const p = new WsProbe(`ws://127.0.0.1:${wsPort}/`)
      await p.opened
      p.ws.send('cli')
      expect(await p.take(1)).toEqual([{ data: 'echo message cli', binary: false }])
      p.close()
      // The Socket.IO v2 server is up too: its Engine.IO 3 polling handshake is length-prefixed (`<n>:0{...}`).
      const v2Port = /Socket\.IO v2 \(Engine\.IO 3\): http:\/\/localhost:(\d+)/.exec(out)?.[1]
      expect(v2Port).toBeDefined()
      const handshake = await fetch(`http://127.0.0.1:${v2Port}/socket.io/?EIO=3&transport=polling`)
      expect(await handshake.text()).toMatch(/^\d+:0\{"sid":/)
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(out).toContain('dev-server: stopped')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('exits with 2 and the usage on a bad flag', async () => {
    const main = fileURLToPath(new URL('../../dev-server/main.ts', import.meta.url))
    const child = spawn(process.execPath, ['--import', 'tsx', main, '--ws-port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(err).toContain('--ws-port / SOCKETLENS_WS_PORT must be an integer')
    expect(err).toContain('Usage: npm run dev-server')
  })
})
