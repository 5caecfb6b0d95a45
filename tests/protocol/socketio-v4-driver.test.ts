/**
 * What only the Socket.IO v4 driver does, against the real dev server over real sockets (socket.io-client in Node
 * uses xmlhttprequest-ssl for polling and the `ws` package for WebSocket); what it shares with the v2 driver is in
 * socketio-contract.test.ts. Assertions are on exact per-layer sequences: each layer's order is deterministic,
 * while frames of different transports may interleave either way.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createSocketIoDriver } from '../../src/protocol/socketio/driver'
import type { SocketIoDriver, SocketIoDriverOptions } from '../../src/protocol/socketio/driver'
import type { DraftEvent } from '../../src/protocol/types'
import { useDevServer } from '../support/devServer'
import { type Recorder, appEvent, connected, disposeRecordedDrivers, isKind, line, recordDriver } from '../support/recorder'
import { explained } from '../support/words'
import { inWords } from '../support/sendWords'

const server = useDevServer()

afterEach(() => {
  disposeRecordedDrivers()
  server().faults.refuseUpgrade(false)
})

function open(options: Partial<SocketIoDriverOptions> = {}): { driver: SocketIoDriver, rec: Recorder } {
  return recordDriver(createSocketIoDriver, { url: server().urls.socketio, reconnectionDelay: 40, reconnectionDelayMax: 80, randomizationFactor: 0, ...options })
}

describe('socket.io driver: connecting', () => {
  it('shows the whole open packet and the server in the handshake, and the namespace\'s own sid in the connect', async () => {
    // The polling connection and upgrade both drivers make are in the driver contract suite; these are v4's specifics.
    const { driver, rec } = open()
    driver.connect()
    await rec.until(appEvent('welcome'))
    await rec.until(isKind('engine', 'upgrade'))

    const polling = rec.layer('wire').filter(e => e.transport === 'polling')
    const openPacket = JSON.parse(String(polling[0]?.data).slice(1)) as Record<string, unknown>
    const handshake = rec.layer('engine')[0]
    expect(handshake?.detail).toEqual({
      sid: openPacket.sid,
      upgrades: ['websocket'],
      pingInterval: openPacket.pingInterval,
      pingTimeout: openPacket.pingTimeout,
      maxPayload: openPacket.maxPayload,
      server: { engineIo: 4, implementation: 'Node engine.io (socket.io)' },
      evidence: [
        { key: 'protocol.engine.fingerprint.eio4' },
        { key: 'protocol.engine.fingerprint.serverWhy', params: { name: 'Node engine.io (socket.io)', why: { key: 'protocol.engine.why.nodeOrder' } } },
        { key: 'protocol.engine.fingerprint.upgrades', params: { upgrades: 'websocket' } },
        { key: 'protocol.engine.fingerprint.timings', params: { pingInterval: openPacket.pingInterval, pingTimeout: openPacket.pingTimeout, maxPayload: { key: 'protocol.engine.fingerprint.maxPayload', params: { bytes: openPacket.maxPayload } } } },
      ],
    })
    expect(polling[0]?.size).toBe(String(polling[0]?.data).length)

    // The client's CONNECT goes out once the engine is open.
    const index = (match: (e: DraftEvent) => boolean) => rec.events.findIndex(match)
    expect(index(isKind('engine', 'open'))).toBeLessThan(index(e => e.layer === 'socketio' && e.dir === 'out'))
    const connectPacket = index(e => e.layer === 'socketio' && e.dir === 'in' && e.name === 'CONNECT')
    const connectEvent = rec.events.find(connected)
    const sid = (rec.events[connectPacket]?.detail?.data as { sid: string }).sid
    expect(connectEvent?.detail).toEqual({ sid, recovered: false })
  })

  it('stays on polling against a polling-only server', async () => {
    const { driver, rec } = open({ url: server().urls.polling })
    driver.connect()
    await rec.until(appEvent('welcome'))
    const result = await driver.send({ kind: 'event', name: 'echo', args: ['over polling'], ack: true })

    expect(result).toMatchObject({ ok: true, ackArgs: ['over polling'] })
    expect(rec.layer('engine').map(line)).toEqual(['engine handshake in polling', 'engine open local polling'])
    expect(rec.layer('engine')[0]?.detail).toMatchObject({ upgrades: [] })
    expect(new Set(rec.layer('wire').map(e => e.transport))).toEqual(new Set(['polling']))
    expect(rec.layer('wire').filter(e => e.dir === 'out').map(e => e.data)).toEqual(['40', '420["echo","over polling"]'])
    expect(rec.events.find(connected)?.transport).toBe('polling')
  })

  // The composer's "Wait for the ack (ms)" field, emptied, gives '': socket.io-client timed the ack out at once.
  it.each([['emptied', ''], ['zero', 0], ['past a timer', 1e308]])('waits the session ack timeout when the ack timeout given is %s', async (_what, value) => {
    const { driver, rec } = open({ url: server().urls.polling })
    driver.connect()
    await rec.until(appEvent('welcome'))
    const result = await driver.send({ kind: 'event', name: 'echo', args: ['acked'], ack: true, timeoutMs: value as unknown as number })
    expect(result).toMatchObject({ ok: true, ackArgs: ['acked'] })
  })

  it('stays on polling with an upgradeError when the server refuses the WebSocket upgrade', async () => {
    server().faults.refuseUpgrade(true)
    const { driver, rec } = open()
    driver.connect()
    await rec.until(isKind('engine', 'upgradeError'))
    await rec.until(connected)
    const result = await driver.send({ kind: 'event', name: 'echo', args: [1], ack: true })

    expect(result).toMatchObject({ ok: true, ackArgs: [1] })
    // The probe's WebSocket fails first (the transport's own error), then the engine gives up the upgrade.
    expect(rec.layer('engine').map(e => e.kind)).toEqual(['handshake', 'open', 'transport_error', 'upgradeError'])
    expect(rec.events.find(isKind('engine', 'transport_error'))).toMatchObject({ transport: 'websocket', reason: 'websocket error' })
    const upgradeError = rec.events.find(isKind('engine', 'upgradeError'))
    expect(upgradeError?.reason).toMatch(/^probe error/)
    expect(upgradeError?.detail).toEqual({ transport: 'websocket' })
    // The probe never got an answer: no frame on the websocket, and the echo went over polling.
    expect(rec.layer('wire').filter(e => e.transport === 'websocket')).toEqual([])
    const echo = rec.layer('wire').filter(e => e.data === '420["echo",1]' || e.data === '430[1]')
    expect(echo.map(e => `${e.dir} ${e.transport} ${e.data}`)).toEqual(['out polling 420["echo",1]', 'in polling 430[1]'])
    expect(driver.state).toBe('open')
  })

  it('reports an invalid URL on connect instead of throwing', () => {
    const { driver, rec } = recordDriver(createSocketIoDriver, { url: 'not a url' })
    driver.connect()
    expect(rec.events.map(line)).toEqual(['lifecycle connect_error local / invalid URL'])
    expect(rec.events[0]?.detail).toEqual({ diagnosis: { id: 'invalid-url', variant: 'not-a-url', params: expect.any(Object), evidence: [], guess: false }, willRetry: false })
    expect(rec.events[0]?.explain).toMatchObject({ key: 'diagnoses.invalid-url.not-a-url.explanation' })
    expect(rec.states).toEqual(['closed'])
  })

  it('says on the timeline that extraHeaders do not reach the websocket transport', async () => {
    const { driver, rec } = open({ extraHeaders: { 'x-token': 'abc' } })
    driver.connect()
    await rec.until(connected)
    expect(rec.layer('lifecycle').slice(0, 2).map(e => `${e.kind} ${e.reason ?? ''}`)).toEqual([
      'connecting ',
      'warning extraHeaders reach polling only',
    ])
    expect(explained(rec.layer('lifecycle')[1])).toContain('websocket transport connects without them')
  })
})

describe('socket.io driver: events and acks', () => {
  it('resolves {ok: true} at once for an emit without ack, and text/binary messages emit `message`', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    expect(await driver.send({ kind: 'event', name: 'echo', args: ['no ack'] })).toEqual({ ok: true })
    expect(await driver.send({ kind: 'text', text: 'hello' })).toEqual({ ok: true })
    expect(await driver.send({ kind: 'binary', data: new Uint8Array([7, 8]) })).toEqual({ ok: true })
    await rec.until(appEvent('echo'))
    const out = rec.layer('wire').filter(e => e.dir === 'out').slice(1)
    expect(out.map(e => (typeof e.data === 'string' ? e.data : [...new Uint8Array(e.data as ArrayBuffer)]))).toEqual([
      '42["echo","no ack"]',
      '42["message","hello"]',
      '451-["message",{"_placeholder":true,"num":0}]',
      [7, 8],
    ])
    // With connection state recovery on, the server appends the packet's offset as a last argument.
    expect(rec.events.find(appEvent('echo'))?.detail).toEqual({ args: ['no ack', expect.any(String)] })
  })

  it('sends and receives binary byte-exact over websocket, labelling the attachments', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    const result = await driver.send({ kind: 'event', name: 'binary', args: [bytes, 'label'], ack: true })

    expect(result.ok).toBe(true)
    const [back, label] = result.ackArgs as [ArrayBuffer, string]
    expect(back).toBeInstanceOf(ArrayBuffer)
    expect([...new Uint8Array(back)]).toEqual([...bytes])
    expect(label).toBe('label')
    const after = rec.events.slice(rec.events.findIndex(isKind('app', 'emit')))
    expect(after.map(line)).toEqual([
      'app emit out binary /',
      'socketio packet out BINARY_EVENT / 0',
      'wire frame out websocket',
      'wire frame out websocket',
      'wire frame in websocket',
      'wire frame in websocket',
      'socketio packet in BINARY_ACK / 0',
      'app ack in binary /',
    ])
    expect(after[1]?.detail).toEqual({ attachments: 1 })
    expect(after[2]?.data).toBe('451-0["binary",{"_placeholder":true,"num":0},"label"]')
    expect(after[3]?.detail).toEqual({ label: 'attachment', attachment: 1, of: 1 })
    expect([...new Uint8Array(after[3]?.data as ArrayBuffer)]).toEqual([...bytes])
    expect(after[3]?.size).toBe(256)
    expect(after[4]?.data).toBe('461-0[{"_placeholder":true,"num":0},"label"]')
    expect(after[5]?.detail).toEqual({ label: 'attachment', attachment: 1, of: 1 })
    expect([...new Uint8Array(after[5]?.data as ArrayBuffer)]).toEqual([...bytes])
    expect(after[6]?.detail).toEqual({ attachments: 1 })
  })

  it('sends and receives binary byte-exact over polling (base64 packets in the body)', async () => {
    const { driver, rec } = open({ url: server().urls.polling })
    driver.connect()
    await rec.until(connected)
    const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255])
    const result = await driver.send({ kind: 'event', name: 'binary', args: [bytes, bytes], ack: true })

    const back = result.ackArgs as ArrayBuffer[]
    expect(back.map(b => [...new Uint8Array(b)])).toEqual([[...bytes], [...bytes]])
    const base64 = Buffer.from(bytes).toString('base64')
    // How the three packets share POST bodies depends on what is in flight; the packets and labels do not.
    const frames = rec.layer('wire').filter(e => e.dir === 'out').slice(1)
    const labels = (e: DraftEvent) => ({ label: e.detail?.label, attachment: e.detail?.attachment, of: e.detail?.of })
    expect(frames.map(e => [e.data, labels(e)])).toEqual([
      ['452-0["binary",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]', { label: undefined, attachment: undefined, of: undefined }],
      [`b${base64}`, { label: 'attachment', attachment: 1, of: 2 }],
      [`b${base64}`, { label: 'attachment', attachment: 2, of: 2 }],
    ])
    expect(frames.map(e => e.size)).toEqual(frames.map(e => String(e.data).length))
    const incoming = rec.layer('wire').filter(e => e.dir === 'in' && String(e.data).startsWith('b'))
    expect(incoming.map(e => [e.data, (e.detail as { label: string, attachment: number }).attachment])).toEqual([[`b${base64}`, 1], [`b${base64}`, 2]])
  })

  it('records only listened event names when catch-all is off', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.setCatchAll(false)
    driver.listen('echo', true)
    driver.connect()
    await rec.until(connected)
    await driver.send({ kind: 'event', name: 'echo', args: ['a'] })
    await driver.send({ kind: 'event', name: 'broadcast', args: ['b'] })
    await rec.until(e => e.layer === 'socketio' && e.dir === 'in' && e.name === 'EVENT', 3, 'welcome + echo + broadcast packets')
    driver.listen('echo', false)
    await driver.send({ kind: 'event', name: 'echo', args: ['c'] })
    await rec.until(e => e.layer === 'socketio' && e.dir === 'in' && e.name === 'EVENT', 4)

    expect(rec.layer('app').filter(e => e.dir === 'in').map(e => `${e.name} ${JSON.stringify((e.detail?.args as unknown[])[0])}`)).toEqual(['echo "a"'])
  })

  it('counts a flood of events exactly: one app event per application event received', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    const n = 1000
    for (let i = 0; i < n; i++) void driver.send({ kind: 'event', name: 'echo', args: [i] })
    await rec.until(appEvent('echo'), n, 'echo events')
    // Give any duplicate a chance to show up before counting.
    await driver.send({ kind: 'event', name: 'echo', args: ['end'], ack: true })

    const echoes = rec.events.filter(appEvent('echo'))
    expect(echoes.length).toBe(n)
    expect(echoes.map(e => (e.detail?.args as unknown[])[0])).toEqual(Array.from({ length: n }, (_, i) => i))
    expect(rec.layer('socketio').filter(e => e.dir === 'in' && e.name === 'EVENT').length).toBe(n + 1) // + welcome
    expect(rec.layer('app').filter(e => e.kind === 'event' && e.dir === 'in').length).toBe(n + 1)
  })

  it('splits polling batches into one frame per packet', async () => {
    const { driver, rec } = open({ url: server().urls.polling })
    driver.connect()
    await rec.until(connected)
    const n = 20
    for (let i = 0; i < n; i++) void driver.send({ kind: 'event', name: 'echo', args: [i] })
    await rec.until(appEvent('echo'), n, 'echo events')

    expect(rec.events.filter(appEvent('echo')).map(e => (e.detail?.args as unknown[])[0])).toEqual(Array.from({ length: n }, (_, i) => i))
    for (const dir of ['in', 'out'] as const) {
      const frames = rec.layer('wire').filter(e => e.dir === dir && String(e.data).startsWith('42["echo"'))
      expect(frames.length).toBe(n)
      // The server answers the batch it got in one tick, and the client queues emits behind the POST in flight.
      const batched = frames.filter(e => e.detail?.batch !== undefined)
      expect(batched.length).toBeGreaterThan(0)
      let expected = 0
      for (const frame of batched) {
        const { batch, index } = frame.detail as { batch: number, index: number }
        if (index === 0) expected = 0
        expect(index).toBe(expected++)
        expect(index).toBeLessThan(batch)
      }
    }
  })
})

describe('socket.io driver: rooms and namespaces', () => {
  it('delivers a room message from one driver to another', async () => {
    const alice = open({ transports: ['websocket'] })
    const bob = open({ transports: ['websocket'] })
    alice.driver.connect()
    bob.driver.connect()
    await alice.rec.until(connected)
    await bob.rec.until(connected)

    expect(await alice.driver.send({ kind: 'event', name: 'joinRoom', args: ['lobby'], ack: true })).toMatchObject({ ok: true, ackArgs: [['lobby']] })
    expect(await bob.driver.send({ kind: 'event', name: 'joinRoom', args: [{ room: 'lobby' }], ack: true })).toMatchObject({ ok: true, ackArgs: [['lobby']] })
    // `roomMessage` says who sent it; the dev server's `message` is the study note's, with the message alone.
    const sent = await alice.driver.send({ kind: 'event', name: 'roomMessage', args: [{ room: 'lobby', message: 'hi bob' }], ack: true })
    expect(sent).toMatchObject({ ok: true, ackArgs: [{ room: 'lobby', delivered: 1 }] })
    const [received] = await bob.rec.until(appEvent('roomMessage'))

    const aliceSid = alice.rec.events.find(connected)?.detail?.sid
    const bobSid = bob.rec.events.find(connected)?.detail?.sid
    // With connection state recovery on, the server appends the packet's offset as a last argument.
    expect(received?.detail?.args).toEqual([{ room: 'lobby', message: 'hi bob', from: aliceSid }, expect.any(String)])
    const joined = alice.rec.events.filter(appEvent('joined')).map(e => (e.detail?.args as unknown[])[0])
    expect(joined).toEqual([{ room: 'lobby', id: aliceSid }, { room: 'lobby', id: bobSid }])
    expect(alice.rec.events.filter(appEvent('roomMessage'))).toEqual([])
  })

  it('joins /admin with the right token and reports the middleware refusal with the wrong one', async () => {
    const good = open({ url: `${server().urls.socketio}/admin`, auth: { token: server().adminToken }, transports: ['websocket'] })
    good.driver.connect()
    await good.rec.until(appEvent('welcome'))
    expect(good.rec.layer('socketio')[0]).toMatchObject({ name: 'CONNECT', dir: 'out', namespace: '/admin', detail: { data: { token: server().adminToken } } })
    expect(good.rec.layer('wire')[1]?.data).toBe(`40/admin,{"token":"${server().adminToken}"}`)
    expect(good.driver.state).toBe('open')

    const bad = open({ url: `${server().urls.socketio}/admin`, auth: { token: 'wrong' }, transports: ['websocket'] })
    bad.driver.connect()
    const [error] = await bad.rec.until(isKind('lifecycle', 'connect_error'))
    const data = { reason: 'invalid token', hint: `connect to /admin with auth: { token: "${server().adminToken}" }` }
    expect(error).toMatchObject({ dir: 'in', namespace: '/admin', reason: 'not authorized', detail: { data, diagnosis: { id: 'auth-rejected' }, willRetry: false } })
    expect(explained(error)).toContain('middleware refused the connection: "not authorized"')
    expect(bad.rec.layer('socketio').map(line)).toEqual(['socketio packet out CONNECT /admin', 'socketio packet in CONNECT_ERROR /admin'])
    expect(bad.rec.layer('socketio')[1]?.detail).toEqual({ data: { message: 'not authorized', data } })
    expect(bad.rec.states).toEqual(['connecting', 'closed'])
    expect(bad.driver.state).toBe('closed')
  })

  it('keeps one state per namespace over one Manager', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.addNamespace('ticker')
    driver.addNamespace('/admin', { token: 'wrong' })
    expect([...driver.namespaces]).toEqual([['/', 'idle'], ['/ticker', 'idle'], ['/admin', 'idle']])
    driver.connect()
    await rec.until(connected, 2)
    await rec.until(isKind('lifecycle', 'connect_error'))
    expect([...driver.namespaces]).toEqual([['/', 'open'], ['/ticker', 'open'], ['/admin', 'closed']])
    // One engine session carries every namespace.
    expect(rec.layer('engine').filter(e => e.kind === 'handshake').length).toBe(1)

    const quote = await driver.send({ kind: 'event', name: 'subscribe', args: ['ACME'], namespace: '/ticker', ack: true })
    expect(quote).toMatchObject({ ok: true, ackArgs: [['ACME']] })
    await rec.until(e => appEvent('quote')(e) && e.namespace === '/ticker')

    driver.removeNamespace('/ticker')
    expect([...driver.namespaces]).toEqual([['/', 'open'], ['/admin', 'closed']])
    expect(rec.events.filter(e => e.layer !== 'wire').slice(-2).map(line)).toEqual([
      'socketio packet out DISCONNECT /ticker',
      'lifecycle disconnect local /ticker io client disconnect',
    ])
    expect(driver.state).toBe('open')
    expect(await driver.send({ kind: 'event', name: 'echo', args: [1], ack: true })).toMatchObject({ ok: true })

    // Added while connected: connects at once.
    driver.addNamespace('/admin2')
    const [refused] = await rec.until(e => e.kind === 'connect_error' && e.namespace === '/admin2')
    expect(refused).toMatchObject({ reason: 'Invalid namespace', detail: { diagnosis: { id: 'handshake-rejected' } } })
  })
})

describe('socket.io driver: disconnects and reconnects', () => {
  it('recovers the session after the server cuts the TCP connection: the same sid, and the pid/offset in the new CONNECT', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    server().faults.killSockets()
    await rec.until(connected, 2)

    // What the cut looks like (transport close, 1006) is in the driver contract suite; this is v4's recovery.
    const connects = rec.events.filter(connected)
    expect(connects[1]?.detail?.sid).toBe(connects[0]?.detail?.sid)
    const reconnectPacket = rec.layer('socketio').filter(e => e.dir === 'out' && e.name === 'CONNECT')[1]
    expect(Object.keys(reconnectPacket?.detail?.data as object)).toEqual(['pid', 'offset'])
  })

  it('does not reconnect after the server disconnects the socket', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    server().faults.disconnectSockets()
    const [disconnect] = await rec.until(isKind('lifecycle', 'disconnect'))
    expect(disconnect).toMatchObject({ dir: 'in', reason: 'io server disconnect', detail: { willRetry: false } })
    expect(disconnect?.explain).toEqual({ key: 'protocol.socketio.serverDisconnect' })
    expect(rec.layer('socketio').at(-1)).toMatchObject({ dir: 'in', name: 'DISCONNECT' })
    expect(driver.state).toBe('closed')
  })

  it('disconnects on request and connects again on the same driver', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    driver.disconnect()
    expect(rec.layer('lifecycle').at(-1)).toMatchObject({ kind: 'disconnect', dir: 'local', reason: 'io client disconnect', detail: { willRetry: false, wasConnected: true } })
    expect(driver.state).toBe('closed')
    driver.connect()
    await rec.until(connected, 2)
    expect(rec.states).toEqual(['connecting', 'open', 'closed', 'connecting', 'open'])
  })

  it('stops a connection attempt on disconnect, with a disconnect event', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    driver.disconnect()
    expect(rec.layer('lifecycle').map(line)).toEqual([
      'lifecycle connecting local /',
      'lifecycle disconnect local / io client disconnect',
    ])
    expect(driver.state).toBe('closed')
  })

  it('records nothing after dispose and resolves sends with an error', async () => {
    const { driver, rec } = open({ transports: ['websocket'] })
    driver.connect()
    await rec.until(connected)
    driver.dispose()
    const count = rec.events.length
    expect(inWords(await driver.send({ kind: 'event', name: 'echo', args: [] }))).toEqual({ ok: false, error: 'This session is closed.' })
    driver.connect()
    expect(rec.events.length).toBe(count)
  })
})
