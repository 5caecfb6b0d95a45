/** Small helpers shared by every listener of the dev server: binding, connection tracking, clean shutdown. */
import type { Server as NetServer, Socket } from 'node:net'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'

/** Tracks every TCP connection of a server so that it can be cut (fault injection) or closed (shutdown). */
export class ConnectionTracker {
  readonly sockets = new Set<Socket>()

  track(server: NetServer): void {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      // A client that vanishes must never surface as an unhandled 'error' (ECONNRESET, EPIPE).
      socket.on('error', noop)
      socket.once('close', () => this.sockets.delete(socket))
    })
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
  }
}

export function noop(): void {}

/** Binds `server` to `port` (0 = any free port) and resolves with the port actually bound. */
export function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening)
      reject(err)
    }
    const onListening = () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({ port, host, exclusive: true })
  })
}

/** Stops accepting, cuts every open connection, and resolves once the listening socket is closed. */
export function closeServer(server: NetServer, tracker?: ConnectionTracker): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      tracker?.destroyAll()
      resolve()
      return
    }
    server.close(() => resolve())
    tracker?.destroyAll()
    const http = server as NetServer & { closeAllConnections?: () => void }
    http.closeAllConnections?.()
  })
}

/** Answers an HTTP upgrade request with a plain HTTP error response and closes the connection. */
export function rejectUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  socket.on('error', noop)
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const body = `${message}\n`
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ]
  socket.once('finish', () => socket.destroy())
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`)
}

/** Reads an integer query parameter: missing or unparsable gives `fallback`, anything else is clamped to [min, max]. */
export function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name)
  if (raw === null || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value)) return fallback
  return Math.min(max, Math.max(min, Math.floor(value)))
}

/** Reads a number (fractions allowed) the same way as {@link intParam}. */
export function numberParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name)
  if (raw === null || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isFinite(value)) return fallback
  return Math.min(max, Math.max(min, value))
}

export function boolParam(params: URLSearchParams, name: string, fallback = false): boolean {
  const raw = params.get(name)
  if (raw === null) return fallback
  return raw === '' || ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())
}

/** Parses a request URL (path + query) without trusting its content. */
export function parseRequestUrl(url: string | undefined): URL {
  try {
    return new URL(url ?? '/', 'http://dev-server.invalid')
  } catch {
    return new URL('/', 'http://dev-server.invalid')
  }
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || h.startsWith('127.') || h.endsWith('.localhost')
}

/** The host name to put in URLs that a client on this machine uses to reach a server bound to `host`. */
export function connectHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, '')
  if (h === '0.0.0.0' || h === '') return '127.0.0.1'
  if (h === '::') return '[::1]'
  return h.includes(':') ? `[${h}]` : h
}

/** The host that browsers on this machine should use (the certificate is made for `localhost`). */
export function browserHost(host: string): string {
  const h = host.replace(/^\[|\]$/g, '')
  if (h === '0.0.0.0' || h === '::' || h === '' || isLoopbackHost(h)) return 'localhost'
  return h.includes(':') ? `[${h}]` : h
}

/** Valid close codes that an endpoint may send in a close frame (RFC 6455 §7.4, 1004–1006 and 1015 are reserved). */
export function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && (
    code === 1000 || code === 1001 || code === 1002 || code === 1003
    || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
  )
}

/** Trims a close reason to the 123 bytes that fit in a close frame, without splitting a UTF-8 sequence. */
export function closeReason(reason: string | undefined): string {
  const text = reason ?? ''
  if (Buffer.byteLength(text) <= 123) return text
  let out = ''
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > 123) break
    out += ch
  }
  return out
}

/** How long a client may take to make its request, so that slow clients cannot hold the server's connections. */
export interface SlowClientLimits {
  /** A connection must send its request headers (and finish its TLS handshake) within this many ms. */
  handshakeTimeoutMs: number
  /** A whole request (headers and body) must arrive within this many ms (a long-poll's wait for the answer does not count). */
  requestTimeoutMs: number
  /** Connections still sending their first request, per server; beyond it the oldest of them is cut. */
  maxPendingHandshakes: number
}

export const DEFAULT_SLOW_CLIENT_LIMITS: Readonly<SlowClientLimits> = Object.freeze({
  handshakeTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxPendingHandshakes: 1000,
})

/** Options for `http.createServer` / `https.createServer` that apply the limits with Node's own timers. */
export function httpServerLimits(limits: SlowClientLimits): {
  headersTimeout: number
  requestTimeout: number
  connectionsCheckingInterval: number
  handshakeTimeout: number
} {
  return {
    headersTimeout: limits.handshakeTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default, which would let a slow client stay twice as long).
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.handshakeTimeoutMs / 4))),
    // TLS handshake (https only; ignored by http).
    handshakeTimeout: limits.handshakeTimeoutMs,
  }
}

/**
 * Counts the connections that have not finished their first request or WebSocket handshake apart from the open ones,
 * so that a crowd of slow clients (a header line every few seconds) neither counts against the open-connection cap
 * nor fills the TCP limit: a pending connection is cut when it has not finished within `handshakeTimeoutMs` of
 * arriving (however it drips), and beyond `maxPendingHandshakes` the oldest pending one is cut, so a new client always
 * gets its turn. Later requests on a kept-alive connection are Node's `headersTimeout` / `requestTimeout` business.
 */
export class PendingHandshakes {
  /** In arrival order: the first is the oldest. Each with the timer that cuts it. */
  private readonly pending = new Map<Socket, NodeJS.Timeout>()
  /** Connections cut because they took too long or the budget was full (for the log and the tests). */
  cut = 0

  constructor(private readonly limits: SlowClientLimits) {}

  get size(): number {
    return this.pending.size
  }

  /**
   * Watches `server`: plain connections from `connection`, TLS ones from `secureConnection` (the TLS handshake itself
   * is bounded by the server's `handshakeTimeout`); a request or an upgrade settles them. Call it after anything that
   * replaces the server's `request` listeners (engine.io's `attach` does). `upgrades: false` for a server that must
   * not take upgrades: any 'upgrade' listener makes Node hand the handshake over instead of to the request handler.
   */
  watch(server: NetServer, { tls = false, upgrades = true }: { tls?: boolean; upgrades?: boolean } = {}): void {
    server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => this.add(socket))
    server.on('request', (req: { socket: Socket }) => this.settle(req.socket))
    if (upgrades) server.on('upgrade', (_req: unknown, socket: Socket) => this.settle(socket))
  }

  add(socket: Socket): void {
    if (this.pending.has(socket) || socket.destroyed) return
    const timer = setTimeout(() => this.cutOne(socket), this.limits.handshakeTimeoutMs)
    this.pending.set(socket, timer)
    socket.once('close', () => this.settle(socket))
    while (this.pending.size > this.limits.maxPendingHandshakes) {
      this.cutOne(this.pending.keys().next().value as Socket)
    }
  }

  /** The connection finished a request or a handshake (or closed): no longer pending. */
  settle(socket: Socket): void {
    const timer = this.pending.get(socket)
    if (timer === undefined) return
    clearTimeout(timer)
    this.pending.delete(socket)
  }

  private cutOne(socket: Socket): void {
    this.settle(socket)
    this.cut++
    socket.destroy()
  }

  /** Stops every timer (shutdown; the connections themselves are cut by their server). */
  clear(): void {
    for (const timer of this.pending.values()) clearTimeout(timer)
    this.pending.clear()
  }
}
