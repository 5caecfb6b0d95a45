/**
 * The timeline event contract: every event a driver records, as a union discriminated by `layer` and `kind`, each
 * variant with its own fields and `detail`. A driver's only output is `sink(draft)` (types.ts), and a draft must be
 * one of these, so the compiler checks every event a driver records; consumers narrow by `kind` (and `layer` where a
 * kind exists on two layers: `open`, `close`) instead of probing `detail?.x`.
 *
 * Who records what (`time` is always `now()` when the driver saw it; `seq` comes from the timeline):
 * - websocket/driver.ts: lifecycle connecting, open, reconnect, error, connect_timeout, close, reconnect_attempt,
 *   reconnect_failed, reconnect_cancelled, reconnect_skipped, stable; wire frame.
 * - socketio/driver.ts (v4) and socketio-v2/driver.ts, mostly through socketio-core/: every other kind. Both Socket.IO
 *   drivers produce the same layout; where v2 differs, the variant says so.
 * - timeline/importTimeline.ts: an imported file's event of a kind this version does not know is an `unknown-kind`
 *   event, kept whole (`importedKind`, `importedDetail`) and exported back as it came.
 *
 * Hot path: drivers build frame and app-event drafts as one literal with `seq: 0`, so the engine gives the object
 * its final shape at once; nothing here costs anything at run time (types only, plus two small tables).
 */
import type { Diagnosis } from './diagnose'
import type { MessageRef } from './message'
import type { DriverOffer } from './socketio-core/types'
import type { Direction, Layer, TransportName } from './types'

// ---------------------------------------------------------------- fields every event may carry

/** What every event has; a variant narrows the fields it uses (required, a literal type) and types its `detail`. */
export interface EventBase {
  /** Per session, strictly increasing. Assigned by the timeline when the event is appended. */
  seq: number
  /** Epoch ms with sub-ms precision. */
  time: number
  layer: Layer
  kind: string
  dir: Direction
  transport?: TransportName
  /** Bytes on the wire (UTF-8 length for text). */
  size?: number
  /** Kept as received; previews are computed lazily. Only wire frames carry it. */
  data?: string | ArrayBuffer
  /** Socket.IO event name (app), packet type (socketio). */
  name?: string
  namespace?: string
  ackId?: number
  rttMs?: number
  attempt?: number
  delayMs?: number
  code?: number
  reason?: string
  /**
   * Why, for a person: a catalogue key and its values (message.ts), put into words by the UI. An older file's
   * `explanation` sentence is read into one (timeline/exportWords.ts).
   */
  explain?: MessageRef
}

// ---------------------------------------------------------------- details

/**
 * What a failure's event says about it (error, connect_timeout, close, connect_error, disconnect, diagnosis).
 * `diagnosis`: the `Diagnosis` (diagnose.ts) on every event a driver records; a bare id, with `title` and
 * `nextStep` in English, only in a file exported before diagnoses were data (read by `diagnosisIdOf`). A file chose
 * that id, so it is any string, not only a `DiagnosisId`.
 */
export type DiagnosisDetail = {
  diagnosis?: Diagnosis | string
  /** @deprecated An older file's heading in English; a driver's event has its words in `diagnosis`. */
  title?: string
  /** @deprecated An older file's next step in English; a driver's event has its words in `diagnosis`. */
  nextStep?: string
  /** What the diagnosis rests on ("Why we think so"): facts a person can check. */
  evidence?: readonly (string | MessageRef)[]
  /** The evidence fits more than one cause: the UI labels the diagnosis a guess. */
  guess?: boolean
  /** The banner keeps this diagnosis through the next open, until `stable` ('short-lived'). */
  untilStable?: boolean
}

/** A one-click retry some failures offer (socketio-core/types.ts), and whether the driver is taking it by itself. */
export type OfferDetail = {
  /** The banner's one-click retry: another client version, parser or path. */
  offer?: DriverOffer
  /** The choice is being made by itself (the automatic choices are on): no button, the session reconnects. */
  switching?: boolean
}

/** A WebSocket close as the engine saw it (socketio-core/failure.ts `disconnectDetail`, `closeEventDetail`). */
export type EngineCloseDetail = {
  /** The close's description (`err.message` of a transport error, or the engine's own words). */
  description?: string
  closeCode?: number
  closeReason?: string
  wasClean?: boolean
  /** The socket error under a transport error (Node: `ECONNREFUSED`, ...). */
  cause?: string
}

/** A failed polling request or Engine.IO error (socketio-core/failure.ts `connectErrorFacts`). */
export type TransportFailureDetail = {
  type?: 'TransportError'
  httpStatus?: number
  /** At most MAX_HTTP_BODY characters of the answer. */
  httpBody?: string
  cause?: string
  /** An Engine.IO `error` packet's code, or 'parser error'. */
  code?: unknown
  /** The middleware's `err.data` (v4), or a v2 ERROR packet's data. */
  data?: unknown
}

/** An engine `transport_error`: the failed request, and `next`, the transport the engine tries instead. */
export type TransportErrorDetail = TransportFailureDetail & { next?: TransportName }

/** connect_error, disconnect and diagnosis of the Socket.IO drivers. */
export type SocketIoFailureDetail = DiagnosisDetail & OfferDetail & EngineCloseDetail & TransportFailureDetail & {
  /** socket.io-client will try again (its Manager's test). */
  willRetry?: boolean
  /** The driver itself stopped: retrying cannot succeed (a v2 server, a blocked port, mixed content). */
  stoppedRetrying?: boolean
  /** disconnect: the namespace had connected. */
  wasConnected?: boolean
  /** The reconnect the Manager makes next, and after how long. */
  nextAttempt?: number
  nextDelayMs?: number
}

/** The raw WebSocket driver's `error` and `connect_timeout`. */
export type WebSocketFailureDetail = DiagnosisDetail & {
  /** The platform's error text, when it gives one (Node; a browser says nothing). */
  message?: string
  /** A later, better diagnosis of the same failure, from the probes (httpProbe.ts, engineProbe.ts). */
  probed?: boolean
  /** The close this explains came before it: its code. */
  closeCode?: number
  /** connect_timeout: how long the handshake had. */
  timeoutMs?: number
}

/** Wire frame extras: backpressure after a send, the place of a packet in a polling body, special packets. */
export type FrameDetail = {
  /** Raw WebSocket: `bufferedAmount` right after the send, when it is > 0. */
  bufferedAmount?: number
  /** Packets in the polling body this one came in (only when more than one), and its 0-based index. */
  batch?: number
  index?: number
  /**
   * 'probe': `2probe` out / `3probe` in on the WebSocket being tested; 'upgrade': `5` out; 'noop': `6`, ends the
   * paused poll during an upgrade; 'attachment': a binary attachment of the preceding BINARY_EVENT/BINARY_ACK.
   */
  label?: 'probe' | 'upgrade' | 'noop' | 'attachment'
  /** attachment: 1-based index and count. */
  attachment?: number
  of?: number
}

/** The engine's handshake, and the server it tells about (engineProbe.ts). */
export type HandshakeDetail = {
  sid: string
  upgrades: string[]
  pingInterval: number
  pingTimeout: number
  /** Engine.IO 4 only. */
  maxPayload?: number
  server?: { engineIo?: 3 | 4, implementation?: string }
  evidence?: readonly (string | MessageRef)[]
}

/** Every key any detail may have, so that reading one on an event not narrowed yet is typed (see `Detail`). */
type DetailShapes =
  | DiagnosisDetail | OfferDetail | EngineCloseDetail | TransportFailureDetail | SocketIoFailureDetail | WebSocketFailureDetail
  | FrameDetail | HandshakeDetail | ConnectingDetail | OpenDetail | CloseDetail | AutoDetail | ArgsDetail | EmitDetail
  | { stableMs: number } | { reason: 'clean-close' } | { sid: string | undefined, recovered: boolean }
  | { intervalMs: number, expectedMs: number } | { transport: string | undefined } | { next: TransportName }
  | PacketDetail | { waitedMs: number } | { timeoutMs: number, sent: boolean } | { timeoutMs: number }
type KeysOf<T> = T extends unknown ? keyof T : never
type DetailKey = KeysOf<DetailShapes>

/**
 * A variant's detail: its own keys, and every other kind's keys as absent. A detail literal with a misspelt or
 * foreign key fails to compile, and `event.detail?.closeCode` on an event not yet narrowed reads as what any kind
 * puts there (`number | undefined`), never as `unknown`.
 */
export type Detail<T> = T extends unknown ? T & { readonly [K in Exclude<DetailKey, keyof T>]?: never } : never

/** The detail of a kind that has none: every key absent, so reads on an event not yet narrowed still compile. */
export type NoDetail = Detail<Record<never, never>>

export type ConnectingDetail =
  /** Raw WebSocket: the URL and the subprotocols offered. */
  | { url: string, protocols: string[] }
  /** Socket.IO: the URL, the Engine.IO path and the transports in order; `client`: the v2 driver's client. */
  | { url: string, path: string, transports: TransportName[], client?: string }

export type OpenDetail =
  /** A live connection: handshake time, the negotiated subprotocol and extensions ('' when none). */
  | { handshakeMs: number, protocol: string, extensions: string }
  /** A HAR file's connection: its URL and the handshake's HTTP status. */
  | { url: string, status?: number }

export type CloseDetail = DiagnosisDetail & {
  wasClean: boolean
  /** The user pressed Disconnect. */
  byUser: boolean
  /** Who closed: the client (the user, or this side failing the connection), the server, or nobody (a drop). */
  closedBy: 'client' | 'server' | 'network'
  /** The connection had opened this long before. */
  msSinceOpen?: number
  /** The close code this side failed the connection with (1007, 1002, ...), when the report says another. */
  failedWith?: number
}

export type AutoDetail = {
  choice: 'transports' | DriverOffer['choice']
  /** What was used before ('v4', 'default', '/socket.io'). */
  from?: string
  /** What is used now: a version, parser or path, or the transports. */
  to: string | TransportName[]
  url?: string
  evidence: readonly (string | MessageRef)[]
}

/** Arguments as socket.io-client decoded them (no copy, no JSON): binary arguments are ArrayBuffers. */
export type ArgsDetail = { args: unknown[] }

export type EmitDetail = ArgsDetail & {
  volatile?: boolean
  compress?: boolean
  /** The ack was asked for, with this timeout. */
  ackTimeoutMs?: number
}

export type PacketDetail = {
  /** CONNECT / CONNECT_ERROR (v4), ERROR (v2): the auth payload out; {sid, pid} or {message, data} in. */
  data?: unknown
  /** BINARY_EVENT / BINARY_ACK: the number of binary attachments that follow. */
  attachments?: number
  /** v2: the CONNECT packet's query (a namespace's auth, sent as query parameters). */
  query?: string
}

// ---------------------------------------------------------------- lifecycle

/** The user's connect, or a reconnect attempt starting (raw WebSocket); a namespace starting to connect (Socket.IO). */
export interface ConnectingEvent extends EventBase {
  layer: 'lifecycle', kind: 'connecting', dir: 'local'
  /** Raw WebSocket: 0 = the user's connect, n = reconnect attempt n. */
  attempt?: number
  /** Socket.IO: the namespace; only the main one's has detail. */
  namespace?: string
  detail?: Detail<ConnectingDetail>
}

/** Raw WebSocket: the handshake succeeded. A HAR import's connection is a `local` open with its URL. */
export interface OpenEvent extends EventBase {
  layer: 'lifecycle', kind: 'open', dir: 'in' | 'local'
  detail?: Detail<OpenDetail>
}

/** The reconnect attempt that succeeded (raw WebSocket: right after its `open`; Socket.IO: the Manager's). */
export interface ReconnectEvent extends EventBase {
  layer: 'lifecycle', kind: 'reconnect', dir: 'local'
  attempt: number
  detail?: NoDetail
}

/**
 * Raw WebSocket: the connection failed (detail.diagnosis, with the platform's `message` when it gives one; `probed`: a
 * later, better diagnosis of the same failure). Socket.IO v2: an ERROR packet on a connected namespace (`in`, its
 * message as `reason`, detail {data?}).
 */
export interface ErrorEvent extends EventBase {
  layer: 'lifecycle', kind: 'error', dir: 'local' | 'in'
  detail?: Detail<WebSocketFailureDetail | PacketDetail>
}

/** Raw WebSocket: no answer to the handshake within `timeoutMs`; a `close` 1006 follows. */
export interface ConnectTimeoutEvent extends EventBase {
  layer: 'lifecycle', kind: 'connect_timeout', dir: 'local'
  detail: Detail<WebSocketFailureDetail>
}

/**
 * Raw WebSocket: the connection closed (`in` when the server closed it). After an open that the user did not close,
 * detail.evidence holds the run's history, and connections closing soon after opening the 'short-lived' diagnosis.
 */
export interface CloseEvent extends EventBase {
  layer: 'lifecycle', kind: 'close', dir: 'in' | 'local'
  code: number
  reason: string
  detail?: Detail<CloseDetail>
}

/** A reconnect attempt is planned: `attempt` (1-based) after `delayMs` (the backoff delay; Socket.IO: the Manager's). */
export interface ReconnectAttemptEvent extends EventBase {
  layer: 'lifecycle', kind: 'reconnect_attempt', dir: 'local'
  attempt: number
  delayMs?: number
  detail?: NoDetail
}

/** No more attempts: `attempt` attempts were made. */
export interface ReconnectFailedEvent extends EventBase {
  layer: 'lifecycle', kind: 'reconnect_failed', dir: 'local'
  attempt: number
  detail?: NoDetail
}

/** Raw WebSocket: the user pressed Disconnect while attempt `attempt` was waiting. */
export interface ReconnectCancelledEvent extends EventBase {
  layer: 'lifecycle', kind: 'reconnect_cancelled', dir: 'local'
  attempt: number
  detail?: NoDetail
}

/** Raw WebSocket: the server closed cleanly (`code` 1000/1001) and the policy does not reconnect after that. */
export interface ReconnectSkippedEvent extends EventBase {
  layer: 'lifecycle', kind: 'reconnect_skipped', dir: 'local'
  code: number
  detail: Detail<{ reason: 'clean-close' }>
}

/** Socket.IO: a reconnect attempt failed (`reason`: the error's message). */
export interface ReconnectErrorEvent extends EventBase {
  layer: 'lifecycle', kind: 'reconnect_error', dir: 'local'
  attempt: number
  reason: string
  detail?: NoDetail
}

/**
 * After reconnects, the connection stayed up for `stableMs`, so the attempt counter (`attempt`: before the reset)
 * starts over (connectionHistory.ts); not on every open.
 */
export interface StableEvent extends EventBase {
  layer: 'lifecycle', kind: 'stable', dir: 'local'
  attempt: number
  detail: Detail<{ stableMs: number }>
}

/**
 * Socket.IO: an option this client handles in its own way (extraHeaders with websocket, v2's auth as query, no
 * WebTransport or retries in v2), or (v2, `in`) a packet the parser could not decode ('parse error: ...').
 */
export interface WarningEvent extends EventBase {
  layer: 'lifecycle', kind: 'warning', dir: 'local' | 'in'
  reason: string
  detail?: NoDetail
}

/** Socket.IO: a namespace connected (`recovered`: connection state recovery; always false in v2). */
export interface ConnectEvent extends EventBase {
  layer: 'lifecycle', kind: 'connect', dir: 'in'
  namespace: string
  detail: Detail<{ sid: string | undefined, recovered: boolean }>
}

/**
 * Socket.IO: a namespace failed to connect (`reason`: the error's message; `local`: before any request, an invalid
 * URL or a client that did not load). v2 reports a middleware refusal (an ERROR packet) as one too.
 */
export interface ConnectErrorEvent extends EventBase {
  layer: 'lifecycle', kind: 'connect_error', dir: 'in' | 'local'
  reason: string
  detail: Detail<SocketIoFailureDetail>
}

/** Socket.IO: a namespace disconnected (`reason`: Socket.IO's disconnect reason; `local` when the client closed). */
export interface DisconnectEvent extends EventBase {
  layer: 'lifecycle', kind: 'disconnect', dir: 'in' | 'local'
  namespace: string
  reason: string
  detail: Detail<SocketIoFailureDetail>
}

/**
 * Socket.IO: an automatic choice and its reason: WebSocket only after a refused long-polling (socketio/driver.ts);
 * client version, parser and path (socketio-core/auto.ts, which rebuilds the driver on the same timeline).
 */
export interface AutoEvent extends EventBase {
  layer: 'lifecycle', kind: 'auto', dir: 'local'
  reason: string
  detail: Detail<AutoDetail>
}

/**
 * Socket.IO: a second look at a failure once a probe came back (a Socket.IO server found at another path, something
 * answering HTTP or nothing at all), with a detail as connect_error's.
 */
export interface DiagnosisEvent extends EventBase {
  layer: 'lifecycle', kind: 'diagnosis', dir: 'local'
  reason: string
  detail: Detail<SocketIoFailureDetail>
}

// ---------------------------------------------------------------- wire

/**
 * One frame as sent or received: a raw WebSocket frame (text or ArrayBuffer), or one raw Engine.IO packet
 * ('42["chat","hi"]', '2', '3probe'; a polling body of several packets is one frame per packet).
 */
export interface FrameEvent extends EventBase {
  layer: 'wire', kind: 'frame', dir: 'in' | 'out'
  transport: TransportName
  size: number
  data: string | ArrayBuffer
  detail?: Detail<FrameDetail>
}

/** A frame goes in or out: never `local`. */
export type FrameDirection = FrameEvent['dir']

// ---------------------------------------------------------------- engine (Socket.IO: one Engine.IO session per attempt)

export interface EngineHandshakeEvent extends EventBase {
  layer: 'engine', kind: 'handshake', dir: 'in'
  detail: Detail<HandshakeDetail>
}

/** The engine is open (Socket.IO CONNECT packets follow). */
export interface EngineOpenEvent extends EventBase {
  layer: 'engine', kind: 'open', dir: 'local'
  detail?: NoDetail
}

/** v4: the server pings (`in`); v2: the client does (`out`). `intervalMs` since the previous ping or the handshake. */
export interface PingEvent extends EventBase {
  layer: 'engine', kind: 'ping', dir: 'in' | 'out'
  detail: Detail<{ intervalMs: number, expectedMs: number }>
}

/** The answer to a ping: v4 the client's (`out`), v2 the server's (`in`, `rttMs` from that ping). */
export interface PongEvent extends EventBase {
  layer: 'engine', kind: 'pong', dir: 'in' | 'out'
  detail?: NoDetail
}

/** The probe was answered; polling is being paused. */
export interface UpgradingEvent extends EventBase {
  layer: 'engine', kind: 'upgrading', dir: 'local'
  detail?: NoDetail
}

/** The session moved to `transport`. */
export interface UpgradeEvent extends EventBase {
  layer: 'engine', kind: 'upgrade', dir: 'local'
  detail?: NoDetail
}

export interface UpgradeErrorEvent extends EventBase {
  layer: 'engine', kind: 'upgradeError', dir: 'local'
  /** 'probe error', 'probe error: transport closed', ... */
  reason: string
  detail: Detail<{ transport: string | undefined }>
}

/** v4: a transport failed; `next` names the one the engine tries instead (tryAllTransports). */
export interface TransportErrorEvent extends EventBase {
  layer: 'engine', kind: 'transport_error', dir: 'local'
  reason: string
  detail: Detail<TransportErrorDetail>
}

/** 'transport close', 'transport error', 'ping timeout', 'forced close', 'parse error'. */
export interface EngineCloseEvent extends EventBase {
  layer: 'engine', kind: 'close', dir: 'local'
  reason: string
  detail?: Detail<EngineCloseDetail>
}

// ---------------------------------------------------------------- socketio (decoded packets, from the official parsers)

/**
 * A decoded Socket.IO packet: `name` is its type ('CONNECT', 'DISCONNECT', 'EVENT', 'ACK', 'CONNECT_ERROR' (v4),
 * 'ERROR' (v2), 'BINARY_EVENT', 'BINARY_ACK'), `ackId` its id. Recorded as soon as it is decoded.
 */
export interface PacketEvent extends EventBase {
  layer: 'socketio', kind: 'packet', dir: 'in' | 'out'
  name: string
  namespace: string
  detail?: Detail<PacketDetail>
}

// ---------------------------------------------------------------- app (what the application sees)

/**
 * One per application event received (and let through: catch-all or a listened name); the status bar counts these.
 * `ackRequested`: the server asked for an ack. No `data`: previews read detail.args lazily.
 */
export interface AppEventEvent extends EventBase {
  layer: 'app', kind: 'event', dir: 'in'
  name: string
  namespace: string
  detail: Detail<ArgsDetail & { ackRequested?: true }>
}

/**
 * The user called emit: `ackId` when an ack was asked (absent when `retries` queues it). When the packet goes
 * straight to the engine, its socketio packet and wire frame follow at once; otherwise `buffered`, then `flushed`.
 */
export interface EmitEvent extends EventBase {
  layer: 'app', kind: 'emit', dir: 'out'
  name: string
  namespace: string
  detail: Detail<EmitDetail>
}

/** Not connected (socket.io-client keeps it in its send buffer), or queued behind unacknowledged packets (retries). */
export interface BufferedEvent extends EventBase {
  layer: 'app', kind: 'buffered', dir: 'local'
  name: string
  namespace: string
  reason: string
  detail?: NoDetail
}

/** A buffered emit handed to the engine, `waitedMs` after it was made. */
export interface FlushedEvent extends EventBase {
  layer: 'app', kind: 'flushed', dir: 'out'
  name: string
  namespace: string
  detail: Detail<{ waitedMs: number }>
}

/** A volatile emit discarded because the transport was not writable. */
export interface DroppedEvent extends EventBase {
  layer: 'app', kind: 'dropped', dir: 'local'
  name: string
  namespace: string
  reason: string
  detail?: NoDetail
}

/** The acknowledgement of an emit (`name`: the emit's), `rttMs` from the flush to the answer. */
export interface AckEvent extends EventBase {
  layer: 'app', kind: 'ack', dir: 'in'
  name: string
  namespace: string
  ackId?: number
  rttMs: number
  detail: Detail<ArgsDetail>
}

/** No ack within `timeoutMs`; `sent`: the emit had reached the engine. */
export interface AckTimeoutEvent extends EventBase {
  layer: 'app', kind: 'ack_timeout', dir: 'local'
  name: string
  namespace: string
  detail: Detail<{ timeoutMs: number, sent: boolean }>
}

/** The ack can no longer come ('socket has been disconnected'). */
export interface AckErrorEvent extends EventBase {
  layer: 'app', kind: 'ack_error', dir: 'local'
  name: string
  namespace: string
  reason: string
  detail?: NoDetail
}

/** SocketLens answered a server's ack request (`name`: the server's event) with setServerAckReply's arguments. */
export interface AckReplyEvent extends EventBase {
  layer: 'app', kind: 'ack_reply', dir: 'out'
  name: string
  namespace: string
  detail: Detail<ArgsDetail>
}

// ---------------------------------------------------------------- imported events this version does not know

/**
 * An imported file's event whose layer and kind this version does not know (a newer SocketLens wrote it): kept
 * whole, shown by `importedKind`, and exported back exactly as it came.
 */
export interface UnknownKindEvent extends EventBase {
  kind: 'unknown-kind'
  /** The kind as the file named it. */
  importedKind: string
  /** The file's detail, unread. */
  importedDetail?: Readonly<Record<string, unknown>>
  detail?: NoDetail
}

// ---------------------------------------------------------------- the union

/** Everything a driver records. */
export type DriverEvent =
  | ConnectingEvent | OpenEvent | ReconnectEvent | ErrorEvent | ConnectTimeoutEvent | CloseEvent
  | ReconnectAttemptEvent | ReconnectFailedEvent | ReconnectCancelledEvent | ReconnectSkippedEvent | ReconnectErrorEvent
  | StableEvent | WarningEvent | ConnectEvent | ConnectErrorEvent | DisconnectEvent | AutoEvent | DiagnosisEvent
  | FrameEvent
  | EngineHandshakeEvent | EngineOpenEvent | PingEvent | PongEvent | UpgradingEvent | UpgradeEvent | UpgradeErrorEvent
  | TransportErrorEvent | EngineCloseEvent
  | PacketEvent
  | AppEventEvent | EmitEvent | BufferedEvent | FlushedEvent | DroppedEvent | AckEvent | AckTimeoutEvent | AckErrorEvent
  | AckReplyEvent

/** One shape for everything on the timeline: what drivers record, and imported events of kinds not known here. */
export type TimelineEvent = DriverEvent | UnknownKindEvent

export type EventKind = TimelineEvent['kind']
/** The kinds of one layer. */
export type KindOf<L extends Layer> = Extract<DriverEvent, { layer: L }>['kind']
/** The variant of a layer and kind: `EventOf<'engine', 'ping'>`. */
export type EventOf<L extends Layer, K extends string> = Extract<DriverEvent, { layer: L, kind: K }>

/** Distributes over the union, so that a draft is still discriminated by `layer` and `kind`. */
type Draft<E> = E extends unknown ? Omit<E, 'seq'> & { seq?: number } : never

/**
 * What a driver hands to its sink: the timeline assigns `seq`. A hot path may put `seq: 0` in its object literal
 * so the engine gives the object its final shape at once (no property added later: about 30 bytes less per event).
 */
export type DraftEvent = Draft<DriverEvent>

/** What the timeline appends: a driver's draft, or an imported event (of any kind, `unknown-kind` included). */
export type TimelineDraft = Draft<TimelineEvent>

/**
 * Every layer's kinds and the directions each may have: the run-time image of the union (imports validate against
 * it, docs/architecture.md shows it). The type makes it complete: a kind added to the union and not here fails to
 * compile, and so does a direction the kind cannot have.
 */
export const EVENT_KINDS: { readonly [L in Layer]: { readonly [K in KindOf<L>]: readonly EventOf<L, K>['dir'][] } } = {
  lifecycle: {
    connecting: ['local'],
    open: ['in', 'local'],
    reconnect: ['local'],
    error: ['local', 'in'],
    connect_timeout: ['local'],
    close: ['in', 'local'],
    reconnect_attempt: ['local'],
    reconnect_failed: ['local'],
    reconnect_cancelled: ['local'],
    reconnect_skipped: ['local'],
    reconnect_error: ['local'],
    stable: ['local'],
    warning: ['local', 'in'],
    connect: ['in'],
    connect_error: ['in', 'local'],
    disconnect: ['in', 'local'],
    auto: ['local'],
    diagnosis: ['local'],
  },
  wire: { frame: ['in', 'out'] },
  engine: {
    handshake: ['in'],
    open: ['local'],
    ping: ['in', 'out'],
    pong: ['in', 'out'],
    upgrading: ['local'],
    upgrade: ['local'],
    upgradeError: ['local'],
    transport_error: ['local'],
    close: ['local'],
  },
  socketio: { packet: ['in', 'out'] },
  app: {
    event: ['in'],
    emit: ['out'],
    buffered: ['local'],
    flushed: ['out'],
    dropped: ['local'],
    ack: ['in'],
    ack_timeout: ['local'],
    ack_error: ['local'],
    ack_reply: ['out'],
  },
}

/** Whether `layer`/`kind`/`dir` name a variant of the union (an imported event's check). */
export function isKnownKind(layer: Layer, kind: string, dir: Direction): boolean {
  const kinds = EVENT_KINDS[layer] as Readonly<Record<string, readonly Direction[]>>
  return Object.prototype.hasOwnProperty.call(kinds, kind) && kinds[kind]!.includes(dir)
}

/** The diagnosis id of a failure's detail: its Diagnosis's, or the bare id an older exported file holds. */
export function diagnosisIdOf(detail: DiagnosisDetail | undefined): string | undefined {
  const diagnosis = detail?.diagnosis
  return typeof diagnosis === 'string' ? diagnosis : diagnosis?.id
}

/** The kind a person should read: an unknown imported kind by its own name. */
export function kindLabel(event: TimelineEvent): string {
  // `kind` read once: this runs for every event a name filter tests.
  const kind = event.kind
  return kind === 'unknown-kind' ? event.importedKind : kind
}
