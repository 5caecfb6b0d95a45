/**
 * Socket.IO failures and their diagnoses, over real sockets: the dev server (heartbeat stall, the silent endpoint),
 * and tiny servers started here for what the dev server does not offer (a server that never acknowledges, a
 * Socket.IO v2 server's handshake, a server with a different parser, a port where nothing listens).
 */
import { Decoder, Encoder } from 'socket.io-parser'
import { afterEach, describe, expect, it } from 'vitest'
import { createSocketIoDriver } from '../../src/protocol/socketio/driver'
import type { SocketIoDriver, SocketIoDriverOptions } from '../../src/protocol/socketio/driver'
import { startTestServer, useDevServer } from '../support/devServer'
import { closedPort } from '../support/ports'
import { type Recorder, disposeRecordedDrivers, isKind, recordDriver } from '../support/recorder'
import { closeLoopbackServers, httpServer, scriptedEngineIoServer, socketIoServer } from '../support/servers'
import { inWords } from '../support/sendWords'

const cleanups: (() => Promise<void> | void)[] = []

function open(options: SocketIoDriverOptions): { driver: SocketIoDriver, rec: Recorder } {
  return recordDriver(createSocketIoDriver, { reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0, ...options })
}

afterEach(async () => {
  disposeRecordedDrivers()
  await closeLoopbackServers()
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

describe('socket.io driver: failures no retry can fix', () => {
  it('stops at once on a port browsers block, with the reason', async () => {
    const { driver, rec } = open({ url: 'http://127.0.0.1:9/', reconnection: true })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error?.detail).toMatchObject({ diagnosis: { id: 'invalid-url' }, willRetry: false, stoppedRetrying: true })
    await new Promise(resolve => setTimeout(resolve, 150))
    expect(rec.events.filter(isKind('lifecycle', 'reconnect_attempt'))).toEqual([])
    expect(driver.state).toBe('closed')
  })
})

describe('socket.io driver: servers that refuse a transport', () => {
  it('moves to WebSocket when the server refuses long-polling as an unknown transport', async () => {
    const { url } = await socketIoServer({ transports: ['websocket'] })
    const { driver, rec } = open({ url })
    driver.connect()
    await rec.until(isKind('lifecycle', 'connect'))

    const [error] = rec.events.filter(isKind('lifecycle', 'connect_error'))
    expect(error?.detail).toMatchObject({ httpStatus: 400, willRetry: true })
    expect(error?.detail?.httpBody).toMatch(/"code":0/)
    // An automatic choice: a lifecycle `auto` event with the evidence (the body, shown as it came).
    const [auto] = rec.events.filter(isKind('lifecycle', 'auto'))
    expect(auto).toMatchObject({ reason: 'long-polling refused: WebSocket only', detail: { choice: 'transports', to: ['websocket'] } })
    expect(auto?.explain).toEqual({ key: 'protocol.socketio.pollingRefusedNode' })
    expect(auto?.detail?.evidence).toContainEqual({ key: 'diagnoses.evidence.body', params: { body: '{"code":0,"message":"Transport unknown"}' } })
    expect(rec.layer('lifecycle').map(e => e.kind)).toEqual(['connecting', 'connect_error', 'auto', 'reconnect_attempt', 'reconnect', 'connect'])
    expect(rec.events.find(isKind('lifecycle', 'connect'))?.transport).toBe('websocket')
    expect(driver.state).toBe('open')
  })

  it('with tryAllTransports, falls back within the same attempt and shows the failed transport', async () => {
    const { url } = await socketIoServer({ transports: ['websocket'] })
    const { driver, rec } = open({ url, tryAllTransports: true })
    driver.connect()
    await rec.until(isKind('lifecycle', 'connect'))
    expect(rec.events.some(isKind('lifecycle', 'connect_error'))).toBe(false)
    const failed = rec.events.find(isKind('engine', 'transport_error'))
    expect(failed).toMatchObject({ transport: 'polling', reason: 'xhr poll error', detail: { httpStatus: 400, next: 'websocket' } })
  })
})

describe('socket.io driver: heartbeats', () => {
  const dev = useDevServer({ pingInterval: 100, pingTimeout: 100 })

  it('shows each server ping with the interval seen against pingInterval, then the pong', async () => {
    const { driver, rec } = open({ url: dev().urls.socketio, transports: ['websocket'] })
    driver.connect()
    await rec.until(isKind('engine', 'pong'), 2)

    const first = rec.events.findIndex(isKind('engine', 'ping'))
    expect(rec.events.slice(first - 1, first + 3).map(e => `${e.layer} ${e.kind} ${e.dir} ${e.transport} ${e.data ?? ''}`)).toEqual([
      'wire frame in websocket 2',
      'engine ping in websocket ',
      'wire frame out websocket 3',
      'engine pong out websocket ',
    ])
    for (const ping of rec.events.filter(isKind('engine', 'ping'))) {
      expect(ping.detail?.expectedMs).toBe(100)
      expect(ping.detail?.intervalMs).toBeGreaterThan(0)
    }
  })

  it('diagnoses a ping timeout when the server stops its heartbeats', async () => {
    const { driver, rec } = open({ url: dev().urls.socketio, transports: ['websocket'] })
    driver.connect()
    await rec.until(isKind('lifecycle', 'connect'))
    dev().faults.stallHeartbeats(3000)
    try {
      const [disconnect] = await rec.until(isKind('lifecycle', 'disconnect'))
      expect(disconnect).toMatchObject({ dir: 'in', reason: 'ping timeout', detail: { willRetry: true, wasConnected: true, diagnosis: { id: 'ping-timeout' } } })
      expect(disconnect?.explain).toMatchObject({ key: 'protocol.socketio.keepsReconnecting', params: { why: { key: 'diagnoses.ping-timeout.default.explanation' } } })
      expect(rec.events.find(isKind('engine', 'close'))?.reason).toBe('ping timeout')
      expect(rec.states.slice(0, 3)).toEqual(['connecting', 'open', 'reconnecting'])
    }
    finally {
      dev().faults.stallHeartbeats(0)
    }
  })

  it('diagnoses a connect timeout when the server accepts TCP and never answers', async () => {
    const { driver, rec } = open({ url: `http://127.0.0.1:${dev().ports.ws}`, path: '/silent', timeout: 150, reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error).toMatchObject({ reason: 'timeout', detail: { diagnosis: { id: 'connect-timeout' }, willRetry: false } })
    expect(error?.detail?.diagnosis).toMatchObject({ variant: 'default', params: { kind: { key: 'diagnoses.fragment.kind.socketio' } } })
    expect(error?.explain).toMatchObject({ key: 'diagnoses.connect-timeout.default.explanation' })
    expect(rec.layer('wire')).toEqual([])
    expect(rec.states).toEqual(['connecting', 'closed'])
  })
})

describe('socket.io driver: failures before connect', () => {
  it('diagnoses nothing listening', async () => {
    const port = await closedPort()
    const { driver, rec } = open({ url: `http://127.0.0.1:${port}`, reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error).toMatchObject({
      dir: 'in',
      transport: 'polling',
      reason: 'xhr poll error',
      detail: { type: 'TransportError', cause: `connect ECONNREFUSED 127.0.0.1:${port}`, diagnosis: { id: 'nothing-listening' }, willRetry: false },
    })
    expect(error?.detail?.diagnosis).toMatchObject({ variant: 'refused', params: { where: `127.0.0.1:${port}` } })
    expect(error?.explain).toMatchObject({ key: 'diagnoses.nothing-listening.refused.explanation' })
    expect(rec.states).toEqual(['connecting', 'closed'])
  })

  it('gives up after reconnectionAttempts with every attempt on the timeline', async () => {
    const port = await closedPort()
    const { driver, rec } = open({ url: `http://127.0.0.1:${port}`, transports: ['websocket'], reconnectionAttempts: 2 })
    driver.connect()
    await rec.until(isKind('lifecycle', 'reconnect_failed'))
    await rec.until(isKind('lifecycle', 'reconnect_error'), 2)

    expect(rec.layer('lifecycle').map(e => [e.kind, e.attempt ?? e.detail?.willRetry, e.delayMs])).toEqual([
      ['connecting', undefined, undefined],
      ['connect_error', true, undefined],
      ['reconnect_attempt', 1, 20],
      ['connect_error', true, undefined],
      ['reconnect_error', 1, undefined],
      ['reconnect_attempt', 2, 40],
      ['connect_error', false, undefined],
      ['reconnect_failed', 2, undefined],
      ['reconnect_error', 2, undefined],
    ])
    expect(rec.events.find(isKind('lifecycle', 'reconnect_failed'))?.explain).toEqual({ key: 'protocol.socketio.gaveUp', params: { count: 2 } })
    expect(rec.states).toEqual(['connecting', 'reconnecting', 'closed'])
    expect(driver.state).toBe('closed')
  })

  it('keeps the HTTP status and body of a refused polling handshake', async () => {
    const { url } = await httpServer((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' })
      res.end('{"code":4,"message":"Forbidden"}')
    })
    const { driver, rec } = open({ url, reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error).toMatchObject({
      transport: 'polling',
      reason: 'xhr poll error',
      detail: { type: 'TransportError', httpStatus: 403, httpBody: '{"code":4,"message":"Forbidden"}', diagnosis: { id: 'handshake-rejected' }, willRetry: false },
    })
    // A 403 (not Engine.IO's 400): the status names the words.
    expect(error?.detail?.diagnosis).toMatchObject({ variant: 'http-auth', params: { status: 403 } })
  })

  it('reports the status of a refused WebSocket handshake (Node shows it; a browser would not)', async () => {
    const dev = await startTestServer()
    cleanups.push(() => dev.close())
    const { driver, rec } = open({ url: dev.urls.polling, transports: ['websocket'], reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error).toMatchObject({
      transport: 'websocket',
      reason: 'websocket error',
      detail: { type: 'TransportError', cause: 'Unexpected server response: 400', diagnosis: { id: 'handshake-rejected' }, willRetry: false },
    })
  })

  it('takes reconnectionAttempts 0 as no retries (socket.io-client would read it as no limit)', async () => {
    const port = await closedPort()
    const { driver, rec } = open({ url: `http://127.0.0.1:${port}`, transports: ['websocket'], reconnectionAttempts: 0 })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error?.detail).toMatchObject({ willRetry: false, diagnosis: { id: 'nothing-listening' } })
    expect(rec.layer('lifecycle').map(e => e.kind)).toEqual(['connecting', 'connect_error'])
    expect(driver.state).toBe('closed')
  })

  it('detects a Socket.IO v2 server from its Engine.IO 3 polling body', async () => {
    // Engine.IO 3 frames each packet as `<length>:<packet>`: the open packet, then `40` (v2 connects `/` unasked).
    const body = '96:0{"sid":"x","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}2:40'
    const { url } = await httpServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' })
      res.end(body)
    })
    const { driver, rec } = open({ url, reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))

    expect(rec.layer('wire').map(e => [e.dir, e.transport, e.data])).toEqual([['in', 'polling', body]])
    // No handshake: the v4 parser cannot read the body, so the engine fails before it opens.
    expect(rec.layer('engine').map(e => `${e.kind} ${e.reason}`)).toEqual(['close transport error'])
    expect(error).toMatchObject({ reason: 'server error', detail: { code: 'parser error', diagnosis: { id: 'socketio-v2-server' }, willRetry: false } })
    expect(error?.detail?.diagnosis).toMatchObject({ variant: 'certain' })
  })

  it('detects a Socket.IO v2 server on websocket from its CONNECT without a sid', async () => {
    const { url } = await scriptedEngineIoServer(['0{"sid":"v2","upgrades":[],"pingInterval":25000,"pingTimeout":5000}', '40'])
    const { driver, rec } = open({ url, transports: ['websocket'], reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error?.reason).toMatch(/^It seems you are trying to reach a Socket.IO server in v2.x/)
    expect(error?.detail).toMatchObject({ diagnosis: { id: 'socketio-v2-server' } })
    expect(rec.layer('socketio').map(e => `${e.dir} ${e.name}`)).toEqual(['out CONNECT', 'in CONNECT'])
  })

  it('diagnoses a parser mismatch on the first transport close without connect, and stops there', async () => {
    // The server side of a msgpack/JSON mismatch: it cannot decode the client's packets and drops the connection.
    class ForeignDecoder extends Decoder {
      override add(): void {
        throw new Error('not a packet of this parser')
      }
    }
    const { url } = await socketIoServer({ parser: { Encoder, Decoder: ForeignDecoder } })
    const { driver, rec } = open({ url, transports: ['websocket'] })
    driver.connect()
    const [disconnect] = await rec.until(isKind('lifecycle', 'disconnect'))

    expect([disconnect?.reason, disconnect?.detail?.wasConnected, (disconnect?.detail?.diagnosis as { id?: string } | undefined)?.id, disconnect?.detail?.willRetry])
      .toEqual(['transport close', false, 'parser-mismatch', false])
    expect(disconnect?.detail?.diagnosis).toMatchObject({ variant: 'default', params: { times: '' } })
    await new Promise(resolve => setTimeout(resolve, 150))
    expect(rec.layer('lifecycle').map(e => e.kind)).toEqual(['connecting', 'disconnect'])
    expect(driver.state).toBe('closed')
  })
})

describe('socket.io driver: acknowledgements that do not come', () => {
  it('reports an ack timeout for an event the server never acknowledges', async () => {
    const { url } = await socketIoServer()
    const { driver, rec } = open({ url, transports: ['websocket'] })
    driver.connect()
    await rec.until(isKind('lifecycle', 'connect'))
    const result = await driver.send({ kind: 'event', name: 'unanswered', args: [1], ack: true, timeoutMs: 100 })

    expect(inWords(result)).toEqual({
      ok: false,
      error: 'No acknowledgement for "unanswered" within 100 ms. The server may not acknowledge this event, or it is slow: raise the ack timeout, or send without expecting an acknowledgement.',
    })
    const from = rec.events.findIndex(isKind('app', 'emit'))
    expect(rec.events.slice(from).map(e => `${e.layer} ${e.kind} ${e.dir} ${e.ackId}`)).toEqual([
      'app emit out 0',
      'socketio packet out 0',
      'wire frame out undefined',
      'app ack_timeout local 0',
    ])
    expect(rec.events.at(-1)).toMatchObject({ name: 'unanswered', namespace: '/', detail: { timeoutMs: 100, sent: true } })
  })

  it('reports an ack timeout for an emit that was never sent', async () => {
    const { driver, rec } = open({ url: 'http://127.0.0.1:9' })
    const result = await driver.send({ kind: 'event', name: 'later', args: [], ack: true, timeoutMs: 30 })
    expect(inWords(result).error).toMatch(/^No acknowledgement for "later" within 30 ms \(it was never sent: still waiting for the connection\)/)
    expect(rec.events.map(e => e.kind)).toEqual(['emit', 'buffered', 'ack_timeout'])
    expect(rec.events[2]?.detail).toEqual({ timeoutMs: 30, sent: false })
  })

  it('rejects a pending ack when the server disconnects the socket', async () => {
    const { io, url } = await socketIoServer()
    const { driver, rec } = open({ url, transports: ['websocket'] })
    driver.connect()
    await rec.until(isKind('lifecycle', 'connect'))
    const pending = driver.send({ kind: 'event', name: 'unanswered', args: [], ack: true, timeoutMs: 5000 })
    await rec.until(e => e.layer === 'wire' && e.dir === 'out' && e.data === '420["unanswered"]')
    io.disconnectSockets(true)
    const result = await pending

    expect(inWords(result).error).toBe('The connection closed before the server acknowledged "unanswered" (socket has been disconnected). It was not resent: send it again once connected.')
    expect(rec.events.slice(-2).map(e => `${e.layer} ${e.kind} ${e.reason}`)).toEqual([
      'lifecycle disconnect io server disconnect',
      'app ack_error socket has been disconnected',
    ])
  })

  it('resends with retries until the server acknowledges, then reports the last timeout', async () => {
    const { url } = await socketIoServer()
    const { driver, rec } = open({ url, transports: ['websocket'], retries: 2, ackTimeout: 40 })
    driver.connect()
    await rec.until(isKind('lifecycle', 'connect'))
    const result = await driver.send({ kind: 'event', name: 'unanswered', args: ['x'], ack: true, timeoutMs: 40 })

    expect(result.ok).toBe(false)
    const from = rec.events.findIndex(isKind('app', 'emit'))
    expect(rec.events.slice(from).filter(e => e.layer !== 'socketio').map(e => `${e.layer} ${e.kind} ${e.data ?? ''}`)).toEqual([
      'app emit ',
      'wire frame 420["unanswered","x"]',
      'wire frame 421["unanswered","x"]',
      'wire frame 422["unanswered","x"]',
      'app ack_timeout ',
    ])
  })
})
