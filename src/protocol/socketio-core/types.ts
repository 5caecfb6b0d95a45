/**
 * The one interface and the one set of options of both Socket.IO drivers (v4: ../socketio/driver.ts, v2:
 * ../socketio-v2/driver.ts), so the stores and the UI hold either without knowing which.
 */
import type { ConnectionState, Driver } from '../types'
import type { MessageRef } from '../message'

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
   * When the first transport cannot open (a proxy blocks one of them), try the next one in the same attempt instead
   * of failing. Off by default: the failure of the first transport, with its HTTP status and body, is what the
   * diagnoses read. The failed transport stays on the timeline as an engine `transport_error`. (A server that
   * refuses long-polling as an unknown transport is retried over WebSocket in any case.) Not in the v2 client.
   * @default false
   */
  tryAllTransports?: boolean
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
  /**
   * The Socket.IO parser both ends must share: 'default' (socket.io-parser, JSON) or 'msgpack'
   * (socket.io-msgpack-parser, given as `parserModule`: it is loaded only when chosen). v4 client only.
   * @default 'default'
   */
  parser?: SocketIoParserName
  /** The msgpack parser module (`Encoder`, `Decoder`) when `parser` is 'msgpack'. */
  parserModule?: ParserModule
  /**
   * A connection that stays up this long counts as working: only then does the reconnect attempt counter reset
   * (connectionHistory.ts). A server that drops every connection sooner is retried with growing delays.
   * @default 5000
   */
  stableMs?: number
  /**
   * A server that refuses long-polling as an unknown transport (engine.io's code 0, python-engineio's
   * "Invalid transport") is retried over WebSocket by itself, said on the timeline. v4 client only.
   * @default true
   */
  autoTransports?: boolean
  /**
   * The driver found evidence that another client version, parser or path would work. Return true to take the
   * switch (the caller rebuilds the driver: socketio-core/auto.ts); false leaves it as an offer in the failure's
   * detail, for the banner's one-click retry.
   */
  onOffer?: (offer: DriverOffer) => boolean
}

export type SocketIoParserName = 'default' | 'msgpack'

/** A Socket.IO parser module as socket.io-client takes it (`parser` option). */
export interface ParserModule {
  Encoder: new () => { encode: (packet: never) => unknown[] }
  Decoder: new () => { add: (chunk: never) => void, destroy?: () => void, on: (event: string, listener: (...args: never[]) => void) => unknown }
}

/** What a driver found would work instead, with the evidence (a failure's `detail.offer`). */
export interface DriverOffer {
  /** 'transports' is only ever offered, never taken by itself: it hides a server's fault a person should see. */
  choice: 'version' | 'parser' | 'path' | 'transports'
  /** 'v2' or 'v4'; 'msgpack' or 'default'; the Engine.IO path found ('/realtime/io'); or 'websocket' (only). */
  value: string
  /** For a path: the URL to connect to (the path found is no namespace: the main namespace is /). */
  url?: string
  /**
   * Why, in a few words, for the timeline: one of SocketLens's fixed phrases (protocol/localReasons.ts), shown in
   * the person's language. The button's words are the UI's (connection.offer.*), from `choice` and `value`.
   */
  reason: string
  evidence: MessageRef[]
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
  /** Dispose without recording anything more: another driver takes over the same timeline (socketio-core/auto.ts). */
  retire?: () => void
}
