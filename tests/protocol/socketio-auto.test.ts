/**
 * Issue 8 for Socket.IO, over real sockets: servers this project did not write, started here on free ports —
 * socket.io 4 with the msgpack parser, on a custom path, dropping every connection; socket.io 2 (engine.io 3);
 * python-socketio 5 on aiohttp (Debian) refusing long-polling — and what SocketLens does about each by itself
 * (lifecycle `auto` events, socketio-core/auto.ts) or offers in one click (`detail.offer`).
 */
import { createRequire } from 'node:module'
import { Server as SocketIoServer } from 'socket.io'
import type { ServerOptions } from 'socket.io'
import * as msgpackParser from 'socket.io-msgpack-parser'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createAutoSocketIoDriver } from '../../src/protocol/socketio-core/auto'
import type { AutoChoices } from '../../src/protocol/socketio-core/auto'
import type { ParserModule, SocketIoDriver, SocketIoDriverOptions } from '../../src/protocol/socketio-core/types'
import { createSocketIoDriver } from '../../src/protocol/socketio/driver'
import { buildSocketIoDriver } from '../../src/protocol/driverSpec'
import type { DraftEvent } from '../../src/protocol/types'
import { startPythonSocketIo } from '../support/pythonSocketIo'
import type { PythonServer } from '../support/pythonSocketIo'
import { Recorder, connected, disposeRecordedDrivers, isKind, recordDriver } from '../support/recorder'
import { closeLoopbackServers, httpServer } from '../support/servers'
import { evidenceWords } from '../support/words'
import { ms } from '../support/durations'

const FAST = { reconnectionDelay: 20, reconnectionDelayMax: 40, randomizationFactor: 0 }
const msgpack = msgpackParser as unknown as ParserModule
const autoDrivers: SocketIoDriver[] = []

function open(options: SocketIoDriverOptions): { driver: SocketIoDriver, rec: Recorder } {
  return recordDriver(createSocketIoDriver, { ...FAST, ...options })
}

/** The driver the app builds (driverFactory.ts): v4 or v2, the parser, and the automatic choices. */
async function openAuto(
  options: SocketIoDriverOptions, auto: Partial<AutoChoices> = {}, version: 'v4' | 'v2' = 'v4',
): Promise<{ driver: SocketIoDriver, rec: Recorder }> {
  const rec = new Recorder()
  const driver = await createAutoSocketIoDriver(
    { version, options: { ...FAST, ...options } },
    { version: true, parser: true, path: true, ...auto },
    buildSocketIoDriver,
    rec.sink,
    { onState: rec.onState },
  )
  autoDrivers.push(driver)
  return { driver, rec }
}

/** A socket.io 4 server with the events the tests use: `echo` acks its arguments. */
async function server(options: Partial<ServerOptions> = {}, handler?: RequestListener404): Promise<{ io: SocketIoServer, url: string }> {
  const { server: http, url } = await httpServer(handler ?? ((_req, res) => res.writeHead(404).end('Not Found')))
  const io = new SocketIoServer(http, options)
  io.on('connection', (socket) => {
    socket.on('echo', (...args: unknown[]) => {
      const ack = args.pop()
      if (typeof ack === 'function') (ack as (...a: unknown[]) => void)(...args)
    })
  })
  cleanups.push(() => io.close())
  return { io, url }
}
type RequestListener404 = Parameters<typeof httpServer>[0]

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  disposeRecordedDrivers()
  for (const driver of autoDrivers.splice(0)) driver.dispose()
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  await closeLoopbackServers()
})

const kinds = (rec: Recorder): string[] => rec.layer('lifecycle').map(e => e.kind)
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('case 8: the msgpack parser', () => {
  it('diagnoses a parser mismatch on the first failure, stops retrying, and offers the msgpack parser', async () => {
    const { url } = await server({ parser: msgpackParser })
    const { driver, rec } = open({ url, transports: ['websocket'] })
    driver.connect()
    const [disconnect] = await rec.until(isKind('lifecycle', 'disconnect'))
    expect(rec.events.some(isKind('engine', 'handshake'))).toBe(true)
    expect(disconnect?.detail).toMatchObject({
      diagnosis: { id: 'parser-mismatch' }, willRetry: false, stoppedRetrying: true,
      offer: { choice: 'parser', value: 'msgpack' },
    })
    expect(disconnect?.detail?.diagnosis).toMatchObject({ variant: 'default' })
    expect((disconnect?.detail?.diagnosis as { evidence: unknown[] }).evidence).toContainEqual({ key: 'diagnoses.evidence.transportCloses', params: { closes: 1 } })
    await sleep(200)
    expect(rec.events.filter(isKind('lifecycle', 'reconnect_attempt'))).toEqual([])
    expect(driver.state).toBe('closed')
  })

  it('connects with the msgpack parser when chosen, and acks come back decoded', async () => {
    const { url } = await server({ parser: msgpackParser })
    const { driver, rec } = open({ url, parser: 'msgpack', parserModule: msgpack })
    driver.connect()
    await rec.until(connected)
    const result = await driver.send({ kind: 'event', name: 'echo', args: [{ n: [1, 2] }, 'x'], ack: true })
    expect(result).toMatchObject({ ok: true, ackArgs: [{ n: [1, 2] }, 'x'] })
    expect(rec.layer('socketio').map(e => `${e.dir} ${e.name}`)).toEqual(expect.arrayContaining(['out CONNECT', 'in CONNECT', 'out EVENT', 'in ACK']))
  })

  it('the other way round: a msgpack client against a default-parser server offers the default parser', async () => {
    const { url } = await server()
    const { driver, rec } = open({ url, parser: 'msgpack', parserModule: msgpack, transports: ['websocket'] })
    driver.connect()
    const [disconnect] = await rec.until(isKind('lifecycle', 'disconnect'))
    expect(disconnect?.detail).toMatchObject({ diagnosis: { id: 'parser-mismatch' }, willRetry: false, offer: { choice: 'parser', value: 'default' } })
  })

  it('with the automatic parser choice, switches to msgpack by itself and says so', async () => {
    const { url } = await server({ parser: msgpackParser })
    const { driver, rec } = await openAuto({ url })
    driver.connect()
    await rec.until(connected)
    const [auto] = rec.events.filter(isKind('lifecycle', 'auto'))
    expect(auto).toMatchObject({ reason: 'connecting with the msgpack parser', detail: { choice: 'parser', from: 'default', to: 'msgpack' } })
    expect(kinds(rec)).toEqual(['connecting', 'disconnect', 'auto', 'connecting', 'connect'])
    expect(rec.events.find(isKind('lifecycle', 'disconnect'))?.detail).toMatchObject({ switching: true })
    expect(await driver.send({ kind: 'event', name: 'echo', args: ['after the switch'], ack: true })).toMatchObject({ ok: true, ackArgs: ['after the switch'] })
  })
})

describe('case 9: client version auto', () => {
  /** A Socket.IO 2.5 server (engine.io 3): `socket.io-v2` is socket.io@2.5.1 under another name. */
  async function v2Server(): Promise<string> {
    const { server: http, url } = await httpServer()
    type V2Socket = { on: (event: string, fn: (...args: unknown[]) => void) => void }
    const io = createRequire(import.meta.url)('socket.io-v2')(http) as { on: (e: string, fn: (s: V2Socket) => void) => void, close: () => void }
    io.on('connection', (socket) => {
      socket.on('echo', (...args: unknown[]) => {
        const ack = args.pop()
        if (typeof ack === 'function') (ack as (...a: unknown[]) => void)(...args)
      })
    })
    cleanups.push(() => io.close())
    return url
  }

  it('on an Engine.IO 3 answer, connects with the v2 client by itself; the timeline says what it found and keeps going', async () => {
    const url = await v2Server()
    const { driver, rec } = await openAuto({ url })
    driver.connect()
    await rec.until(connected)
    const [auto] = rec.events.filter(isKind('lifecycle', 'auto'))
    expect(auto).toMatchObject({ reason: 'connecting with the Socket.IO v2 client', detail: { choice: 'version', from: 'v4', to: 'v2' } })
    expect(auto?.explain).toEqual({ key: 'protocol.auto.versionV2' })
    expect(evidenceWords(auto?.detail?.evidence).join('\n')).toMatch(/Response body: "\d+:0\{/)
    // One timeline: the v4 failure, the switch, then the v2 client's handshake (Engine.IO 3).
    expect(kinds(rec)).toEqual(['connecting', 'connect_error', 'auto', 'connecting', 'connect'])
    expect(rec.events.filter(isKind('engine', 'handshake')).at(-1)?.detail).toMatchObject({ server: { engineIo: 3 } })
    expect(await driver.send({ kind: 'event', name: 'echo', args: ['v2'], ack: true })).toMatchObject({ ok: true, ackArgs: ['v2'] })
  })

  it('with v4 forced, stops and offers the v2 client instead', async () => {
    const url = await v2Server()
    const { driver, rec } = await openAuto({ url }, { version: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error?.detail).toMatchObject({ diagnosis: { id: 'socketio-v2-server' }, willRetry: false, offer: { choice: 'version', value: 'v2' } })
    expect(error?.detail?.switching).toBeUndefined()
    await sleep(150)
    expect(rec.events.filter(isKind('lifecycle', 'auto'))).toEqual([])
  })
})

describe('case 4: a custom Socket.IO path pasted into the URL', () => {
  const forms = ['/realtime/io', '/realtime/io/?EIO=4&transport=websocket']
  for (const form of forms) {
    it(`finds the server at /realtime/io from ${form} and connects there by itself`, async () => {
      const { url } = await server({ path: '/realtime/io' })
      const { driver, rec } = await openAuto({ url: `${url}${form}` })
      driver.connect()
      await rec.until(connected)
      const [auto] = rec.events.filter(isKind('lifecycle', 'auto'))
      expect(auto).toMatchObject({ reason: 'Socket.IO server found at path /realtime/io', detail: { choice: 'path', from: '/socket.io', to: '/realtime/io' } })
      expect(auto?.detail?.evidence).toContainEqual(expect.objectContaining({ key: 'protocol.engine.answeredBody', params: expect.objectContaining({ asked: 'GET /realtime/io/?EIO=4&transport=polling', status: 200 }) }))
      expect(rec.events.find(connected)?.namespace).toBe('/')
      // The driver at the wrong path leaves without a word: no client disconnect on the timeline.
      expect(kinds(rec).slice(-3)).toEqual(['auto', 'connecting', 'connect'])
      expect(kinds(rec)).not.toContain('disconnect')
      expect(await driver.send({ kind: 'event', name: 'echo', args: [1], ack: true })).toMatchObject({ ok: true })
    })
  }

  it('with the automatic path choice off, says where the server is, offers it, and stops retrying the wrong path', async () => {
    const { url } = await server({ path: '/realtime/io' })
    const { driver, rec } = await openAuto({ url: `${url}/realtime/io` }, { path: false })
    driver.connect()
    const found = await rec.next('diagnosis', isKind('lifecycle', 'diagnosis'), 0, 8000)
    expect(found).toMatchObject({
      reason: 'Socket.IO server found at path /realtime/io',
      detail: { diagnosis: { id: 'socketio-path', params: { path: '/realtime/io' } }, offer: { choice: 'path', value: '/realtime/io', url: `${url}/` } },
    })
    await sleep(200)
    expect(driver.state).toBe('closed')
  })
})

describe('case 7: a server that drops every connection soon after it opens', () => {
  it('does not reset the attempts on each reconnect: delays grow, reconnectionAttempts applies, the pattern is named', async () => {
    const { io, url } = await server()
    io.on('connection', socket => setTimeout(() => socket.conn.close(), 150))
    const { driver, rec } = open({ url, transports: ['websocket'], reconnectionAttempts: 3, reconnectionDelay: 40, reconnectionDelayMax: 1000, stableMs: 3000 })
    driver.connect()
    await rec.until(isKind('lifecycle', 'reconnect_failed'))
    const attempts = rec.events.filter(isKind('lifecycle', 'reconnect_attempt'))
    expect(attempts.map(e => e.attempt)).toEqual([1, 2, 3])
    expect(attempts.map(e => e.delayMs)).toEqual([40, 80, 160])
    const disconnects = rec.events.filter(isKind('lifecycle', 'disconnect'))
    expect(disconnects.length).toBe(4)
    expect(disconnects.at(-1)?.detail).toMatchObject({ diagnosis: { id: 'short-lived' }, willRetry: false })
    expect(disconnects.at(-1)?.detail?.diagnosis).toMatchObject({ id: 'short-lived', params: { about: { key: 'protocol.duration.ms', params: { n: expect.any(Number) } }, times: 4 } })
    expect(driver.state).toBe('closed')
  })

  it('a connection that stays up for the stable period starts the attempts over', async () => {
    const { io, url } = await server()
    let n = 0
    io.on('connection', (socket) => {
      n++
      // The second connection stays up past the stable period; the others drop at once.
      setTimeout(() => socket.conn.close(), n === 2 ? 400 : 50)
    })
    const { driver, rec } = open({ url, transports: ['websocket'], reconnectionDelay: 30, reconnectionDelayMax: 1000, stableMs: 250 })
    driver.connect()
    await rec.until(isKind('lifecycle', 'reconnect_attempt'), 3)
    expect(rec.events.filter(isKind('lifecycle', 'reconnect_attempt')).map(e => e.attempt)).toEqual([1, 1, 2])
    // The banner keeps a short-lived diagnosis until this event (useLatestDiagnosis).
    expect(rec.events.filter(isKind('lifecycle', 'stable'))).toMatchObject([{ attempt: 1, detail: { stableMs: 250 } }])
  })

  it('says on a failure which attempt comes next and after how long', async () => {
    const { io, url } = await server()
    io.on('connection', socket => setTimeout(() => socket.conn.close(), 50))
    const { driver, rec } = open({ url, transports: ['websocket'], reconnectionAttempts: 5, reconnectionDelay: 40, reconnectionDelayMax: 1000 })
    driver.connect()
    const [first] = await rec.until(isKind('lifecycle', 'disconnect'))
    expect(first?.detail).toMatchObject({ willRetry: true, nextAttempt: 1, nextDelayMs: 40 })
    expect(first?.explain).toMatchObject({ key: 'protocol.socketio.keepsReconnecting', params: { attempt: 1, of: { key: 'protocol.socketio.attemptOf', params: { of: 5 } }, delay: ms(40) } })
    const [attempt] = await rec.until(isKind('lifecycle', 'reconnect_attempt'))
    expect(attempt).toMatchObject({ attempt: 1, delayMs: 40 })
  })
})

describe('case 2: python-socketio with transports=[\'websocket\']', () => {
  let python: PythonServer | undefined
  afterAll(async () => {
    await python?.stop()
  })

  it('recognises "Invalid transport", moves to WebSocket by itself, says so, and shows the body as evidence', async () => {
    python = await startPythonSocketIo('websocket-only')
    const { driver, rec } = open({ url: python.url })
    driver.connect()
    await rec.until(connected)
    const [error] = rec.events.filter(isKind('lifecycle', 'connect_error'))
    expect(error?.detail).toMatchObject({ httpStatus: 400, httpBody: '"Invalid transport"', willRetry: true })
    expect(error?.detail?.diagnosis).toMatchObject({ id: 'handshake-rejected', variant: 'python-no-polling' })
    expect((error?.detail?.diagnosis as { evidence: unknown[] }).evidence).toContainEqual({ key: 'diagnoses.evidence.body', params: { body: '"Invalid transport"' } })
    const [auto] = rec.events.filter(isKind('lifecycle', 'auto'))
    expect(auto).toMatchObject({ reason: 'long-polling refused: WebSocket only', detail: { choice: 'transports', to: ['websocket'] } })
    expect(auto?.explain).toEqual({ key: 'protocol.socketio.pollingRefusedPython' })
    expect(rec.events.find(connected)?.transport).toBe('websocket')
    const handshake = rec.events.find(isKind('engine', 'handshake'))
    expect(handshake?.detail).toMatchObject({ server: { engineIo: 4, implementation: 'python-engineio (python-socketio)' } })
  })

  it('with the automatic transport choice off, it stops at the diagnosis', async () => {
    python ??= await startPythonSocketIo('websocket-only')
    const { driver, rec } = open({ url: python.url, autoTransports: false, reconnection: false })
    driver.connect()
    const [error] = await rec.until(isKind('lifecycle', 'connect_error'))
    expect(error?.detail?.diagnosis).toMatchObject({ id: 'handshake-rejected', variant: 'python-no-polling' })
    await sleep(150)
    expect(rec.events.filter((e: DraftEvent) => e.kind === 'auto')).toEqual([])
  })
})
