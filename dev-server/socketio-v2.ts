/**
 * A Socket.IO v2 server (socket.io 2.5.1, Engine.IO protocol 3) for the v2 driver and its tests: the kind of legacy
 * server a v3/v4 client cannot talk to (PROTOCOL.md, "Versions").
 *
 * The same handlers as the v4 server where v2 allows: `welcome` on connect, `joinRoom` / `message` / `leaveRoom` with
 * `joined` / `left` notices, `echo` and `binary` acknowledged with their arguments (or answered with an event), any
 * other event acknowledged with its own arguments, `noAck` (never answered: watch an ack time out) and `ask` (the server
 * emits `question` with an ack request and reports the client's reply).
 * `/admin` is guarded by middleware that reads the token from the query string, because a v2 client has no CONNECT
 * auth payload; a refusal is an ERROR packet carrying the string `not authorized`.
 *
 * socket.io 2 ships no types, so it is loaded with `require` behind the few shapes used here.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { Duplex } from 'node:stream'
import {
  ConnectionTracker, DEFAULT_SLOW_CLIENT_LIMITS, PendingHandshakes, closeServer, connectHost, httpServerLimits, listen, type SlowClientLimits,
} from './net-util.ts'

export interface SocketIoV2ServerOptions {
  /**
   * Interface to bind.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * Port to bind; 0 picks a free one.
   * @default 3002
   */
  port?: number
  /**
   * Log sink, one line per call.
   * @default console.log
   */
  log?: (line: string) => void
  /**
   * Engine.IO 3 heartbeat: the client pings every `pingInterval` ms (in v2 the client pings and the server answers).
   * @default 25000
   */
  pingInterval?: number
  /**
   * How long either side waits for the heartbeat before giving the connection up, in ms.
   * @default 5000
   */
  pingTimeout?: number
  /**
   * Token the `/admin` middleware expects in the query string (`?token=...`).
   * @default 'letmein'
   */
  adminToken?: string
  /** Header, request and pending-handshake limits against slow clients (see net-util.ts). */
  limits?: SlowClientLimits
}

export interface SocketIoV2Server {
  readonly port: number
  /** `http://host:port`, default path `/socket.io/`. */
  readonly url: string
  /** Open Engine.IO sessions. */
  readonly sessions: number
  /** Cuts every TCP connection at once (no close frame, no close packet): clients see `transport close` and reconnect. */
  kill(): void
  /** Stops listening, closes every Engine.IO session and cuts every TCP connection. */
  close(): Promise<void>
}

export const DEFAULT_SOCKETIO_V2_PORT = 3002

export const SOCKETIO_V2_NAMESPACES = { main: '/', admin: '/admin' } as const

const MAX_ROOM_LENGTH = 128

// ---------------------------------------------------------------- the parts of socket.io 2 used here

type Ack = (...args: unknown[]) => void
type Next = (err?: Error) => void

interface V2Socket {
  id: string
  rooms: Record<string, string>
  connected: boolean
  handshake: { query: Record<string, string | undefined>; address: string }
  conn: { transport: { name: string } }
  on(event: string, listener: (...args: never[]) => void): V2Socket
  emit(event: string, ...args: unknown[]): boolean
  join(room: string, callback: (err: Error | null) => void): V2Socket
  leave(room: string, callback: (err: Error | null) => void): V2Socket
  to(room: string): { emit(event: string, ...args: unknown[]): unknown }
  broadcast: { emit(event: string, ...args: unknown[]): unknown }
  /** Per-socket packet middleware: `packet` is `[event, ...args, ack?]`. */
  use(fn: (packet: unknown[], next: Next) => void): V2Socket
}

interface V2Namespace {
  name: string
  sockets: Record<string, V2Socket>
  adapter: { rooms: Record<string, { length: number; sockets: Record<string, boolean> } | undefined> }
  on(event: 'connection', listener: (socket: V2Socket) => void): V2Namespace
  use(fn: (socket: V2Socket, next: Next) => void): V2Namespace
  to(room: string): { emit(event: string, ...args: unknown[]): unknown }
}

/** An Engine.IO 3 session (engine.io 3.6 `Socket`); `onClose` and the transport's `shouldClose` are internal. */
interface V2EngineSession {
  close(discard?: boolean): void
  onClose(reason: string): void
  transport: { discard(): void; shouldClose?: (() => void) | null }
}

interface V2Server {
  engine: { clientsCount: number; clients: Record<string, V2EngineSession>; close(): void }
  of(name: string): V2Namespace
  close(callback?: () => void): void
}

interface V2ServerOptions {
  serveClient: boolean
  cookie: boolean
  pingInterval: number
  pingTimeout: number
  transports: string[]
}

type V2ServerFactory = (server: ReturnType<typeof createServer>, options: V2ServerOptions) => V2Server

const require = createRequire(import.meta.url)

/**
 * Ends every Engine.IO session now. engine.io 3's own `close()` is orderly: a session with buffered packets waits for
 * `drain`, and a polling transport with no request in flight waits for the next one (30 s close timer), each with its
 * heartbeat timer (pingInterval + pingTimeout) still armed. Once the TCP connections are cut no request can come, so
 * those sessions would keep the process alive for up to a minute: discard the transport and close them outright.
 */
function endSessions(io: V2Server): void {
  for (const session of Object.values(io.engine.clients)) {
    session.transport.discard()
    // The orderly close a polling transport buffered (it clears its close timer), if any.
    session.transport.shouldClose?.()
    session.onClose('forced close')
  }
}

// ---------------------------------------------------------------- handlers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
}

function splitAck(args: unknown[]): [unknown[], Ack | undefined] {
  const last = args[args.length - 1]
  return typeof last === 'function' ? [args.slice(0, -1), last as Ack] : [args, undefined]
}

/** A room name from `"room"` or `{ room }`: a non-blank string of at most 128 characters (as on the v4 server). */
function roomFrom(payload: unknown): string | undefined {
  const value = isRecord(payload) ? payload.room : payload
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_ROOM_LENGTH) return undefined
  return value
}

/** v2 keeps a socket's rooms as an object, its own id among them. */
function roomsOf(socket: V2Socket): string[] {
  return Object.keys(socket.rooms).filter((room) => room !== socket.id)
}

function fail(socket: V2Socket, event: string, error: string, ack: Ack | undefined): void {
  if (ack) ack({ error })
  else socket.emit('invalid', { event, error })
}

/**
 * Registers handlers that never throw, and acknowledges any other event with its own arguments. socket.io 2 has no
 * `onAny`: the catch-all is a packet middleware, which sees every incoming event before its listeners.
 */
function handlers(socket: V2Socket, log: (line: string) => void, nsp: string) {
  const names = new Set<string>(['noAck'])
  socket.use((packet, next) => {
    const [event, ...rest] = packet
    if (typeof event === 'string' && !names.has(event)) {
      const [args, ack] = splitAck(rest)
      ack?.(...args)
    }
    next()
  })
  return (event: string, handler: (args: unknown[], ack: Ack | undefined) => void) => {
    names.add(event)
    socket.on(event, (...raw: never[]) => {
      const [args, ack] = splitAck(raw)
      try {
        handler(args, ack)
      } catch (err) {
        log(`[socket.io v2] ${nsp} ${event} handler failed: ${(err as Error).message}`)
        ack?.({ error: 'internal error' })
      }
    })
  }
}

function registerEcho(on: ReturnType<typeof handlers>, socket: V2Socket): void {
  on('echo', (args, ack) => {
    if (ack) ack(...args)
    else socket.emit('echo', ...args)
  })
  on('binary', (args, ack) => {
    const out = args.length ? args : [Buffer.from([0xde, 0xad, 0xbe, 0xef])]
    if (ack) ack(...out)
    else socket.emit('binary', ...out)
  })
}

/**
 * `ask` emits `question` to this socket with an ack request, waits up to `timeoutMs` (default 3000) for the client's
 * reply and reports it as the ack of `ask`, or as an `answer` event: `{ answer }` or `{ error }`. v2 has no
 * `socket.timeout()`, so the wait is a timer here.
 */
function registerQuestion(on: ReturnType<typeof handlers>, socket: V2Socket): void {
  on('ask', ([payload], ack) => {
    const timeoutMs = isRecord(payload) && typeof payload.timeoutMs === 'number' ? Math.min(Math.max(payload.timeoutMs, 1), 60_000) : 3000
    const question = isRecord(payload) && 'question' in payload ? payload.question : payload ?? 'ping?'
    let settled = false
    const report = (result: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (ack) ack(result)
      else socket.emit('answer', result)
    }
    const timer = setTimeout(() => report({ error: `no answer within ${timeoutMs} ms` }), timeoutMs)
    socket.on('disconnect', () => clearTimeout(timer))
    socket.emit('question', question, (...answer: unknown[]) => report({ answer }))
  })
}

function registerMain(nsp: V2Namespace, log: (line: string) => void): void {
  nsp.on('connection', (socket) => {
    const on = handlers(socket, log, nsp.name)
    socket.emit('welcome', {
      id: socket.id,
      namespace: nsp.name,
      transport: socket.conn.transport.name,
      message: 'Welcome to the SocketLens dev server (Socket.IO v2)',
      time: Date.now(),
    })

    on('joinRoom', ([payload], ack) => {
      const room = roomFrom(payload)
      if (room === undefined) return fail(socket, 'joinRoom', `room must be a non-blank string of at most ${MAX_ROOM_LENGTH} characters, or { room }`, ack)
      if (room !== socket.id && nsp.sockets[room]) return fail(socket, 'joinRoom', 'that room is another socket\'s private room', ack)
      // v2 joins asynchronously: the notice and the ack wait for the adapter.
      socket.join(room, () => {
        nsp.to(room).emit('joined', { room, id: socket.id })
        ack?.(roomsOf(socket))
      })
    })

    on('leaveRoom', ([payload], ack) => {
      const room = roomFrom(payload)
      if (room === undefined) return fail(socket, 'leaveRoom', `room must be a non-blank string of at most ${MAX_ROOM_LENGTH} characters, or { room }`, ack)
      if (!(room in socket.rooms) || room === socket.id) {
        ack?.(roomsOf(socket))
        return
      }
      nsp.to(room).emit('left', { room, id: socket.id })
      socket.leave(room, () => ack?.(roomsOf(socket)))
    })

    on('message', ([payload], ack) => {
      if (isRecord(payload) && 'room' in payload) {
        const room = roomFrom(payload)
        if (room === undefined) return fail(socket, 'message', 'message needs { room, message } with a non-blank room', ack)
        socket.to(room).emit('message', { room, message: payload.message, from: socket.id })
        const members = nsp.adapter.rooms[room]
        ack?.({ room, delivered: (members?.length ?? 0) - (members?.sockets[socket.id] ? 1 : 0) })
        return
      }
      const message = isRecord(payload) && 'message' in payload ? payload.message : payload
      socket.broadcast.emit('message', { room: null, message, from: socket.id })
      ack?.({ room: null, delivered: Object.keys(nsp.sockets).length - 1 })
    })

    registerEcho(on, socket)
    registerQuestion(on, socket)

    socket.on('disconnecting', (reason: never) => {
      for (const room of roomsOf(socket)) socket.to(room).emit('left', { room, id: socket.id, reason })
    })
  })
}

function registerAdmin(nsp: V2Namespace, token: string, log: (line: string) => void): void {
  // A v2 client has no CONNECT auth payload: the token travels in the query string, merged into handshake.query.
  nsp.use((socket, next) => {
    if (socket.handshake.query.token === token) {
      next()
      return
    }
    log(`[socket.io v2] /admin refused a connection from ${socket.handshake.address}: invalid token`)
    // v2 sends `err.data || err.message` in an ERROR packet: a plain string here, the usual v2 refusal.
    next(new Error('not authorized'))
  })
  nsp.on('connection', (socket) => {
    const on = handlers(socket, log, nsp.name)
    socket.emit('welcome', { id: socket.id, namespace: nsp.name, message: 'Authorized: welcome to /admin (Socket.IO v2)', time: Date.now() })
    registerEcho(on, socket)
  })
}

// ---------------------------------------------------------------- server

/** Starts the Socket.IO v2 server. Resolves once it listens; `close()` leaves nothing running. */
export async function startSocketIoV2Server(options: SocketIoV2ServerOptions = {}): Promise<SocketIoV2Server> {
  const host = options.host ?? '127.0.0.1'
  const log = options.log ?? console.log
  const tracker = new ConnectionTracker()
  const limits = options.limits ?? DEFAULT_SLOW_CLIENT_LIMITS
  const pending = new PendingHandshakes(limits)
  const httpServer = createServer(httpServerLimits(limits), (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' })
    res.end([
      'SocketLens dev server — Socket.IO v2 (Engine.IO protocol 3)',
      `Connect a socket.io-client v2 to this origin (path /socket.io/). Namespaces: ${Object.values(SOCKETIO_V2_NAMESPACES).join(' ')}`,
      `Requested: ${req.url ?? '/'}`,
      '',
    ].join('\n'))
  })
  tracker.track(httpServer)
  httpServer.on('clientError', (_err: Error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    socket.destroy()
  })

  const createIo = require('socket.io-v2') as V2ServerFactory
  // socket.io 2 answers CORS for any origin by default (origins '*:*'), which the inspector page needs.
  const io = createIo(httpServer, {
    serveClient: false,
    cookie: false,
    pingInterval: options.pingInterval ?? 25_000,
    pingTimeout: options.pingTimeout ?? 5_000,
    transports: ['polling', 'websocket'],
  })
  // After engine.io's attach, which replaces the server's 'request' listeners.
  pending.watch(httpServer)
  registerMain(io.of(SOCKETIO_V2_NAMESPACES.main), log)
  registerAdmin(io.of(SOCKETIO_V2_NAMESPACES.admin), options.adminToken ?? 'letmein', log)
  for (const name of Object.values(SOCKETIO_V2_NAMESPACES)) {
    io.of(name).on('connection', (socket) => {
      log(`[socket.io v2] + ${name} ${socket.id}`)
      socket.on('disconnect', (reason: never) => log(`[socket.io v2] - ${name} ${socket.id}: ${reason}`))
    })
  }

  let port: number
  try {
    port = await listen(httpServer, options.port ?? DEFAULT_SOCKETIO_V2_PORT, host)
  } catch (err) {
    io.engine.close()
    throw err
  }

  let closing: Promise<void> | undefined
  return {
    port,
    url: `http://${connectHost(host)}:${port}`,
    get sessions() {
      return io.engine.clientsCount
    },
    kill() {
      tracker.destroyAll()
      // A polling session has no connection of its own between requests: end it as well.
      setImmediate(() => endSessions(io))
    },
    close() {
      // io.close() would also close the HTTP server, but without cutting keep-alive connections: close the engine
      // (every session, its timers and the WebSocket server), then the listener and every TCP connection.
      closing ??= (async () => {
        pending.clear()
        io.engine.close()
        await closeServer(httpServer, tracker)
        endSessions(io)
      })()
      return closing
    },
  }
}
