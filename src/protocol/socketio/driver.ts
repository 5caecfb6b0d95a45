/**
 * The Socket.IO v4 driver (serves v3 servers too): socket.io-client 4.8.4, one Manager per driver, one Socket per
 * namespace, and taps on every layer so the timeline shows what really happens on the connection. Most of it is
 * shared with the v2 driver (../socketio-core/: session.ts, emits.ts, wireFrames.ts, failure.ts); this file keeps
 * what is particular to socket.io-client 4: its Manager options, tapped transports and parser, `onAny`, its own ack
 * timeout and retries, and the Engine.IO 4 heartbeat (the server pings).
 *
 * Timeline events: every layer (wire frames from the tapped transports, the engine session, decoded socketio packets,
 * app events, emits and acks, lifecycle), each kind with its fields and detail, is the union in ../events.ts; the
 * compiler holds every event recorded here and in ../socketio-core/ to it. The v2 driver records the same layout.
 */
import { Manager } from 'socket.io-client'
import type { Socket } from 'socket.io-client'
import { PacketType } from 'socket.io-parser'
import type { Packet } from 'socket.io-parser'
import { isEngineIo3PollingBody, POLLING_SEPARATOR } from '../codec'
import type { Diagnosis, FailureFacts } from '../diagnose'
import type { EventMessage, PendingEmit } from '../socketio-core/emits'
import { diagnose } from '../diagnose'
import { message, message as say, type MessageRef } from '../message'
import { pythonRefusal } from '../engineProbe'
import { connectErrorFacts, disconnectDetail, MAX_HTTP_BODY } from '../socketio-core/failure'
import { NamespaceSessionCore, SocketIoSessionCore } from '../socketio-core/session'
import type { BackoffLike, EventSource, Listener } from '../socketio-core/session'
import type { SocketIoDriver, SocketIoDriverOptions } from '../socketio-core/types'
import { now } from '../types'
import type { DriverHooks, SendResult, Sink, TransportName } from '../types'
import type { FrameDirection, PacketDetail, SocketIoFailureDetail, TransportErrorDetail } from '../events'
import { createTappedParser } from './parser'
import type { PacketTap, SocketIoParser } from './parser'
import { TAPPED_TRANSPORTS } from './transports'
import type { WireTap } from './transports'

export type { SocketIoDriver, SocketIoDriverOptions } from '../socketio-core/types'

/**
 * Create a Socket.IO driver. Nothing connects until `connect()`.
 *
 * `send({kind: 'event', ...})` emits on the given namespace (the main one by default); `send({kind: 'text'})` and
 * `send({kind: 'binary'})` emit a `message` event with that single argument, like `socket.send()`.
 */
/** Diagnoses that retrying cannot change. */
const UNRETRYABLE = new Set<Diagnosis['id']>(['socketio-v2-server', 'invalid-url', 'mixed-content'])

export function createSocketIoDriver(options: SocketIoDriverOptions, sink: Sink, hooks: DriverHooks = {}): SocketIoDriver {
  return new SocketIoSession(options, sink, hooks)
}

type Engine = NonNullable<Manager['engine']>

interface HandshakeData {
  sid: string
  upgrades: string[]
  pingInterval: number
  pingTimeout: number
  maxPayload: number
}

const RESERVED_EVENTS = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'])
const ACK_TIMEOUT_MESSAGE = 'operation has timed out'

/** One namespace: its Socket, its state and the listeners bound to it (created once, not per frame). */
class NamespaceSession extends NamespaceSessionCore<Socket> {
  constructor(private readonly driver: SocketIoSession, name: string, socket: Socket) {
    super(name, socket)
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

  private readonly onConnect = (): void => this.driver.namespaceConnected(this, this.socket.recovered)
  private readonly onConnectError = (err: Error): void => this.driver.namespaceConnectError(this, err)
  private readonly onDisconnect = (reason: string, description?: unknown): void =>
    this.driver.namespaceDisconnected(this, reason, description)

  /** Hot path: one app `event` per application event received. */
  private readonly onEvent = (name: unknown, ...args: unknown[]): void => {
    const driver = this.driver
    const eventName = typeof name === 'string' ? name : String(name)
    if (!driver.shows(eventName)) return
    // socket.io-client appends an ack callback when the server asked for an acknowledgement.
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() as (...reply: unknown[]) => void : undefined
    driver.recordEvent(driver.inTime ?? now(), this.name, eventName, args, ack !== undefined)
    if (ack) driver.replyToAck(this.name, eventName, ack)
  }
}

class SocketIoSession extends SocketIoSessionCore<NamespaceSession, Engine> implements WireTap, PacketTap {
  /**
   * When the frame being decoded arrived. Its packet and application event are stamped with it: one clock read
   * per frame on the hot path instead of three, and the three rows show that they came together.
   */
  inTime: number | undefined

  private readonly manager: Manager
  private readonly backoff: BackoffLike
  private readonly retries: number

  // Per engine (per attempt).
  private handshakeSeen = false
  private v2Body: string | undefined

  // Across attempts.
  private encodedCount = 0
  private lastEncoded: Packet | undefined

  constructor(options: SocketIoDriverOptions, sink: Sink, hooks: DriverHooks) {
    super(options, sink, hooks, options.transports ?? ['polling', 'websocket'])
    this.retries = options.retries ?? 0
    this.manager = new Manager(this.origin, {
      path: options.path ?? '/socket.io',
      autoConnect: false,
      forceNew: true,
      query: { ...this.urlQuery, ...options.query },
      transports: this.transports.map(name => TAPPED_TRANSPORTS[name]),
      upgrade: options.upgrade ?? true,
      rememberUpgrade: options.rememberUpgrade ?? false,
      tryAllTransports: options.tryAllTransports ?? false,
      withCredentials: options.withCredentials ?? false,
      extraHeaders: options.extraHeaders,
      timeout: options.timeout ?? 20_000,
      // socket.io-client reads reconnectionAttempts 0 as "no limit"; a person who types 0 means "no retries".
      reconnection: (options.reconnection ?? true) && options.reconnectionAttempts !== 0,
      reconnectionAttempts: options.reconnectionAttempts || Infinity,
      reconnectionDelay: options.reconnectionDelay ?? 1000,
      reconnectionDelayMax: options.reconnectionDelayMax ?? 5000,
      randomizationFactor: options.randomizationFactor ?? 0.5,
      parser: options.parser === 'msgpack' && options.parserModule
        ? createTappedParser(this, options.parserModule as unknown as SocketIoParser)
        : createTappedParser(this),
      // Read by the tapped transports (engine options are handed down to every transport).
      wireTap: this,
    } as ConstructorParameters<typeof Manager>[1])
    this.backoff = (this.manager as unknown as { backoff: BackoffLike }).backoff
    this.watchManager(this.manager as unknown as EventSource, this.backoff)
    this.createSession(this.mainNamespace, options.auth)
  }

  // ---------------------------------------------------------------- what socket.io-client 4 does its own way

  protected newSession(name: string, auth: Record<string, unknown> | undefined): NamespaceSession {
    const socket = this.manager.socket(name, { auth, ackTimeout: this.ackTimeout, retries: this.retries })
    // The Manager keeps one Socket per namespace: a namespace removed and added again reuses it.
    if (auth !== undefined) socket.auth = auth
    return new NamespaceSession(this, name, socket)
  }

  protected warnAboutOptions(): void {
    this.warnAboutExtraHeaders(message('protocol.socketio.credentialsV4'))
  }

  protected closeManager(): void {
    this.manager._close()
  }

  /** Manager.reconnect's own test. */
  protected willRetry(session: NamespaceSession): boolean {
    return session.socket.active && this.manager.reconnection() && this.backoff.attempts < this.manager.reconnectionAttempts()
  }

  protected disconnectContext(_reason: string, description: unknown): SocketIoFailureDetail {
    return disconnectDetail(description)
  }

  protected override failureFacts(facts: Partial<FailureFacts>, namespace: string): FailureFacts {
    const all = super.failureFacts(facts, namespace)
    // An Engine.IO 3 body (Socket.IO v2 server) is the strongest evidence there is: it wins over the rest.
    if (this.v2Body !== undefined) all.httpBody = this.v2Body
    return all
  }

  /**
   * A WebSocket-only server answers a polling handshake with 400 `{"code":0,"message":"Transport unknown"}`: the
   * next attempt starts on WebSocket (when it is in the list), as a person would do by hand. The Manager hands its
   * options to every new engine, so changing them here reaches the retry.
   */
  private skipRefusedPolling(detail: SocketIoFailureDetail, evidence: MessageRef[]): boolean {
    const opts = (this.manager as unknown as { opts: { transports: unknown[] } }).opts
    const websocket = TAPPED_TRANSPORTS.websocket
    if (this.options.autoTransports === false || detail.httpStatus !== 400 || typeof detail.httpBody !== 'string') return false
    const body = detail.httpBody
    const node = /"code"\s*:\s*0\b/.test(body)
    const python = pythonRefusal(body) === 'transport'
    if (!node && !python) return false
    if (opts.transports[0] !== TAPPED_TRANSPORTS.polling || !opts.transports.includes(websocket)) return false
    opts.transports = [websocket, ...opts.transports.filter(t => t !== websocket && t !== TAPPED_TRANSPORTS.polling)]
    this.record({
      time: now(), layer: 'lifecycle', kind: 'auto', dir: 'local', reason: 'long-polling refused: WebSocket only',
      explain: message(node ? 'protocol.socketio.pollingRefusedNode' : 'protocol.socketio.pollingRefusedPython'),
      detail: { choice: 'transports', to: ['websocket'], evidence },
    })
    return true
  }

  namespaceConnectError(session: NamespaceSession, err: Error): void {
    const { facts, detail } = connectErrorFacts(err)
    const main = session.name === this.mainNamespace
    const pre = diagnose(this.failureFacts(facts, session.name))
    // A Socket.IO v2 server never accepts a v4 client, and a blocked port or mixed content fails at once every time:
    // retrying would only repeat the failure every few seconds.
    const hopeless = UNRETRYABLE.has(pre.id)
    const willRetry = !hopeless && this.willRetry(session)
    const { diagnosis, explain } = this.explain(facts, session.name, detail, { willRetry })
    if (main && diagnosis.id === 'socketio-v2-server') {
      this.offer({
        choice: 'version', value: 'v2',
        reason: 'the server speaks Engine.IO 3 (Socket.IO v2)', evidence: diagnosis.evidence,
      }, detail)
    }
    this.recordConnectError(session, err.message, explain, detail, willRetry, hopeless)
    if (!hopeless) {
      if (main && !this.skipRefusedPolling(detail, diagnosis.evidence)) {
        this.probePathAfter(detail)
        this.probeHttpAfter(detail)
      }
      return
    }
    // After the current event has run its course, so the engine's own close (transport error) is recorded first.
    this.stopAll()
  }

  // ---------------------------------------------------------------- Engine events (per attempt)

  /** The Manager builds a new engine for every (re)connect attempt: tap each one as its first transport is made. */
  transportCreated(created: unknown): void {
    if (created !== this.engine && !this.disposed) this.attachEngine(created as Engine)
  }

  protected override attachEngine(engine: Engine): void {
    super.attachEngine(engine)
    this.handshakeSeen = false
    this.v2Body = undefined
  }

  protected engineListeners(): Record<string, Listener> {
    return { handshake: this.onHandshake, open: this.onEngineOpen, packet: this.onEnginePacket, pong: this.onEnginePong }
  }

  private readonly onHandshake = (data: HandshakeData): void => {
    this.handshakeSeen = true
    const { sid, upgrades, pingInterval, pingTimeout, maxPayload } = data
    this.recordHandshake(pingInterval, { sid, upgrades, pingInterval, pingTimeout, maxPayload }, data, 4)
  }

  private readonly onEngineOpen = (): void => {
    this.engineOpen = true
    this.record({ time: now(), layer: 'engine', kind: 'open', dir: 'local', transport: this.currentTransport() })
  }

  /** Every Engine.IO packet passes here: only pings are of interest (before the engine answers them). */
  private readonly onEnginePacket = (packet: { type: string }): void => {
    if (packet.type === 'ping') this.recordPing('in')
  }

  private readonly onEnginePong = (): void => {
    this.record({ time: now(), layer: 'engine', kind: 'pong', dir: 'out', transport: this.currentTransport() })
  }

  // ---------------------------------------------------------------- wire tap (hot path)

  frameIn(transport: TransportName, frame: string | ArrayBuffer): void {
    this.inTime = now()
    this.frames.frame('in', transport, frame, 0, 0, this.inTime)
  }

  frameDone(): void {
    this.inTime = undefined
  }

  /** Recorded on the engine layer: with several transports the engine may go on to the next one on its own. */
  transportError(transport: TransportName, reason: string, description: unknown, context: unknown): void {
    if (this.disposed) return
    const detail: TransportErrorDetail = connectErrorFacts({ name: 'TransportError', type: 'TransportError', message: reason, description, context }).detail
    delete detail.type
    const engine = this.engine as unknown as { readyState?: string, transports?: TransportName[], opts?: { tryAllTransports?: boolean } } | undefined
    // engine.io-client's _onError: while opening, with tryAllTransports, it drops this transport and tries the next.
    const next = engine?.readyState === 'opening' && engine.opts?.tryAllTransports && (engine.transports?.length ?? 0) > 1
      ? engine.transports![1]
      : undefined
    if (next) detail.next = next
    this.record({ time: now(), layer: 'engine', kind: 'transport_error', dir: 'local', transport, reason, detail })
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
  private polling(dir: FrameDirection, body: string, time: number | undefined): void {
    if (body.indexOf(POLLING_SEPARATOR) === -1) this.frames.frame(dir, 'polling', body, 0, 0, time)
    else this.frames.pollingBody(dir, body.split(POLLING_SEPARATOR), time)
  }

  // ---------------------------------------------------------------- packet tap

  packetIn(packet: Packet, binary: boolean): void {
    const type = binary ? packet.type + 3 : packet.type
    let detail: PacketDetail | undefined
    if (type === PacketType.CONNECT || type === PacketType.CONNECT_ERROR) detail = { data: packet.data }
    else if (binary) detail = { attachments: this.frames.attachmentsInOf }
    this.record({
      seq: 0, time: this.inTime ?? now(), layer: 'socketio', kind: 'packet', dir: 'in', name: PacketType[type] ?? String(type), namespace: packet.nsp,
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
    let detail: PacketDetail | undefined
    if (type === PacketType.CONNECT) detail = { data: packet.data }
    else if (attachments > 0) detail = { attachments }
    this.record({
      time: now(), layer: 'socketio', kind: 'packet', dir: 'out', name: PacketType[type] ?? String(type), namespace: packet.nsp,
      ackId: packet.id, detail,
    })
  }

  // ---------------------------------------------------------------- emit

  protected reservedEventError(name: string): MessageRef | undefined {
    return RESERVED_EVENTS.has(name) ? message('protocol.send.reserved', { name }) : undefined
  }

  protected emitOnSocket(session: NamespaceSession, message: EventMessage, timeoutMs: number): Promise<SendResult> {
    const { name, args } = message
    const namespace = session.name
    const socket = session.socket
    const ack = message.ack === true
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
      result = this.emits.dropped(emitted, say('protocol.send.volatileDropped', { name }))
    }
    return result
  }

  /** socket.io-client's ack callback: the ack, its own timeout (`operation has timed out`), or the disconnect. */
  private settleAck(emitted: PendingEmit, timeoutMs: number, err: Error | null, ackArgs: unknown[]): void {
    if (!err) this.emits.acked(emitted, ackArgs)
    else if (err.message === ACK_TIMEOUT_MESSAGE) this.emits.timedOut(emitted, timeoutMs)
    else this.emits.failed(emitted, err.message)
  }
}
