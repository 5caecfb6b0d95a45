/**
 * The Socket.IO driver contract: what the v4 driver (socket.io-client 4 against the dev server) and the v2 driver
 * (socket.io-client 2 against the Socket.IO v2 server, Engine.IO 3) both promise, run against each with the same
 * assertions (`describe.each`). Where the two clients truly differ, the version's row says how (its reserved names,
 * its words for a dropped emit, its websocket-only wire); what only one of them does is in
 * socketio-v4-driver.test.ts and socketio-v2-driver.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSocketIoV2Server } from '../../dev-server/socketio-v2'
import type { SocketIoV2Server } from '../../dev-server/socketio-v2'
import type { DevServer } from '../../dev-server/types'
import { createSocketIoDriver } from '../../src/protocol/socketio/driver'
import type { SocketIoDriver, SocketIoDriverOptions } from '../../src/protocol/socketio/driver'
import { createSocketIoV2Driver } from '../../src/protocol/socketio-v2/driver'
import type { DraftEvent } from '../../src/protocol/types'
import { startTestServer } from '../support/devServer'
import { type Recorder, appEvent, connected, disposeRecordedDrivers, isKind, line, lineWithData, recordDriver } from '../support/recorder'
import { explained } from '../support/words'
import { inWords } from '../support/sendWords'

interface DriverVersion {
  name: string
  /**
   * Starts the version's server; returns its Socket.IO URL, how to cut every TCP connection, how to restart it on the
   * same port (`whileDown`, where the version can wait for it: failed attempts the test waits for before the server is
   * back) and how to stop it.
   */
  start: () => Promise<{ url: string, cut: () => void, restart: (whileDown: () => Promise<void>) => Promise<void>, close: () => Promise<void> }>
  create: typeof createSocketIoDriver
  /** A name this client keeps for itself, and the sentence `send` gives for it. */
  reserved: { name: string, error: string }
  /** What `send` says when a volatile emit is dropped. */
  volatileDropped: (name: string) => string
  /**
   * The wire of a websocket-only connection, first 7 characters of each frame: v4 sends a CONNECT for `/` and the
   * server answers with the sid; v2 connects `/` implicitly (the server's bare `40` comes unasked).
   */
  websocketOnlyWire: string[]
  /** Engine.IO revision the server speaks. */
  engineIo: 3 | 4
  /** Over polling: the decoded packets until the welcome event, and the polling frames (first 7 characters, no noop). */
  pollingConnect: { socketio: string[], wire: string[] }
  /** Arguments for the ack round trip: every JSON type for v4; what the v2 suite sent. */
  ackArgs: unknown[]
  /**
   * After a cut connection: the disconnect's detail beyond the close code (v4's engine describes the close), and
   * whether the session comes back recovered (connection state recovery, v4 and the dev server; v2 has none).
   */
  cutConnection: { description?: string, recovers: boolean }
}

const VERSIONS: DriverVersion[] = [
  {
    name: 'v4 (socket.io-client 4, dev server)',
    start: async () => {
      const server: DevServer = await startTestServer()
      return {
        url: server.urls.socketio,
        cut: () => server.faults.killSockets(),
        // The dev server chooses its own downtime: the failed attempts are those that fit in it.
        restart: () => server.restart({ downtimeMs: 250 }),
        close: () => server.close(),
      }
    },
    create: createSocketIoDriver,
    reserved: { name: 'disconnect', error: '"disconnect" is reserved by Socket.IO and cannot be emitted. Choose another event name.' },
    volatileDropped: name => `Not sent: "${name}" was volatile and the connection was not ready, so Socket.IO dropped it.`,
    websocketOnlyWire: ['in websocket 0{"sid"', 'out websocket 40', 'in websocket 40{"sid', 'in websocket 42["wel'],
    cutConnection: { description: 'websocket connection closed', recovers: true },
    engineIo: 4,
    pollingConnect: {
      socketio: ['socketio packet out CONNECT /', 'socketio packet in CONNECT /', 'socketio packet in EVENT /'],
      wire: ['in 0{"sid"', 'out 40', 'in 40{"sid', 'in 42["wel'],
    },
    ackArgs: [42, -1.5, 'text', '', 'ünïcødé ✓', true, false, null, { nested: { list: [1, 'two', { three: 3 }] } }, [1, [2, [3]]], {}],
  },
  {
    name: 'v2 (socket.io-client 2, Socket.IO v2 server)',
    start: async () => {
      let server: SocketIoV2Server = await startSocketIoV2Server({ port: 0, log: () => {} })
      return {
        url: server.url,
        cut: () => server.kill(),
        restart: async (whileDown) => {
          await server.close()
          await whileDown()
          server = await startSocketIoV2Server({ port: server.port, log: () => {} })
        },
        close: () => server.close(),
      }
    },
    create: createSocketIoV2Driver,
    reserved: { name: 'ping', error: '"ping" is reserved by Socket.IO v2 (the client would handle it locally instead of sending it). Choose another event name.' },
    volatileDropped: name => `Not sent: "${name}" was volatile and the connection was not ready, so it was dropped (as Socket.IO does).`,
    websocketOnlyWire: ['in websocket 0{"sid"', 'in websocket 40', 'in websocket 42["wel'],
    cutConnection: { recovers: false },
    engineIo: 3,
    // v2 connects `/` without a CONNECT packet from the client: the server's `40` comes with the handshake.
    pollingConnect: {
      socketio: ['socketio packet in CONNECT /', 'socketio packet in EVENT /'],
      wire: ['in 0{"sid"', 'in 40', 'in 42["wel'],
    },
    ackArgs: ['hi', { n: 1 }],
  },
]

describe.each(VERSIONS)('the Socket.IO driver contract: $name', (version) => {
  let url = ''
  let cut: () => void = () => {}
  let restart: (whileDown: () => Promise<void>) => Promise<void> = async () => {}
  let close: () => Promise<void> = async () => {}

  beforeAll(async () => {
    ({ url, cut, restart, close } = await version.start())
  })

  afterEach(() => {
    disposeRecordedDrivers()
  })

  afterAll(async () => {
    await close()
  })

  function open(options: Partial<SocketIoDriverOptions> = {}): { driver: SocketIoDriver, rec: Recorder } {
    return recordDriver(version.create, { url, reconnectionDelay: 40, reconnectionDelayMax: 80, randomizationFactor: 0, ...options })
  }

  it('connects over polling, then upgrades to websocket with 2probe / 3probe / 5', async () => {
    const { driver, rec } = open()
    expect(driver.state).toBe('idle')
    driver.connect()
    await rec.until(appEvent('welcome'))
    await rec.until(isKind('engine', 'upgrade'))

    expect(rec.layer('engine').map(line)).toEqual([
      'engine handshake in polling',
      'engine open local polling',
      'engine upgrading local websocket',
      'engine upgrade local websocket',
    ])
    expect(rec.layer('lifecycle').map(line)).toEqual(['lifecycle connecting local /', 'lifecycle connect in /'])
    expect(rec.layer('socketio').map(line)).toEqual(version.pollingConnect.socketio)
    expect(rec.layer('app').map(line)).toEqual(['app event in welcome /'])
    expect(rec.states).toEqual(['connecting', 'open'])
    expect(driver.state).toBe('open')
    expect(driver.namespaces.get('/')).toBe('open')

    // The probe runs on the new WebSocket while the session is still on polling.
    const ws = rec.layer('wire').filter(e => e.transport === 'websocket')
    expect(ws.map(e => [e.dir, e.data, e.detail])).toEqual([
      ['out', '2probe', { label: 'probe' }],
      ['in', '3probe', { label: 'probe' }],
      ['out', '5', { label: 'upgrade' }],
    ])
    // A noop may end the paused poll, depending on which side was first; it is labelled when it comes.
    const polling = rec.layer('wire').filter(e => e.transport === 'polling')
    for (const noop of polling.filter(e => e.data === '6')) expect(noop.detail).toMatchObject({ label: 'noop' })
    expect(polling.filter(e => e.data !== '6').map(e => `${e.dir} ${String(e.data).slice(0, 7)}`)).toEqual(version.pollingConnect.wire)

    // The handshake event carries what the open packet said, and the server it shows (engineProbe.ts).
    const openPacket = JSON.parse(String(polling[0]?.data).slice(1)) as Record<string, unknown>
    expect(rec.layer('engine')[0]?.detail).toMatchObject({
      sid: openPacket.sid,
      upgrades: ['websocket'],
      pingInterval: openPacket.pingInterval,
      pingTimeout: openPacket.pingTimeout,
      server: { engineIo: version.engineIo, implementation: 'Node engine.io (socket.io)' },
      evidence: expect.arrayContaining([{ key: `protocol.engine.fingerprint.eio${version.engineIo}` }]),
    })

    // Causal order across layers: frame, then its decoded packet, then what the app sees.
    const index = (match: (e: DraftEvent) => boolean) => rec.events.findIndex(match)
    const connectFrame = index(e => e.layer === 'wire' && e.dir === 'in' && String(e.data).startsWith('40'))
    const connectPacket = index(e => e.layer === 'socketio' && e.dir === 'in' && e.name === 'CONNECT')
    expect(index(isKind('engine', 'handshake'))).toBeLessThan(index(isKind('engine', 'open')))
    expect(connectFrame).toBeLessThan(connectPacket)
    expect(connectPacket).toBeLessThan(index(connected))
    expect(index(connected)).toBeLessThan(index(appEvent('welcome')))
  })

  it('connects over websocket only, with no upgrade', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(appEvent('welcome'))

    expect(rec.layer('engine').map(line)).toEqual(['engine handshake in websocket', 'engine open local websocket'])
    expect(rec.layer('engine')[0]?.detail).toMatchObject({ upgrades: [] })
    expect(rec.layer('wire').map(e => `${e.dir} ${e.transport} ${String(e.data).slice(0, 7)}`)).toEqual(version.websocketOnlyWire)
    expect(rec.layer('lifecycle').map(line)).toEqual(['lifecycle connecting local /', 'lifecycle connect in /'])
    expect(rec.events.find(connected)?.transport).toBe('websocket')
  })

  it('emits with an ack, links the ack to its emit and measures the round trip', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    const args = version.ackArgs
    const result = await driver.send({ kind: 'event', name: 'echo', args, ack: true })

    expect(result.ok).toBe(true)
    expect(result.ackArgs).toEqual(args)
    const after = rec.events.slice(rec.events.findIndex(isKind('app', 'emit')))
    expect(after.map(line)).toEqual([
      'app emit out echo /',
      'socketio packet out EVENT / 0',
      'wire frame out websocket',
      'wire frame in websocket',
      'socketio packet in ACK / 0',
      'app ack in echo /',
    ])
    const sentText = `420${JSON.stringify(['echo', ...args])}`
    const answerText = `430${JSON.stringify(args)}`
    expect(after.map(lineWithData)).toEqual([
      'app emit out echo / 0',
      'socketio packet out EVENT / 0',
      `wire frame out websocket ${sentText.slice(0, 40)}`,
      `wire frame in websocket ${answerText.slice(0, 40)}`,
      'socketio packet in ACK / 0',
      'app ack in echo / 0',
    ])
    const [emit, , frameOut, frameIn, , ack] = after as [DraftEvent, DraftEvent, DraftEvent, DraftEvent, DraftEvent, DraftEvent]
    expect(emit).toMatchObject({ ackId: 0 })
    expect(emit.detail).toEqual({ args, ackTimeoutMs: 10000 })
    expect(frameOut.data).toBe(sentText)
    expect(frameOut.size).toBe(new TextEncoder().encode(String(frameOut.data)).byteLength)
    expect(frameIn.data).toBe(answerText)
    expect(ack).toMatchObject({ ackId: 0, name: 'echo', namespace: '/' })
    expect(ack.detail).toEqual({ args })
    expect(typeof result.rttMs).toBe('number')
    expect(result.rttMs).toBeGreaterThanOrEqual(0)
    expect(ack.rttMs).toBe(result.rttMs)
    // Sent at once (connected): the round trip runs from the emit to the ack.
    expect(ack.rttMs).toBe(ack.time - emit.time)
  })

  it('shows an emit made while disconnected as emitted, buffered, then flushed on connect', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    const pending = driver.send({ kind: 'event', name: 'echo', args: ['early'], ack: true })
    expect(rec.events.map(line)).toEqual(['app emit out echo /', 'app buffered local echo /'])
    expect(rec.events[1]).toMatchObject({ ackId: 0, reason: 'not connected: sent when / connects' })
    driver.connect()
    const result = await pending

    expect(result).toMatchObject({ ok: true, ackArgs: ['early'] })
    const app = rec.layer('app').filter(e => e.name === 'echo')
    expect(app.map(e => `${e.kind} ${e.dir} ${e.ackId}`)).toEqual(['emit out 0', 'buffered local 0', 'flushed out 0', 'ack in 0'])
    const flushedAt = rec.events.findIndex(isKind('app', 'flushed'))
    expect(rec.events.slice(flushedAt, flushedAt + 3).map(line)).toEqual([
      'app flushed out echo /',
      'socketio packet out EVENT / 0',
      'wire frame out websocket',
    ])
    expect(rec.events[flushedAt + 2]?.data).toBe('420["echo","early"]')
    const [emit, , flushed, ack] = app as [DraftEvent, DraftEvent, DraftEvent, DraftEvent]
    expect(typeof flushed.detail?.waitedMs).toBe('number')
    expect(flushed.detail).toEqual({ waitedMs: flushed.time - emit.time })
    // The round trip of a buffered emit runs from its flush.
    expect(ack.rttMs).toBe(ack.time - flushed.time)
  })

  it('buffers an emit made while the namespace is connecting, and flushes it on connect', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    const result = await driver.send({ kind: 'event', name: 'echo', args: ['early'], ack: true })

    expect(result).toMatchObject({ ok: true, ackArgs: ['early'] })
    expect(rec.layer('app').map(lineWithData)).toEqual([
      'app emit out echo / 0',
      'app buffered local echo / 0',
      'app flushed out echo / 0',
      'app event in welcome /',
      'app ack in echo / 0',
    ])
    expect(rec.layer('app')[1]?.reason).toBe('not connected: sent when / connects')
    const flushed = rec.layer('app')[2] as DraftEvent
    const ack = rec.layer('app')[4] as DraftEvent
    expect(flushed.detail).toEqual({ waitedMs: flushed.time - (rec.layer('app')[0]?.time ?? 0) })
    expect(ack.rttMs).toBe(ack.time - flushed.time)
  })

  it('shows a volatile emit made while not connected as dropped, and sends one once connected', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    const result = await driver.send({ kind: 'event', name: 'tick', args: [1], volatile: true })
    expect(inWords(result)).toEqual({ ok: false, error: version.volatileDropped('tick') })
    expect(rec.events.map(line)).toEqual(['app emit out tick /', 'app dropped local tick /'])
    expect(rec.events[0]?.detail).toEqual({ args: [1], volatile: true })
    expect(rec.events[1]?.reason).toBe('volatile event dropped: the transport was not writable')

    // While connecting, too (the transport is not writable yet).
    driver.connect()
    expect(inWords(await driver.send({ kind: 'event', name: 'echo', args: [1], volatile: true }))).toEqual({ ok: false, error: version.volatileDropped('echo') })
    expect(rec.layer('app').slice(2).map(line)).toEqual(['app emit out echo /', 'app dropped local echo /'])
    await rec.until(connected)
    expect(await driver.send({ kind: 'event', name: 'echo', args: [2], volatile: true })).toEqual({ ok: true })
  })

  it('leaves a server\'s ack request unanswered by default, and answers it when told to (setServerAckReply)', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)

    const unanswered = await driver.send({ kind: 'event', name: 'ask', args: [{ question: 'ready?', timeoutMs: 150 }], ack: true })
    expect(unanswered).toMatchObject({ ok: true, ackArgs: [{ error: 'no answer within 150 ms' }] })
    const [question] = await rec.until(appEvent('question'))
    expect(question!.detail).toMatchObject({ args: ['ready?'], ackRequested: true })
    expect(rec.events.some(e => e.kind === 'ack_reply')).toBe(false)

    driver.setServerAckReply(['yes', 42])
    const answered = await driver.send({ kind: 'event', name: 'ask', args: [{ question: 'ready?', timeoutMs: 2000 }], ack: true })
    expect(answered).toMatchObject({ ok: true, ackArgs: [{ answer: ['yes', 42] }] })
    expect(rec.events.filter(appEvent('question')).map(e => e.detail)).toEqual([{ args: ['ready?'], ackRequested: true }, { args: ['ready?'], ackRequested: true }])
    const reply = rec.events.filter(e => e.kind === 'ack_reply')
    expect(reply.map(line)).toEqual(['app ack_reply out question /'])
    expect(reply[0]!.detail).toEqual({ args: ['yes', 42] })
    // The reply goes out as an ACK packet with the id of the server's EVENT, right after the event it answers. The
    // server's own ack ids count from 0 per socket: this is its second request.
    const at = rec.events.findIndex(isKind('app', 'ack_reply'))
    const asked = rec.events.findLast((e, i) => i < at && e.layer === 'socketio' && e.name === 'EVENT' && e.dir === 'in')!
    expect(asked.ackId).toBe(1)
    expect(rec.events.slice(at - 3, at + 3).map(lineWithData)).toEqual([
      'wire frame in websocket 421["question","ready?"]',
      'socketio packet in EVENT / 1',
      'app event in question /',
      'app ack_reply out question /',
      'socketio packet out ACK / 1',
      'wire frame out websocket 431["yes",42]',
    ])
  })

  it('shows a server that cuts the TCP connection as transport close 1006 without a close frame, and reconnects', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    cut()
    await rec.until(connected, 2)

    const close = rec.events.find(isKind('engine', 'close'))
    expect(close).toMatchObject({ reason: 'transport close', transport: 'websocket', detail: { closeCode: 1006, wasClean: false } })
    const disconnect = rec.events.find(isKind('lifecycle', 'disconnect'))
    const description = version.cutConnection.description
    expect(disconnect).toMatchObject({
      dir: 'in',
      reason: 'transport close',
      detail: { ...description ? { description } : {}, closeCode: 1006, wasClean: false, willRetry: true, wasConnected: true, diagnosis: { id: 'unknown' } },
    })
    expect(explained(disconnect)).toContain('closed with 1006')
    expect(rec.states).toEqual(['connecting', 'open', 'reconnecting', 'open'])
    // With connection state recovery, the same sid comes back `recovered: true`.
    const connects = rec.events.filter(connected)
    expect(connects.map(e => e.detail?.recovered)).toEqual([false, version.cutConnection.recovers])
  })

  it('reconnects after the server restarts, with every attempt and its delay, keeping the history', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(appEvent('welcome'))
    const before = rec.events.length
    await restart(async () => {
      await rec.until(isKind('lifecycle', 'reconnect_error'), 2)
    })
    await rec.until(isKind('lifecycle', 'reconnect'))
    await rec.until(appEvent('welcome'), 2)

    const disconnect = rec.events.find(isKind('lifecycle', 'disconnect'))
    expect(disconnect).toMatchObject({ dir: 'in', reason: 'transport close', transport: 'websocket', detail: { willRetry: true, wasConnected: true } })
    const lifecycle = rec.layer('lifecycle')
    // connecting, connect, disconnect, then (attempt, connect_error, reconnect_error)* and a final attempt that works.
    const attempts = lifecycle.filter(isKind('lifecycle', 'reconnect_attempt'))
    const failed = attempts.length - 1
    expect(failed).toBeGreaterThanOrEqual(1)
    const expected = ['lifecycle connecting local /', 'lifecycle connect in /', 'lifecycle disconnect in / transport close']
    for (let attempt = 1; attempt <= failed; attempt++)
      expected.push(`lifecycle reconnect_attempt local ${attempt}`, 'lifecycle connect_error in /', `lifecycle reconnect_error local ${attempt}`)
    expected.push(`lifecycle reconnect_attempt local ${failed + 1}`, `lifecycle reconnect local ${failed + 1}`, 'lifecycle connect in /')
    expect(lifecycle.map(e => lineWithData(e).replace(/ (websocket|xhr poll) error$/, ''))).toEqual(expected)
    // Backoff without jitter: 40 ms, then doubled up to reconnectionDelayMax (80 ms).
    expect(attempts.map(e => e.delayMs)).toEqual(attempts.map((_, i) => Math.min(40 * 2 ** i, 80)))
    const refusals = lifecycle.filter(isKind('lifecycle', 'connect_error'))
    expect(refusals.every(e => e.detail?.willRetry === true && (e.detail?.diagnosis as { id?: string } | undefined)?.id === 'server-gone')).toBe(true)
    expect(refusals[0]?.detail).toMatchObject({ type: 'TransportError', cause: expect.stringContaining('ECONNREFUSED') })
    // A restarted server has lost the session: nothing to recover.
    expect(rec.events.filter(connected).map(e => e.detail?.recovered)).toEqual([false, false])
    expect(rec.states).toEqual(['connecting', 'open', 'reconnecting', 'open'])
    expect(rec.events.length).toBeGreaterThan(before)
    expect(rec.events.filter(isKind('engine', 'handshake')).length).toBe(2)
  })

  it('refuses the names the client keeps for itself and unknown namespaces with a sentence, without throwing', async () => {
    const { driver, rec } = open()
    expect(inWords(await driver.send({ kind: 'event', name: version.reserved.name, args: [] }))).toEqual({ ok: false, error: version.reserved.error })
    expect(inWords(await driver.send({ kind: 'event', name: 'x', args: [], namespace: '/nope' }))).toEqual({
      ok: false,
      error: 'The namespace /nope is not joined: add it first.',
    })
    expect(rec.events).toEqual([])
  })
})
