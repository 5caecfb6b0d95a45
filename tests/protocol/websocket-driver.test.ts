/**
 * The raw WebSocket driver against the real dev server, over real sockets, in Node (the `ws` package stands in for
 * the browser's WebSocket). A few failures the dev server cannot produce get a tiny server of their own here:
 * a closed port, and a server that sends a text frame that is not UTF-8.
 */
import { createHash } from 'node:crypto'
import { createServer as createHttpServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket as NodeWebSocket, type ClientOptions } from 'ws'
import type { ConnectionState, TimelineEvent } from '../../src/protocol/types'
import { Timeline } from '../../src/timeline/timeline'
import {
  createWebSocketDriver, reconnectDelay, resolveReconnectPolicy, type WebSocketDriver, type WebSocketDriverOptions,
} from '../../src/protocol/websocket/driver'
import { startTestServer, useDevServer, waitFor } from '../support/devServer'
import { closedPort, listenOnLoopback } from '../support/ports'
import { Recorder } from '../support/recorder'
import { diagnosisWords, explained } from '../support/words'
import { sentInWords } from '../support/sendWords'
import { BrowserLikeWS } from '../support/browserLikeWebSocket'

const WS = NodeWebSocket as unknown as typeof WebSocket

const MiB = 1024 * 1024

const drivers: WebSocketDriver[] = []

function driverFor(options: Partial<WebSocketDriverOptions> & { url: string }, rec: Recorder | Timeline = new Recorder()): WebSocketDriver {
  const sink = rec instanceof Timeline ? rec.append : rec.sink
  const onState = rec instanceof Timeline ? undefined : rec.onState
  const driver = createWebSocketDriver({
    WebSocket: WS,
    reconnect: { enabled: false },
    random: () => 0.5,
    ...options,
  }, sink, { onState })
  drivers.push(driver)
  return driver
}

afterEach(() => {
  for (const driver of drivers.splice(0)) driver.dispose()
})

/** Connects, disconnects once open, and checks the driver went connecting → open → closed, and nothing else. */
async function openThenDisconnect(driver: WebSocketDriver, rec: Recorder): Promise<void> {
  driver.connect()
  await rec.kind('open')
  driver.disconnect()
  await rec.kind('close')
  expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'lifecycle/close/local'])
  expect(rec.states).toEqual(['connecting', 'open', 'closed'])
}

function bytes(buffer: ArrayBuffer | string | undefined): Buffer {
  if (!(buffer instanceof ArrayBuffer)) throw new Error(`expected an ArrayBuffer, got ${typeof buffer}`)
  return Buffer.from(buffer)
}

const server = useDevServer()

describe('open, frames and close', () => {
  it('opens, echoes a text message on / and closes on disconnect, event by event', async () => {
    const rec = new Recorder()
    const url = `${server().urls.ws}/`
    const driver = driverFor({ url }, rec)
    expect(driver.type).toBe('ws')
    expect(driver.state).toBe('idle')
    driver.connect()
    await rec.kind('open')
    await expect(sentInWords(driver.send({ kind: 'text', text: 'hello' }))).resolves.toEqual({ ok: true })
    await rec.next('echo', e => e.kind === 'frame' && e.dir === 'in')
    driver.disconnect()
    await rec.kind('close')

    expect(rec.kinds()).toEqual([
      'lifecycle/connecting/local',
      'lifecycle/open/in',
      'wire/frame/out',
      'wire/frame/in',
      'lifecycle/close/local',
    ])
    const [connecting, open, out, echo, close] = rec.events
    expect(connecting).toMatchObject({ attempt: 0, detail: { url, protocols: [] } })
    expect(open?.detail).toMatchObject({ protocol: '', extensions: '' })
    expect(open?.detail?.handshakeMs).toBeGreaterThanOrEqual(0)
    expect(out).toMatchObject({ transport: 'websocket', size: 5, data: 'hello' })
    expect(echo).toMatchObject({ transport: 'websocket', size: 18, data: 'echo message hello' })
    expect(close).toMatchObject({ code: 1000, reason: '', detail: { wasClean: true, byUser: true, closedBy: 'client' } })
    expect(explained(close)).toMatch(/^1000 Normal closure: /)
    expect(close?.detail?.msSinceOpen).toBeGreaterThanOrEqual(0)
    expect(rec.states).toEqual(['connecting', 'open', 'closed'])
    // time is when the driver saw it: never going backwards.
    const times = rec.events.map(e => e.time)
    expect(times).toEqual([...times].sort((a, b) => a - b))

    await expect(sentInWords(driver.send({ kind: 'text', text: 'late' }))).resolves.toEqual({ ok: false, error: 'Not connected: press Connect first.' })
  })

  it('sends and receives text and binary byte-exact on /echo, counting UTF-8 bytes', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: `${server().urls.ws}/echo` }, rec)
    driver.connect()
    await rec.kind('open')

    const text = 'héllo 👋 世界\u0000end'
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    const view = all.subarray(10, 20) // a view into a larger buffer: only its 10 bytes go out
    for (const message of [{ kind: 'text', text } as const, { kind: 'binary', data: all.buffer } as const, { kind: 'binary', data: view } as const])
      await expect(sentInWords(driver.send(message))).resolves.toEqual({ ok: true })
    await rec.next('three echoes', () => rec.events.filter(e => e.kind === 'frame' && e.dir === 'in').length === 3)

    const out = rec.events.filter(e => e.kind === 'frame' && e.dir === 'out')
    const echoed = rec.events.filter(e => e.kind === 'frame' && e.dir === 'in')
    expect(out.map(e => e.size)).toEqual([Buffer.byteLength(text), 256, 10])
    expect(echoed.map(e => e.size)).toEqual([Buffer.byteLength(text), 256, 10])
    expect(out[0]?.data).toBe(text)
    expect(echoed[0]?.data).toBe(text)
    expect(bytes(out[1]?.data).equals(Buffer.from(all))).toBe(true)
    expect(bytes(echoed[1]?.data).equals(Buffer.from(all))).toBe(true)
    expect([...bytes(out[2]?.data)]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    expect([...bytes(echoed[2]?.data)]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
  })

  it.each([
    [1001, 'bye', /^1001 Going away: /],
    [1011, 'oops', /^1011 Internal server error: /],
    [3000, 'who are you', /^3000 Registered code: Unauthorized/],
    [4321, 'custom', /^4321 Application code: 4321 is application-defined/],
  ])('reports a server close with %i, its reason and what it means', async (code, reason, meaning) => {
    const rec = new Recorder()
    driverFor({ url: `${server().urls.ws}/close?code=${code}&reason=${encodeURIComponent(reason)}` }, rec).connect()
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'lifecycle/close/in'])
    expect(close).toMatchObject({ code, reason, detail: { wasClean: true, byUser: false, closedBy: 'server' } })
    expect(explained(close)).toMatch(meaning)
    expect(explained(close)).toContain(`The reason given was "${reason}".`)
    expect(rec.states).toEqual(['connecting', 'open', 'closed'])
  })

  it('reports a dropped TCP connection as 1006, not clean, closed by the network', async () => {
    const rec = new Recorder()
    driverFor({ url: `${server().urls.ws}/drop?after=0` }, rec).connect()
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'lifecycle/close/local'])
    expect(close).toMatchObject({ code: 1006, reason: '', detail: { wasClean: false, byUser: false, closedBy: 'network' } })
    expect(explained(close)).toMatch(/^1006 Abnormal closure: The connection ended without a close frame/)
  })
})

describe('subprotocols', () => {
  it('logs the negotiated subprotocol (chat.v1) on open', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: `${server().urls.ws}/subprotocol`, protocols: ['chat.v1', 'chat.v2'] }, rec)
    driver.connect()
    const open = await rec.kind('open')
    expect(open.detail).toMatchObject({ protocol: 'chat.v1' })
    expect(rec.events[0]?.detail).toEqual({ url: `${server().urls.ws}/subprotocol`, protocols: ['chat.v1', 'chat.v2'] })
    await driver.send({ kind: 'text', text: 'hi' })
    const reply = await rec.next('reply', e => e.kind === 'frame' && e.dir === 'in')
    expect(reply.data).toBe('[chat.v1] hi')
  })

  it('fails the handshake when the server picks none of the offered subprotocols', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: `${server().urls.ws}/subprotocol`, protocols: ['chat.v9'] }, rec)
    driver.connect()
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/error/local', 'lifecycle/close/local'])
    expect(rec.events[1]).toMatchObject({ detail: { diagnosis: { id: 'subprotocol-mismatch' }, message: 'Server sent no subprotocol' } })
    expect(explained(rec.events[1])).toContain('chat.v9')
    expect(close).toMatchObject({ code: 1006, detail: { wasClean: false, byUser: false, closedBy: 'network' } })
    expect(explained(close)).toMatch(/^The opening handshake failed/)
    expect(rec.states).toEqual(['connecting', 'closed'])
  })
})

describe('handshake failures, each with its diagnosis', () => {
  it('names the HTTP status when the server rejects the handshake (403)', async () => {
    const rec = new Recorder()
    driverFor({ url: `${server().urls.ws}/reject?status=403` }, rec).connect()
    await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/error/local', 'lifecycle/close/local'])
    expect(rec.events[1]).toMatchObject({
      detail: { diagnosis: { id: 'handshake-rejected', variant: 'http-auth-ws', params: { status: 403 } }, message: 'Unexpected server response: 403' },
    })
  })

  it('says nothing is listening on a closed port', async () => {
    const port = await closedPort()
    const rec = new Recorder()
    driverFor({ url: `ws://127.0.0.1:${port}/` }, rec).connect()
    await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/error/local', 'lifecycle/close/local'])
    expect(rec.events[1]).toMatchObject({ detail: { diagnosis: { id: 'nothing-listening' } } })
    expect(diagnosisWords(rec.events[1])).toBe('Nothing listening')
    expect(rec.events[1]?.detail?.message).toContain('ECONNREFUSED')
  })

  it('says the certificate is not trusted on wss:// with the self-signed certificate, and opens once it is trusted', async () => {
    const rec = new Recorder()
    driverFor({ url: `${server().urls.wss}/echo` }, rec).connect()
    await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/error/local', 'lifecycle/close/local'])
    expect(rec.events[1]).toMatchObject({ detail: { diagnosis: { id: 'tls-untrusted', variant: 'certain', params: { https: `https://${new URL(server().urls.wss).host}` } } } })

    // What "accept the certificate" does in a browser: trust it.
    const ca = server().tls.cert
    class TrustingWebSocket extends NodeWebSocket {
      constructor(url: string, protocols?: string | string[], options?: ClientOptions) {
        super(url, protocols, { ...options, ca })
      }
    }
    const trusted = new Recorder()
    const driver = driverFor({ url: `${server().urls.wss}/echo`, WebSocket: TrustingWebSocket as unknown as typeof WebSocket }, trusted)
    driver.connect()
    await trusted.kind('open')
    await driver.send({ kind: 'text', text: 'over TLS' })
    expect((await trusted.next('echo', e => e.kind === 'frame' && e.dir === 'in')).data).toBe('over TLS')
  })

  it('blames the local-network permission when a public page that was denied it fails to reach loopback', async () => {
    // The same failure with the permission granted is no permission problem.
    for (const [permission, diagnosis] of [['denied', 'local-network'], ['granted', 'nothing-listening']] as const) {
      const rec = new Recorder()
      driverFor({
        url: `ws://127.0.0.1:${await closedPort()}/`,
        WebSocket: BrowserLikeWS,
        pageUrl: 'https://socketlens.example/',
        localNetworkPermission: () => permission,
      }, rec).connect()
      await rec.kind('close')
      expect(rec.events[1], permission).toMatchObject({ kind: 'error', detail: { diagnosis: { id: diagnosis } } })
    }
  })

  it('with only a browser\'s bare error, diagnoses by scheme and time to fail', async () => {
    const refused = new Recorder()
    driverFor({ url: `ws://127.0.0.1:${await closedPort()}/`, WebSocket: BrowserLikeWS }, refused).connect()
    await refused.kind('close')
    expect(refused.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/error/local', 'lifecycle/close/local'])
    expect(refused.events[1]).toMatchObject({ detail: { diagnosis: { id: 'nothing-listening' } } })
    expect(diagnosisWords(refused.events[1])).toBe('Nothing listening?')
    expect(refused.events[1]?.detail).not.toHaveProperty('message')

    const tls = new Recorder()
    driverFor({ url: `${server().urls.wss}/echo`, protocols: ['chat.v1'], WebSocket: BrowserLikeWS }, tls).connect()
    await tls.kind('close')
    expect(tls.events[1]).toMatchObject({ detail: { diagnosis: { id: 'tls-untrusted' } } })
    expect(diagnosisWords(tls.events[1])).toBe('TLS certificate not trusted')
    expect(explained(tls.events[1])).toMatch(/Most often the server's TLS certificate is not trusted/)
    expect(explained(tls.events[1])).toMatch(/You also asked for the subprotocol chat\.v1/)
  })

  it('gives up on a server that never answers the handshake (connect timeout)', async () => {
    const rec = new Recorder()
    driverFor({ url: server().urls.silent, connectTimeoutMs: 150 }, rec).connect()
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/connect_timeout/local', 'lifecycle/close/local'])
    expect(rec.events[1]).toMatchObject({ detail: { diagnosis: { id: 'connect-timeout' }, timeoutMs: 150 } })
    expect(explained(rec.events[1])).toMatch(/^Nothing answered the WebSocket handshake within \d+ ms/)
    expect(close).toMatchObject({ code: 1006, detail: { wasClean: false, byUser: false, closedBy: 'client' } })
    expect(rec.states).toEqual(['connecting', 'closed'])
  })
})

describe('bad input never throws', () => {
  it.each([
    ['not a url', undefined, 'Invalid URL'],
    ['ftp://localhost:8080/', undefined, 'Unknown scheme'],
    ['ws://localhost:8080/', ['chat v1'], 'Invalid subprotocol'],
    ['ws://localhost:8080/', ['chat.v1', 'chat.v1'], 'Duplicated subprotocol'],
  ])('%s %j → an error event (%s), state closed, and connect() works again', (url, protocols, title) => {
    const rec = new Recorder()
    const driver = driverFor({ url, protocols }, rec)
    expect(() => driver.connect()).not.toThrow()
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/error/local'])
    expect(rec.events[1]).toMatchObject({ detail: { diagnosis: { id: 'invalid-url' } } })
    expect(diagnosisWords(rec.events[1])).toBe(title)
    expect(rec.events[1]?.detail?.message).toEqual(expect.any(String))
    expect(driver.state).toBe('closed')
    driver.connect()
    expect(rec.kinds()).toHaveLength(4)
    expect(rec.states).toEqual(['connecting', 'closed', 'connecting', 'closed'])
  })

  it('answers sends it cannot make with a sentence', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: `${server().urls.ws}/echo` }, rec)
    await expect(sentInWords(driver.send({ kind: 'text', text: 'x' }))).resolves.toEqual({ ok: false, error: 'Not connected: press Connect first.' })
    driver.connect()
    await expect(sentInWords(driver.send({ kind: 'text', text: 'x' }))).resolves.toEqual({ ok: false, error: 'The connection is still opening: send again once it is open.' })
    await rec.kind('open')
    await expect(sentInWords(driver.send({ kind: 'event', name: 'chat', args: [] }))).resolves.toMatchObject({ ok: false, error: expect.stringMatching(/^A raw WebSocket has no named events/) })
    driver.disconnect(999)
    expect(rec.events.at(-1)).toMatchObject({ kind: 'error', detail: { diagnosis: { id: 'unknown', variant: 'invalid-close' } } })
    expect(driver.state).toBe('open')
    driver.disconnect(4000, 'done')
    await expect(sentInWords(driver.send({ kind: 'text', text: 'x' }))).resolves.toEqual({ ok: false, error: 'The connection is closing: connect again to send.' })
    expect(await rec.kind('close')).toMatchObject({ code: 4000, reason: 'done', detail: { byUser: true } })
    expect(rec.kinds().filter(k => k.startsWith('wire/'))).toEqual([])
  })

  // The connection form's number fields: an emptied one gives v-model.number '', and a number input takes 1e308.
  // A timer delay past 2^31-1 ms fires at once, so 1e308 used to time every handshake out after 1 ms.
  it.each([
    ['emptied (\'\')', ''],
    ['past a timer (1e308)', 1e308],
  ])('opens with timeouts and delays %s', async (_what, value) => {
    const rec = new Recorder()
    const n = value as unknown as number
    const driver = driverFor({ url: `${server().urls.ws}/`, connectTimeoutMs: n, closeTimeoutMs: n, reconnect: { enabled: true, initialDelayMs: n, maxDelayMs: n, maxAttempts: n, jitter: n } }, rec)
    await openThenDisconnect(driver, rec)
  })
})

describe('big frames and backpressure', () => {
  it('sends and receives a 16 MiB frame byte-exact, showing bufferedAmount after the send', async () => {
    const big = await startTestServer({ maxPayload: 32 * MiB })
    try {
      const rec = new Recorder()
      const driver = driverFor({ url: `${big.urls.ws}/echo` }, rec)
      driver.connect()
      await rec.kind('open')
      const payload = new Uint8Array(16 * MiB)
      for (let i = 0; i < payload.length; i += 4096) payload[i] = (i / 4096) & 0xff
      await expect(sentInWords(driver.send({ kind: 'binary', data: payload }))).resolves.toEqual({ ok: true })
      const out = rec.events.at(-1)
      expect(out).toMatchObject({ kind: 'frame', dir: 'out', size: 16 * MiB })
      expect(out?.detail?.bufferedAmount).toBeGreaterThan(0)
      const echo = await rec.next('16 MiB echo', e => e.kind === 'frame' && e.dir === 'in', 0, 15_000)
      expect(echo.size).toBe(16 * MiB)
      expect(bytes(echo.data).equals(Buffer.from(payload.buffer))).toBe(true)

      // And a 16 MiB text frame from the server, sized in UTF-8 bytes.
      const rec2 = new Recorder()
      driverFor({ url: `${big.urls.ws}/big?size=${16 * MiB}` }, rec2).connect()
      const text = await rec2.next('16 MiB text', e => e.kind === 'frame' && e.dir === 'in', 0, 15_000)
      expect(text.size).toBe(16 * MiB)
      expect(typeof text.data === 'string' && text.data.startsWith('abcdefghij')).toBe(true)
    }
    finally {
      await big.close()
    }
  })

  it('explains the 1009 close when a frame is over the server\'s maxPayload (1 MiB by default)', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: `${server().urls.ws}/echo` }, rec)
    driver.connect()
    await rec.kind('open')
    await expect(sentInWords(driver.send({ kind: 'binary', data: new Uint8Array(2 * MiB) }))).resolves.toEqual({ ok: true })
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'wire/frame/out', 'lifecycle/close/in'])
    expect(close).toMatchObject({ code: 1009, detail: { wasClean: true, closedBy: 'server' } })
    expect(explained(close)).toMatch(/^1009 Message too big: /)
  })
})

describe('a misbehaving server', () => {
  let raw: Server
  let rawPort: number
  const sockets = new Set<Socket>()
  const rawUrl = (path: string) => `ws://127.0.0.1:${rawPort}${path}`

  beforeAll(async () => {
    // Completes the handshake (RFC 6455 §4.2.2), then on /invalid-utf8 sends a text frame holding 0xFF 0xFE, and on
    // /deaf ignores everything, close frames included.
    raw = createHttpServer()
    raw.on('upgrade', (req, socket: Socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => sockets.delete(socket))
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`)
      if (req.url === '/invalid-utf8') socket.write(Buffer.from([0x81, 0x02, 0xFF, 0xFE]))
      socket.on('data', () => {})
      socket.on('end', () => socket.end())
    })
    rawPort = await listenOnLoopback(raw)
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>(resolve => raw.close(() => resolve()))
  })

  it('fails the connection with 1007 on invalid UTF-8 and says why', async () => {
    const rec = new Recorder()
    driverFor({ url: rawUrl('/invalid-utf8') }, rec).connect()
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'lifecycle/error/local', 'lifecycle/close/local'])
    expect(rec.events[2]?.detail?.message).toMatch(/invalid UTF-8 sequence/)
    expect(explained(rec.events[2])).toMatch(/not valid UTF-8/)
    expect(close).toMatchObject({ code: 1006, detail: { wasClean: false, closedBy: 'client', failedWith: 1007 } })
    expect(explained(close)).toMatch(/^This side closed the connection with 1007 Invalid payload data: /)
  })

  it('with only a browser\'s bare error, still says this side failed the connection', async () => {
    const rec = new Recorder()
    driverFor({ url: rawUrl('/invalid-utf8'), WebSocket: BrowserLikeWS }, rec).connect()
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'lifecycle/error/local', 'lifecycle/close/local'])
    expect(rec.events[2]?.detail).not.toHaveProperty('message')
    expect(explained(rec.events[2])).toMatch(/^The browser failed the connection: .*not valid UTF-8/)
    expect(close).toMatchObject({ code: 1006, detail: { wasClean: false, closedBy: 'client' } })
    expect(explained(close)).toMatch(/^This side failed the connection after the error above/)
  })

  it('lets the connection go when the server never answers the close frame', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: rawUrl('/deaf'), closeTimeoutMs: 50, reconnect: { enabled: true, initialDelayMs: 20 } }, rec)
    driver.connect()
    await rec.kind('open')
    driver.disconnect()
    expect(driver.state).toBe('open')
    const close = await rec.kind('close')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'lifecycle/close/local'])
    expect(close).toMatchObject({ code: 1006, detail: { wasClean: false, byUser: true, closedBy: 'client' } })
    expect(explained(close)).toMatch(/did not answer the close frame within 50 ms/)
    expect(rec.states).toEqual(['connecting', 'open', 'closed'])
  })
})

describe('reconnect', () => {
  const policy = { enabled: true, initialDelayMs: 20, maxDelayMs: 1000, maxAttempts: Infinity, jitter: 0.5 }

  it('reconnects after the server restarts on the same port, logging every attempt and keeping the history', async () => {
    const restarting = await startTestServer()
    try {
      const timeline = new Timeline()
      const states: ConnectionState[] = []
      const driver = createWebSocketDriver({ url: `${restarting.urls.ws}/echo`, WebSocket: WS, reconnect: policy, random: () => 0.5 }, timeline.append, { onState: s => states.push(s) })
      drivers.push(driver)
      const waitForTimeline = (what: string, done: (events: TimelineEvent[]) => boolean) => waitFor(what, () => done(timeline.toArray()), 10_000)
      driver.connect()
      await waitForTimeline('open', evs => evs.some(e => e.kind === 'open'))
      await driver.send({ kind: 'text', text: 'before' })
      await waitForTimeline('echo', evs => evs.some(e => e.kind === 'frame' && e.dir === 'in'))

      await restarting.restart({ downtimeMs: 200 })
      await waitForTimeline('reconnect', evs => evs.some(e => e.kind === 'reconnect'))
      await driver.send({ kind: 'text', text: 'after' })
      await waitForTimeline('second echo', evs => evs.filter(e => e.kind === 'frame' && e.dir === 'in').length === 2)

      const events = timeline.toArray()
      expect(events.map(e => e.seq)).toEqual(events.map((_, i) => i + 1))
      const kinds = events.map(e => `${e.layer}/${e.kind}/${e.dir}`)
      expect(kinds.slice(0, 5)).toEqual(['lifecycle/connecting/local', 'lifecycle/open/in', 'wire/frame/out', 'wire/frame/in', 'lifecycle/close/local'])
      expect(events[4]).toMatchObject({ code: 1006, detail: { closedBy: 'network', byUser: false } })
      // Then failed attempts while the server is down (how many depends on the machine), each exactly
      // reconnect_attempt → connecting → error → close, with the planned delays doubling from 20 ms …
      const rest = events.slice(5)
      const failed = (rest.length - 6) / 4
      expect(Number.isInteger(failed)).toBe(true)
      for (let i = 0; i < failed; i++) {
        const attempt = i + 1
        expect(rest.slice(i * 4, i * 4 + 4).map(e => [e.kind, e.attempt, e.delayMs, (e.detail as { diagnosis?: { id: string } } | undefined)?.diagnosis?.id, e.code])).toEqual([
          ['reconnect_attempt', attempt, Math.min(1000, 20 * 2 ** i), undefined, undefined],
          ['connecting', attempt, undefined, undefined, undefined],
          ['error', undefined, undefined, 'nothing-listening', undefined],
          ['close', undefined, undefined, undefined, 1006],
        ])
      }
      // … and the attempt that succeeds, then the echo over the new connection.
      const attempt = failed + 1
      expect(rest.slice(failed * 4).map(e => [e.kind, e.dir, e.attempt, e.delayMs])).toEqual([
        ['reconnect_attempt', 'local', attempt, Math.min(1000, 20 * 2 ** failed)],
        ['connecting', 'local', attempt, undefined],
        ['open', 'in', undefined, undefined],
        ['reconnect', 'local', attempt, undefined],
        ['frame', 'out', undefined, undefined],
        ['frame', 'in', undefined, undefined],
      ])
      expect(events.filter(e => e.kind === 'frame').map(e => e.data)).toEqual(['before', 'before', 'after', 'after'])
      expect(states).toEqual(['connecting', 'open', ...Array(failed + 1).fill(['reconnecting', 'connecting']).flat(), 'open'])
    }
    finally {
      await restarting.close()
    }
  })

  it('gives up with reconnect_failed after maxAttempts', async () => {
    const port = await closedPort()
    const rec = new Recorder()
    const driver = driverFor({ url: `ws://127.0.0.1:${port}/`, reconnect: { ...policy, maxAttempts: 2 } }, rec)
    driver.connect()
    await rec.kind('reconnect_failed')
    const failure = ['lifecycle/connecting/local', 'lifecycle/error/local', 'lifecycle/close/local']
    expect(rec.kinds()).toEqual([
      ...failure,
      'lifecycle/reconnect_attempt/local', ...failure,
      'lifecycle/reconnect_attempt/local', ...failure,
      'lifecycle/reconnect_failed/local',
    ])
    expect(rec.events.map(e => e.attempt).filter(a => a !== undefined)).toEqual([0, 1, 1, 2, 2, 2])
    expect(rec.events.filter(e => e.kind === 'reconnect_attempt').map(e => e.delayMs)).toEqual([20, 40])
    expect(rec.states).toEqual(['connecting', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'closed'])
    expect(driver.state).toBe('closed')
    expect(explained(rec.events.at(-1))).toBe('Gave up after 2 reconnect attempts (the limit set in Connection options). Press Connect to try again.')
  })

  it('does not retry what cannot succeed: a port browsers block fails the same way every time', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: 'ws://127.0.0.1:9/', WebSocket: BrowserLikeWS, reconnect: policy }, rec)
    driver.connect()
    await rec.kind('reconnect_failed')
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/error/local', 'lifecycle/close/local', 'lifecycle/reconnect_failed/local'])
    expect(rec.events[1]?.detail).toMatchObject({ diagnosis: { id: 'invalid-url' } })
    expect(explained(rec.events[3])).toMatch(/^Not reconnecting: /)
    expect(driver.state).toBe('closed')
  })

  it('stops reconnecting when the user disconnects, whether open or waiting to reconnect', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: `${server().urls.ws}/echo`, reconnect: policy }, rec)
    await openThenDisconnect(driver, rec)

    const port = await closedPort()
    const waiting = new Recorder()
    const slow = driverFor({ url: `ws://127.0.0.1:${port}/`, reconnect: { ...policy, initialDelayMs: 60_000, maxDelayMs: 60_000 } }, waiting)
    slow.connect()
    await waiting.kind('reconnect_attempt')
    expect(slow.state).toBe('reconnecting')
    slow.disconnect()
    expect(waiting.kinds().slice(-2)).toEqual(['lifecycle/reconnect_attempt/local', 'lifecycle/reconnect_cancelled/local'])
    expect(waiting.events.at(-1)).toMatchObject({ attempt: 1 })
    expect(waiting.states).toEqual(['connecting', 'reconnecting', 'closed'])
  })

  it('cancels a handshake in progress on disconnect without calling it a failure', async () => {
    const rec = new Recorder()
    const driver = driverFor({ url: server().urls.silent, reconnect: policy }, rec)
    driver.connect()
    driver.disconnect()
    expect(rec.kinds()).toEqual(['lifecycle/connecting/local', 'lifecycle/close/local'])
    expect(rec.events[1]).toMatchObject({ code: 1006, detail: { byUser: true, closedBy: 'client' } })
    expect(rec.states).toEqual(['connecting', 'closed'])
  })
})

describe('reconnect policy', () => {
  it('doubles the delay from initialDelayMs up to maxDelayMs, spread by the jitter', () => {
    const policy = resolveReconnectPolicy({ initialDelayMs: 500, maxDelayMs: 10_000, jitter: 0.5 })
    expect([1, 2, 3, 4, 5, 6, 7].map(n => reconnectDelay(n, policy, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000])
    expect(reconnectDelay(1, policy, () => 0)).toBe(250)
    expect(reconnectDelay(1, policy, () => 0.999999)).toBe(750)
    expect(reconnectDelay(5, policy, () => 0.999999)).toBe(10_000) // capped after jitter too
    expect(reconnectDelay(3, { ...policy, multiplier: 3, jitter: 0 }, Math.random)).toBe(4500)
  })

  it('fills in defaults for fields left out or undefined, and clamps out-of-range values', () => {
    expect(resolveReconnectPolicy()).toEqual({ enabled: true, initialDelayMs: 500, maxDelayMs: 10_000, maxAttempts: 10, jitter: 0.5, multiplier: 2, afterCleanClose: false, stableMs: 5000 })
    expect(resolveReconnectPolicy({ enabled: false, maxAttempts: undefined, jitter: 7, initialDelayMs: -1, stableMs: -5 }))
      .toEqual({ enabled: false, initialDelayMs: 0, maxDelayMs: 10_000, maxAttempts: 10, jitter: 1, multiplier: 2, afterCleanClose: false, stableMs: 0 })
    expect(resolveReconnectPolicy({ afterCleanClose: 'yes' as unknown as boolean, stableMs: '' as unknown as number })).toMatchObject({ afterCleanClose: false, stableMs: 5000 })
    expect(resolveReconnectPolicy({ maxAttempts: Infinity }).maxAttempts).toBe(Infinity)
    expect(resolveReconnectPolicy({ initialDelayMs: '' as unknown as number, maxAttempts: '' as unknown as number }))
      .toMatchObject({ initialDelayMs: 500, maxAttempts: 10 })
    expect(resolveReconnectPolicy({ initialDelayMs: 1e308, maxDelayMs: 1e308 })).toMatchObject({ initialDelayMs: 2 ** 31 - 1, maxDelayMs: 2 ** 31 - 1 })
  })
})
