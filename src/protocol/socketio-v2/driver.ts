/**
 * The Socket.IO v2 driver (Engine.IO protocol 3): socket.io-client 2.5.0, installed under the npm alias
 * `socket.io-client-v2` and loaded lazily (index.ts), for servers a v3/v4 client cannot talk to. It takes the same
 * options and produces the same timeline layout as the v4 driver (../socketio/driver.ts), so the timeline, filters
 * and status bar work unchanged. What differs is what v2 itself does differently (PROTOCOL.md, "Versions"):
 *
 * wire — every raw Engine.IO 3 packet, from taps on the engine's transports (transports.ts: instance overrides,
 *   installed as each transport is built: the engine's first one right after its constructor, probes as created)
 *   frame in|out   transport 'polling'|'websocket', size, data, detail as in v4 ({batch, index} for a polling body
 *                  of several packets; label 'probe' | 'upgrade' | 'noop' | 'attachment' with attachment/of).
 *                  What is raw: a WebSocket frame is exactly what the socket received or was handed to send
 *                  (`ws.send` is wrapped); Engine.IO 3 binary frames start with the packet type byte (4), and data
 *                  keeps it. A polling body is split on its `<length>:` prefixes (framing.ts), the prefixes dropped,
 *                  so `data` is each packet as in v4. A binary polling body (XHR2 browsers) is split the same way;
 *                  one the browser sends as a Blob is read asynchronously, so its frames land a moment late.
 * engine — one Engine.IO session per (re)connect attempt
 *   handshake in   transport, detail {sid, upgrades, pingInterval, pingTimeout} (Engine.IO 3 has no maxPayload)
 *   open local     transport (recorded with the handshake: Engine.IO 3 opens synchronously on it, and the Manager,
 *                  subscribed first, would otherwise send its CONNECT packets before this is recorded)
 *   ping out       detail {intervalMs: since the previous ping (or the handshake), expectedMs: pingInterval}.
 *                  In Engine.IO 3 the CLIENT pings every pingInterval and the server answers; recorded when the
 *                  ping is handed to the transport (engine `ping`, after its wire frame)
 *   pong in        rttMs (from that ping to this answer)
 *   upgrading | upgrade | upgradeError | close  as in v4; close detail also has {closeCode, closeReason, wasClean}
 *                  of the WebSocket (taken from its close event, which engine.io-client 3 itself drops)
 * socketio — decoded Socket.IO packets (socket.io-parser 3.3, tapped on the Manager's encoder and decoder)
 *   packet in|out  name 'CONNECT' | 'DISCONNECT' | 'EVENT' | 'ACK' | 'ERROR' | 'BINARY_EVENT' | 'BINARY_ACK' (v2 has an
 *                  ERROR packet where v4 has CONNECT_ERROR), namespace, ackId. CONNECT out carries detail {query}
 *                  when the namespace sends one; ERROR in carries detail {data} (a string, or the middleware's
 *                  err.data); BINARY_* carry detail {attachments}. v2 connects `/` implicitly: no CONNECT goes out
 *                  for it, and the server's `40` arrives unprompted (often in the handshake's own polling body).
 * app — as in v4: event in (one per application event received, detail {args, ackRequested?}), emit out,
 *   buffered local, flushed out, dropped local, ack in (rttMs), ack_timeout local, ack_error local, and ack_reply out
 *   (name of the server's event, detail {args}) when setServerAckReply answers a server's ack request.
 *   v2 has no ack timeout, no volatile and no retries of its own: the driver times acks out itself (and forgets the
 *   callback, so a late ack is only seen on the socketio layer), drops a volatile emit when the transport is not
 *   writable as v4 does, and fails acks that were sent on a connection that has since closed (v2 would wait forever).
 * lifecycle — as in v4: connecting (detail also {client: 'socket.io-client 2.5.0'}), warning, connect (detail
 *   {sid, recovered: false}: v2 has no connection state recovery), connect_error and disconnect (explanation from
 *   diagnose.ts; detail {diagnosis, title, nextStep, willRetry, ...} as in v4, with httpStatus/httpBody/cause of a
 *   failed poll taken from the request itself), reconnect_attempt (attempt, delayMs), reconnect_error,
 *   reconnect, reconnect_failed, and `error` in (an ERROR packet on a connected namespace). A middleware refusal is an ERROR packet in v2, reported
 *   as connect_error (reason = its message, detail {data?, diagnosis, title, nextStep, willRetry: false}); the namespace is then
 *   released, as v4 does. A packet the v2 parser cannot decode gives a `warning` (reason 'parse error: ...') and
 *   closes the connection with reason 'parse error', as v3+ clients do, instead of throwing inside the client.
 *
 * Options that do not exist in v2 are mapped: `auth` becomes query parameters (the handshake query for `/`, the
 * CONNECT packet's query for other namespaces; a `warning` says so), `extraHeaders` reach polling through
 * `transportOptions` (v2 ignores them otherwise in a browser), `webtransport` is left out, `retries` is explained.
 */
import ioV2 from 'socket.io-client-v2'
import type { EngineSocket, Manager, ParserPacket, Socket } from 'socket.io-client-v2'
import type { FailureFacts } from '../diagnose'
import type { SocketIoDriver, SocketIoDriverOptions } from '../socketio/driver'
import { EmitLedger } from '../socketio-core/emits'
import type { EmitLedgerHost, EventMessage, PendingEmit } from '../socketio-core/emits'
import { connectErrorFacts, disconnectDetail, explainFailure } from '../socketio-core/failure'
import { WireFrames } from '../socketio-core/wireFrames'
import { now } from '../types'
import type {
  ConnectionState, DraftEvent, DriverHooks, OutgoingMessage, SendResult, Sink, TransportName,
} from '../types'
import { WireTap } from './transports'

export type { SocketIoDriver, SocketIoDriverOptions } from '../socketio/driver'

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

function normalizeNamespace(namespace: string): string {
  const trimmed = namespace.trim()
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

/** Query parameters for an auth object: strings as they are, anything else as JSON. */
function authToQuery(auth: Record<string, unknown>): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [key, value] of Object.entries(auth)) query[key] = typeof value === 'string' ? value : JSON.stringify(value) ?? ''
  return query
}

function hasKeys(record: Record<string, unknown> | undefined): record is Record<string, unknown> {
  return record !== undefined && Object.keys(record).length > 0
}

function toFactsTransport(name: string | undefined): 'polling' | 'websocket' | undefined {
  return name === 'polling' || name === 'websocket' ? name : undefined
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
class NamespaceSession {
  state: ConnectionState = 'idle'
  wasConnected = false
  /** Emits not yet handed to the engine (buffered while the namespace is not connected). */
  readonly awaitingFlush: PendingEmit[] = []
  private readonly onevent: (packet: ParserPacket) => void

  constructor(
    private readonly driver: SocketIoV2Session,
    readonly name: string,
    readonly socket: Socket,
  ) {
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

  private readonly onConnect = (): void => this.driver.namespaceConnected(this)
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
    const shown = driver.catchAll || driver.listened.has(eventName)
    if (shown) {
      // Copied: socket.io-client appends its ack callback to this very array when the server asked for an ack.
      const args = data ? data.slice(1) : []
      const detail: Record<string, unknown> = ackRequested ? { args, ackRequested: true } : { args }
      driver.record({ time: now(), layer: 'app', kind: 'event', dir: 'in', name: eventName, namespace: this.name, detail })
    }
    this.onevent.call(this.socket, packet)
    const reply = driver.serverAckReply
    if (shown && ackRequested && reply && data) {
      const ack = data[data.length - 1]
      if (typeof ack !== 'function') return
      // Recorded before the call: the ACK packet and its wire frame are written synchronously inside it.
      driver.record({ time: now(), layer: 'app', kind: 'ack_reply', dir: 'out', name: eventName, namespace: this.name, detail: { args: reply } })
      ;(ack as (...args: unknown[]) => void)(...reply)
    }
  }
}

class SocketIoV2Session implements SocketIoDriver, EmitLedgerHost {
  readonly type = 'socketio' as const
  readonly namespaces = new Map<string, ConnectionState>()
  catchAll = true
  readonly listened = new Set<string>()
  serverAckReply: unknown[] | undefined

  private readonly manager: Manager
  private readonly sessions = new Map<string, NamespaceSession>()
  private readonly mainNamespace: string
  private readonly transports: ('polling' | 'websocket')[]
  private readonly invalidUrl: boolean
  private readonly ackTimeout: number
  private readonly wireFrames = new WireFrames(this)
  private readonly wireTap = new WireTap(this.wireFrames)
  private disposed = false

  // Per engine (per attempt).
  private engine: EngineSocket | undefined
  private attemptStartedAt = 0
  private pingInterval = 0
  private lastPingAt = 0
  private pingSentAt = 0
  private engineOpen = false
  /** The last engine close's detail, for the disconnect that follows it. */
  private closeDetail: Record<string, unknown> = {}

  // Across attempts.
  private everOpened = false
  private closesWithoutConnect = 0
  private plannedDelay: number | undefined
  private reconnectAttempt = 0
  private encodedCount = 0
  private decodedDuringAdd = false
  private readonly emits = new EmitLedger(this)

  constructor(
    private readonly options: SocketIoDriverOptions,
    private readonly sink: Sink,
    private readonly hooks: DriverHooks,
  ) {
    this.transports = (options.transports ?? ['polling', 'websocket']).filter(name => name !== 'webtransport')
    this.ackTimeout = options.ackTimeout ?? 10_000
    let origin = 'http://invalid.invalid'
    let namespace = '/'
    const query: Record<string, string> = {}
    let invalid = false
    try {
      const url = new URL(options.url)
      if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:')
        throw new TypeError(`unsupported scheme ${url.protocol}`)
      origin = `${url.protocol}//${url.host}`
      namespace = decodeURIComponent(url.pathname) || '/'
      url.searchParams.forEach((value, key) => {
        query[key] = value
      })
    }
    catch {
      invalid = true
    }
    this.invalidUrl = invalid
    this.mainNamespace = normalizeNamespace(namespace)
    // `/` has no CONNECT packet in v2, so its auth can only travel in the handshake's query string.
    const mainAuth = this.mainNamespace === '/' && hasKeys(options.auth) ? authToQuery(options.auth) : {}
    const extraHeaders = hasKeys(options.extraHeaders) ? options.extraHeaders : undefined
    this.manager = new ioV2.Manager(origin, {
      path: options.path ?? '/socket.io',
      autoConnect: false,
      query: { ...query, ...options.query, ...mainAuth },
      transports: this.transports,
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
    this.manager.on('reconnect_attempt', this.onReconnectAttempt)
    this.manager.on('reconnect_error', this.onReconnectError)
    this.manager.on('reconnect', this.onReconnect)
    this.manager.on('reconnect_failed', this.onReconnectFailed)
    this.createSession(this.mainNamespace, options.auth)
  }

  get state(): ConnectionState {
    return this.namespaces.get(this.mainNamespace) ?? 'closed'
  }

  /** The single exit to the timeline. Nothing is recorded after dispose(). */
  record(event: DraftEvent): void {
    if (!this.disposed) this.sink(event)
  }

  // ---------------------------------------------------------------- Driver

  connect(): void {
    if (this.disposed) return
    const main = this.mainSession()
    if (main.state === 'open' || main.state === 'connecting' || main.state === 'reconnecting') return
    if (this.invalidUrl) {
      const detail: Record<string, unknown> = { willRetry: false }
      const explanation = explainFailure({ protocol: 'socketio', url: this.options.url, pageUrl: this.options.pageUrl }, detail).explanation
      this.record({
        time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'local', namespace: this.mainNamespace,
        reason: 'invalid URL', explanation, detail,
      })
      this.setState(main, 'closed')
      return
    }
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connecting', dir: 'local', namespace: this.mainNamespace,
      detail: { url: this.options.url, path: this.options.path ?? '/socket.io', transports: [...this.transports], client: SOCKETIO_V2_CLIENT },
    })
    this.warnAboutOptions()
    for (const session of this.sessions.values()) this.openSession(session, false)
  }

  disconnect(): void {
    if (this.disposed) return
    for (const session of this.sessions.values()) this.closeSession(session)
  }

  send(message: OutgoingMessage): Promise<SendResult> {
    try {
      if (message.kind === 'event') return this.emitEvent(message)
      const arg = message.kind === 'text' ? message.text : message.data
      return this.emitEvent({ kind: 'event', name: 'message', args: [arg] })
    }
    catch (err) {
      return Promise.resolve({ ok: false, error: `Could not send: ${(err as Error).message}` })
    }
  }

  dispose(): void {
    if (this.disposed) return
    this.disconnect()
    this.disposed = true
    for (const session of this.sessions.values()) session.detach()
    this.manager.off('reconnect_attempt', this.onReconnectAttempt)
    this.manager.off('reconnect_error', this.onReconnectError)
    this.manager.off('reconnect', this.onReconnect)
    this.manager.off('reconnect_failed', this.onReconnectFailed)
    this.manager.close()
    // close() leaves a pending reconnect timer armed (it only returns when it fires): clear the Manager's subscriptions.
    this.manager.cleanup()
    this.detachEngine()
    this.emits.closeAll()
  }

  // ---------------------------------------------------------------- namespaces and listeners

  addNamespace(namespace: string, auth?: Record<string, unknown>): void {
    if (this.disposed) return
    const name = normalizeNamespace(namespace)
    if (this.sessions.has(name)) return
    const session = this.createSession(name, auth)
    if (hasKeys(auth)) this.warnAboutAuth(name)
    const main = this.mainSession()
    if (main.state !== 'idle' && main.state !== 'closed') this.openSession(session, true)
  }

  /** Leaves a namespace (DISCONNECT packet when connected). The main namespace cannot be removed: use disconnect(). */
  removeNamespace(namespace: string): void {
    const name = normalizeNamespace(namespace)
    const session = this.sessions.get(name)
    if (!session || name === this.mainNamespace) return
    this.closeSession(session)
    session.detach()
    this.sessions.delete(name)
    this.namespaces.delete(name)
  }

  setCatchAll(on: boolean): void {
    this.catchAll = on
  }

  /** Answer the server's ack requests with these arguments (undefined: leave them unanswered, the default). */
  setServerAckReply(args: unknown[] | undefined): void {
    this.serverAckReply = args
  }

  listen(eventName: string, on: boolean): void {
    if (on) this.listened.add(eventName)
    else this.listened.delete(eventName)
  }

  private mainSession(): NamespaceSession {
    return this.sessions.get(this.mainNamespace) as NamespaceSession
  }

  private createSession(name: string, auth: Record<string, unknown> | undefined): NamespaceSession {
    const socket = this.manager.socket(name)
    // The Manager keeps one Socket per namespace (a namespace removed and added again reuses it): set its CONNECT
    // query each time. `/` sends no CONNECT packet in v2, so it has none.
    if (name !== '/') socket.query = hasKeys(auth) ? authToQuery(auth) : undefined
    const session = new NamespaceSession(this, name, socket)
    this.sessions.set(name, session)
    this.namespaces.set(name, 'idle')
    return session
  }

  /** `announce`: a namespace joined while the Manager is already connecting or open gets its own `connecting`. */
  private openSession(session: NamespaceSession, announce: boolean): void {
    if (announce) {
      this.record({ time: now(), layer: 'lifecycle', kind: 'connecting', dir: 'local', namespace: session.name })
    }
    this.setState(session, 'connecting')
    session.socket.connect()
  }

  private closeSession(session: NamespaceSession): void {
    const socket = session.socket
    if (socket.connected) {
      // Sends DISCONNECT and emits `disconnect` ('io client disconnect'), recorded by namespaceDisconnected.
      socket.disconnect()
      return
    }
    // Not connected: socket.io-client stops trying without any event, so say it here.
    socket.disconnect()
    if (session.state === 'connecting' || session.state === 'reconnecting') {
      this.record({
        time: now(), layer: 'lifecycle', kind: 'disconnect', dir: 'local', namespace: session.name,
        reason: 'io client disconnect', detail: { willRetry: false, wasConnected: false },
      })
      this.setState(session, 'closed')
    }
  }

  private setState(session: NamespaceSession, state: ConnectionState): void {
    if (session.state === state) return
    session.state = state
    if (this.namespaces.has(session.name)) this.namespaces.set(session.name, state)
    if (session.name === this.mainNamespace && !this.disposed) this.hooks.onState?.(state)
  }

  private warnAboutOptions(): void {
    const options = this.options
    if (hasKeys(options.auth)) this.warnAboutAuth(this.mainNamespace)
    if (hasKeys(options.extraHeaders) && this.transports.includes('websocket')) {
      this.record({
        time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'extraHeaders reach polling only',
        explanation: 'Extra headers are sent on HTTP long-polling requests only: a browser\'s WebSocket cannot set request headers, so the websocket transport connects without them. Pass credentials in the query instead (Socket.IO v2 has no auth payload), or use cookies with withCredentials.',
      })
    }
    if (options.transports?.includes('webtransport')) {
      this.record({
        time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'no WebTransport in Socket.IO v2',
        explanation: `Socket.IO v2 (Engine.IO protocol 3) has no WebTransport transport, so it is left out${this.transports.length > 0 ? `: connecting with ${this.transports.join(' and ')}` : ''}.`,
      })
    }
    if ((options.retries ?? 0) > 0) {
      this.record({
        time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'no retries in Socket.IO v2',
        explanation: 'socket.io-client 2 has no retries: each event is sent once, and an acknowledgement that does not come is reported when the ack timeout expires. Send it again by hand if needed.',
      })
    }
  }

  private warnAboutAuth(namespace: string): void {
    const where = namespace === '/'
      ? 'on the handshake request (the / namespace has no CONNECT packet in v2, so they reach every namespace)'
      : `in the CONNECT packet of ${namespace}`
    this.record({
      time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', namespace, reason: 'auth sent as query parameters',
      explanation: `Socket.IO v2 has no auth payload (it arrived in v3), so SocketLens sends each auth field as a query parameter instead, ${where}. A v2 server reads them in socket.handshake.query; values that are not strings are sent as JSON.${namespace === '/' && this.mainNamespace !== '/' ? ' This namespace was added after the handshake, so its auth is not sent at all.' : ''}`,
    })
  }

  // ---------------------------------------------------------------- Socket events (per namespace)

  namespaceConnected(session: NamespaceSession): void {
    this.everOpened = true
    this.closesWithoutConnect = 0
    session.wasConnected = true
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: session.name,
      transport: this.currentTransport(), detail: { sid: session.socket.id, recovered: false },
    })
    this.setState(session, 'open')
  }

  /** The engine could not open (emitted to every namespace by the Manager), or the connect attempt timed out. */
  namespaceConnectError(session: NamespaceSession, err: unknown): void {
    if (session.state !== 'connecting' && session.state !== 'reconnecting') return
    const e = (err && typeof err === 'object' ? err : { name: 'Error', message: String(err) }) as Error & { type?: string, description?: unknown }
    // engine.io-client 3 passes on only the HTTP status of a failed poll: add what the request itself saw.
    const context = e.type === 'TransportError' ? this.wireTap.pollingFailure : undefined
    const { facts, detail } = connectErrorFacts({ name: e.name, message: e.message, type: e.type, description: e.description, context })
    const willRetry = this.willRetry(session)
    const explanation = explainFailure(this.failureFacts(facts, session.name), detail).explanation
    this.closesWithoutConnect = 0
    detail.willRetry = willRetry
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'in', namespace: session.name,
      transport: this.currentTransport(), reason: e.message, explanation, detail,
    })
    this.setState(session, willRetry ? 'reconnecting' : 'closed')
  }

  /**
   * An ERROR packet. While connecting it is the namespace middleware refusing the connection (v2's CONNECT_ERROR):
   * the namespace is released, so that the engine closes once no namespace is left, as v4 does.
   */
  namespaceError(session: NamespaceSession, data: unknown): void {
    const message = errorPacketMessage(data)
    const extra: Record<string, unknown> = typeof data === 'string' ? {} : { data }
    if (session.state !== 'connecting' && session.state !== 'reconnecting') {
      this.record({ time: now(), layer: 'lifecycle', kind: 'error', dir: 'in', namespace: session.name, reason: message, detail: extra })
      return
    }
    const facts: Partial<FailureFacts> = { socketIoErrorMessage: message, error: { name: 'Error', message } }
    if (typeof data !== 'string') facts.socketIoErrorData = data
    const detail: Record<string, unknown> = { ...extra }
    const explanation = explainFailure(this.failureFacts(facts, session.name), detail).explanation
    detail.willRetry = false
    this.closesWithoutConnect = 0
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'in', namespace: session.name,
      transport: this.currentTransport(), reason: message, explanation, detail,
    })
    this.setState(session, 'closed')
    session.socket.disconnect()
  }

  namespaceDisconnected(session: NamespaceSession, reason: string): void {
    const byClient = reason === 'io client disconnect'
    const willRetry = !byClient && reason !== 'io server disconnect' && this.willRetry(session)
    const detail: Record<string, unknown> = byClient ? {} : { ...this.closeDetail }
    detail.willRetry = willRetry
    detail.wasConnected = session.wasConnected
    let explanation: string | undefined
    if (reason === 'io server disconnect') {
      explanation = 'The server disconnected this socket (socket.disconnect() on the server side). Socket.IO does not reconnect after that: press Connect to join again.'
    }
    else if (!byClient) {
      const facts: Partial<FailureFacts> = {
        disconnectReason: reason,
        closeCode: typeof detail.closeCode === 'number' ? detail.closeCode : undefined,
        closeReason: typeof detail.closeReason === 'string' ? detail.closeReason : undefined,
      }
      explanation = explainFailure(this.failureFacts(facts, session.name), detail).explanation
    }
    session.wasConnected = false
    this.failSentAcks(session)
    this.record({
      time: now(), layer: 'lifecycle', kind: 'disconnect', dir: byClient ? 'local' : 'in', namespace: session.name,
      transport: this.currentTransport(), reason, explanation, detail,
    })
    this.setState(session, willRetry ? 'reconnecting' : 'closed')
  }

  /** Whether socket.io-client will try again after this failure (the test Manager.reconnect makes). */
  private willRetry(session: NamespaceSession): boolean {
    const manager = this.manager
    return session.socket.subs !== null && manager.skipReconnect !== true && manager.reconnection()
      && manager.backoff.attempts < manager.reconnectionAttempts()
  }

  private failureFacts(facts: Partial<FailureFacts>, namespace: string): FailureFacts {
    let url = this.options.url
    if (namespace !== this.mainNamespace) {
      try {
        url = new URL(namespace, this.options.url).href
      }
      catch {
        // keep the session URL
      }
    }
    return {
      protocol: 'socketio',
      url,
      pageUrl: this.options.pageUrl,
      localNetworkPermission: this.options.localNetworkPermission?.(),
      everOpened: this.everOpened,
      msToFail: this.attemptStartedAt > 0 ? now() - this.attemptStartedAt : undefined,
      transport: toFactsTransport(this.engine?.transport?.name),
      transportClosesWithoutConnect: this.closesWithoutConnect,
      ...facts,
    }
  }

  private currentTransport(): TransportName | undefined {
    return this.engine?.transport?.name as TransportName | undefined
  }

  // ---------------------------------------------------------------- Manager taps and events

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

    // The Manager computes each reconnect delay with backoff.duration() just before arming its timer.
    const backoff = manager.backoff
    const duration = backoff.duration.bind(backoff)
    backoff.duration = () => {
      const delay = duration()
      this.plannedDelay = delay
      return delay
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
      explanation: 'The server sent a packet the Socket.IO v2 parser cannot decode, so SocketLens closes the connection (reason "parse error"), as Socket.IO v3 and later clients do. Check that the server speaks Socket.IO v2 with the default parser.',
    })
    const engine = this.engine
    if (engine && engine.readyState !== 'closed') engine.onClose('parse error')
  }

  private readonly onReconnectAttempt = (attempt: number): void => {
    this.reconnectAttempt = attempt
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect_attempt', dir: 'local', attempt, delayMs: this.plannedDelay })
  }

  /** v2 passes the engine's error (an Error, or a string such as 'timeout'). */
  private readonly onReconnectError = (err: unknown): void => {
    const reason = err instanceof Error ? err.message : String(err)
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect_error', dir: 'local', attempt: this.reconnectAttempt, reason })
  }

  private readonly onReconnect = (attempt: number): void => {
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect', dir: 'local', attempt })
  }

  private readonly onReconnectFailed = (): void => {
    const attempts = this.reconnectAttempt
    this.record({
      time: now(), layer: 'lifecycle', kind: 'reconnect_failed', dir: 'local', attempt: attempts,
      explanation: `Gave up after ${attempts} reconnection attempt${attempts === 1 ? '' : 's'} (reconnectionAttempts). Press Connect to try again.`,
    })
    for (const session of this.sessions.values()) {
      if (session.state === 'reconnecting' || session.state === 'connecting') this.setState(session, 'closed')
    }
  }

  // ---------------------------------------------------------------- Engine events (per attempt)

  private attachEngine(engine: EngineSocket): void {
    this.detachEngine()
    this.engine = engine
    this.attemptStartedAt = now()
    this.engineOpen = false
    this.pingSentAt = 0
    this.closeDetail = {}
    // Binary as ArrayBuffer everywhere (Node's default is Buffer), so the timeline and the app see the same type.
    engine.binaryType = 'arraybuffer'
    this.wireTap.attach(engine)
    engine.on('handshake', this.onHandshake)
    engine.on('ping', this.onEnginePing)
    engine.on('pong', this.onEnginePong)
    engine.on('upgrading', this.onUpgrading)
    engine.on('upgrade', this.onUpgrade)
    engine.on('upgradeError', this.onUpgradeError)
    engine.on('close', this.onEngineClose)
  }

  private detachEngine(): void {
    const engine = this.engine
    if (!engine) return
    engine.off('handshake', this.onHandshake)
    engine.off('ping', this.onEnginePing)
    engine.off('pong', this.onEnginePong)
    engine.off('upgrading', this.onUpgrading)
    engine.off('upgrade', this.onUpgrade)
    engine.off('upgradeError', this.onUpgradeError)
    engine.off('close', this.onEngineClose)
  }

  private readonly onHandshake = (data: HandshakeData): void => {
    const time = now()
    this.pingInterval = data.pingInterval
    this.lastPingAt = time
    const transport = this.currentTransport()
    this.record({
      time, layer: 'engine', kind: 'handshake', dir: 'in', transport,
      detail: { sid: data.sid, upgrades: data.upgrades, pingInterval: data.pingInterval, pingTimeout: data.pingTimeout },
    })
    this.engineOpen = true
    this.record({ time: now(), layer: 'engine', kind: 'open', dir: 'local', transport })
  }

  private readonly onEnginePing = (): void => {
    const time = now()
    const intervalMs = time - this.lastPingAt
    this.lastPingAt = time
    this.pingSentAt = time
    this.record({
      time, layer: 'engine', kind: 'ping', dir: 'out', transport: this.currentTransport(),
      detail: { intervalMs, expectedMs: this.pingInterval },
    })
  }

  private readonly onEnginePong = (): void => {
    const time = now()
    this.record({
      time, layer: 'engine', kind: 'pong', dir: 'in', transport: this.currentTransport(),
      rttMs: this.pingSentAt > 0 ? time - this.pingSentAt : undefined,
    })
  }

  private readonly onUpgrading = (transport: { name: string }): void => {
    this.record({ time: now(), layer: 'engine', kind: 'upgrading', dir: 'local', transport: transport.name as TransportName })
  }

  private readonly onUpgrade = (transport: { name: string }): void => {
    this.record({ time: now(), layer: 'engine', kind: 'upgrade', dir: 'local', transport: transport.name as TransportName })
  }

  private readonly onUpgradeError = (err: Error & { transport?: string }): void => {
    this.record({
      time: now(), layer: 'engine', kind: 'upgradeError', dir: 'local', transport: err.transport as TransportName | undefined,
      reason: err.message, detail: { transport: err.transport },
    })
  }

  private readonly onEngineClose = (reason: string, description?: unknown): void => {
    // Open, then closed before any namespace connected: the parser-mismatch loop (PROTOCOL.md, Versions).
    if (this.engineOpen && !this.anyConnected()) this.closesWithoutConnect++
    const detail = { ...disconnectDetail(description), ...this.wireTap.closeDetail }
    this.closeDetail = detail
    this.record({
      time: now(), layer: 'engine', kind: 'close', dir: 'local', transport: this.currentTransport(), reason,
      detail: Object.keys(detail).length > 0 ? detail : undefined,
    })
    this.detachEngine()
  }

  private anyConnected(): boolean {
    for (const session of this.sessions.values()) if (session.wasConnected) return true
    return false
  }

  // ---------------------------------------------------------------- packet taps

  private readonly onDecoded = (packet: ParserPacket): void => {
    this.decodedDuringAdd = true
    const type = packet.type
    let detail: Record<string, unknown> | undefined
    if (type === PacketType.ERROR) detail = { data: packet.data }
    else if (type === PacketType.BINARY_EVENT || type === PacketType.BINARY_ACK) detail = { attachments: this.wireFrames.attachmentsInOf }
    this.record({
      time: now(), layer: 'socketio', kind: 'packet', dir: 'in', name: PACKET_NAMES[type] ?? String(type),
      namespace: packet.nsp, ackId: packet.id ?? undefined, detail,
    })
  }

  private packetOut(packet: ParserPacket, attachments: number): void {
    this.encodedCount++
    let namespace = packet.nsp
    let detail: Record<string, unknown> | undefined
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

  private emitEvent(message: EventMessage): Promise<SendResult> {
    const namespace = normalizeNamespace(message.namespace ?? this.mainNamespace)
    const session = this.sessions.get(namespace)
    if (this.disposed) return Promise.resolve({ ok: false, error: 'This session is closed.' })
    if (!session) return Promise.resolve({ ok: false, error: `The namespace ${namespace} is not joined: add it first.` })
    const name = message.name
    if (RESERVED_EVENTS.has(name)) {
      return Promise.resolve({ ok: false, error: `"${name}" is reserved by Socket.IO v2 (the client would handle it locally instead of sending it). Choose another event name.` })
    }
    const socket = session.socket
    const args = message.args
    const ack = message.ack === true
    const timeoutMs = message.timeoutMs ?? this.ackTimeout
    // socket.io-client 2 numbers acks with `ids++` at emit time, sent or buffered.
    const emitted = this.emits.emitted(message, namespace, timeoutMs, ack ? socket.ids : undefined)

    // v2 has no volatile flag: drop it as v4 does when the transport cannot take it now.
    if (message.volatile && (this.engine?.readyState !== 'open' || this.engine.transport?.writable !== true)) {
      return this.emits.dropped(emitted, `Not sent: "${name}" was volatile and the connection was not ready, so it was dropped (as Socket.IO does).`)
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
  private failSentAcks(session: NamespaceSession): void {
    for (const emitted of this.emits.sentAwaitingAck(session.name)) {
      if (emitted.ackId !== undefined) delete session.socket.acks[emitted.ackId]
      this.emits.failed(emitted, 'socket has been disconnected')
    }
  }

  /** Where buffered emits of a namespace wait (EmitLedgerHost). */
  awaitingFlush(namespace: string): PendingEmit[] | undefined {
    return this.sessions.get(namespace)?.awaitingFlush
  }
}
