/** Public types of the dev server and the context its parts share. */
import type { SlowClientLimits } from './net-util.ts'

export interface DevServerPorts {
  /** Raw WebSocket (`ws://`, and `wss://` on the same port: the first byte tells TLS from plain HTTP), default 8080. 0 picks a free port. */
  ws?: number
  /** Secure WebSocket (`wss://`, self-signed certificate), default 8443. */
  wss?: number
  /** Socket.IO v4 (polling + WebSocket), default 3000. */
  socketio?: number
  /** Socket.IO v4 offering HTTP long-polling only, default 3001. */
  polling?: number
  /** Socket.IO v2 (Engine.IO protocol 3), the legacy server a v3/v4 client cannot talk to, default 3002. */
  socketioV2?: number
  /** Socket.IO v4 with the msgpack parser (socket.io-msgpack-parser), default 3003. */
  msgpack?: number
  /** Socket.IO v4 offering the WebSocket transport only (`transports: ['websocket']`), default 3004. */
  websocketOnly?: number
  /** Socket.IO v4 on the custom path `/realtime/io`, default 3005. */
  customPath?: number
  /** Plain HTTP only: answers every request (a WebSocket handshake too) with a small text page, default 3006. */
  httpOnly?: number
  /** HTTP control API for fault injection, default 3099 (always bound to loopback). */
  control?: number
}

export interface DevServerOptions {
  /** Interface to bind. Default `127.0.0.1`; anything beyond loopback is logged as a warning. */
  host?: string
  ports?: DevServerPorts
  /** Largest frame / Socket.IO packet a client may send, in bytes (default 1 MiB). Raw WebSocket closes with 1009 above it. */
  maxPayload?: number
  /** Connections allowed per server (raw ws, wss, Socket.IO, polling) before new ones are refused with 503 / 403. Default 1000. */
  maxConnections?: number
  /** Origins allowed by CORS on the Socket.IO servers. Default `'*'` (any origin, reflected). Not the control API's: see `controlOrigins`. */
  corsOrigins?: string[] | '*'
  /**
   * Browser origins that may use the control API and the `__control` namespace (exact `scheme://host:port`; never `*`).
   * Default none: only clients that send no `Origin` (curl, Node) and the token. `npm start` passes the inspector's.
   */
  controlOrigins?: string[]
  /** Secret the control API (`Authorization: Bearer`) and `__control` (`auth.token`) require. Default: 32 random bytes, new at every start. */
  controlToken?: string
  /** A connection must send its request headers (and finish TLS) within this many ms; default 10000. */
  handshakeTimeoutMs?: number
  /** A whole request (headers and body) must arrive within this many ms; default 30000 (at least `handshakeTimeoutMs`). */
  requestTimeoutMs?: number
  /** Connections still in their first request or handshake, per server, beyond which the oldest is cut; default 1000. */
  maxPendingHandshakes?: number
  /** Where the self-signed certificate is cached. Default `node_modules/.cache/socketlens-dev-server/`. */
  certDir?: string
  /** Log sink, one line per call. Default `console.log`; tests pass a no-op. */
  log?: (line: string) => void
  /** Engine.IO heartbeat interval in ms (default 25000), on every Socket.IO server (v2 too, where the client pings). Tests lower it to see ping timeouts quickly. */
  pingInterval?: number
  /** Engine.IO heartbeat timeout in ms (default 20000). */
  pingTimeout?: number
  /** Interval of the `/ticker` Socket.IO namespace's quotes in ms (default 1000). */
  tickerIntervalMs?: number
  /** Token that the `/admin` namespace's middleware expects in `auth.token` (v4) or the `?token=` query (v2). Default `letmein`. */
  adminToken?: string
  /** Entries the record keeps (default 50000); older ones are dropped and counted. See `record()`. */
  recordLimit?: number
  /**
   * Serve the Socket.IO v4 endpoint (`socketio`, port 3000) from `nodes` (2–8) worker processes behind one port
   * (Node's cluster, @socket.io/sticky, @socket.io/cluster-adapter). `sticky: false` routes every request round-robin,
   * so long-polling sessions fail with HTTP 400 "Session ID unknown". Every answer then carries `node`.
   */
  cluster?: { nodes: number; sticky?: boolean }
}

/** The nodes of a clustered dev server. */
export interface DevServerCluster {
  sticky: boolean
  /** The running nodes, by number: the process id and its open Engine.IO sessions (as last reported). */
  nodes: { node: number; pid: number; sessions: number }[]
}

export interface DevServerUrls {
  /** `ws://host:port` — the raw WebSocket server; append a path (`/echo`, `/ticker`, ...). */
  ws: string
  /** `wss://host:port` — the same paths over TLS. */
  wss: string
  /** `http://host:port` — Socket.IO v4 (default path `/socket.io/`). */
  socketio: string
  /** `http://host:port` — Socket.IO v4, long-polling only. */
  polling: string
  /** `http://host:port` — Socket.IO v2 / Engine.IO 3 (default path `/socket.io/`; `/admin` takes `?token=`). */
  socketioV2: string
  /** `wss://host:port` — TLS on the `ws` port (the study note's secure echo server on 8080); same paths. */
  wsTls: string
  /** `http://host:port` — Socket.IO v4 with the msgpack parser. */
  msgpack: string
  /** `http://host:port` — Socket.IO v4, WebSocket transport only (polling gets HTTP 400 "Transport unknown"). */
  websocketOnly: string
  /** `http://host:port` — Socket.IO v4 whose path is `/realtime/io` (connect with `{ path: '/realtime/io' }`). */
  customPath: string
  /** `http://host:port` — plain HTTP, no WebSocket. */
  httpOnly: string
  /** `http://host:port` — the control API. */
  control: string
  /** `ws://host:port/silent` — accepts the TCP connection and never answers the handshake (HTTP or WebSocket). */
  silent: string
}

export interface DevServerFaults {
  /** Cuts every TCP connection of every server but the control API at once (no close frame, no close packet). */
  killSockets(): void
  /** Stops Engine.IO heartbeats for `ms` (and suspends the server's own ping timeout) so that clients see `ping timeout`. 0 resumes now. */
  stallHeartbeats(ms: number): void
  /** While on, every WebSocket upgrade is refused: Socket.IO clients stay on polling (`upgradeError`), raw ws gets HTTP 503. */
  refuseUpgrade(on: boolean): void
  /** Closes every raw WebSocket, and every Socket.IO WebSocket transport, with this close code and reason. */
  closeAllWebSockets(code: number, reason?: string): void
  /** Disconnects every Socket.IO socket from the server side (`io server disconnect`: clients do not reconnect). */
  disconnectSockets(): void
}

export interface DevServerStatus {
  host: string
  ports: Required<DevServerPorts>
  urls: DevServerUrls
  startedAt: number
  restarts: number
  maxPayload: number
  maxConnections: number
  /** Open connections per server: WebSocket clients (ws, wss), Engine.IO sessions (Socket.IO servers). */
  connections: {
    ws: number; wss: number; socketio: number; polling: number; socketioV2: number
    msgpack: number; websocketOnly: number; customPath: number
  }
  /** Connections that have not finished their first request or handshake yet, over the raw WebSocket and Socket.IO v4 servers. */
  pendingHandshakes: number
  faults: { refuseUpgrade: boolean; heartbeatsStalledUntil: number | null }
  /** Only when clustered. */
  cluster?: DevServerCluster
}

export interface RestartOptions {
  /** How long the servers stay down before listening again (default 0, at most 60000). */
  downtimeMs?: number
}

export interface DevServer {
  /** Actually bound ports. */
  ports: Required<DevServerPorts>
  urls: DevServerUrls
  /** The self-signed certificate (PEM) served on `wss`, and the file it is cached in — pass it as `ca` to trust it. */
  tls: { cert: string; certFile: string }
  /** Token the `/admin` namespace expects in `auth.token`. */
  adminToken: string
  /** The control API's secret: `Authorization: Bearer <controlToken>`, or `auth: { token }` on `__control`. */
  controlToken: string
  /** Browser origins the control API and `__control` accept. */
  controlOrigins: readonly string[]
  /** Stops everything: servers, sockets, timers. Safe to call twice. */
  close(): Promise<void>
  /** Stops the ws, wss, Socket.IO, polling and Socket.IO v2 servers and starts them again on the same ports (the control API stays up). */
  restart(options?: RestartOptions): Promise<void>
  faults: DevServerFaults
  status(): DevServerStatus
  /** The nodes, when started with `cluster`; undefined otherwise. */
  readonly cluster: DevServerCluster | undefined
  /** What clients sent (Socket.IO events, joins, leaves; raw WebSocket frames) with `seq > since`: see dev-server/README.md, "The record". */
  record(since?: number): RecordSnapshot
  /** Empties the record (seq keeps counting, `dropped` starts again at 0). */
  clearRecord(): void
}

export interface ResolvedOptions {
  host: string
  ports: Required<DevServerPorts>
  maxPayload: number
  maxConnections: number
  corsOrigins: string[] | '*'
  controlOrigins: string[]
  controlToken: string
  limits: SlowClientLimits
  certDir: string
  pingInterval: number
  pingTimeout: number
  tickerIntervalMs: number
  adminToken: string
  recordLimit: number
}

export type Log = (line: string) => void

/** A JSON value as the record stores it (binary becomes `{ base64 }`). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** The Socket.IO v4 servers the record names (the `server` of a Socket.IO entry). */
export type RecordSocketIoServer = 'socketio' | 'polling' | 'msgpack' | 'websocketOnly' | 'customPath'

interface RecordSocketIoBase {
  /** Server clock (ms since the epoch) when the server got it; in cluster mode, the worker's clock. */
  at: number
  server: RecordSocketIoServer
  /** The cluster node (1..N) that handled it; absent when the dev server is not clustered. */
  node?: number
  namespace: string
  /** The Socket.IO socket id (`socket.id` on the client too). */
  socket: string
}

/** One event a Socket.IO client emitted. */
export interface RecordSocketIoEvent extends RecordSocketIoBase {
  type: 'event'
  event: string
  /** The arguments, JSON-safe: Buffers and other binary as `{ base64 }`. The ack callback is not an argument. */
  args: JsonValue[]
  /** The client asked for an acknowledgement. */
  ack: boolean
  /** The server answered it (may turn true after the entry was first read, e.g. `ask`'s late answer). */
  acked: boolean
}

/** A socket connected to / disconnected from a namespace. */
export interface RecordSocketIoConnection extends RecordSocketIoBase {
  type: 'connect' | 'disconnect'
  /** Disconnect reason (`client namespace disconnect`, `transport close`, ...). */
  reason?: string
  /** connect: the transport of the session at that moment. */
  transport?: string
}

/** A socket joined / left a room (its own id room is not recorded). */
export interface RecordSocketIoRoom extends RecordSocketIoBase {
  type: 'join' | 'leave'
  room: string
}

interface RecordWsBase {
  at: number
  /** `ws`: the ws:// (and wss:// on the same port) server, `wss`: the separate wss:// port. */
  server: 'ws' | 'wss'
  /** The WebSocket path, e.g. `/` or `/echo`. */
  path: string
  /** Connection number, unique within one dev server's life (restarts included). */
  connection: number
}

/** One frame a raw WebSocket client sent. */
export interface RecordWsFrame extends RecordWsBase {
  type: 'frame'
  kind: 'text' | 'binary'
  /** The text, or for binary the bytes as base64. */
  data: string
  /** Bytes on the wire (UTF-8 length of a text frame). */
  size: number
}

/** A raw WebSocket connection opened / closed. */
export interface RecordWsConnection extends RecordWsBase {
  type: 'open' | 'close'
  code?: number
}

/** An entry as a server produces it, before the record numbers it. */
export type RecordInput = RecordSocketIoEvent | RecordSocketIoConnection | RecordSocketIoRoom | RecordWsFrame | RecordWsConnection

/** One entry of the dev server's record (`GET /record`, `server.record()`); `seq` increases by 1 per entry, never reused. */
export type RecordEntry = RecordInput & { seq: number }

/** What `GET /record?since=<seq>` and `server.record(since)` return. */
export interface RecordSnapshot {
  /** Oldest first; only those with `seq > since`. */
  entries: RecordEntry[]
  /** Entries dropped (oldest first) since the last clear because the record was full. */
  dropped: number
  /** The newest seq given so far (pass it as `since` to read only what comes next). */
  last: number
  /** Entries kept at most. */
  limit: number
}
