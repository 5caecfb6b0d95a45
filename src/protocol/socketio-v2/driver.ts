/**
 * The Socket.IO v2 driver (Engine.IO protocol 3): socket.io-client 2.5.0, installed under the npm alias
 * `socket.io-client-v2` and loaded lazily (index.ts), for servers a v3/v4 client cannot talk to. It takes the same
 * options and produces the same timeline layout as the v4 driver (../socketio/driver.ts), so the timeline, filters
 * and status bar work unchanged: both extend the same core (../socketio-core/session.ts), and this file keeps only
 * what v2 itself does differently (PROTOCOL.md, "Versions"):
 *
 * Its events are the v4 driver's (the union in ../events.ts, where each variant says what differs in v2). What v2 does
 * differently underneath: a WebSocket frame is exactly what the socket received or was handed to send (`ws.send` is
 * wrapped), and Engine.IO 3 binary frames keep their leading packet type byte (4); a polling body is split on its
 * `<length>:` prefixes (framing.ts), a Blob body read asynchronously (its frames land a moment late). The engine opens
 * synchronously on the handshake, so `open` is recorded with it. The CLIENT pings (ping out, pong in with rttMs). v2 has
 * an ERROR packet where v4 has CONNECT_ERROR, reported as connect_error while connecting and as lifecycle `error` (in)
 * once connected; `/` connects implicitly (no CONNECT goes out for it). v2 has no ack timeout, no volatile and no
 * retries of its own: the driver times acks out itself (a late ack is then only seen on the socketio layer), drops a
 * volatile emit when the transport is not writable as v4 does, and fails acks sent on a connection that has since
 * closed. A packet the v2 parser cannot decode gives a `warning` ('parse error: ...') and closes the connection with
 * reason 'parse error', as v3+ clients do, instead of throwing inside the client.
 *
 * Options that do not exist in v2 are mapped: `auth` becomes query parameters (the handshake query for `/`, the
 * CONNECT packet's query for other namespaces; a `warning` says so), `extraHeaders` reach polling through
 * `transportOptions` (v2 ignores them otherwise in a browser), `webtransport` is left out, `retries` is explained.
 */
import ioV2 from 'socket.io-client-v2'
import type { EngineSocket, Manager, ParserPacket, Socket } from 'socket.io-client-v2'
import type { FailureFacts } from '../diagnose'
import type { ConnectingDetail, EngineCloseDetail, PacketDetail, SocketIoFailureDetail } from '../events'
import { message as say, NOTHING, type MessageRef } from '../message'
import type { EventMessage, PendingEmit } from '../socketio-core/emits'
import { connectErrorFacts } from '../socketio-core/failure'
import { NamespaceSessionCore, SocketIoSessionCore } from '../socketio-core/session'
import type { Listener } from '../socketio-core/session'
import type { SocketIoDriver, SocketIoDriverOptions } from '../socketio-core/types'
import { now } from '../types'
import type { DriverHooks, SendResult, Sink } from '../types'
import { WireTap } from './transports'

export type { SocketIoDriver, SocketIoDriverOptions } from '../socketio-core/types'

/** The client this driver speaks with, for the timeline and the UI. */
export const SOCKETIO_V2_CLIENT = 'socket.io-client 2.5.0'

/**
 * Create a Socket.IO v2 driver: the same options, interface and timeline layout as `createSocketIoDriver`.
 * Nothing connects until `connect()`.
 */
export function createSocketIoV2Driver(options: SocketIoDriverOptions, sink: Sink, hooks: DriverHooks = {}): SocketIoDriver {
  return new SocketIoV2Session(options, sink, hooks)
}

/** socket.io-parser 3 packet types (Socket.IO protocol 4). */
const PacketType = { CONNECT: 0, DISCONNECT: 1, EVENT: 2, ACK: 3, ERROR: 4, BINARY_EVENT: 5, BINARY_ACK: 6 } as const
const PACKET_NAMES = ['CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'ERROR', 'BINARY_EVENT', 'BINARY_ACK'] as const

/** Names socket.io-client 2 emits locally instead of sending (its `events` table): they cannot be emitted. */
const RESERVED_EVENTS = new Set([
  'connect', 'connect_error', 'connect_timeout', 'connecting', 'disconnect', 'error', 'reconnect', 'reconnect_attempt',
  'reconnect_failed', 'reconnect_error', 'reconnecting', 'ping', 'pong',
])

/** Query parameters for an auth object: strings as they are, anything else as JSON. */
function authToQuery(auth: Record<string, unknown>): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [key, value] of Object.entries(auth)) query[key] = typeof value === 'string' ? value : JSON.stringify(value) ?? ''
  return query
}

function hasKeys(record: Record<string, unknown> | undefined): record is Record<string, unknown> {
  return record !== undefined && Object.keys(record).length > 0
}

/** The message of an ERROR packet: a string, or the middleware's err.data (often `{message}`). */
function errorPacketMessage(data: unknown): string {
  if (typeof data === 'string') return data
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string')
    return (data as { message: string }).message
  try {
    return JSON.stringify(data) ?? String(data)
  }
  catch {
    return String(data)
  }
}

/** Typed-array views anywhere in the arguments (socket.io-client 2's has-binary2 only sees Buffer/ArrayBuffer/Blob). */
function hasBinaryView(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > 16) return false
  if (ArrayBuffer.isView(value)) return true
  if (value instanceof ArrayBuffer) return false
  if (Array.isArray(value)) return value.some(item => hasBinaryView(item, depth + 1))
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && hasBinaryView((value as Record<string, unknown>)[key], depth + 1)) return true
  }
  return false
}

interface HandshakeData {
  sid: string
  upgrades: string[]
  pingInterval: number
  pingTimeout: number
}

/** One namespace: its Socket, its state and the listeners bound to it (created once, not per frame). */
class NamespaceSession extends NamespaceSessionCore<Socket> {
  private readonly onevent: (packet: ParserPacket) => void

  constructor(private readonly driver: SocketIoV2Session, name: string, socket: Socket) {
    super(name, socket)
    socket.on('connect', this.onConnect)
    socket.on('connect_error', this.onConnectError)
    socket.on('disconnect', this.onDisconnect)
    socket.on('error', this.onError)
    // v2 has no onAny: every EVENT / BINARY_EVENT of this namespace goes through the socket's `onevent`.
    this.onevent = socket.onevent
    socket.onevent = this.onEvent
  }

  detach(): void {
    this.socket.off('connect', this.onConnect)
    this.socket.off('connect_error', this.onConnectError)
    this.socket.off('disconnect', this.onDisconnect)
    this.socket.off('error', this.onError)
    this.socket.onevent = this.onevent
  }

  private readonly onConnect = (): void => this.driver.namespaceConnected(this, false)
  private readonly onConnectError = (err: unknown): void => this.driver.namespaceConnectError(this, err)
  private readonly onDisconnect = (reason: string): void => this.driver.namespaceDisconnected(this, reason)
  /** `error` carries an ERROR packet's data, or (an Error) an engine failure that a disconnect follows. */
  private readonly onError = (data: unknown): void => {
    if (!(data instanceof Error)) this.driver.namespaceError(this, data)
  }

  /** Hot path: one app `event` per application event received. */
  private readonly onEvent = (packet: ParserPacket): void => {
    const driver = this.driver
    const data = packet.data as unknown[] | undefined
    const name = data?.[0]
    const eventName = typeof name === 'string' ? name : String(name)
    const ackRequested = packet.id !== undefined && packet.id !== null
    const shown = driver.shows(eventName)
    // Copied: socket.io-client appends its ack callback to this very array when the server asked for an ack.
    if (shown) driver.recordEvent(now(), this.name, eventName, data ? data.slice(1) : [], ackRequested)
    this.onevent.call(this.socket, packet)
    if (shown && ackRequested && data) {
      const ack = data[data.length - 1]
      if (typeof ack === 'function') driver.replyToAck(this.name, eventName, ack as (...reply: unknown[]) => void)
    }
  }
}

class SocketIoV2Session extends SocketIoSessionCore<NamespaceSession, EngineSocket> {
  private readonly manager: Manager
  private readonly wireTap = new WireTap(this.frames)

  // Per engine (per attempt).
  private pingSentAt = 0
  /** The last engine close's detail, for the disconnect that follows it. */
  private closeDetail: EngineCloseDetail = {}

  // Across attempts.
  private encodedCount = 0
  private decodedDuringAdd = false

  constructor(options: SocketIoDriverOptions, sink: Sink, hooks: DriverHooks) {
    super(options, sink, hooks, (options.transports ?? ['polling', 'websocket']).filter(name => name !== 'webtransport'))
    // `/` has no CONNECT packet in v2, so its auth can only travel in the handshake's query string.
    const mainAuth = this.mainNamespace === '/' && hasKeys(options.auth) ? authToQuery(options.auth) : {}
    const extraHeaders = hasKeys(options.extraHeaders) ? options.extraHeaders : undefined
    this.manager = new ioV2.Manager(this.origin, {
      path: options.path ?? '/socket.io',
      autoConnect: false,
      query: { ...this.urlQuery, ...options.query, ...mainAuth },
      transports: [...this.transports],
      // engine.io-client 3 reads extraHeaders from its own options in Node only; per-transport options work everywhere.
      transportOptions: extraHeaders ? { polling: { extraHeaders } } : undefined,
      upgrade: options.upgrade ?? true,
      rememberUpgrade: options.rememberUpgrade ?? false,
      // engine.io-client 3 defaults to true; the driver's documented default is false.
      withCredentials: options.withCredentials ?? false,
      timeout: options.timeout ?? 20_000,
    })
    // The Manager's constructor reads these with `||`, turning a deliberate 0 into the default: set them afterwards.
    // reconnectionAttempts 0 means "no retries" to a person (socket.io-client reads 0 as no limit).
    this.manager.reconnection((options.reconnection ?? true) && options.reconnectionAttempts !== 0)
    this.manager.reconnectionAttempts(options.reconnectionAttempts || Infinity)
    this.manager.reconnectionDelay(options.reconnectionDelay ?? 1000)
    this.manager.reconnectionDelayMax(options.reconnectionDelayMax ?? 5000)
    this.manager.randomizationFactor(options.randomizationFactor ?? 0.5)
    this.tapManager(this.manager)
    this.watchManager(this.manager, this.manager.backoff)
    this.createSession(this.mainNamespace, options.auth)
  }

  // ---------------------------------------------------------------- what socket.io-client 2 does its own way

  protected newSession(name: string, auth: Record<string, unknown> | undefined): NamespaceSession {
    const socket = this.manager.socket(name)
    // The Manager keeps one Socket per namespace (a namespace removed and added again reuses it): set its CONNECT
    // query each time. `/` sends no CONNECT packet in v2, so it has none.
    if (name !== '/') socket.query = hasKeys(auth) ? authToQuery(auth) : undefined
    return new NamespaceSession(this, name, socket)
  }

  protected override namespaceAdded(name: string, auth: Record<string, unknown> | undefined): void {
    if (hasKeys(auth)) this.warnAboutAuth(name)
  }

  protected override connectingDetail(): ConnectingDetail {
    return { ...super.connectingDetail(), client: SOCKETIO_V2_CLIENT }
  }

  protected closeManager(): void {
    this.manager.close()
    // close() leaves a pending reconnect timer armed (it only returns when it fires): clear the Manager's subscriptions.
    this.manager.cleanup()
  }

  protected warnAboutOptions(): void {
    const options = this.options
    if (hasKeys(options.auth)) this.warnAboutAuth(this.mainNamespace)
    this.warnAboutExtraHeaders(say('protocol.socketio.credentialsV2'))
    if (options.transports?.includes('webtransport')) {
      this.record({
        time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'no WebTransport in Socket.IO v2',
        explain: say('protocol.socketioV2.noWebTransport', {
          connecting: this.transports.length > 0 ? say('protocol.socketioV2.connectingWith', { transports: this.transports.join(', ') }) : NOTHING,
        }),
      })
    }
    if ((options.retries ?? 0) > 0) {
      this.record({
        time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'no retries in Socket.IO v2',
        explain: say('protocol.socketioV2.noRetries'),
      })
    }
  }

  private warnAboutAuth(namespace: string): void {
    const where = namespace === '/'
      ? say('protocol.socketioV2.authOnHandshake')
      : say('protocol.socketioV2.authInConnect', { namespace })
    this.record({
      time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', namespace, reason: 'auth sent as query parameters',
      explain: say('protocol.socketioV2.authAsQuery', {
        where,
        late: namespace === '/' && this.mainNamespace !== '/' ? say('protocol.socketioV2.authLate') : NOTHING,
      }),
    })
  }

  /** The test Manager.reconnect makes. */
  protected willRetry(session: NamespaceSession): boolean {
    const manager = this.manager
    return session.socket.subs !== null && manager.skipReconnect !== true && manager.reconnection()
      && manager.backoff.attempts < manager.reconnectionAttempts()
  }

  /** What the engine's close said (engine.io-client 3 passes no details to the Socket's `disconnect`). */
  protected disconnectContext(reason: string): SocketIoFailureDetail {
    return reason === 'io client disconnect' ? {} : { ...this.closeDetail }
  }

  /** The engine could not open (emitted to every namespace by the Manager), or the connect attempt timed out. */
  namespaceConnectError(session: NamespaceSession, err: unknown): void {
    if (session.state !== 'connecting' && session.state !== 'reconnecting') return
    const e = (err && typeof err === 'object' ? err : { name: 'Error', message: String(err) }) as Error & { type?: string, description?: unknown }
    // engine.io-client 3 passes on only the HTTP status of a failed poll: add what the request itself saw.
    const context = e.type === 'TransportError' ? this.wireTap.pollingFailure : undefined
    const { facts, detail } = connectErrorFacts({ name: e.name, message: e.message, type: e.type, description: e.description, context })
    let willRetry = this.willRetry(session)
    const { diagnosis, explain } = this.explain(facts, session.name, detail, { willRetry })
    // A v3/v4 server refuses the Engine.IO 3 handshake with code 5: the v4 client is the one that works.
    if (session.name === this.mainNamespace && detail.httpStatus === 400 && typeof detail.httpBody === 'string' && /"code"\s*:\s*5\b/.test(detail.httpBody)) {
      this.offer({
        choice: 'version', value: 'v4',
        reason: 'the server speaks Engine.IO 4 (Socket.IO v3/v4): it refused the Engine.IO 3 handshake with code 5', evidence: diagnosis.evidence,
      }, detail)
      if (detail.switching === true) willRetry = false
    }
    this.recordConnectError(session, e.message, explain, detail, willRetry, detail.switching === true)
    if (detail.switching === true) this.stopAll()
    else if (session.name === this.mainNamespace) this.probeHttpAfter(detail)
  }

  /**
   * An ERROR packet. While connecting it is the namespace middleware refusing the connection (v2's CONNECT_ERROR):
   * the namespace is released, so that the engine closes once no namespace is left, as v4 does.
   */
  namespaceError(session: NamespaceSession, data: unknown): void {
    const message = errorPacketMessage(data)
    const extra: PacketDetail = typeof data === 'string' ? {} : { data }
    if (session.state !== 'connecting' && session.state !== 'reconnecting') {
      this.record({ time: now(), layer: 'lifecycle', kind: 'error', dir: 'in', namespace: session.name, reason: message, detail: extra })
      return
    }
    const facts: Partial<FailureFacts> = { socketIoErrorMessage: message, error: { name: 'Error', message } }
    if (typeof data !== 'string') facts.socketIoErrorData = data
    const detail: SocketIoFailureDetail = { ...extra }
    const { explain } = this.explain(facts, session.name, detail)
    this.recordConnectError(session, message, explain, detail, false)
    session.socket.disconnect()
  }

  // ---------------------------------------------------------------- Manager taps

  private tapManager(manager: Manager): void {
    // The Manager builds a new engine on every (re)connect attempt, in open() (called by Socket.connect and by the
    // reconnect timer through the instance): tap each engine as soon as it exists, before any I/O completes.
    const open = manager.open
    const tappedOpen = (callback?: (err?: Error) => void, opts?: unknown): Manager => {
      const result = open.call(manager, callback, opts)
      const engine = manager.engine
      if (engine && engine !== this.engine && !this.disposed) this.attachEngine(engine)
      return result
    }
    manager.open = tappedOpen
    manager.connect = tappedOpen

    // Outgoing packets: the encoder is called synchronously by Manager.packet, before the engine write.
    const encoder = manager.encoder
    const encode = encoder.encode
    encoder.encode = (packet, callback) => {
      if (packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT) {
        const session = this.sessions.get(packet.nsp)
        // Matched before encoding, which replaces binary arguments with placeholders.
        if (session && session.awaitingFlush.length > 0) this.emits.flushed(session.awaitingFlush, packet.data as unknown[], packet.id ?? undefined, true)
      }
      encode.call(encoder, packet, (encoded: unknown[]) => {
        this.packetOut(packet, encoded.length - 1)
        callback(encoded)
      })
    }

    // Incoming packets: subscribed before the Manager's own listener, so each packet is recorded before its effect.
    const decoder = manager.decoder
    decoder.on('decoded', this.onDecoded)
    const add = decoder.add
    decoder.add = (data: unknown) => {
      this.decodedDuringAdd = false
      try {
        add.call(decoder, data)
      }
      catch (err) {
        // A throw after a packet was decoded comes from a listener: not ours to turn into a parse error.
        if (this.decodedDuringAdd) throw err
        this.parseError(err as Error)
      }
    }
  }

  /**
   * socket.io-parser 3 throws on a malformed packet, inside the transport's callback, and would leave the client
   * stuck. Say so, reset the half-built binary packet and close the connection like v3+ clients ('parse error').
   */
  private parseError(err: Error): void {
    this.manager.decoder.reconstructor = null
    this.record({
      time: now(), layer: 'lifecycle', kind: 'warning', dir: 'in', reason: `parse error: ${err.message}`,
      explain: say('protocol.socketioV2.parseError'),
    })
    const engine = this.engine
    if (engine && engine.readyState !== 'closed') engine.onClose('parse error')
  }

  // ---------------------------------------------------------------- Engine events (per attempt)

  protected override attachEngine(engine: EngineSocket): void {
    super.attachEngine(engine)
    this.pingSentAt = 0
    this.closeDetail = {}
    // Binary as ArrayBuffer everywhere (Node's default is Buffer), so the timeline and the app see the same type.
    engine.binaryType = 'arraybuffer'
    this.wireTap.attach(engine)
  }

  protected engineListeners(): Record<string, Listener> {
    return { handshake: this.onHandshake, ping: this.onEnginePing, pong: this.onEnginePong }
  }

  /** Also `open`: Engine.IO 3 opens synchronously on the handshake, before the Manager's CONNECT packets. */
  private readonly onHandshake = (data: HandshakeData): void => {
    const { sid, upgrades, pingInterval, pingTimeout } = data
    this.recordHandshake(pingInterval, { sid, upgrades, pingInterval, pingTimeout }, data, 3)
    this.engineOpen = true
    this.record({ time: now(), layer: 'engine', kind: 'open', dir: 'local', transport: this.currentTransport() })
  }

  /** In Engine.IO 3 the client pings: recorded as the ping is handed to the transport. */
  private readonly onEnginePing = (): void => {
    this.pingSentAt = this.recordPing('out')
  }

  private readonly onEnginePong = (): void => {
    const time = now()
    this.record({
      time, layer: 'engine', kind: 'pong', dir: 'in', transport: this.currentTransport(),
      rttMs: this.pingSentAt > 0 ? time - this.pingSentAt : undefined,
    })
  }

  /** Also the WebSocket's close code, reason and wasClean, which engine.io-client 3 drops; kept for the disconnect. */
  protected override engineCloseDetail(description: unknown): EngineCloseDetail {
    const detail = { ...super.engineCloseDetail(description), ...this.wireTap.closeDetail }
    this.closeDetail = detail
    return detail
  }

  // ---------------------------------------------------------------- packet taps

  private readonly onDecoded = (packet: ParserPacket): void => {
    this.decodedDuringAdd = true
    const type = packet.type
    let detail: PacketDetail | undefined
    if (type === PacketType.ERROR) detail = { data: packet.data }
    else if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) detail = { attachments: this.frames.attachmentsInOf }
    this.record({
      time: now(), layer: 'socketio', kind: 'packet', dir: 'in', name: PACKET_NAMES[type] ?? String(type),
      namespace: packet.nsp, ackId: packet.id ?? undefined, detail,
    })
  }

  private packetOut(packet: ParserPacket, attachments: number): void {
    this.encodedCount++
    let namespace = packet.nsp
    let detail: PacketDetail | undefined
    if (packet.type === PacketType.CONNECT && namespace.includes('?')) {
      // The Manager appends the CONNECT query to the namespace (`/admin?token=...`), which is how v2 sends it.
      const at = namespace.indexOf('?')
      detail = { query: namespace.slice(at + 1) }
      namespace = namespace.slice(0, at)
    }
    else if (attachments > 0) {
      detail = { attachments }
    }
    this.record({
      time: now(), layer: 'socketio', kind: 'packet', dir: 'out', name: PACKET_NAMES[packet.type] ?? String(packet.type),
      namespace, ackId: packet.id ?? undefined, detail,
    })
  }

  // ---------------------------------------------------------------- emit

  protected reservedEventError(name: string): MessageRef | undefined {
    return RESERVED_EVENTS.has(name) ? say('protocol.send.reservedV2', { name }) : undefined
  }

  protected emitOnSocket(session: NamespaceSession, message: EventMessage, timeoutMs: number): Promise<SendResult> {
    const { name, args } = message
    const namespace = session.name
    const socket = session.socket
    const ack = message.ack === true
    // socket.io-client 2 numbers acks with `ids++` at emit time, sent or buffered.
    const emitted = this.emits.emitted(message, namespace, timeoutMs, ack ? socket.ids : undefined)

    // v2 has no volatile flag: drop it as v4 does when the transport cannot take it now.
    if (message.volatile && (this.engine?.readyState !== 'open' || this.engine.transport?.writable !== true)) {
      return this.emits.dropped(emitted, say('protocol.send.volatileDroppedV2', { name }))
    }

    const encodedBefore = this.encodedCount
    const bufferedBefore = socket.sendBuffer.length
    let target = message.compress !== undefined ? socket.compress(message.compress) : socket
    // A Uint8Array would go out as a JSON object: mark the packet binary, and the encoder takes views as attachments.
    if (hasBinaryView(args)) target = target.binary(true)
    let result: Promise<SendResult>
    if (ack) {
      result = new Promise<SendResult>((resolve) => {
        this.emits.awaitAck(emitted, resolve)
        target.emit(name, ...args, (...ackArgs: unknown[]) => this.emits.acked(emitted, ackArgs))
        emitted.timer = setTimeout(() => this.ackTimedOut(session, emitted, timeoutMs), timeoutMs)
      })
    }
    else {
      target.emit(name, ...args)
      result = Promise.resolve({ ok: true })
    }

    if (this.encodedCount !== encodedBefore) {
      emitted.sentAt = emitted.emittedAt
    }
    else {
      this.emits.buffered(session.awaitingFlush, emitted, socket.sendBuffer.length > bufferedBefore
        ? `not connected: sent when ${namespace} connects`
        : 'queued behind a packet whose binary attachments are still being read')
    }
    return result
  }

  /** v2 has no ack timeout: forget the callback (a late ack is then ignored) and unsend a still-buffered packet. */
  private ackTimedOut(session: NamespaceSession, emitted: PendingEmit, timeoutMs: number): void {
    if (emitted.settled) return
    const ackId = emitted.ackId
    if (ackId !== undefined) {
      const socket = session.socket
      delete socket.acks[ackId]
      const buffered = socket.sendBuffer.findIndex(packet => packet.id === ackId)
      if (buffered !== -1) socket.sendBuffer.splice(buffered, 1)
    }
    this.emits.timedOut(emitted, timeoutMs)
  }

  /**
   * The namespace disconnected: acks of packets already sent can never come (the server's socket is gone), but v2
   * would keep waiting. Fail them now, as v4 does; emits still buffered are sent on reconnect and keep waiting.
   */
  protected override settleLostAcks(session: NamespaceSession): void {
    for (const emitted of this.emits.sentAwaitingAck(session.name)) {
      if (emitted.ackId !== undefined) delete session.socket.acks[emitted.ackId]
      this.emits.failed(emitted, 'socket has been disconnected')
    }
  }
}
