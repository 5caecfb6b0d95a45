/**
 * The Socket.IO v4 servers: the full one (polling + WebSocket) and the polling-only one, with the same handlers.
 *
 * Namespaces: `/` (rooms, echo, binary, broadcast, catch-all acks), `/admin` (auth middleware), `/ticker` (quotes to
 * symbol rooms) and `/__control` (fault controls, the same actions as the HTTP control API).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { Server, type Namespace, type ServerOptions, type Socket } from 'socket.io'
import * as msgpackParser from 'socket.io-msgpack-parser'
import { originRefusal, tokenMatches, type ControlAccess } from './control-access.ts'
import {
  ConnectionTracker, PendingHandshakes, closeReason, closeServer, httpServerLimits, isLoopbackHost, listen, noop, parseRequestUrl, rejectUpgrade,
} from './net-util.ts'
import { DEFAULT_SYMBOLS, QuoteBook, normalizeSymbol } from './quotes.ts'
import { jsonSafe, type RecordSink } from './record.ts'
import type { Log, RecordSocketIoServer, ResolvedOptions } from './types.ts'

export const NAMESPACES = { main: '/', admin: '/admin', ticker: '/ticker', control: '/__control' } as const

export const MAX_ROOM_LENGTH = 128

/** Control actions a `__control` client may call; `params` is the event's first argument. */
export type ControlCall = (action: string, params: Record<string, unknown>, via: 'http' | 'socket') => Promise<{ status: number; body: unknown }>

export interface SocketIoContext {
  log: Log
  options: ResolvedOptions
  startedAt: number
  isUpgradeRefused(): boolean
  onEngineSocket(socket: EngineSocket): void
  control: ControlCall
  controlAccess: ControlAccess
  /** Where what clients send is recorded (the dev server's record). */
  record: RecordSink
  /** The cluster node (1..N) this server runs as; undefined when not clustered (payloads stay as they were). */
  node?: number
}

/** The parts of an engine.io socket the dev server uses (the `socket.io` package does not export its type). */
export interface EngineSocket {
  id: string
  readyState: string
  remoteAddress: string
  transport: { name: string; socket?: { close(code?: number, reason?: string): void } }
  close(discard?: boolean): void
  on(event: 'close', listener: (reason: string, description?: unknown) => void): unknown
  on(event: 'upgrade', listener: (transport: { name: string }) => void): unknown
  once(event: 'close', listener: () => void): unknown
}

export interface SocketIoEndpoint {
  readonly port: number
  readonly io: Server
  /** Open engine.io sessions. */
  readonly engineSockets: ReadonlySet<EngineSocket>
  /** Connections that have not finished their first request or handshake yet. */
  readonly pendingHandshakes: number
  /** Cuts every TCP connection, then closes any engine session still open. */
  kill(): void
  /** Closes every WebSocket transport with `code` / `reason` (polling sessions are left alone). */
  closeWebSockets(code: number, reason?: string): void
  /** `socket.disconnect(true)` on every socket of every namespace. */
  disconnectAll(): void
  close(): Promise<void>
}

type Ack = (...args: unknown[]) => void

function splitAck(args: unknown[]): [unknown[], Ack | undefined] {
  const last = args[args.length - 1]
  return typeof last === 'function' ? [args.slice(0, -1), last as Ack] : [args, undefined]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
}

/** A room name from `"room"` or `{ room }`: a non-blank string of at most 128 characters. */
export function roomFrom(payload: unknown): string | undefined {
  const value = isRecord(payload) ? payload.room : payload
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_ROOM_LENGTH) return undefined
  return value
}

function roomsOf(socket: Socket): string[] {
  return [...socket.rooms].filter((room) => room !== socket.id)
}

/**
 * Registers handlers that never throw: whatever a client sends, a failure is logged and, when the client asked for
 * an acknowledgement, answered with `{ error }`.
 */
class Handlers {
  readonly names = new Set<string>()

  constructor(private readonly socket: Socket, private readonly log: Log) {}

  on(event: string, handler: (args: unknown[], ack: Ack | undefined) => void): this {
    this.names.add(event)
    this.socket.on(event, (...raw: unknown[]) => {
      const [args, ack] = splitAck(raw)
      try {
        handler(args, ack)
      } catch (err) {
        this.log(`[socket.io] ${this.socket.nsp.name} ${event} handler failed: ${(err as Error).message}`)
        ack?.({ error: 'internal error' })
      }
    })
    return this
  }

  /**
   * Any event without its own handler is acknowledged with its own arguments (when an ack is asked for), except
   * `noAck`, which never answers: the way to watch an ack time out.
   */
  catchAll(): void {
    this.socket.onAny((event: string, ...raw: unknown[]) => {
      if (this.names.has(event) || event === NO_ACK_EVENT) return
      const [args, ack] = splitAck(raw)
      ack?.(...args)
    })
  }
}

/** The one event the server never acknowledges (ack-timeout demos and tests). */
export const NO_ACK_EVENT = 'noAck'

/** Answers a bad request: `{ error }` as the ack when one was asked for, else an `invalid` event. */
function fail(socket: Socket, event: string, error: string, ack: Ack | undefined): void {
  if (ack) ack({ error })
  else socket.emit('invalid', { event, error })
}

/** `value` with the cluster node added when clustered (`{ ...value, node }`); unchanged otherwise. */
function tagged<T extends object>(context: SocketIoContext, value: T): T | (T & { node: number }) {
  // `node` first: a preview cut short (a timeline row) still shows it.
  return context.node === undefined ? value : { node: context.node, ...value }
}

/**
 * Sockets in `room` (the whole namespace without one), over every node when clustered: `send` gets the count at once
 * when not clustered (the answers keep their timing), after asking the other nodes when clustered.
 */
function countSockets(context: SocketIoContext, nsp: Namespace, room: string | null, send: (count: number) => void): void {
  const local = room === null ? nsp.sockets.size : nsp.adapter.rooms.get(room)?.size ?? 0
  if (context.node === undefined) {
    send(local)
    return
  }
  const target = room === null ? nsp : nsp.in(room)
  target.fetchSockets().then((sockets) => send(sockets.length), () => send(local))
}

function registerMain(nsp: Namespace, context: SocketIoContext): void {
  const tag = <T extends object>(value: T) => tagged(context, value)
  nsp.on('connection', (socket) => {
    const h = new Handlers(socket, context.log)
    socket.emit('welcome', tag({
      id: socket.id,
      namespace: nsp.name,
      recovered: socket.recovered,
      transport: socket.conn.transport.name,
      message: 'Welcome to the SocketLens dev server',
      time: Date.now(),
    }))
    if (context.node !== undefined) {
      // Clustered only (elsewhere `whoami` stays a catch-all echo): which node holds this socket.
      h.on('whoami', (_args, ack) => {
        const me = { node: context.node, id: socket.id, pid: process.pid, transport: socket.conn.transport.name }
        if (ack) ack(me)
        else socket.emit('whoami', me)
      })
    }

    h.on('joinRoom', ([payload], ack) => {
      const room = roomFrom(payload)
      if (room === undefined) return fail(socket, 'joinRoom', `room must be a non-blank string of at most ${MAX_ROOM_LENGTH} characters, or { room }`, ack)
      if (room !== socket.id && nsp.sockets.has(room)) return fail(socket, 'joinRoom', 'that room is another socket\'s private room', ack)
      void socket.join(room)
      nsp.to(room).emit('joined', tag({ room, id: socket.id }))
      // The study note's announcement: a plain text `message` to the whole room, the joiner included.
      nsp.to(room).emit('message', `${socket.id} joined room ${room}`)
      ack?.(roomsOf(socket))
    })

    h.on('leaveRoom', ([payload], ack) => {
      const room = roomFrom(payload)
      if (room === undefined) return fail(socket, 'leaveRoom', `room must be a non-blank string of at most ${MAX_ROOM_LENGTH} characters, or { room }`, ack)
      if (socket.rooms.has(room) && room !== socket.id) {
        nsp.to(room).emit('left', tag({ room, id: socket.id }))
        void socket.leave(room)
        // The study note's announcement, after leaving: the others in the room hear it.
        nsp.to(room).emit('message', `${socket.id} left room ${room}`)
      }
      ack?.(roomsOf(socket))
    })

    // `message` is the study note's: the plain message alone to the others in the room
    // (`socket.to(data.room).emit('message', data.message)`). `roomMessage` is the same with who sent it.
    registerRoomMessage(h, socket, nsp, context, 'message', (_room, message) => [message])
    registerRoomMessage(h, socket, nsp, context, ROOM_MESSAGE_EVENT, (room, message) => [tag({ room, message, from: socket.id })])

    h.on('broadcast', (args, ack) => {
      nsp.emit('broadcast', tag({ message: args.length > 1 ? args : args[0], from: socket.id }))
      if (ack) countSockets(context, nsp, null, (delivered) => ack(tag({ delivered })))
    })

    h.on('rooms', (_args, ack) => {
      if (ack) ack(roomsOf(socket))
      else socket.emit('rooms', roomsOf(socket))
    })

    registerEcho(h, socket)
    registerQuestion(h, socket, context)
    h.catchAll()

    socket.on('disconnecting', (reason) => {
      for (const room of roomsOf(socket)) socket.to(room).emit('left', tag({ room, id: socket.id, reason }))
    })
  })
}

/** The room message that says who sent it: `{ room, message, from }` (the study note's `message` carries the message alone). */
export const ROOM_MESSAGE_EVENT = 'roomMessage'

/**
 * `event` with `{ room, message }` sends `event` with `args(room, message)` to the others in the room; anything else
 * goes to every other socket of the namespace (`room` null, `message` the payload or its `message`). Acknowledged,
 * when asked, with `{ room, delivered }`.
 */
function registerRoomMessage(
  h: Handlers, socket: Socket, nsp: Namespace, context: SocketIoContext, event: string, args: (room: string | null, message: unknown) => unknown[],
): void {
  h.on(event, ([payload], ack) => {
    if (isRecord(payload) && 'room' in payload) {
      const room = roomFrom(payload)
      if (room === undefined) return fail(socket, event, `${event} needs { room, message } with a non-blank room`, ack)
      socket.to(room).emit(event, ...args(room, payload.message))
      const self = socket.rooms.has(room) ? 1 : 0
      if (ack) countSockets(context, nsp, room, (members) => ack(tagged(context, { room, delivered: members - self })))
      return
    }
    // No room: a plain chat message to everyone else on the namespace.
    const message = isRecord(payload) && 'message' in payload ? payload.message : payload
    socket.broadcast.emit(event, ...args(null, message))
    if (ack) countSockets(context, nsp, null, (members) => ack(tagged(context, { room: null, delivered: members - 1 })))
  })
}

/**
 * `ask` makes the server emit `question` to this socket *with* an acknowledgement callback, waits up to
 * `timeoutMs` (default 3000) for the client's answer, and reports it: as the ack of `ask`, or as an `answer`
 * event `{ answer }` / `{ error }`. The way to watch a server-side ack request and a client's reply.
 */
function registerQuestion(h: Handlers, socket: Socket, context: SocketIoContext): void {
  h.on('ask', ([payload], ack) => {
    const timeoutMs = isRecord(payload) && typeof payload.timeoutMs === 'number' ? Math.min(Math.max(payload.timeoutMs, 1), 60_000) : 3000
    const question = isRecord(payload) && 'question' in payload ? payload.question : payload ?? 'ping?'
    socket.timeout(timeoutMs).emit('question', question, (err: Error | null, ...answer: unknown[]) => {
      const result = tagged<Record<string, unknown>>(context, err ? { error: `no answer within ${timeoutMs} ms` } : { answer })
      if (ack) ack(result)
      else socket.emit('answer', result)
    })
  })
}

/** `echo` returns every argument (as the ack, or as an `echo` event); `binary` does the same and defaults to 4 bytes. */
function registerEcho(h: Handlers, socket: Socket): void {
  h.on('echo', (args, ack) => {
    if (ack) ack(...args)
    else socket.emit('echo', ...args)
  })
  h.on('binary', (args, ack) => {
    const out = args.length ? args : [Buffer.from([0xde, 0xad, 0xbe, 0xef])]
    if (ack) ack(...out)
    else socket.emit('binary', ...out)
  })
}

function registerAdmin(nsp: Namespace, io: Server, context: SocketIoContext): void {
  const token = context.options.adminToken
  nsp.use((socket, next) => {
    const auth: unknown = socket.handshake.auth
    if (isRecord(auth) && auth.token === token) {
      next()
      return
    }
    const err = new Error('not authorized') as Error & { data?: unknown }
    err.data = { reason: 'invalid token', hint: `connect to /admin with auth: { token: "${token}" }` }
    context.log(`[socket.io] /admin refused a connection from ${socket.handshake.address}: invalid token`)
    next(err)
  })
  nsp.on('connection', (socket) => {
    const h = new Handlers(socket, context.log)
    socket.emit('welcome', tagged(context, { id: socket.id, namespace: nsp.name, recovered: socket.recovered, message: 'Authorized: welcome to /admin', time: Date.now() }))
    h.on('stats', (_args, ack) => {
      const stats = tagged(context, {
        uptimeMs: Date.now() - context.startedAt,
        engineClients: io.engine.clientsCount,
        namespaces: Object.fromEntries([...io._nsps.entries()].map(([name, n]) => [name, n.sockets.size])),
        rooms: [...io.of('/').adapter.rooms.keys()].filter((room) => !io.of('/').sockets.has(room)),
      })
      if (ack) ack(stats)
      else socket.emit('stats', stats)
    })
    h.on('announce', ([message], ack) => {
      io.of('/').emit('announcement', { message, from: 'admin' })
      ack?.(tagged(context, { delivered: io.of('/').sockets.size }))
    })
    h.on('kick', ([payload], ack) => {
      const id = isRecord(payload) ? payload.id : payload
      const target = typeof id === 'string' ? io.of('/').sockets.get(id) : undefined
      target?.disconnect(true)
      ack?.(tagged(context, { kicked: !!target }))
    })
    registerEcho(h, socket)
    h.catchAll()
  })
}

function symbolsFrom(payload: unknown): string[] | undefined {
  let list: unknown[]
  if (isRecord(payload)) list = Array.isArray(payload.symbols) ? payload.symbols : [payload.symbol]
  else list = Array.isArray(payload) ? payload : [payload]
  const symbols = list.slice(0, 50).map(normalizeSymbol)
  return symbols.length && symbols.every((s) => s !== undefined) ? [...new Set(symbols as string[])] : undefined
}

function registerTicker(nsp: Namespace, context: SocketIoContext): NodeJS.Timeout {
  const book = new QuoteBook()
  const subscribed = (socket: Socket) => roomsOf(socket).sort()
  nsp.on('connection', (socket) => {
    const h = new Handlers(socket, context.log)
    socket.emit('welcome', tagged(context, { id: socket.id, namespace: nsp.name, recovered: socket.recovered, symbols: [...DEFAULT_SYMBOLS], time: Date.now() }))
    h.on('subscribe', ([payload], ack) => {
      const symbols = symbolsFrom(payload)
      if (!symbols) return fail(socket, 'subscribe', 'subscribe takes a symbol, an array of symbols, { symbol } or { symbols } (A-Z, 0-9, dot, dash)', ack)
      for (const symbol of symbols) {
        if (!socket.rooms.has(symbol)) {
          void socket.join(symbol)
          // A first quote right away, so the subscriber does not wait for the next tick.
          socket.emit('quote', book.next(symbol))
        }
      }
      ack?.(subscribed(socket))
    })
    h.on('unsubscribe', ([payload], ack) => {
      const symbols = symbolsFrom(payload)
      if (!symbols) return fail(socket, 'unsubscribe', 'unsubscribe takes a symbol, an array of symbols, { symbol } or { symbols }', ack)
      for (const symbol of symbols) void socket.leave(symbol)
      ack?.(subscribed(socket))
    })
    registerEcho(h, socket)
    h.catchAll()
  })
  return setInterval(() => {
    for (const [room] of nsp.adapter.rooms) {
      if (!nsp.sockets.has(room)) nsp.to(room).emit('quote', book.next(room))
    }
  }, context.options.tickerIntervalMs)
}

function registerControl(nsp: Namespace, context: SocketIoContext): void {
  const refuse = (reason: string) => Object.assign(new Error('not authorized'), { data: { reason } })
  nsp.use((socket, next) => {
    // Bound beyond loopback: fault controls stay reserved to this machine.
    if (!isLoopbackHost(context.options.host) && !isLoopbackHost(socket.handshake.address.replace(/^::ffff:/, ''))) {
      next(refuse('the control namespace only answers loopback clients'))
      return
    }
    // The HTTP control API's rule (control-access.ts): the inspector's origin, and the per-start token in auth.
    const byOrigin = originRefusal(context.controlAccess, socket.handshake.headers.origin)
    const auth: unknown = socket.handshake.auth
    const why = byOrigin ?? (tokenMatches(context.controlAccess.token, isRecord(auth) ? auth.token : undefined)
      ? undefined
      : 'missing or wrong control token: connect with auth: { token } (the dev server\'s banner prints it)')
    if (why) {
      context.log(`[socket.io] ${NAMESPACES.control} refused a connection (Origin ${JSON.stringify(socket.handshake.headers.origin ?? '')}): ${why}`)
      next(refuse(why))
    } else {
      next()
    }
  })
  nsp.on('connection', (socket) => {
    socket.onAny((action: string, ...raw: unknown[]) => {
      const [args, ack] = splitAck(raw)
      const first = args[0]
      const params: Record<string, unknown> = isRecord(first) ? first : first === undefined ? {} : { value: first }
      context.control(action, params, 'socket').then(
        (result) => ack?.(result.body),
        (err: unknown) => ack?.({ ok: false, error: (err as Error).message }),
      )
    })
  })
}

/** What sets one Socket.IO v4 server apart from the others; the namespaces and handlers are the same on all. */
export interface SocketIoVariant {
  /** Name in the log lines, e.g. `socket.io msgpack`. */
  label: string
  /** What the page at `/` calls it. */
  title: string
  transports: ('polling' | 'websocket')[]
  /** `msgpack`: socket.io-msgpack-parser instead of the default JSON parser (both sides must use the same). */
  parser?: 'default' | 'msgpack'
  /** Engine.IO path, default `/socket.io`. */
  path?: string
}

/** The Engine.IO path of the `customPath` server. */
export const CUSTOM_SOCKETIO_PATH = '/realtime/io'

export const SOCKETIO_VARIANTS = {
  socketio: { label: 'socket.io', title: 'Socket.IO v4', transports: ['polling', 'websocket'] },
  polling: { label: 'socket.io polling', title: 'Socket.IO v4 (HTTP long-polling only)', transports: ['polling'] },
  msgpack: { label: 'socket.io msgpack', title: 'Socket.IO v4 with the msgpack parser (socket.io-msgpack-parser)', transports: ['polling', 'websocket'], parser: 'msgpack' },
  websocketOnly: { label: 'socket.io websocket-only', title: 'Socket.IO v4, WebSocket transport only', transports: ['websocket'] },
  customPath: { label: 'socket.io custom path', title: 'Socket.IO v4 on the path /realtime/io', transports: ['polling', 'websocket'], path: CUSTOM_SOCKETIO_PATH },
} as const satisfies Record<string, SocketIoVariant>

function nodeField(context: SocketIoContext): { node?: number } {
  return context.node === undefined ? {} : { node: context.node }
}

/** socket.io's own (private) methods the record hooks: the one that dispatches an incoming event and the ack maker. */
interface SocketInternals {
  onevent(packet: { data?: unknown[]; id?: number }): void
  ack(id: number): (...args: unknown[]) => void
}

/**
 * Records the socket's connect, every event it emits (before any handler runs, the `onAny` catch-all included) and
 * whether the server answered its ack, and its disconnect.
 */
function recordSocket(socket: Socket, server: RecordSocketIoServer, context: SocketIoContext): void {
  const base = () => ({ at: Date.now(), server, ...nodeField(context), namespace: socket.nsp.name, socket: socket.id })
  context.record.add({ type: 'connect', ...base(), transport: socket.conn.transport.name })
  const internals = socket as unknown as SocketInternals
  const onevent = internals.onevent.bind(socket)
  const makeAck = internals.ack.bind(socket)
  const waiting = new Map<number, ReturnType<SocketIoContext['record']['add']>>()
  internals.onevent = (packet) => {
    const data = Array.isArray(packet.data) ? packet.data : []
    const ack = packet.id !== undefined && packet.id !== null
    const handle = context.record.add({
      type: 'event', ...base(), event: String(data[0]), args: data.slice(1).map((arg) => jsonSafe(arg)), ack, acked: false,
    })
    if (ack) waiting.set(packet.id!, handle)
    onevent(packet)
  }
  internals.ack = (id) => {
    const answer = makeAck(id)
    const handle = waiting.get(id)
    waiting.delete(id)
    return (...args: unknown[]) => {
      handle?.acked()
      answer(...args)
    }
  }
  socket.on('disconnect', (reason) => {
    waiting.clear()
    context.record.add({ type: 'disconnect', ...base(), reason })
  })
}

export async function startSocketIo(options: {
  /** The server's name in the record (`socketio`, `polling`, ...). */
  name: RecordSocketIoServer
  variant: SocketIoVariant
  host: string
  port: number
  context: SocketIoContext
  /** Extra Socket.IO server options (a cluster node passes the cluster adapter). */
  serverOptions?: Partial<ServerOptions>
  /**
   * Called with the server before it listens; returns whether to listen at all (a sticky cluster worker does not: its
   * connections come from the primary, @socket.io/sticky's setupWorker).
   */
  setup?: (io: Server) => boolean
}): Promise<SocketIoEndpoint> {
  const { context, variant } = options
  const { log } = context
  const { label } = variant
  const pollingOnly = !variant.transports.includes('websocket')
  const path = variant.path ?? '/socket.io'
  const tracker = new ConnectionTracker()
  const engineSockets = new Set<EngineSocket>()
  const { corsOrigins, maxConnections, limits } = context.options
  const pending = new PendingHandshakes(limits)

  const httpServer = createServer(httpServerLimits(limits), (req: IncomingMessage, res: ServerResponse) => {
    if (variant.path && parseRequestUrl(req.url).pathname !== '/') {
      // Like an app that serves Socket.IO on its own path only: the default /socket.io/ is a 404 (readable from any
      // origin, so that a page can tell "nothing at this path" from "not allowed").
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' })
      res.end(`Not found. This Socket.IO server's path is ${path}/ (connect with { path: '${path}' }).\n`)
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
    res.end([
      `SocketLens dev server — ${variant.title}`,
      `Connect a socket.io-client v4 to this origin (path ${path}/${variant.parser === 'msgpack' ? ', parser socket.io-msgpack-parser' : ''}${pollingOnly ? '' : variant.transports.includes('polling') ? '' : ', transports ["websocket"]'}). Namespaces: ${Object.values(NAMESPACES).join(' ')}`,
      `Requested: ${req.url ?? '/'}`,
      '',
    ].join('\n'))
  })
  tracker.track(httpServer)
  // A backstop on TCP connections: a polling session uses up to two (its long-poll and its POST) and the sessions are
  // capped by allowRequest below; connections still sending their first request have their own budget, so slow
  // clients cannot use up the room of real ones.
  httpServer.maxConnections = 2 * maxConnections + limits.maxPendingHandshakes + 64
  httpServer.on('clientError', (_err: Error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    socket.destroy()
  })
  if (pollingOnly) {
    // engine.io does not listen for upgrades without the websocket transport: answer them with a clear refusal.
    httpServer.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      rejectUpgrade(socket, 400, 'this Socket.IO server offers HTTP long-polling only (transports: ["polling"])')
    })
  }

  const io = new Server(httpServer, {
    serveClient: false,
    path,
    transports: [...variant.transports],
    ...(variant.parser === 'msgpack' ? { parser: msgpackParser } : {}),
    cors: { origin: corsOrigins === '*' ? true : corsOrigins, credentials: true },
    maxHttpBufferSize: context.options.maxPayload,
    pingInterval: context.options.pingInterval,
    pingTimeout: context.options.pingTimeout,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
    ...options.serverOptions,
    allowRequest: (_req, callback) => {
      if (io.engine.clientsCount >= maxConnections) {
        log(`[${label}] refused a handshake: ${io.engine.clientsCount} sessions open (maxConnections ${maxConnections})`)
        callback('too many connections', false)
      } else {
        callback(null, true)
      }
    },
  })

  // After engine.io's attach, which replaces the server's 'request' listeners.
  pending.watch(httpServer)

  io.engine.use((req: IncomingMessage, _res: ServerResponse, next: (err?: Error) => void) => {
    const isUpgrade = (req.headers.upgrade ?? '').toLowerCase() === 'websocket'
    if (isUpgrade && context.isUpgradeRefused()) {
      log(`[${label}] refused a WebSocket upgrade (fault: refuse-upgrade is on)`)
      next(new Error('upgrade refused'))
    } else {
      next()
    }
  })

  io.engine.on('connection', (raw: unknown) => {
    const socket = raw as EngineSocket
    engineSockets.add(socket)
    log(`[${label}] + session ${socket.id} (${socket.transport.name}) from ${socket.remoteAddress}`)
    socket.on('upgrade', (transport) => log(`[${label}] ~ session ${socket.id} upgraded to ${transport.name}`))
    socket.on('close', (reason) => {
      engineSockets.delete(socket)
      log(`[${label}] - session ${socket.id} closed: ${reason}`)
    })
    context.onEngineSocket(socket)
  })
  io.engine.on('connection_error', (err: { code?: number; message?: string; req?: IncomingMessage }) => {
    log(`[${label}] refused a request ${err.req?.url ?? ''}: ${err.message ?? 'error'} (code ${err.code ?? '?'})`)
  })

  registerMain(io.of(NAMESPACES.main), context)
  registerAdmin(io.of(NAMESPACES.admin), io, context)
  const tickerTimer = registerTicker(io.of(NAMESPACES.ticker), context)
  registerControl(io.of(NAMESPACES.control), context)
  for (const name of Object.values(NAMESPACES)) {
    const nsp = io.of(name)
    nsp.on('connection', (socket: Socket) => {
      log(`[${label}] + ${name} ${socket.id}${socket.recovered ? ' (recovered)' : ''}`)
      recordSocket(socket, options.name, context)
      socket.on('disconnect', (reason) => log(`[${label}] - ${name} ${socket.id}: ${reason}`))
    })
    const onRoom = (type: 'join' | 'leave') => (room: unknown, id: unknown) => {
      if (typeof room !== 'string' || typeof id !== 'string' || room === id) return
      context.record.add({ type, at: Date.now(), server: options.name, ...nodeField(context), namespace: name, socket: id, room })
    }
    nsp.adapter.on('join-room', onRoom('join'))
    nsp.adapter.on('leave-room', onRoom('leave'))
  }

  let port = 0
  try {
    if (options.setup?.(io) ?? true) port = await listen(httpServer, options.port, options.host)
  } catch (err) {
    clearInterval(tickerTimer)
    void io.close()
    throw err
  }

  return {
    port,
    io,
    engineSockets,
    get pendingHandshakes() {
      return pending.size
    },
    kill() {
      tracker.destroyAll()
      setImmediate(() => {
        for (const socket of engineSockets) if (socket.readyState === 'open') socket.close(true)
      })
    },
    closeWebSockets(code: number, reason?: string) {
      for (const socket of engineSockets) {
        if (socket.transport.name === 'websocket') {
          try {
            socket.transport.socket?.close(code, closeReason(reason))
          } catch {
            // Already closing.
          }
        }
      }
    },
    disconnectAll() {
      io.disconnectSockets(true)
      for (const name of Object.values(NAMESPACES)) io.of(name).disconnectSockets(true)
    },
    async close() {
      clearInterval(tickerTimer)
      pending.clear()
      const closing = io.close().catch(noop)
      await closeServer(httpServer, tracker)
      await closing
      engineSockets.clear()
    },
  }
}
