/**
 * Issue 8, case 5: a raw WebSocket at a port that speaks only HTTP, or at a Socket.IO server, used to read "Nothing
 * listening?". After the failure the driver probes the same host and port, and says what it found. Real servers over
 * real sockets; the WebSocket's errors are cut down to what a browser gives (a bare Event), since in Node the `ws`
 * package would name the HTTP status itself.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import type { Server } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import { createWebSocketDriver, type WebSocketDriver, type WebSocketDriverOptions } from '../../src/protocol/websocket/driver'
import { sleep, useDevServer } from '../support/devServer'
import { closedPort, listenOnLoopback } from '../support/ports'
import { Recorder } from '../support/recorder'
import { BrowserLikeWS } from '../support/browserLikeWebSocket'
import { diagnosisText, type Diagnosis } from '../../src/protocol/diagnose'


const drivers: WebSocketDriver[] = []
function driverFor(options: Partial<WebSocketDriverOptions> & { url: string }, rec: Recorder): WebSocketDriver {
  const driver = createWebSocketDriver({ WebSocket: BrowserLikeWS, random: () => 0.5, reconnect: { enabled: false }, ...options }, rec.sink, { onState: rec.onState })
  drivers.push(driver)
  return driver
}

const server = useDevServer()
/** Answers every request, upgrade requests too, with an ordinary page: a port that speaks only HTTP. */
let httpOnly: HttpServer
let httpOnlyPort: number

beforeAll(async () => {
  httpOnly = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<h1>hello</h1>')
  })
  httpOnlyPort = await listenOnLoopback(httpOnly as unknown as Server)
})

afterEach(() => {
  for (const driver of drivers.splice(0)) driver.dispose()
})

afterAll(async () => {
  await new Promise<void>(resolve => httpOnly?.close(() => resolve()))
})

const errors = (rec: Recorder) => rec.events.filter(e => e.kind === 'error')

describe('case 5: probing after a handshake failure the browser hides', () => {
  it('at a port that speaks only HTTP: something answers HTTP here, not WebSocket', async () => {
    const rec = new Recorder()
    driverFor({ url: `ws://127.0.0.1:${httpOnlyPort}/feed` }, rec).connect()
    const probed = await rec.next('probed error', e => e.kind === 'error' && e.detail?.probed === true)
    expect(errors(rec)[0]!.detail).toMatchObject({ diagnosis: { id: 'nothing-listening', variant: 'opaque', guess: true } })
    const where = `127.0.0.1:${httpOnlyPort}`
    const feed = `http://${where}/feed`
    expect(probed.detail).toMatchObject({
      diagnosis: { id: 'not-websocket', variant: 'default', guess: true, params: { url: feed, answered: { key: 'diagnoses.fragment.httpAnswered', params: { url: feed, where, path: '/feed' } } } },
    })
    expect(probed.explain).toEqual(diagnosisText((probed.detail as { diagnosis: Diagnosis }).diagnosis, 'explanation'))
    expect((probed.detail as { diagnosis: Diagnosis }).diagnosis.evidence).toEqual(expect.arrayContaining([
      { key: 'protocol.probe.httpAnswersStatus', params: { url: feed, status: 200, ms: expect.any(Number) } },
      { key: 'protocol.probe.engineNone', params: { path: '/socket.io/', status: { key: 'protocol.probe.status', params: { status: 200 } } } },
    ]))
  })

  it('at a Socket.IO server: says so, and stops reconnecting', async () => {
    const rec = new Recorder()
    const port = new URL(server().urls.socketio).port
    driverFor({ url: `ws://127.0.0.1:${port}/`, reconnect: { enabled: true, initialDelayMs: 2000, maxAttempts: 5, jitter: 0 } }, rec).connect()
    const probed = await rec.next('probed error', e => e.kind === 'error' && e.detail?.probed === true, 0, 8000)
    expect(probed.detail).toMatchObject({ diagnosis: { id: 'socketio-server', variant: 'default', guess: false, params: { eio: 4, path: '/' } } })
    const found = (probed.detail as { diagnosis: Diagnosis }).diagnosis
    expect(found.evidence).toContainEqual({ key: 'protocol.probe.engineHandshake', params: { path: '/socket.io/', eio: 4 } })
    const gaveUp = await rec.kind('reconnect_failed')
    expect(gaveUp.explain).toEqual({ key: 'protocol.websocket.notReconnectingSocketIo', params: { next: diagnosisText(found, 'nextStep') } })
    // Attempt 1 was only planned when the probe answered: none was made.
    expect(gaveUp.attempt).toBe(0)
    expect(rec.events.filter(e => e.kind === 'connecting')).toHaveLength(1)
    expect(rec.states.at(-1)).toBe('closed')
  })

  it('at a closed port: nothing answers HTTP either, said without a question mark', async () => {
    const rec = new Recorder()
    driverFor({ url: `ws://127.0.0.1:${await closedPort()}/` }, rec).connect()
    const probed = await rec.next('probed error', e => e.kind === 'error' && e.detail?.probed === true)
    expect(probed.detail).toMatchObject({ diagnosis: { id: 'nothing-listening', variant: 'probed', guess: false } })
    expect((probed.detail as { diagnosis: Diagnosis }).diagnosis.evidence).toContainEqual(expect.objectContaining({ key: 'protocol.probe.httpNothing' }))
  })

  it('probes once per kind of failure in a run, and later failures carry what it found', async () => {
    const rec = new Recorder()
    const port = await closedPort()
    driverFor({ url: `ws://127.0.0.1:${port}/`, reconnect: { enabled: true, initialDelayMs: 100, maxAttempts: 3, jitter: 0 } }, rec).connect()
    await rec.kind('reconnect_failed')
    expect(errors(rec).filter(e => e.detail?.probed === true)).toHaveLength(1)
    const later = errors(rec).filter(e => e.detail?.probed !== true).slice(1)
    expect(later.length).toBeGreaterThan(0)
    for (const e of later) expect(e.detail).toMatchObject({ diagnosis: { id: 'nothing-listening', variant: 'probed' } })
  })

  it('makes no probe when told not to, nor when the platform named the cause', async () => {
    const rec = new Recorder()
    driverFor({ url: `ws://127.0.0.1:${httpOnlyPort}/`, probe: false }, rec).connect()
    await rec.kind('close')
    await sleep(200)
    expect(errors(rec)).toHaveLength(1)
    // The `ws` package's own error names the status: no guess, so nothing to probe.
    const named = new Recorder()
    driverFor({ url: `ws://127.0.0.1:${httpOnlyPort}/`, WebSocket: NodeWebSocket as unknown as typeof WebSocket }, named).connect()
    await named.kind('close')
    await sleep(200)
    expect(errors(named)).toHaveLength(1)
    expect(errors(named)[0]!.detail).toMatchObject({ diagnosis: { id: 'handshake-rejected', variant: 'http-2xx', params: { status: 200 } } })
  })

  it('a Disconnect cancels the probe: nothing comes after it', async () => {
    const rec = new Recorder()
    const port = new URL(server().urls.socketio).port
    const driver = driverFor({ url: `ws://127.0.0.1:${port}/`, reconnect: { enabled: true, initialDelayMs: 60_000, jitter: 0 } }, rec)
    driver.connect()
    await rec.kind('reconnect_attempt')
    driver.disconnect()
    const count = rec.events.length
    await sleep(500)
    expect(rec.events.slice(count).filter(e => e.kind === 'error')).toHaveLength(0)
  })
})

describe('case 5 over TLS', () => {
  it('wss:// at an HTTPS server that trusts its certificate and has no WebSocket there: not a certificate problem', async () => {
    const { createServer: createHttpsServer } = await import('node:https')
    const { DEFAULT_CERT_DIR, loadOrCreateCertificate } = await import('../../dev-server/cert')
    const certificate = await loadOrCreateCertificate(DEFAULT_CERT_DIR, () => {})
    const https = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.end('plain page'))
    const port = await listenOnLoopback(https as unknown as Server)
    // A fetch that trusts the certificate, as a browser does once the person accepted it (the WebSocket does not).
    const { request } = await import('node:https')
    const trusting: typeof fetch = input => new Promise((resolve, reject) => {
      const req = request(String(input), { rejectUnauthorized: false }, (res) => {
        res.resume()
        resolve(new Response(null, { status: res.statusCode ?? 200 }))
      })
      req.on('error', reject)
      req.end()
    })
    try {
      const rec = new Recorder()
      driverFor({ url: `wss://127.0.0.1:${port}/feed`, probe: { fetch: trusting } }, rec).connect()
      expect((await rec.kind('error')).detail).toMatchObject({ diagnosis: { id: 'tls-untrusted', variant: 'likely', guess: true } })
      const probed = await rec.next('probed error', e => e.kind === 'error' && e.detail?.probed === true)
      expect(probed.detail).toMatchObject({ diagnosis: { id: 'not-websocket' } })
    }
    finally {
      await new Promise<void>(resolve => https.close(() => resolve()))
    }
  })
})
