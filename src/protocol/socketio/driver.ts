/**
 * The Socket.IO v4 driver (serves v3 servers too): socket.io-client 4.8.4, one Manager per driver, one Socket per
 * namespace, and taps on every layer so the timeline shows what really happens on the connection.
 *
 * Timeline events (all with `time: now()` at the moment the client saw them; `seq` comes from the timeline):
 *
 * wire — every raw Engine.IO packet, from the tapped transports (transports.ts)
 *   frame in|out   transport 'polling'|'websocket'|'webtransport', size (bytes on the wire: UTF-8 length of text),
 *                  data = the raw Engine.IO packet exactly as sent/received ('42["chat","hi"]', '2', '3probe',
 *                  'b3q2+7w==' in a polling body, or an ArrayBuffer for a WebSocket binary frame).
 *                  A polling body holding several packets (`\x1e`-separated) becomes one frame per packet with
 *                  detail {batch: packets in the body, index: 0-based}. No `name`. Special packets carry detail.label:
 *                  'probe' (`2probe` out / `3probe` in on the WebSocket being tested), 'upgrade' (`5` out),
 *                  'noop' (`6`, ends the paused poll during an upgrade), 'attachment' (binary attachment of the
 *                  preceding BINARY_EVENT/BINARY_ACK, with detail.attachment = 1-based index and detail.of = count).
 * engine — the Engine.IO session; a new engine is built for every (re)connect attempt and tapped each time
 *   handshake in   transport, detail {sid, upgrades, pingInterval, pingTimeout, maxPayload}
 *   open local     transport (the engine is open; Socket.IO CONNECT packets follow)
 *   ping in        detail {intervalMs: since the previous ping (or the handshake), expectedMs: pingInterval}
 *   pong out       (the client's answer; v4 servers ping, clients answer)
 *   upgrading local  transport 'websocket' (probe answered; polling is being paused)
 *   upgrade local    transport 'websocket' (the session moved to it)
 *   upgradeError local  reason ('probe error', 'probe error: transport closed', ...), detail {transport}
 *   close local    reason ('transport close', 'transport error', 'ping timeout', 'forced close', 'parse error'),
 *                  transport, detail {description?, closeCode?, closeReason?, wasClean?, cause?}
 * socketio — decoded Socket.IO packets, from the official socket.io-parser (parser.ts)
 *   packet in|out  name = packet type ('CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR', 'BINARY_EVENT',
 *                  'BINARY_ACK'), namespace, ackId (packet id). CONNECT / CONNECT_ERROR carry detail {data}
 *                  (the auth payload out; {sid, pid} or {message, data} in); BINARY_* carry detail {attachments}.
 *                  Incoming packets are recorded as soon as they are decoded (right after their last frame).
 * app — what the application sees. Arguments live in detail.args: the array socket.io-client decoded (no copy, no
 *   JSON): binary arguments are ArrayBuffers, in Node too. `data` is not set on app events (stringifying every
 *   payload would double the per-message cost); previews read detail.args lazily.
 *   event in       name, namespace, detail {args, ackRequested?: true when the server asked for an ack}.
 *                  Exactly one per application event received (and let through: catch-all or a listened name) —
 *                  the status bar counts these as "frames".
 *   emit out       the user called emit (send()): name, namespace, ackId (when an ack was asked; absent when
 *                  `retries` queues it), detail {args, volatile?, compress?, ackTimeoutMs?}. When the packet goes
 *                  straight to the engine, its socketio packet and wire frame follow immediately. Otherwise:
 *   buffered local name, namespace, reason — not connected (socket.io-client keeps it in its send buffer) or
 *                  queued behind unacknowledged packets (retries)
 *   flushed out    name, namespace, ackId, detail {waitedMs} — a buffered emit handed to the engine
 *   dropped local  name, namespace, reason — a volatile emit discarded because the transport was not writable
 *   ack in         name (of the emit it answers), namespace, ackId, rttMs (from the flush to the ack),
 *                  detail {args}
 *   ack_timeout local  name, namespace, ackId, detail {timeoutMs, sent}
 *   ack_error local    name, namespace, ackId, reason ('socket has been disconnected')
 *   ack_reply out      name (of the server's event), namespace, detail {args}: SocketLens answered a server's ack
 *                      request with the arguments set by setServerAckReply (never by default)
 * lifecycle
 *   connecting local   namespace, detail {url, path, transports}
 *   warning local      reason, explanation (extraHeaders with the websocket transport)
 *   connect in         namespace, transport, detail {sid, recovered}
 *   connect_error in   namespace, reason (the error message), explanation (diagnose.ts), transport,
 *                      detail {diagnosis, title, nextStep, willRetry, type?, httpStatus?, httpBody?, cause?, data?, code?,
 *                      stoppedRetrying? (a Socket.IO v2 server: the driver stops, retrying cannot succeed)}
 *   disconnect in|local  namespace, reason (Socket.IO disconnect reason), explanation (for failures), transport,
 *                      detail {willRetry, wasConnected, diagnosis?, title?, nextStep?, description?, closeCode?,
 *                      closeReason?, wasClean?}
 *   reconnect_attempt local  attempt, delayMs (the backoff delay that preceded it)
 *   reconnect_error local    attempt, reason
 *   reconnect local          attempt
 *   reconnect_failed local   attempt, explanation
 */
import { Manager } from 'socket.io-client'
import type { Socket } from 'socket.io-client'
import { PacketType } from 'socket.io-parser'
import type { Packet } from 'socket.io-parser'
import { isEngineIo3PollingBody, POLLING_SEPARATOR } from '../codec'
import type { FailureFacts } from '../diagnose'
import { EmitLedger } from '../socketio-core/emits'
import type { EmitLedgerHost, EventMessage, PendingEmit } from '../socketio-core/emits'
import { connectErrorFacts, disconnectDetail, explainFailure, MAX_HTTP_BODY } from '../socketio-core/failure'
import { WireFrames } from '../socketio-core/wireFrames'
import { now } from '../types'
import type {
  ConnectionState, Direction, DraftEvent, Driver, DriverHooks, OutgoingMessage, SendResult, Sink, TransportName,
} from '../types'
import { createTappedParser } from './parser'
import type { PacketTap } from './parser'
import { TAPPED_TRANSPORTS } from './transports'
import type { WireTap } from './transports'

export interface SocketIoDriverOptions {
  /** `http(s)://host:port/namespace`; the namespace comes from the path (`/` by default). */
  url: string
  /**
   * Where the server listens for Engine.IO requests.
   * @default '/socket.io'
   */
  path?: string
  /** Sent in the CONNECT packet of the main namespace (read by server middleware as `socket.handshake.auth`). */
  auth?: Record<string, unknown>
  /** Added to every Engine.IO request's query string (merged over the URL's own query). */
  query?: Record<string, string>
  /**
   * Transports in the order they are tried; the first opens the session, later ones are upgrade targets.
   * @default ['polling', 'websocket']
   */
  transports?: ('polling' | 'websocket' | 'webtransport')[]
  /**
   * Probe and upgrade to a better transport after the session opened.
   * @default true
   */
  upgrade?: boolean
  /**
   * Start with websocket when the previous session in this page upgraded successfully.
   * @default false
   */
  rememberUpgrade?: boolean
  /**
   * Send cookies (and accept Set-Cookie) on cross-origin polling requests.
   * @default false
   */
  withCredentials?: boolean
  /**
   * HTTP headers for polling requests only (they trigger a CORS preflight). A browser's WebSocket cannot send
   * headers, so the websocket transport goes without them; the timeline says so when both are set.
   */
  extraHeaders?: Record<string, string>
  /**
   * Connect timeout for each attempt, in ms.
   * @default 20000
   */
  timeout?: number
  /**
   * Reconnect after an unexpected disconnection or a failed attempt.
   * @default true
   */
  reconnection?: boolean
  /**
   * Attempts before giving up (`reconnect_failed`); 0 turns reconnection off.
   * @default Infinity
   */
  reconnectionAttempts?: number
  /**
   * First reconnect delay in ms, doubled on each attempt.
   * @default 1000
   */
  reconnectionDelay?: number
  /**
   * Largest reconnect delay in ms.
   * @default 5000
   */
  reconnectionDelayMax?: number
  /**
   * Jitter applied to each delay (0 to 1).
   * @default 0.5
   */
  randomizationFactor?: number
  /**
   * How long an emit with an ack waits before it is reported as timed out, in ms.
   * @default 10000
   */
  ackTimeout?: number
  /**
   * Resend an event until the server acknowledges it, at most this many times (socket.io-client's retries:
   * one packet in flight at a time, each waits for its ack).
   * @default 0
   */
  retries?: number
  /** `location.href` of the page running SocketLens, for diagnoses (mixed content, local-network access). */
  pageUrl?: string
  /** The page's local-network permission, read when a failure is diagnosed (see the WebSocket driver's option). */
  localNetworkPermission?: () => 'granted' | 'denied' | 'prompt' | undefined
}

export interface SocketIoDriver extends Driver {
  readonly type: 'socketio'
  /** Namespaces joined over the one Manager, each with its own state. */
  readonly namespaces: ReadonlyMap<string, ConnectionState>
  addNamespace: (namespace: string, auth?: Record<string, unknown>) => void
  removeNamespace: (namespace: string) => void
  /** Catch-all is on by default; named listeners can be switched on and off. */
  setCatchAll: (on: boolean) => void
  listen: (eventName: string, on: boolean) => void
  /**
   * How to answer a server's emit that asks for an acknowledgement: `undefined` leaves it unanswered (the server's
   * callback never runs, or times out), an array answers with those arguments. Off by default: an inspector
   * should not invent replies, but some servers wait for them.
   */
  setServerAckReply: (args: unknown[] | undefined) => void
}

/**
 * Create a Socket.IO driver. Nothing connects until `connect()`.
 *
 * `send({kind: 'event', ...})` emits on the given namespace (the main one by default); `send({kind: 'text'})` and
 * `send({kind: 'binary'})` emit a `message` event with that single argument, like `socket.send()`.
 */
export function createSocketIoDriver(options: SocketIoDriverOptions, sink: Sink, hooks: DriverHooks = {}): SocketIoDriver {
  return new SocketIoSession(options, sink, hooks)
}

type Engine = Manager['engine']

interface HandshakeData {
  sid: string
  upgrades: string[]
  pingInterval: number
  pingTimeout: number
  maxPayload: number
}

interface BackoffLike {
  attempts: number
  duration: () => number
}

const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])
const ACK_TIMEOUT_MESSAGE = 'operation has timed out'

function normalizeNamespace(namespace: string): string {
  const trimmed = namespace.trim()
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

function toFactsTransport(name: string | undefined): 'polling' | 'websocket' | undefined {
  return name === 'polling' || name === 'websocket' ? name : undefined
}

/** One namespace: its Socket, its state and the listeners bound to it (created once, not per frame). */
class NamespaceSession {
  state: ConnectionState = 'idle'
  wasConnected = false
  /** Emits not yet handed to the engine (buffered while disconnected, or queued by retries). */
  readonly awaitingFlush: PendingEmit[] = []

  constructor(
    private readonly driver: SocketIoSession,
    readonly name: string,
    readonly socket: Socket,
  ) {
    socket.on('connect', this.onConnect)
    socket.on('connect_error', this.onConnectError)
    socket.on('disconnect', this.onDisconnect)
    socket.onAny(this.onEvent)
  }

  detach(): void {
    this.socket.off('connect', this.onConnect)
    this.socket.off('connect_error', this.onConnectError)
    this.socket.off('disconnect', this.onDisconnect)
    this.socket.offAny(this.onEvent)
  }

  private readonly onConnect = (): void => this.driver.namespaceConnected(this)
  private readonly onConnectError = (err: Error): void => this.driver.namespaceConnectError(this, err)
  private readonly onDisconnect = (reason: string, description?: unknown): void =>
    this.driver.namespaceDisconnected(this, reason, description)

  /** Hot path: one app `event` per application event received. */
  private readonly onEvent = (name: unknown, ...args: unknown[]): void => {
    const driver = this.driver
    const eventName = typeof name === 'string' ? name : String(name)
    if (!driver.catchAll && !driver.listened.has(eventName)) return
    // socket.io-client appends an ack callback when the server asked for an acknowledgement.
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() as (...reply: unknown[]) => void : undefined
    const detail: Record<string, unknown> = ack ? { args, ackRequested: true } : { args }
    driver.record({ time: driver.inTime ?? now(), layer: 'app', kind: 'event', dir: 'in', name: eventName, namespace: this.name, detail })
    const reply = driver.serverAckReply
    if (ack && reply) {
      // Recorded before the call: the ACK packet and its wire frame are written synchronously inside it.
      driver.record({ time: now(), layer: 'app', kind: 'ack_reply', dir: 'out', name: eventName, namespace: this.name, detail: { args: reply } })
      ack(...reply)
    }
  }
}

class SocketIoSession implements SocketIoDriver, WireTap, PacketTap, EmitLedgerHost {
  readonly type = 'socketio' as const
  readonly namespaces = new Map<string, ConnectionState>()
  catchAll = true
  readonly listened = new Set<string>()
  /**
   * When the frame being decoded arrived. Its packet and application event are stamped with it: one clock read
   * per frame on the hot path instead of three, and the three rows show that they came together.
   */
  inTime: number | undefined
  serverAckReply: unknown[] | undefined

  private readonly manager: Manager
  private readonly backoff: BackoffLike
  private readonly sessions = new Map<string, NamespaceSession>()
  private readonly mainNamespace: string
  private readonly transports: ('polling' | 'websocket' | 'webtransport')[]
  private readonly invalidUrl: boolean
  private readonly ackTimeout: number
  private readonly retries: number
  private disposed = false

  // Per engine (per attempt).
  private engine: Engine | undefined
  private attemptStartedAt = 0
  private handshakeSeen = false
  private engineOpen = false
  private pingInterval = 0
  private lastPingAt = 0
  private v2Body: string | undefined
  private readonly frames = new WireFrames(this)

  // Across attempts.
  private everOpened = false
  private closesWithoutConnect = 0
  private plannedDelay: number | undefined
  private reconnectAttempt = 0
  private encodedCount = 0
  private lastEncoded: Packet | undefined
  private readonly emits = new EmitLedger(this)

  constructor(
    private readonly options: SocketIoDriverOptions,
    private readonly sink: Sink,
    private readonly hooks: DriverHooks,
  ) {
    this.transports = options.transports ?? ['polling', 'websocket']
    this.ackTimeout = options.ackTimeout ?? 10_000
    this.retries = options.retries ?? 0
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
    this.manager = new Manager(origin, {
      path: options.path ?? '/socket.io',
      autoConnect: false,
      forceNew: true,
      query: { ...query, ...options.query },
      transports: this.transports.map(name => TAPPED_TRANSPORTS[name]),
      upgrade: options.upgrade ?? true,
      rememberUpgrade: options.rememberUpgrade ?? false,
      withCredentials: options.withCredentials ?? false,
      extraHeaders: options.extraHeaders,
      timeout: options.timeout ?? 20_000,
      // socket.io-client reads reconnectionAttempts 0 as "no limit"; a person who types 0 means "no retries".
      reconnection: (options.reconnection ?? true) && options.reconnectionAttempts !== 0,
      reconnectionAttempts: options.reconnectionAttempts || Infinity,
      reconnectionDelay: options.reconnectionDelay ?? 1000,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 5000,
      randomizationFactor: options.randomizationFactor ?? 0.5,
      parser: createTappedParser(this),
      // Read by the tapped transports (engine options are handed down to every transport).
      wireTap: this,
    } as ConstructorParameters<typeof Manager>[1])
    // The Manager computes each reconnect delay with backoff.duration() just before arming its timer;
    // wrap it on this instance so reconnect_attempt can say how long it waited.
    this.backoff = (this.manager as unknown as { backoff: BackoffLike }).backoff
    const duration = this.backoff.duration.bind(this.backoff)
    this.backoff.duration = () => {
      const delay = duration()
      this.plannedDelay = delay
      return delay
    }
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
      const { explanation } = explainFailure({ protocol: 'socketio', url: this.options.url, pageUrl: this.options.pageUrl }, detail)
      this.record({
        time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'local', namespace: this.mainNamespace,
        reason: 'invalid URL', explanation, detail,
      })
      this.setState(main, 'closed')
      return
    }
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connecting', dir: 'local', namespace: this.mainNamespace,
      detail: { url: this.options.url, path: this.options.path ?? '/socket.io', transports: [...this.transports] },
    })
    if (this.options.extraHeaders && Object.keys(this.options.extraHeaders).length > 0 && this.transports.includes('websocket')) {
      this.record({
        time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'extraHeaders reach polling only',
        explanation: 'Extra headers are sent on HTTP long-polling requests only: a browser\'s WebSocket cannot set request headers, so the websocket transport connects without them. Pass credentials in auth or query instead, or use cookies with withCredentials.',
      })
    }
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
    this.manager._close()
    this.detachEngine()
    this.emits.closeAll()
  }

  // ---------------------------------------------------------------- namespaces and listeners

  addNamespace(namespace: string, auth?: Record<string, unknown>): void {
    if (this.disposed) return
    const name = normalizeNamespace(namespace)
    if (this.sessions.has(name)) return
    const session = this.createSession(name, auth)
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
    const socket = this.manager.socket(name, { auth, ackTimeout: this.ackTimeout, retries: this.retries })
    // The Manager keeps one Socket per namespace: a namespace removed and added again reuses it.
    if (auth !== undefined) socket.auth = auth
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
      // Emits `disconnect` ('io client disconnect'), recorded by namespaceDisconnected.
      socket.disconnect()
      return
    }
    socket.disconnect()
    if (session.state === 'connecting' || session.state === 'reconnecting') {
      // Not connected: socket.io-client stops retrying without any event, so say it here.
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

  // ---------------------------------------------------------------- Socket events (per namespace)

  namespaceConnected(session: NamespaceSession): void {
    this.everOpened = true
    this.closesWithoutConnect = 0
    session.wasConnected = true
    const socket = session.socket
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: session.name,
      transport: this.currentTransport(), detail: { sid: socket.id, recovered: socket.recovered },
    })
    this.setState(session, 'open')
  }

  namespaceConnectError(session: NamespaceSession, err: Error): void {
    const { facts, detail } = connectErrorFacts(err)
    const { diagnosis, explanation } = explainFailure(this.failureFacts(facts, session.name), detail)
    // A Socket.IO v2 server never accepts a v4 client: retrying would only repeat this failure every few seconds.
    const hopeless = diagnosis.id === 'socketio-v2-server'
    const willRetry = !hopeless && this.willRetry(session.socket)
    // The parser-mismatch count is of closes in a row without a connect *or* a connect_error.
    this.closesWithoutConnect = 0
    detail.willRetry = willRetry
    if (hopeless) detail.stoppedRetrying = true
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'in', namespace: session.name,
      transport: this.currentTransport(), reason: err.message, explanation, detail,
    })
    if (hopeless) {
      this.setState(session, 'closed')
      // After the current event has run its course, so the engine's own close (transport error) is recorded first.
      setTimeout(() => {
        if (this.disposed) return
        for (const other of this.sessions.values()) {
          other.socket.disconnect()
          this.setState(other, 'closed')
        }
      }, 0)
      return
    }
    this.setState(session, willRetry ? 'reconnecting' : 'closed')
  }

  namespaceDisconnected(session: NamespaceSession, reason: string, description: unknown): void {
    const byClient = reason === 'io client disconnect'
    const willRetry = !byClient && reason !== 'io server disconnect' && this.willRetry(session.socket)
    const detail = disconnectDetail(description)
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
    this.record({
      time: now(), layer: 'lifecycle', kind: 'disconnect', dir: byClient ? 'local' : 'in', namespace: session.name,
      transport: this.currentTransport(), reason, explanation, detail,
    })
    this.setState(session, willRetry ? 'reconnecting' : 'closed')
  }

  /** Whether socket.io-client will try again after this failure (Manager.reconnect's own test). */
  private willRetry(socket: Socket): boolean {
    return socket.active && this.manager.reconnection() && this.backoff.attempts < this.manager.reconnectionAttempts()
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
      // An Engine.IO 3 body (Socket.IO v2 server) is the strongest evidence there is: it wins over the rest.
      ...(this.v2Body !== undefined ? { httpBody: this.v2Body } : {}),
    }
  }

  private currentTransport(): TransportName | undefined {
    return this.engine?.transport?.name as TransportName | undefined
  }

  // ---------------------------------------------------------------- Manager events

  private readonly onReconnectAttempt = (attempt: number): void => {
    this.reconnectAttempt = attempt
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect_attempt', dir: 'local', attempt, delayMs: this.plannedDelay })
  }

  private readonly onReconnectError = (err: Error): void => {
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect_error', dir: 'local', attempt: this.reconnectAttempt, reason: err.message })
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

  /** The Manager builds a new engine for every (re)connect attempt: tap each one as its first transport is made. */
  transportCreated(created: unknown): void {
    if (created !== this.engine && !this.disposed) this.attachEngine(created as Engine)
  }

  private attachEngine(engine: Engine): void {
    this.detachEngine()
    this.engine = engine
    this.attemptStartedAt = now()
    this.handshakeSeen = false
    this.engineOpen = false
    this.v2Body = undefined
    this.frames.reset()
    engine.on('handshake', this.onHandshake)
    engine.on('open', this.onEngineOpen)
    engine.on('packet', this.onEnginePacket)
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
    engine.off('open', this.onEngineOpen)
    engine.off('packet', this.onEnginePacket)
    engine.off('pong', this.onEnginePong)
    engine.off('upgrading', this.onUpgrading)
    engine.off('upgrade', this.onUpgrade)
    engine.off('upgradeError', this.onUpgradeError)
    engine.off('close', this.onEngineClose)
  }

  private readonly onHandshake = (data: HandshakeData): void => {
    this.handshakeSeen = true
    this.pingInterval = data.pingInterval
    this.lastPingAt = now()
    this.record({
      time: this.lastPingAt, layer: 'engine', kind: 'handshake', dir: 'in', transport: this.currentTransport(),
      detail: { sid: data.sid, upgrades: data.upgrades, pingInterval: data.pingInterval, pingTimeout: data.pingTimeout, maxPayload: data.maxPayload },
    })
  }

  private readonly onEngineOpen = (): void => {
    this.engineOpen = true
    this.record({ time: now(), layer: 'engine', kind: 'open', dir: 'local', transport: this.currentTransport() })
  }

  /** Every Engine.IO packet passes here: only pings are of interest (before the engine answers them). */
  private readonly onEnginePacket = (packet: { type: string }): void => {
    if (packet.type !== 'ping') return
    const time = now()
    const intervalMs = time - this.lastPingAt
    this.lastPingAt = time
    this.record({
      time, layer: 'engine', kind: 'ping', dir: 'in', transport: this.currentTransport(),
      detail: { intervalMs, expectedMs: this.pingInterval },
    })
  }

  private readonly onEnginePong = (): void => {
    this.record({ time: now(), layer: 'engine', kind: 'pong', dir: 'out', transport: this.currentTransport() })
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
    const detail = disconnectDetail(description)
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

  // ---------------------------------------------------------------- wire tap (hot path)

  frameIn(transport: TransportName, frame: string | ArrayBuffer): void {
    this.inTime = now()
    this.frames.frame('in', transport, frame, 0, 0, this.inTime)
  }

  frameDone(): void {
    this.inTime = undefined
  }

  frameOut(transport: TransportName, frame: string | ArrayBuffer): void {
    this.frames.frame('out', transport, frame, 0, 0, undefined)
  }

  pollingIn(body: string): void {
    this.inTime = now()
    if (!this.handshakeSeen && this.v2Body === undefined && isEngineIo3PollingBody(body)) this.v2Body = body.slice(0, MAX_HTTP_BODY)
    this.polling('in', body, this.inTime)
  }

  pollingOut(body: string): void {
    this.polling('out', body, undefined)
  }

  /** An Engine.IO 4 polling body: packets separated by `\x1e` (split only when there are several). */
  private polling(dir: Direction, body: string, time: number | undefined): void {
    if (body.indexOf(POLLING_SEPARATOR) === -1) this.frames.frame(dir, 'polling', body, 0, 0, time)
    else this.frames.pollingBody(dir, body.split(POLLING_SEPARATOR), time)
  }

  // ---------------------------------------------------------------- packet tap

  packetIn(packet: Packet, binary: boolean): void {
    const type = binary ? packet.type + 3 : packet.type
    let detail: Record<string, unknown> | undefined
    if (type === PacketType.CONNECT || type === PacketType.CONNECT_ERROR) detail = { data: packet.data }
    else if (binary) detail = { attachments: this.frames.attachmentsInOf }
    this.record({
      time: this.inTime ?? now(), layer: 'socketio', kind: 'packet', dir: 'in', name: PacketType[type], namespace: packet.nsp,
      ackId: packet.id, detail,
    })
  }

  packetOut(packet: Packet, attachments: number): void {
    this.encodedCount++
    this.lastEncoded = packet
    if (packet.type === PacketType.EVENT) {
      const session = this.sessions.get(packet.nsp)
      if (session && session.awaitingFlush.length > 0) this.emits.flushed(session.awaitingFlush, packet.data as unknown[], packet.id, false)
    }
    const type = attachments > 0 ? packet.type + 3 : packet.type
    let detail: Record<string, unknown> | undefined
    if (type === PacketType.CONNECT) detail = { data: packet.data }
    else if (attachments > 0) detail = { attachments }
    this.record({
      time: now(), layer: 'socketio', kind: 'packet', dir: 'out', name: PacketType[type], namespace: packet.nsp,
      ackId: packet.id, detail,
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
      return Promise.resolve({ ok: false, error: `"${name}" is reserved by Socket.IO and cannot be emitted. Choose another event name.` })
    }
    const socket = session.socket
    const args = message.args
    const ack = message.ack === true
    const timeoutMs = message.timeoutMs ?? this.ackTimeout
    const queued = this.retries > 0 && message.volatile !== true
    // socket.io-client numbers acks with `ids++` at emit time, unless retries queue the packet.
    const emitted = this.emits.emitted(message, namespace, timeoutMs, ack && !queued ? (socket as unknown as { ids: number }).ids : undefined)

    const encodedBefore = this.encodedCount
    const bufferedBefore = socket.sendBuffer.length
    let target = socket
    if (message.volatile) target = target.volatile
    if (message.compress !== undefined) target = target.compress(message.compress)
    let result: Promise<SendResult>
    if (ack) {
      result = new Promise<SendResult>((resolve) => {
        this.emits.awaitAck(emitted, resolve)
        const onAck = (err: Error | null, ...ackArgs: unknown[]): void => this.settleAck(emitted, timeoutMs, err, ackArgs)
        target.timeout(timeoutMs).emit(name, ...args, onAck)
      })
    }
    else {
      target.emit(name, ...args)
      result = Promise.resolve({ ok: true })
    }

    if (this.encodedCount !== encodedBefore) {
      emitted.sentAt = emitted.emittedAt
      emitted.ackId = this.lastEncoded?.id
    }
    else if (socket.sendBuffer.length > bufferedBefore || queued) {
      emitted.ackId = socket.sendBuffer.length > bufferedBefore ? socket.sendBuffer[socket.sendBuffer.length - 1]?.id : undefined
      this.emits.buffered(session.awaitingFlush, emitted, queued && socket.connected
        ? 'queued: with retries, one packet is in flight at a time until the server acknowledges it'
        : `not connected: sent when ${namespace} connects`)
    }
    else {
      result = this.emits.dropped(emitted, `Not sent: "${name}" was volatile and the connection was not ready, so Socket.IO dropped it.`)
    }
    return result
  }

  /** socket.io-client's ack callback: the ack, its own timeout (`operation has timed out`), or the disconnect. */
  private settleAck(emitted: PendingEmit, timeoutMs: number, err: Error | null, ackArgs: unknown[]): void {
    if (!err) this.emits.acked(emitted, ackArgs)
    else if (err.message === ACK_TIMEOUT_MESSAGE) this.emits.timedOut(emitted, timeoutMs)
    else this.emits.failed(emitted, err.message)
  }

  /** Where buffered emits of a namespace wait (EmitLedgerHost). */
  awaitingFlush(namespace: string): PendingEmit[] | undefined {
    return this.sessions.get(namespace)?.awaitingFlush
  }
}
