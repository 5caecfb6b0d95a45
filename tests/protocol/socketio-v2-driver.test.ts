/**
 * The Socket.IO v2 driver against the real Socket.IO v2 server (dev-server/socketio-v2.ts: socket.io 2.5.1,
 * Engine.IO 3) over real sockets: socket.io-client 2 uses xmlhttprequest-ssl for polling in Node (no XHR2, so binary
 * travels base64) and `ws` 7 for WebSocket. What it shares with the v4 driver is in socketio-contract.test.ts; this is
 * what v2 does its own way. Assertions are on exact per-layer sequences, as in the v4 driver's suite.
 * Also: the v4 driver against the same v2 server (the `socketio-v2-server` diagnosis), and the v2 driver against a
 * v4 server (refused with Engine.IO error 5).
 */
import { createServer as createTcpServer } from 'node:net'
import type { Socket as TcpSocket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSocketIoV2Server } from '../../dev-server/socketio-v2'
import type { SocketIoV2Server } from '../../dev-server/socketio-v2'
import { createSocketIoDriver } from '../../src/protocol/socketio/driver'
import type { SocketIoDriver, SocketIoDriverOptions } from '../../src/protocol/socketio/driver'
import { createSocketIoV2Driver } from '../../src/protocol/socketio-v2/driver'
import { loadSocketIoV2Driver, suggestedSocketIoClient } from '../../src/protocol/socketio-v2/index'
import type { DraftEvent } from '../../src/protocol/types'
import { runTsx } from '../support/devServer'
import { listenOnLoopback } from '../support/ports'
import { type Recorder, appEvent, connected, disposeRecordedDrivers, isKind, lineWithData as line, recordDriver } from '../support/recorder'
import { closeLoopbackServers, scriptedEngineIoServer, socketIoServer } from '../support/servers'
import { explained } from '../support/words'
import { inWords } from '../support/sendWords'

const bytes = (data: unknown) => [...new Uint8Array(data as ArrayBuffer)]

let server: SocketIoV2Server
const cleanups: (() => Promise<void> | void)[] = []

beforeAll(async () => {
  server = await startSocketIoV2Server({ port: 0, log: () => {} })
})

afterEach(async () => {
  disposeRecordedDrivers()
  for (const cleanup of cleanups.splice(0)) await cleanup()
  await closeLoopbackServers()
})

afterAll(async () => {
  await server.close()
})

function open(options: Partial<SocketIoDriverOptions> = {}): { driver: SocketIoDriver, rec: Recorder } {
  return recordDriver(createSocketIoV2Driver, { url: server.url, reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0, ...options })
}

async function v2Server(options: Parameters<typeof startSocketIoV2Server>[0] = {}): Promise<SocketIoV2Server> {
  const started = await startSocketIoV2Server({ port: 0, log: () => {}, ...options })
  cleanups.push(() => started.close())
  return started
}

describe('socket.io v2 driver: connecting', () => {
  it('connects / implicitly, in one length-prefixed polling body with the handshake, and disconnects with DISCONNECT', async () => {
    // The polling connection and upgrade both drivers make are in the driver contract suite; these are v2's specifics.
    const { driver, rec } = open()
    driver.connect()
    await rec.until(appEvent('welcome'))
    await rec.until(isKind('engine', 'upgrade'))

    expect(rec.layer('lifecycle')[0]?.detail).toEqual({
      url: server.url, path: '/socket.io', transports: ['polling', 'websocket'], client: 'socket.io-client 2.5.0',
    })
    // The first polling body holds the open packet and the CONNECT, length-prefixed (Engine.IO 3): one frame each.
    const polling = rec.layer('wire').filter(e => e.transport === 'polling')
    expect(polling[0]?.detail).toEqual({ batch: 2, index: 0 })
    expect(polling[1]).toMatchObject({ dir: 'in', data: '40', size: 2, detail: { batch: 2, index: 1 } })

    // The handshake event carries exactly what the open packet said (Engine.IO 3 has no maxPayload).
    const openPacket = JSON.parse(String(polling[0]?.data).slice(1)) as Record<string, unknown>
    expect(rec.layer('engine')[0]?.detail).toEqual({
      sid: openPacket.sid, upgrades: ['websocket'], pingInterval: 25000, pingTimeout: 5000,
      server: { engineIo: 3, implementation: 'Node engine.io (socket.io)' },
      evidence: expect.arrayContaining([{ key: 'protocol.engine.fingerprint.eio3' }, { key: 'protocol.engine.fingerprint.timings', params: { pingInterval: 25000, pingTimeout: 5000, maxPayload: '' } }]),
    })
    expect(rec.events.find(connected)).toMatchObject({ transport: 'polling', detail: { sid: openPacket.sid, recovered: false } })

    // A disconnect sends DISCONNECT for `/`, then the engine closes.
    driver.disconnect()
    await rec.until(isKind('engine', 'close'))
    expect(rec.layer('lifecycle').slice(2).map(line)).toEqual(['lifecycle disconnect local / io client disconnect'])
    expect(rec.layer('socketio').slice(2).map(line)).toEqual(['socketio packet out DISCONNECT /'])
    expect(rec.layer('wire').filter(e => e.dir === 'out').at(-1)?.data).toBe('41')
    expect(rec.events.find(isKind('engine', 'close'))?.reason).toBe('forced close')
    expect(rec.states).toEqual(['connecting', 'open', 'closed'])
  })

  it('sends the client\'s ping and records the server\'s pong with its round trip (Engine.IO 3 heartbeat)', async () => {
    const fast = await v2Server({ pingInterval: 100 })
    const { driver, rec } = open({ url: fast.url, transports: ['websocket'] })
    driver.connect()
    await rec.until(isKind('engine', 'pong'), 2)

    const first = rec.events.findIndex(isKind('engine', 'ping'))
    expect(rec.events.slice(first - 1, first + 3).map(line)).toEqual([
      'wire frame out websocket 2',
      'engine ping out websocket',
      'wire frame in websocket 3',
      'engine pong in websocket',
    ])
    const handshake = rec.events.find(isKind('engine', 'handshake')) as DraftEvent
    const pings = rec.events.filter(isKind('engine', 'ping'))
    const pongs = rec.events.filter(isKind('engine', 'pong'))
    expect(pings[0]?.detail).toEqual({ intervalMs: (pings[0]?.time ?? 0) - handshake.time, expectedMs: 100 })
    expect(pings[1]?.detail).toEqual({ intervalMs: (pings[1]?.time ?? 0) - (pings[0]?.time ?? 0), expectedMs: 100 })
    for (let i = 0; i < 2; i++) expect(pongs[i]?.rttMs).toBe((pongs[i]?.time ?? 0) - (pings[i]?.time ?? 0))
  })

  it('sends auth as query parameters (v2 has no auth payload), and says so', async () => {
    const { driver, rec } = open({ url: `${server.url}/admin`, transports: ['websocket'], auth: { token: 'letmein' } })
    driver.connect()
    await rec.until(appEvent('welcome'))

    expect(rec.layer('lifecycle').map(line)).toEqual([
      'lifecycle connecting local /admin',
      'lifecycle warning local /admin auth sent as query parameters',
      'lifecycle connect in /admin',
    ])
    expect(explained(rec.layer('lifecycle')[1])).toContain('in the CONNECT packet of /admin')
    // The client asks for /admin, with the token in the CONNECT query, as soon as the engine opens; the server
    // connects `/` on its own and greets it (no app event: this session has no `/` namespace), then answers.
    expect(rec.layer('socketio').map(line)).toEqual([
      'socketio packet out CONNECT /admin',
      'socketio packet in CONNECT /',
      'socketio packet in EVENT /',
      'socketio packet in CONNECT /admin',
      'socketio packet in EVENT /admin',
    ])
    expect(rec.layer('app').map(line)).toEqual(['app event in welcome /admin'])
    expect(rec.layer('socketio')[0]?.detail).toEqual({ query: 'token=letmein' })
    expect(rec.layer('wire').filter(e => e.dir === 'out').map(e => e.data)).toEqual(['40/admin?token=letmein,'])
    expect(rec.events.find(connected)?.detail).toMatchObject({ sid: expect.stringMatching(/^\/admin#/) })
  })

  it('reports a middleware refusal (an ERROR packet with a string) as connect_error, explained, and releases the engine', async () => {
    const { driver, rec } = open({ url: `${server.url}/admin`, transports: ['websocket'] })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    await rec.until(isKind('engine', 'close'))

    expect(error).toMatchObject({
      dir: 'in', namespace: '/admin', transport: 'websocket', reason: 'not authorized',
      detail: { diagnosis: { id: 'auth-rejected', variant: 'default', params: { namespace: '/admin', message: 'not authorized', data: '' } }, willRetry: false },
    })
    expect(error?.explain).toMatchObject({ key: 'diagnoses.auth-rejected.default.explanation' })
    const short = (data: unknown) => (/^(0\{|42\[)/.test(String(data)) ? String(data).slice(0, 3) : data)
    expect(rec.layer('wire').map(e => `${e.dir} ${short(e.data)}`)).toEqual([
      'in 0{"',
      'out 40/admin,',
      'in 40',
      'in 42[',
      'in 44/admin,"not authorized"',
    ])
    expect(rec.layer('socketio').map(line)).toEqual([
      'socketio packet out CONNECT /admin',
      'socketio packet in CONNECT /',
      'socketio packet in EVENT /',
      'socketio packet in ERROR /admin',
    ])
    expect(rec.layer('socketio')[3]?.detail).toEqual({ data: 'not authorized' })
    expect(rec.states).toEqual(['connecting', 'closed'])
    expect(rec.events.find(isKind('engine', 'close'))?.reason).toBe('forced close')
    expect(rec.layer('lifecycle').map(line)).toEqual(['lifecycle connecting local /admin', 'lifecycle connect_error in /admin not authorized'])
  })

  it('maps the options v2 lacks: webtransport left out, retries explained, extraHeaders on polling only', async () => {
    const { driver, rec } = open({ transports: ['webtransport', 'websocket'], retries: 2, extraHeaders: { 'x-test': '1' } })
    driver.connect()
    await rec.until(connected)
    expect(rec.layer('lifecycle').map(line)).toEqual([
      'lifecycle connecting local /',
      'lifecycle warning local extraHeaders reach polling only',
      'lifecycle warning local no WebTransport in Socket.IO v2',
      'lifecycle warning local no retries in Socket.IO v2',
      'lifecycle connect in /',
    ])
    expect(rec.layer('lifecycle')[0]?.detail).toMatchObject({ transports: ['websocket'] })
  })
})

describe('socket.io v2 driver: events and acks', () => {
  it('times an ack out itself (v2 has no timeout()) and ignores the late answer', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    const result = await driver.send({ kind: 'event', name: 'noAck', args: [1], ack: true, timeoutMs: 50 })

    expect(result.ok).toBe(false)
    expect(inWords(result).error).toBe('No acknowledgement for "noAck" within 50 ms. The server may not acknowledge this event, or it is slow: raise the ack timeout, or send without expecting an acknowledgement.')
    expect(rec.layer('app').map(line)).toEqual(['app event in welcome /', 'app emit out noAck / 0', 'app ack_timeout local noAck / 0'])
    expect(rec.layer('app')[2]?.detail).toEqual({ timeoutMs: 50, sent: true })

    // The next ack id moves on, and its answer settles only its own emit.
    const next = await driver.send({ kind: 'event', name: 'echo', args: [2], ack: true })
    expect(next).toMatchObject({ ok: true, ackArgs: [2] })
    expect(rec.layer('app').slice(3).map(line)).toEqual(['app emit out echo / 1', 'app ack in echo / 1'])
  })

  it('sends and receives binary over websocket as attachments, type byte and all', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    const result = await driver.send({ kind: 'event', name: 'binary', args: [new Uint8Array([1, 2, 3])], ack: true })

    expect(result.ok).toBe(true)
    expect(result.ackArgs?.[0]).toBeInstanceOf(ArrayBuffer)
    expect(bytes(result.ackArgs?.[0])).toEqual([1, 2, 3])
    const after = rec.events.slice(rec.events.findIndex(isKind('app', 'emit')))
    expect(after.map(line)).toEqual([
      'app emit out binary / 0',
      'socketio packet out BINARY_EVENT / 0',
      'wire frame out websocket 451-0["binary",{"_placeholder":true,"num',
      'wire frame out websocket [4,1,2,3]',
      'wire frame in websocket 461-0[{"_placeholder":true,"num":0}]',
      'wire frame in websocket [4,1,2,3]',
      'socketio packet in BINARY_ACK / 0',
      'app ack in binary / 0',
    ])
    expect(after[1]?.detail).toEqual({ attachments: 1 })
    expect(after[3]).toMatchObject({ size: 4, detail: { label: 'attachment', attachment: 1, of: 1 } })
    expect(after[5]).toMatchObject({ size: 4, detail: { label: 'attachment', attachment: 1, of: 1 } })
    expect(after[6]?.detail).toEqual({ attachments: 1 })

    // Without an ack the server emits the bytes back as an event (DE AD BE EF by default).
    await driver.send({ kind: 'event', name: 'binary', args: [] })
    const [event] = await rec.until(appEvent('binary'))
    expect(event?.detail?.args).toEqual([expect.any(ArrayBuffer)])
    expect(bytes((event?.detail?.args as unknown[])[0])).toEqual([0xde, 0xad, 0xbe, 0xef])
  })

  it('sends binary over polling as base64 packets when the client has no XHR2 (Node)', async () => {
    const { driver, rec } = open({ transports: ['polling'] })
    driver.connect()
    await rec.until(connected)
    const result = await driver.send({ kind: 'event', name: 'binary', args: [new Uint8Array([1, 2, 3]).buffer], ack: true })

    expect(bytes(result.ackArgs?.[0])).toEqual([1, 2, 3])
    const out = rec.layer('wire').filter(e => e.dir === 'out')
    // The attachment waits for the header's POST to finish, so each goes in a request body of its own.
    expect(out.map(e => [e.data, e.detail])).toEqual([
      ['451-0["binary",{"_placeholder":true,"num":0}]', undefined],
      ['b4AQID', { label: 'attachment', attachment: 1, of: 1 }],
    ])
    const attachmentIn = rec.layer('wire').filter(e => e.dir === 'in').at(-1)
    expect(attachmentIn).toMatchObject({ data: 'b4AQID', detail: { label: 'attachment', attachment: 1, of: 1 } })
  })

  it('shows room traffic between two sessions', async () => {
    const a = open({ transports: ['websocket'] })
    const b = open({ transports: ['websocket'] })
    a.driver.connect()
    b.driver.connect()
    const [aConnect] = await a.rec.until(connected)
    const [bConnect] = await b.rec.until(connected)
    const aId = aConnect?.detail?.sid
    const bId = bConnect?.detail?.sid

    expect(await a.driver.send({ kind: 'event', name: 'joinRoom', args: ['lobby'], ack: true })).toMatchObject({ ackArgs: [['lobby']] })
    expect(await b.driver.send({ kind: 'event', name: 'joinRoom', args: [{ room: 'lobby' }], ack: true })).toMatchObject({ ackArgs: [['lobby']] })
    await a.rec.until(appEvent('joined'), 2)
    expect(await b.driver.send({ kind: 'event', name: 'message', args: [{ room: 'lobby', message: 'hello' }], ack: true }))
      .toMatchObject({ ackArgs: [{ room: 'lobby', delivered: 1 }] })
    await a.rec.until(appEvent('message'))
    expect(await b.driver.send({ kind: 'event', name: 'leaveRoom', args: ['lobby'], ack: true })).toMatchObject({ ackArgs: [[]] })
    await a.rec.until(appEvent('left'))

    expect(a.rec.events.filter(isKind('app', 'event')).map(e => [e.name, e.detail?.args])).toEqual([
      ['welcome', [expect.objectContaining({ id: aId })]],
      ['joined', [{ room: 'lobby', id: aId }]],
      ['joined', [{ room: 'lobby', id: bId }]],
      ['message', [{ room: 'lobby', message: 'hello', from: bId }]],
      ['left', [{ room: 'lobby', id: bId }]],
    ])
    // B hears its own join, and its own leave (the notice goes to the room before B leaves it).
    expect(b.rec.events.filter(isKind('app', 'event')).map(e => e.name)).toEqual(['welcome', 'joined', 'left'])
  })
})

describe('socket.io v2 driver: reconnection and failures', () => {
  it('fails the acks a server restart lost (v2 would wait for them forever)', async () => {
    // The reconnection itself (every attempt, its delay, the refusals) is in the driver contract suite.
    const restartable = await startSocketIoV2Server({ port: 0, log: () => {} })
    let current = restartable
    cleanups.push(() => current.close())
    const { driver, rec } = open({ url: restartable.url })
    driver.connect()
    await rec.until(isKind('engine', 'upgrade'))
    const lost = driver.send({ kind: 'event', name: 'noAck', args: [], ack: true })

    await restartable.close()
    await rec.until(isKind('lifecycle', 'disconnect'))
    expect(inWords(await lost).error).toBe('The connection closed before the server acknowledged "noAck" (socket has been disconnected). It was not resent: send it again once connected.')
    await rec.until(isKind('lifecycle', 'reconnect_error'), 2)
    current = await startSocketIoV2Server({ port: restartable.port, log: () => {} })
    await rec.until(appEvent('welcome'), 2)

    expect(rec.layer('app').map(line)).toEqual(['app event in welcome /', 'app emit out noAck / 0', 'app ack_error local noAck / 0', 'app event in welcome /'])
    // Polling is retried first: each attempt fails as a polling request would.
    const lifecycle = rec.layer('lifecycle')
    expect(lifecycle.filter(isKind('lifecycle', 'connect_error')).every(e => e.reason === 'xhr poll error')).toBe(true)
    expect(lifecycle.filter(isKind('lifecycle', 'reconnect_error')).every(e => e.reason === 'xhr poll error')).toBe(true)
  })

  it('gives up after reconnectionAttempts and says so', async () => {
    const gone = await startSocketIoV2Server({ port: 0, log: () => {} })
    const url = gone.url
    await gone.close()
    const { driver, rec } = open({ url, transports: ['websocket'], reconnectionAttempts: 2 })
    driver.connect()
    const never = await driver.send({ kind: 'event', name: 'echo', args: [1], ack: true, timeoutMs: 30 })
    const [failed] = await rec.until(isKind('lifecycle', 'reconnect_failed'))

    // An emit buffered while not connected times out unsent, and leaves the send buffer.
    expect(inWords(never).error).toBe('No acknowledgement for "echo" within 30 ms (it was never sent: still waiting for the connection). The server may not acknowledge this event, or it is slow: raise the ack timeout, or send without expecting an acknowledgement.')
    expect(rec.layer('app').map(line)).toEqual(['app emit out echo / 0', 'app buffered local echo / 0', 'app ack_timeout local echo / 0'])
    expect(rec.layer('app')[2]?.detail).toEqual({ timeoutMs: 30, sent: false })

    expect(failed).toMatchObject({ attempt: 2, explain: { key: 'protocol.socketio.gaveUp', params: { count: 2 } } })
    expect(rec.layer('lifecycle').map(e => `${e.kind} ${e.attempt ?? ''} ${e.detail?.willRetry ?? ''}`)).toEqual([
      'connecting  ',
      'connect_error  true',
      'reconnect_attempt 1 ',
      'connect_error  true',
      'reconnect_error 1 ',
      'reconnect_attempt 2 ',
      'connect_error  false',
      'reconnect_failed 2 ',
      'reconnect_error 2 ',
    ])
    expect(rec.states).toEqual(['connecting', 'reconnecting', 'closed'])
  })

  it('counts the driver\'s Engine.IO session on the v2 server', async () => {
    // What a cut connection looks like (transport close, 1006) is in the driver contract suite.
    const own = await v2Server()
    const { driver, rec } = open({ url: own.url, transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    expect(own.sessions).toBe(1)
  })

  it('diagnoses a connect timeout when the server accepts TCP and never answers', async () => {
    const sockets = new Set<TcpSocket>()
    const silent = createTcpServer(socket => sockets.add(socket))
    const port = await listenOnLoopback(silent)
    cleanups.push(() => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      silent.close(() => resolve())
    }))
    const { driver, rec } = open({ url: `http://127.0.0.1:${port}`, timeout: 100, reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))

    expect(error).toMatchObject({ reason: 'timeout', detail: { diagnosis: { id: 'connect-timeout' }, willRetry: false } })
    expect(explained(error)).toMatch(/^Nothing answered the Socket.IO handshake within \d+ ms/)
    expect(rec.states).toEqual(['connecting', 'closed'])
  })

  it('turns a packet the v2 parser throws on into a parse-error close instead of an exception', async () => {
    // An Engine.IO 3 WebSocket server speaking just enough: the open packet, `40`, then a BINARY_EVENT header whose
    // attachment count is not a number, which socket.io-parser 3 rejects by throwing.
    const { url } = await scriptedEngineIoServer(['0{"sid":"broken","upgrades":[],"pingInterval":25000,"pingTimeout":5000}', '40', '45x-["oops"]'])
    const { driver, rec } = open({ url, transports: ['websocket'], reconnection: false })
    driver.connect()
    const [disconnect] = await rec.until(isKind('lifecycle', 'disconnect'))

    expect(rec.layer('lifecycle').map(line)).toEqual([
      'lifecycle connecting local /',
      'lifecycle connect in /',
      'lifecycle warning in parse error: Illegal attachments',
      'lifecycle disconnect in / parse error',
    ])
    expect(disconnect?.detail).toMatchObject({ willRetry: false, wasConnected: true })
    expect(rec.events.find(isKind('engine', 'close'))?.reason).toBe('parse error')
    expect(rec.states).toEqual(['connecting', 'open', 'closed'])
  })

  it('explains a v3/v4 server refusing the v2 client (Engine.IO error 5) and suggests the v4 client', async () => {
    const { url } = await socketIoServer()
    const { driver, rec } = open({ url, reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))

    expect(error).toMatchObject({
      reason: 'xhr poll error',
      detail: {
        type: 'TransportError', httpStatus: 400, httpBody: '{"code":5,"message":"Unsupported protocol version"}',
        diagnosis: { id: 'handshake-rejected', variant: 'engine-io-5', params: { message: 'Unsupported protocol version' } }, willRetry: false,
      },
    })
    expect(suggestedSocketIoClient(error as DraftEvent, 'v2')).toBe('v4')
    expect(suggestedSocketIoClient(error as DraftEvent, 'v4')).toBeUndefined()
    expect(rec.states).toEqual(['connecting', 'closed'])
  })
})

describe('the v4 driver against the real v2 server', () => {
  function openV4(options: Partial<SocketIoDriverOptions>): { driver: SocketIoDriver, rec: Recorder } {
    return recordDriver(createSocketIoDriver, { url: server.url, reconnection: false, ...options })
  }

  it('diagnoses a Socket.IO v2 server from its Engine.IO 3 polling body, and the v2 client is offered', async () => {
    const { driver, rec } = openV4({})
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))

    expect(rec.layer('wire')[0]?.data).toMatch(/^\d+:0\{"sid":/)
    expect(error).toMatchObject({ reason: 'server error', detail: { diagnosis: { id: 'socketio-v2-server' }, willRetry: false } })
    expect(explained(error)).toContain('Socket.IO v2 (Engine.IO protocol 3)')
    expect(suggestedSocketIoClient(error as DraftEvent, 'v4')).toBe('v2')
  })

  it('diagnoses it over websocket only, from the CONNECT without a sid', async () => {
    const { driver, rec } = openV4({ transports: ['websocket'] })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))

    expect(error?.reason).toMatch(/^It seems you are trying to reach a Socket.IO server in v2.x/)
    expect(error?.detail).toMatchObject({ diagnosis: { id: 'socketio-v2-server' } })
    expect(suggestedSocketIoClient(error as DraftEvent, 'v4')).toBe('v2')
  })

  it('stops retrying, even with reconnection on: the v4 client can never talk to a v2 server', async () => {
    const { driver, rec } = openV4({ reconnection: true, reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0 })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error?.detail).toMatchObject({ diagnosis: { id: 'socketio-v2-server' }, willRetry: false, stoppedRetrying: true })
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(rec.events.filter(e => e.kind === 'reconnect_attempt' || e.kind === 'connect_error')).toHaveLength(1)
    expect(driver.state).toBe('closed')
    expect(rec.states).toEqual(['connecting', 'closed'])
  })

  it('and the v2 driver, loaded lazily, then connects to the same server', async () => {
    const create = await loadSocketIoV2Driver()
    expect(create).toBe(createSocketIoV2Driver)
    const { driver, rec } = recordDriver(create, { url: server.url, transports: ['websocket'] })
    driver.connect()
    await rec.until(appEvent('welcome'))
    expect(rec.states).toEqual(['connecting', 'open'])
  })
})

describe('cleanup', () => {
  it('leaves nothing running: a process that connects, disposes and closes exits by itself', async () => {
    const moduleUrl = (path: string) => new URL(path, import.meta.url).href
    const script = `
      const { startSocketIoV2Server } = await import(${JSON.stringify(moduleUrl('../../dev-server/socketio-v2.ts'))})
      const { createSocketIoV2Driver } = await import(${JSON.stringify(moduleUrl('../../src/protocol/socketio-v2/driver.ts'))})
      const server = await startSocketIoV2Server({ port: 0, log: () => {}, pingInterval: 50 })
      let upgraded
      const done = new Promise((resolve) => { upgraded = resolve })
      const driver = createSocketIoV2Driver({ url: server.url }, (e) => { if (e.kind === 'pong') upgraded() })
      driver.connect()
      await done
      driver.dispose()
      await server.close()
      console.log('closed')
    `
    const { output, code, signal } = await runTsx(['--input-type=module', '--eval', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) })
    expect(output.trim()).toBe('closed')
    expect({ code, signal }).toEqual({ code: 0, signal: null })
  })
})
