/**
 * What the Socket.IO v4 and v2 drivers share: the driver itself (connect, disconnect, send, dispose, namespaces,
 * listeners), one NamespaceSession per namespace with its state, the lifecycle events, the Manager's reconnect
 * steps, the engine events both clients report alike, and failure facts → explanation (diagnose.ts). Each driver
 * extends SocketIoSessionCore and keeps only what its client does differently: how the Manager and its Sockets
 * are built and tapped, Engine.IO 4 or 3 (framing, who pings), how an emit is known to have reached the engine,
 * and when the client will retry. The timeline layout is the union in ../events.ts.
 *
 * Imports neither socket.io-client: this is shared by the v4 driver and the lazily loaded v2 one (its own chunk).
 *
 * Recorded here (the variants are in ../events.ts):
 *   lifecycle  connecting, warning (extraHeaders), connect, connect_error, disconnect, diagnosis, stable,
 *              reconnect_attempt, reconnect_error, reconnect, reconnect_failed
 *   engine     handshake (recordHandshake), ping (recordPing), upgrading, upgrade, upgradeError, close
 *   app        event, ack_reply; emits and acks through the EmitLedger (emits.ts)
 *   wire       through WireFrames (wireFrames.ts)
 */
import { ConnectionHistory, formatDuration } from '../connectionHistory'
import { diagnose, diagnosisText, makeDiagnosis } from '../diagnose'
import type { Diagnosis, FailureFacts } from '../diagnose'
import { message, message as say, NOTHING, type MessageRef } from '../message'
import { httpUrlOf, probeHttp, ProbeBudget } from '../httpProbe'
import { describeHandshake, fingerprintEvidence, implementationName, normalizeEnginePath, probeEngineIo } from '../engineProbe'
import type { EngineIoRevision, ServerFingerprint } from '../engineProbe'
import { now } from '../types'
import type {
  ConnectionState, DraftEvent, DriverHooks, OutgoingMessage, SendResult, Sink, TransportName,
} from '../types'
import type { ArgsDetail, ConnectingDetail, EngineCloseDetail, HandshakeDetail, PingEvent, SocketIoFailureDetail } from '../events'
import { EmitLedger } from './emits'
import type { EmitLedgerHost, EventMessage, PendingEmit } from './emits'
import { disconnectDetail, explainFailure, isSessionUnknown, sessionUnknownFacts } from './failure'
import type { DriverOffer, SocketIoDriver, SocketIoDriverOptions } from './types'
import { WireFrames } from './wireFrames'

/** Longest delay a timer honours (a 32-bit signed integer); a longer setTimeout fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** Any listener: `never[]` accepts functions with any parameters, without `any`. */
export type Listener = (...args: never[]) => void

/** The emitter API of socket.io-client's Manager and Engine.IO socket, in either version. */
export interface EventSource {
  on: (event: string, listener: Listener) => unknown
  off: (event: string, listener?: Listener) => unknown
}

/** What the core reads of an Engine.IO socket (v4 or v3). */
export interface EngineLike {
  readonly transport?: { readonly name: string } | null
}

/** What the core uses of a socket.io-client Socket (v4 or v2). */
export interface NamespaceSocket {
  readonly connected: boolean
  readonly id?: string | undefined
  connect: () => unknown
  disconnect: () => unknown
}

/** The Manager's reconnect backoff (backo2 in v2, its port in v4). */
export interface BackoffLike {
  attempts: number
  duration: () => number
  reset: () => void
}

/** Query keys engine.io-client sets itself: a URL copied from DevTools (`?EIO=4&transport=websocket`) carries them. */
const ENGINE_QUERY_KEYS = new Set(['EIO', 'transport', 'sid', 't', 'b64', 'j'])

function normalizeNamespace(namespace: string): string {
  const trimmed = namespace.trim()
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`
}

function toFactsTransport(name: string | undefined): 'polling' | 'websocket' | undefined {
  return name === 'polling' || name === 'websocket' ? name : undefined
}

/** v4 reports Errors; v2 also plain strings (`'timeout'`). */
function errorMessage(err: unknown): string {
  const message = err && typeof err === 'object' ? (err as { message?: unknown }).message : undefined
  return typeof message === 'string' ? message : String(err)
}

/** One namespace: its Socket and its state. Each driver binds its client's listeners (created once, not per frame). */
export abstract class NamespaceSessionCore<S extends NamespaceSocket = NamespaceSocket> {
  state: ConnectionState = 'idle'
  wasConnected = false
  /** Emits not yet handed to the engine (buffered while not connected, or queued). */
  readonly awaitingFlush: PendingEmit[] = []

  constructor(readonly name: string, readonly socket: S) {}

  /** Removes this session's listeners from its Socket. */
  abstract detach(): void
}

export abstract class SocketIoSessionCore<N extends NamespaceSessionCore, E extends EngineLike>
implements SocketIoDriver, EmitLedgerHost {
  readonly type = 'socketio' as const
  readonly namespaces = new Map<string, ConnectionState>()

  protected readonly sessions = new Map<string, N>()
  protected readonly mainNamespace: string
  /** `scheme://host:port` of the URL, for the Manager. */
  protected readonly origin: string
  /** The URL's own query parameters. */
  protected readonly urlQuery: Record<string, string> = {}
  protected readonly ackTimeout: number
  protected readonly emits = new EmitLedger(this)
  protected readonly frames = new WireFrames(this)
  protected disposed = false
  /** Retired: disposed in silence, its successor speaks on the same timeline. */
  private retired = false
  private readonly invalidUrl: boolean

  // Per engine (per attempt).
  protected engine: E | undefined
  /** The engine is open (set by each driver: Engine.IO 4 and 3 say so differently). */
  protected engineOpen = false
  private attemptStartedAt = 0
  private pingInterval = 0
  private lastPingAt = 0

  /** The Engine.IO session of the latest handshake: its sid, when it came, and the frames received since. */
  private engineSession: { sid?: string, at: number, frames: number } | undefined

  // Across attempts.
  private closesWithoutConnect = 0
  /** Sessions in a row that failed with "Session ID unknown" after their handshake had succeeded, and the last one's sid. */
  private unknownSidStreak = 0
  private unknownSid: string | undefined
  private catchAll = true
  private readonly listened = new Set<string>()
  private serverAckReply: unknown[] | undefined
  private managerEvents: EventSource | undefined
  private engineEvents: [string, Listener][] | undefined
  private plannedDelay: number | undefined
  /** The next reconnect delay, drawn early so a failure can say it (the Manager takes it on its next duration()). */
  private drawnDelay: number | undefined
  private drawDelay: (() => number) | undefined
  private reconnectAttempt = 0
  private backoffRef: BackoffLike | undefined
  /** socket.io-client's own backoff reset; the Manager's calls to it are ignored (see watchManager). */
  private resetBackoff: (() => void) | undefined
  private stableTimer: ReturnType<typeof setTimeout> | undefined
  /** This run's connections: earlier opens, short-lived streaks, the same failure in a row (connectionHistory.ts). */
  protected readonly history: ConnectionHistory
  /** What the latest handshake said about the server (engineProbe.ts). */
  protected server: ServerFingerprint | undefined
  /** The path probe runs once per driver (a switch builds a new one), and Disconnect or dispose cancels it. */
  private pathProbed = false
  private probes: AbortController | undefined
  /** The no-cors HTTP probe after a failure the browser hid (httpProbe.ts): bounded per run, cancelled on Disconnect. */
  private readonly budget = new ProbeBudget()
  /** The latest failure of the main namespace, for a second look once a probe comes back. */
  private lastFailure: { facts: FailureFacts, title: string } | undefined

  constructor(
    protected readonly options: SocketIoDriverOptions,
    private readonly sink: Sink,
    private readonly hooks: DriverHooks,
    /** The transports the Manager is given, in order. */
    protected readonly transports: readonly TransportName[],
  ) {
    this.ackTimeout = options.ackTimeout ?? 10_000
    this.history = new ConnectionHistory({ stableMs: options.stableMs })
    let origin = 'http://invalid.invalid'
    let namespace = '/'
    let invalid = false
    try {
      const url = new URL(options.url)
      if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:')
        throw new TypeError(`unsupported scheme ${url.protocol}`)
      origin = `${url.protocol}//${url.host}`
      namespace = decodeURIComponent(url.pathname) || '/'
      url.searchParams.forEach((value, key) => {
        if (!ENGINE_QUERY_KEYS.has(key)) this.urlQuery[key] = value
      })
    }
    catch {
      invalid = true
    }
    this.origin = origin
    this.invalidUrl = invalid
    this.mainNamespace = normalizeNamespace(namespace)
  }

  get state(): ConnectionState {
    return this.namespaces.get(this.mainNamespace) ?? 'closed'
  }

  /** The single exit to the timeline. Nothing is recorded after dispose(). */
  record(event: DraftEvent): void {
    if (event.layer === 'wire' && event.dir === 'in' && this.engineSession) this.engineSession.frames++
    if (!this.disposed && !this.retired) this.sink(event)
  }

  /** Dispose without a word: replaced by another driver on the same timeline (socketio-core/auto.ts). */
  retire(): void {
    this.retired = true
    this.dispose()
  }

  // ---------------------------------------------------------------- what each client does differently

  /** Builds the Socket of a namespace (the Manager keeps one per namespace) and its session. */
  protected abstract newSession(name: string, auth: Record<string, unknown> | undefined): N
  /** Whether socket.io-client will try again after this failure (the test its Manager makes). */
  protected abstract willRetry(session: N): boolean
  /** Warnings about options this client handles in its own way, recorded on connect. */
  protected abstract warnAboutOptions(): void
  /** Why an event name cannot be emitted, if it cannot. */
  protected abstract reservedEventError(name: string): MessageRef | undefined
  /** Emits on the namespace's Socket, after the `emit` checks; records how it went through the EmitLedger. */
  protected abstract emitOnSocket(session: N, message: EventMessage, timeoutMs: number): Promise<SendResult>
  /** The disconnect's detail: what is known of the close (the CloseEvent, the engine's description). */
  protected abstract disconnectContext(reason: string, description: unknown): SocketIoFailureDetail
  /** Engine events of this client's own (handshake, open, heartbeat), by name; the core adds upgrades and close. */
  protected abstract engineListeners(): Record<string, Listener>
  /** Closes the Manager for good (dispose). */
  protected abstract closeManager(): void

  /** The namespace disconnected: acks that can no longer come, where the client does not fail them itself. */
  protected settleLostAcks(_session: N): void {}

  /** A namespace added after construction (not the main one). */
  protected namespaceAdded(_name: string, _auth: Record<string, unknown> | undefined): void {}

  protected connectingDetail(): ConnectingDetail {
    return { url: this.options.url, path: this.options.path ?? '/socket.io', transports: [...this.transports] }
  }

  // ---------------------------------------------------------------- Driver

  connect(): void {
    if (this.disposed) return
    const main = this.mainSession()
    if (main.state === 'open' || main.state === 'connecting' || main.state === 'reconnecting') return
    if (this.invalidUrl) {
      const detail: SocketIoFailureDetail = { willRetry: false }
      const { explain } = explainFailure({ protocol: 'socketio', url: this.options.url, pageUrl: this.options.pageUrl }, detail)
      this.record({
        time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'local', namespace: this.mainNamespace,
        reason: 'invalid URL', explain, detail,
      })
      this.setState(main, 'closed')
      return
    }
    this.history.start()
    this.budget.start()
    this.resetBackoff?.()
    this.drawnDelay = undefined
    this.record({ time: now(), layer: 'lifecycle', kind: 'connecting', dir: 'local', namespace: this.mainNamespace, detail: this.connectingDetail() })
    this.warnAboutOptions()
    for (const session of this.sessions.values()) this.openSession(session, false)
  }

  disconnect(): void {
    if (this.disposed) return
    this.probes?.abort()
    this.budget.abort()
    for (const session of this.sessions.values()) this.closeSession(session)
  }

  send(message: OutgoingMessage): Promise<SendResult> {
    try {
      if (message.kind === 'event') return this.emitEvent(message)
      const arg = message.kind === 'text' ? message.text : message.data
      return this.emitEvent({ kind: 'event', name: 'message', args: [arg] })
    }
    catch (err) {
      return Promise.resolve({ ok: false, error: say('protocol.send.failed', { error: (err as Error).message }) })
    }
  }

  dispose(): void {
    if (this.disposed) return
    this.disconnect()
    this.disposed = true
    clearTimeout(this.stableTimer)
    this.probes?.abort()
    this.budget.abort()
    for (const session of this.sessions.values()) session.detach()
    const manager = this.managerEvents
    if (manager) {
      manager.off('reconnect_attempt', this.onReconnectAttempt)
      manager.off('reconnect_error', this.onReconnectError)
      manager.off('reconnect', this.onReconnect)
      manager.off('reconnect_failed', this.onReconnectFailed)
    }
    this.closeManager()
    this.detachEngine()
    this.emits.closeAll()
  }

  // ---------------------------------------------------------------- namespaces and listeners

  addNamespace(namespace: string, auth?: Record<string, unknown>): void {
    if (this.disposed) return
    const name = normalizeNamespace(namespace)
    if (this.sessions.has(name)) return
    const session = this.createSession(name, auth)
    this.namespaceAdded(name, auth)
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

  /** Where buffered emits of a namespace wait (EmitLedgerHost). */
  awaitingFlush(namespace: string): PendingEmit[] | undefined {
    return this.sessions.get(namespace)?.awaitingFlush
  }

  protected mainSession(): N {
    return this.sessions.get(this.mainNamespace) as N
  }

  protected createSession(name: string, auth: Record<string, unknown> | undefined): N {
    const session = this.newSession(name, auth)
    this.sessions.set(name, session)
    this.namespaces.set(name, 'idle')
    return session
  }

  /** `announce`: a namespace joined while the Manager is already connecting or open gets its own `connecting`. */
  private openSession(session: N, announce: boolean): void {
    if (announce) {
      this.record({ time: now(), layer: 'lifecycle', kind: 'connecting', dir: 'local', namespace: session.name })
    }
    this.setState(session, 'connecting')
    session.socket.connect()
  }

  private closeSession(session: N): void {
    const socket = session.socket
    if (socket.connected) {
      // Sends DISCONNECT and emits `disconnect` ('io client disconnect'), recorded by namespaceDisconnected.
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

  protected setState(session: N, state: ConnectionState): void {
    if (session.state === state) return
    session.state = state
    if (this.namespaces.has(session.name)) this.namespaces.set(session.name, state)
    if (session.name === this.mainNamespace && !this.disposed && !this.retired) this.hooks.onState?.(state)
  }

  /** A warning that extraHeaders reach polling only; `instead` says where credentials can go with this client. */
  protected warnAboutExtraHeaders(instead: MessageRef): void {
    const headers = this.options.extraHeaders
    if (!headers || Object.keys(headers).length === 0 || !this.transports.includes('websocket')) return
    this.record({
      time: now(), layer: 'lifecycle', kind: 'warning', dir: 'local', reason: 'extraHeaders reach polling only',
      explain: message('protocol.socketio.extraHeaders', { instead }),
    })
  }

  // ---------------------------------------------------------------- application events (hot path)

  /** Whether an application event of this name is recorded: catch-all, or a name listened to. */
  shows(eventName: string): boolean {
    return this.catchAll || this.listened.has(eventName)
  }

  /** The one app `event` of an application event received; `args` without the client's ack callback. */
  recordEvent(time: number, namespace: string, name: string, args: unknown[], ackRequested: boolean): void {
    const detail: ArgsDetail & { ackRequested?: true } = ackRequested ? { args, ackRequested: true } : { args }
    this.record({ seq: 0, time, layer: 'app', kind: 'event', dir: 'in', name, namespace, detail })
  }

  /** The server asked for an ack: answered only with the arguments set by setServerAckReply (never by default). */
  replyToAck(namespace: string, name: string, ack: (...reply: unknown[]) => void): void {
    const reply = this.serverAckReply
    if (!reply) return
    // Recorded before the call: the ACK packet and its wire frame are written synchronously inside it.
    this.record({ time: now(), layer: 'app', kind: 'ack_reply', dir: 'out', name, namespace, detail: { args: reply } })
    ack(...reply)
  }

  // ---------------------------------------------------------------- emit

  private emitEvent(message: EventMessage): Promise<SendResult> {
    const namespace = normalizeNamespace(message.namespace ?? this.mainNamespace)
    const session = this.sessions.get(namespace)
    if (this.disposed) return Promise.resolve({ ok: false, error: say('protocol.send.closed') })
    if (!session) return Promise.resolve({ ok: false, error: say('protocol.send.namespaceNotJoined', { namespace }) })
    const reserved = this.reservedEventError(message.name)
    if (reserved !== undefined) return Promise.resolve({ ok: false, error: reserved })
    // A form's emptied field arrives as '' and any number can be typed: socket.io-client would time the ack out at
    // once for '', 0 or a delay past a timer's 32-bit range, so those wait the session's ack timeout instead.
    const timeoutMs = message.timeoutMs
    const valid = typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS
    return this.emitOnSocket(session, message, valid ? timeoutMs : this.ackTimeout)
  }

  // ---------------------------------------------------------------- Socket events (per namespace)

  namespaceConnected(session: N, recovered: boolean): void {
    this.closesWithoutConnect = 0
    session.wasConnected = true
    this.unknownSidStreak = 0
    this.unknownSid = undefined
    if (session.name === this.mainNamespace) this.mainOpened()
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connect', dir: 'in', namespace: session.name,
      transport: this.currentTransport(), detail: { sid: session.socket.id, recovered },
    })
    this.setState(session, 'open')
  }

  /**
   * A namespace failed to connect: `connect_error` with its explanation; the namespace then waits for the next
   * attempt or is closed. `stoppedRetrying`: the driver itself stops, because retrying cannot succeed.
   */
  protected recordConnectError(
    session: N, reason: string, explain: MessageRef, detail: SocketIoFailureDetail, willRetry: boolean, stoppedRetrying = false,
  ): void {
    // The parser-mismatch count is of closes in a row without a connect *or* a connect_error.
    this.closesWithoutConnect = 0
    detail.willRetry = willRetry
    if (stoppedRetrying) detail.stoppedRetrying = true
    this.record({
      time: now(), layer: 'lifecycle', kind: 'connect_error', dir: 'in', namespace: session.name,
      transport: this.currentTransport(), reason, explain, detail,
    })
    this.setState(session, willRetry ? 'reconnecting' : 'closed')
  }

  namespaceDisconnected(session: N, reason: string, description?: unknown): void {
    const byClient = reason === 'io client disconnect'
    const main = session.name === this.mainNamespace
    if (main && session.wasConnected) this.mainClosed()
    let willRetry = !byClient && reason !== 'io server disconnect' && this.willRetry(session)
    const detail = this.disconnectContext(reason, description)
    detail.wasConnected = session.wasConnected
    let explain: MessageRef | undefined
    let stop = false
    if (reason === 'io server disconnect') {
      explain = message('protocol.socketio.serverDisconnect')
    }
    else if (!byClient) {
      const facts: Partial<FailureFacts> = {
        everOpened: session.wasConnected,
        disconnectReason: reason,
        closeCode: typeof detail.closeCode === 'number' ? detail.closeCode : undefined,
        closeReason: typeof detail.closeReason === 'string' ? detail.closeReason : undefined,
        // A poll of a working session answered 400 "Session ID unknown" (a restart, or another node): its status and body.
        ...sessionUnknownFacts(description),
      }
      const explained = this.explain(facts, session.name, detail, { afterOpen: session.wasConnected, willRetry })
      explain = explained.explain
      // A handshake, then the transport closed with no connect or connect_error: the two ends speak different
      // parsers. Retrying with the same parser repeats it (about 1.5 times a second with the default delays).
      if (main && explained.diagnosis.id === 'parser-mismatch' && reason === 'transport close' && !session.wasConnected) {
        stop = true
        willRetry = false
        detail.stoppedRetrying = true
        this.offer(this.parserOffer(explained.diagnosis), detail)
      }
    }
    detail.willRetry = willRetry
    session.wasConnected = false
    this.settleLostAcks(session)
    this.record({
      time: now(), layer: 'lifecycle', kind: 'disconnect', dir: byClient ? 'local' : 'in', namespace: session.name,
      transport: this.currentTransport(), reason, ...(explain ? { explain } : {}), detail,
    })
    this.setState(session, willRetry ? 'reconnecting' : 'closed')
    if (stop) this.stopAll()
  }

  /**
   * diagnose.ts on what this session knows: `detail.diagnosis` gets the Diagnosis. A failure of the
   * main namespace counts in the history (the same failure in a row), and, when the client will retry, the
   * explanation says which attempt comes next and after how long.
   */
  protected explain(
    facts: Partial<FailureFacts>, namespace: string, detail: SocketIoFailureDetail, opts: { afterOpen?: boolean, willRetry?: boolean } = {},
  ): { diagnosis: Diagnosis, explain: MessageRef } {
    const all = this.failureFacts(facts, namespace)
    if (namespace === this.mainNamespace && !this.disposed) {
      // The history counts this failure before the diagnosis reads it ("the same failure 3 times in a row").
      this.history.failed(diagnose(all).id, { afterOpen: opts.afterOpen })
      all.history = this.history.facts()
    }
    const explained = explainFailure(all, detail)
    if (namespace === this.mainNamespace) {
      this.lastFailure = { facts: all, title: `${explained.diagnosis.id}.${explained.diagnosis.variant}` }
      this.offerWebSocketOnly(explained.diagnosis, detail)
    }
    if (opts.willRetry && namespace === this.mainNamespace) {
      const next = this.nextRetry()
      if (next) {
        detail.nextAttempt = next.attempt
        detail.nextDelayMs = next.delayMs
        explained.explain = message('protocol.socketio.keepsReconnecting', {
          why: explained.explain,
          attempt: next.attempt,
          of: next.of !== undefined ? message('protocol.socketio.attemptOf', { of: next.of }) : NOTHING,
          delay: formatDuration(next.delayMs),
        })
      }
    }
    return explained
  }

  /** The reconnect the Manager will make next, drawn now from its backoff (it takes this very delay). */
  private nextRetry(): { attempt: number, delayMs: number, of?: number } | undefined {
    if (!this.drawDelay || !this.backoffRef) return undefined
    this.drawnDelay ??= this.drawDelay()
    const of = this.options.reconnectionAttempts
    return { attempt: this.backoffRef.attempts + 1, delayMs: this.drawnDelay, of: of !== undefined && Number.isFinite(of) && of > 0 ? of : undefined }
  }

  /** The connection opened: the attempt counter resets only once it stays up for the stable period. */
  private mainOpened(): void {
    this.history.opened()
    clearTimeout(this.stableTimer)
    this.stableTimer = setTimeout(() => {
      this.stableTimer = undefined
      const attempts = this.backoffRef?.attempts ?? 0
      this.resetBackoff?.()
      // Said only after reconnects: the banner keeps a short-lived diagnosis until this event (useLatestDiagnosis).
      if (attempts === 0 || this.disposed) return
      this.record({
        time: now(), layer: 'lifecycle', kind: 'stable', dir: 'local', namespace: this.mainNamespace, attempt: attempts,
        explain: message('protocol.reconnect.stable', { duration: formatDuration(this.history.stableMs) }),
        detail: { stableMs: this.history.stableMs },
      })
    }, this.history.msUntilStable() ?? 0)
  }

  private mainClosed(): void {
    clearTimeout(this.stableTimer)
    this.stableTimer = undefined
    const closed = this.history.closed()
    if (closed?.stable) this.resetBackoff?.()
  }

  /**
   * Hands an offer to retry differently (another client version, parser or path) to whoever built this driver
   * (options.onOffer): `detail.offer` carries it to the banner's one-click retry, `detail.switching` says the
   * switch is made by itself. Returns whether it is.
   */
  protected offer(offer: DriverOffer, detail: SocketIoFailureDetail): boolean {
    detail.offer = offer
    const taken = !this.disposed && (this.options.onOffer?.(offer) ?? false)
    if (taken) detail.switching = true
    return taken
  }

  /**
   * Requests of one session reached different server nodes (no sticky sessions): a WebSocket-only session makes one
   * request, so one node serves it all. Offered for the banner's one-click retry while polling is in the list and
   * WebSocket too; never taken by itself (the server's setup is what needs fixing, and the person should see it).
   */
  private offerWebSocketOnly(diagnosis: Diagnosis, detail: SocketIoFailureDetail): void {
    const transports = this.options.transports ?? ['polling', 'websocket']
    if (diagnosis.id !== 'session-unknown' || diagnosis.variant === 'restart') return
    if (!transports.includes('polling') || !transports.includes('websocket')) return
    this.offer({
      choice: 'transports', value: 'websocket',
      reason: 'requests of one session reached different server nodes: WebSocket only would avoid it',
      evidence: diagnosis.evidence,
    }, detail)
  }

  private parserOffer(diagnosis: Diagnosis): DriverOffer {
    const other = this.options.parser === 'msgpack' ? 'default' : 'msgpack'
    return {
      choice: 'parser',
      value: other,
      reason: `a handshake arrived, then the transport closed without connect or connect_error: a parser mismatch (this session used the ${this.options.parser ?? 'default'} parser)`,
      evidence: diagnosis.evidence,
    }
  }

  /**
   * After a failure whose answer the browser hid (polling status 0, a bare WebSocket error), ask the same host and
   * port an ordinary no-cors HTTP question: "something answers" (a server refusing this page: CORS, a path) from
   * "nothing" (refused: not CORS). The finding joins the facts of the next failures (the client retries); bounded by
   * the ProbeBudget (once per run, again only after a backoff), and aborted on Disconnect.
   */
  protected probeHttpAfter(detail: SocketIoFailureDetail): void {
    const hidden = detail.httpStatus === 0 || (detail.httpStatus === undefined && detail.type === 'TransportError' && detail.cause === undefined)
    const url = httpUrlOf(this.origin)
    if (!hidden || !url || this.disposed) return
    const known = this.budget.known('http')
    const probing = this.budget.probe('http', signal => probeHttp(`${url.replace(/\/$/, '')}/`, { signal }).then(finding => [finding]))
    // A finding already made joins the next failure's facts; one that settled nothing (no answer at all) is asked
    // again sooner (ProbeBudget), and its new finding is news now.
    if (!probing || (known && !known.every(f => f.outcome === 'timeout'))) return
    probing.then(findings => this.secondLook(findings), () => {})
  }

  /**
   * The first probe's finding came back: if it changes what the latest failure means (a server answers HTTP there,
   * or nothing does), say it now as a `diagnosis` event rather than at the next attempt's failure.
   */
  private secondLook(findings: FailureFacts['probes']): void {
    const failure = this.lastFailure
    if (this.disposed || !failure || this.state === 'open') return
    const detail: SocketIoFailureDetail = {}
    const { diagnosis, explain } = explainFailure({ ...failure.facts, probes: findings }, detail)
    // The same words' case as before (not its values: the probes' findings fill some): nothing new to say.
    const title = `${diagnosis.id}.${diagnosis.variant}`
    if (title === failure.title) return
    this.lastFailure = { facts: { ...failure.facts, probes: findings }, title }
    this.record({ time: now(), layer: 'lifecycle', kind: 'diagnosis', dir: 'local', namespace: this.mainNamespace, reason: 'probe', explain, detail })
  }

  /**
   * Paths to probe for an Engine.IO handshake when the configured one gave 404 or nothing readable: a URL pasted
   * with the server's path (`http://host:5005/realtime/io`, or DevTools' `/realtime/io/?EIO=4&transport=websocket`)
   * reads as a namespace. The namespace path first, then its parents; at most three, never the path already used.
   */
  private pathCandidates(): string[] {
    const used = normalizeEnginePath(this.options.path ?? '/socket.io')
    const out: string[] = []
    let path = this.mainNamespace.replace(/\/+$/, '')
    while (path !== '' && path !== '/' && out.length < 3) {
      const candidate = normalizeEnginePath(path)
      if (candidate !== used && !out.includes(candidate)) out.push(candidate)
      path = path.slice(0, path.lastIndexOf('/'))
    }
    return out
  }

  /**
   * After a failed handshake at the configured path (HTTP 404, or status 0: the browser hid it), look for the server
   * at the paths the URL names (bounded: once per driver, at most three polling handshakes of a few seconds each,
   * same host and port). Found: an offer (detail.offer) to connect there, taken by itself when the automatic path
   * choice is on; otherwise a `diagnosis` event with a one-click retry, and no more retries at the wrong path.
   */
  protected probePathAfter(detail: SocketIoFailureDetail): void {
    const status = detail.httpStatus
    if (this.pathProbed || this.disposed || (status !== 404 && status !== 0)) return
    const candidates = this.pathCandidates()
    if (candidates.length === 0) return
    this.pathProbed = true
    const controller = new AbortController()
    this.probes = controller
    void (async () => {
      const evidence: MessageRef[] = []
      for (const path of candidates) {
        const result = await probeEngineIo(this.options.url, {
          path, signal: controller.signal, query: this.urlQuery, withCredentials: this.options.withCredentials,
        })
        if (controller.signal.aborted || this.disposed) return
        evidence.push(...result.evidence)
        if (result.outcome !== 'handshake') continue
        this.foundAtPath(path.replace(/\/$/, ''), evidence)
        return
      }
    })()
  }

  private foundAtPath(path: string, evidence: MessageRef[]): void {
    const url = new URL(this.origin)
    for (const [key, value] of Object.entries(this.urlQuery)) url.searchParams.set(key, value)
    const offer: DriverOffer = {
      choice: 'path', value: path, url: url.href,
      reason: `Socket.IO server found at path ${path}`, evidence,
    }
    const diagnosis = makeDiagnosis('socketio-path', 'default', {
      path, url: url.href, used: normalizeEnginePath(this.options.path ?? '/socket.io'), namespace: this.mainNamespace,
    }, evidence)
    const detail: SocketIoFailureDetail = { diagnosis }
    if (this.offer(offer, detail)) return
    this.record({
      time: now(), layer: 'lifecycle', kind: 'diagnosis', dir: 'local', namespace: this.mainNamespace, reason: offer.reason,
      explain: diagnosisText(diagnosis, 'explanation'),
      detail,
    })
    this.stopAll()
  }

  /** Stop every namespace and the Manager's retries: retrying cannot succeed. After the current event's course. */
  protected stopAll(): void {
    setTimeout(() => {
      if (this.disposed) return
      for (const other of this.sessions.values()) {
        other.socket.disconnect()
        this.setState(other, 'closed')
      }
    }, 0)
  }

  protected failureFacts(facts: Partial<FailureFacts>, namespace: string): FailureFacts {
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
      parser: this.options.parser ?? 'default',
      server: this.server,
      pageUrl: this.options.pageUrl,
      localNetworkPermission: this.options.localNetworkPermission?.(),
      probes: this.budget.known('http'),
      // Per connection, as diagnose.ts reads it: a connect_error is a handshake that did not open (the history
      // says whether an earlier one did); a disconnect passes whether its connection had opened.
      everOpened: false,
      msToFail: this.attemptStartedAt > 0 ? now() - this.attemptStartedAt : undefined,
      transport: toFactsTransport(this.currentTransport()),
      transportClosesWithoutConnect: this.closesWithoutConnect,
      ...facts,
      engineSession: this.engineSessionFacts(facts),
    }
  }

  /**
   * For HTTP 400 "Session ID unknown" (Engine.IO error 1) after a handshake of this attempt's engine: the session's
   * age and frames, and the streak of sessions that failed so (each sid counted once, however many namespaces say it).
   */
  private engineSessionFacts(facts: Partial<FailureFacts>): FailureFacts['engineSession'] {
    const session = this.engineSession
    if (!session || facts.httpStatus !== 400 || !isSessionUnknown(facts.httpBody)) return undefined
    if (session.sid === undefined || session.sid !== this.unknownSid) {
      this.unknownSid = session.sid
      this.unknownSidStreak++
    }
    return {
      ...(session.sid !== undefined ? { sid: session.sid } : {}),
      msSinceHandshake: Math.max(0, now() - session.at),
      framesSinceHandshake: session.frames,
      unknownSidStreak: this.unknownSidStreak,
    }
  }

  protected currentTransport(): TransportName | undefined {
    return this.engine?.transport?.name as TransportName | undefined
  }

  // ---------------------------------------------------------------- Manager events

  /** Records the Manager's reconnect steps, with the backoff delay that preceded each attempt. */
  protected watchManager(manager: EventSource, backoff: BackoffLike): void {
    // The Manager computes each reconnect delay with backoff.duration() just before arming its timer;
    // wrap it on this instance so reconnect_attempt can say how long it waited. A failure may draw it a moment
    // earlier (nextRetry) to say it: the Manager then gets that same delay.
    const duration = backoff.duration.bind(backoff)
    // Drawn early without counting the attempt: the Manager reads `attempts` (maybeReconnectOnOpen wants 0).
    this.drawDelay = () => {
      const delay = duration()
      backoff.attempts--
      return delay
    }
    this.backoffRef = backoff
    backoff.duration = () => {
      let delay: number
      if (this.drawnDelay !== undefined) {
        delay = this.drawnDelay
        backoff.attempts++
      }
      else {
        delay = duration()
      }
      this.drawnDelay = undefined
      this.plannedDelay = delay
      return delay
    }
    // The Manager resets its backoff on every close and every successful reconnect, so a server that accepts and
    // then drops each connection is retried at the first delay forever, and reconnectionAttempts never applies.
    // Only the user's Connect and a connection that stayed up for the stable period reset it here.
    this.resetBackoff = backoff.reset.bind(backoff)
    backoff.reset = () => {}
    this.managerEvents = manager
    manager.on('reconnect_attempt', this.onReconnectAttempt)
    manager.on('reconnect_error', this.onReconnectError)
    manager.on('reconnect', this.onReconnect)
    manager.on('reconnect_failed', this.onReconnectFailed)
  }

  private readonly onReconnectAttempt = (attempt: number): void => {
    this.reconnectAttempt = attempt
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect_attempt', dir: 'local', attempt, delayMs: this.plannedDelay })
  }

  private readonly onReconnectError = (err: unknown): void => {
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect_error', dir: 'local', attempt: this.reconnectAttempt, reason: errorMessage(err) })
  }

  private readonly onReconnect = (attempt: number): void => {
    this.record({ time: now(), layer: 'lifecycle', kind: 'reconnect', dir: 'local', attempt })
  }

  private readonly onReconnectFailed = (): void => {
    const attempts = this.reconnectAttempt
    this.record({
      time: now(), layer: 'lifecycle', kind: 'reconnect_failed', dir: 'local', attempt: attempts,
      explain: message('protocol.socketio.gaveUp', { count: attempts }),
    })
    for (const session of this.sessions.values()) {
      if (session.state === 'reconnecting' || session.state === 'connecting') this.setState(session, 'closed')
    }
  }

  // ---------------------------------------------------------------- Engine events (per attempt)

  /** The Manager builds a new engine for every (re)connect attempt: per-engine state starts over, listeners move. */
  protected attachEngine(engine: E): void {
    this.detachEngine()
    this.engine = engine
    this.engineSession = undefined
    this.attemptStartedAt = now()
    this.engineOpen = false
    this.frames.reset()
    const events = engine as unknown as EventSource
    for (const [event, listener] of this.engineTable()) events.on(event, listener)
  }

  protected detachEngine(): void {
    const engine = this.engine as EventSource | undefined
    if (!engine) return
    for (const [event, listener] of this.engineTable()) engine.off(event, listener)
  }

  private engineTable(): [string, Listener][] {
    this.engineEvents ??= Object.entries({
      ...this.engineListeners(),
      upgrading: this.onUpgrading,
      upgrade: this.onUpgrade,
      upgradeError: this.onUpgradeError,
      close: this.onEngineClose,
    })
    return this.engineEvents
  }

  /**
   * `handshake in`; heartbeat intervals are measured from here. `data` is the open packet as the client parsed it:
   * its fingerprint (engineProbe.ts: Engine.IO revision, implementation, transports and timings) goes in
   * detail.server and detail.evidence, and into the evidence of later failures.
   */
  protected recordHandshake(pingInterval: number, detail: HandshakeDetail, data: object, eio: EngineIoRevision): void {
    const time = now()
    this.pingInterval = pingInterval
    this.lastPingAt = time
    const fingerprint = describeHandshake(data as Record<string, unknown>, eio)
    this.server = fingerprint
    this.engineSession = { sid: fingerprint.sid, at: time, frames: 0 }
    detail.server = {
      engineIo: fingerprint.engineIo,
      ...(fingerprint.implementation ? { implementation: implementationName(fingerprint.implementation) } : {}),
    }
    detail.evidence = fingerprintEvidence(fingerprint)
    this.record({ time, layer: 'engine', kind: 'handshake', dir: 'in', transport: this.currentTransport(), detail })
  }

  /** `ping` (in: the v4 server pings; out: the v2 client does), with the interval since the previous one. */
  protected recordPing(dir: PingEvent['dir']): number {
    const time = now()
    const intervalMs = time - this.lastPingAt
    this.lastPingAt = time
    this.record({
      time, layer: 'engine', kind: 'ping', dir, transport: this.currentTransport(),
      detail: { intervalMs, expectedMs: this.pingInterval },
    })
    return time
  }

  /** The engine close's detail: its description; a driver adds what its client drops. */
  protected engineCloseDetail(description: unknown): EngineCloseDetail {
    return disconnectDetail(description)
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
    const detail = this.engineCloseDetail(description)
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
}
